import CarbonInclusion
import CarbonKit

/// The household-electricity methodology applied to the meters the monitoring module ingests:
/// for one day, each enrolled household's use set against the city's daily baseline (the mean
/// use that day of every residential home the city meters, enrolled or not, held in the
/// methodology's seasonal band)
/// and against its own moving average of the days before the previous day. A household
/// without a full day's reading that day earns nothing that day: no reading, no credit.
public enum HouseholdSavings {
    public struct Household: Sendable, Equatable {
        public var site: String
        /// kWh used each day, by day.
        public var uses: [Day: Double]
        public init(site: String, uses: [Day: Double]) { (self.site, self.uses) = (site, uses) }
    }

    public struct Result: Sendable, Equatable {
        public var site: String
        public var use: Micro
        public var saving: HouseholdElectricity.Saving
    }

    /// The days of meter data a day's savings need: the day, the previous day, and the moving
    /// average's days before it.
    public static func window(for day: Day, rules: Methodology.Household) -> ClosedRange<Day> {
        day.adding(days: -(rules.moving_average_days + 1))...day
    }

    /// Each of `households`' saving on `day`; `residential` are all the metered homes the city's
    /// baseline is the mean of (the enrolled ones among them).
    public static func savings(on day: Day, households: [Household], residential: [Household], rules: Methodology.Household) -> [Result] {
        func micro(_ kWh: Double) -> Micro? { kWh.isFinite && kWh >= 0 && kWh < 1e6 ? Micro(millionths: Int64((kWh * 1e6).rounded())) : nil }
        let metered = households.compactMap { household in household.uses[day].flatMap(micro).map { (household.site, $0) } }
        let population = residential.compactMap { $0.uses[day].flatMap(micro) }
        guard !metered.isEmpty, !population.isEmpty else { return [] }
        let cityBaseline = Micro(millionths: population.reduce(Int64(0)) { $0 + $1.millionths } / Int64(population.count))
        let byID = Dictionary(households.map { ($0.site, $0) }, uniquingKeysWith: { a, _ in a })
        return metered.map { site, use in
            // The moving average's days end the day before the previous day (Shenzhen 2022).
            let history = (2...(rules.moving_average_days + 1)).reversed().compactMap { byID[site]?.uses[day.adding(days: -$0)].flatMap(micro) }
            return Result(site: site, use: use,
                          saving: HouseholdElectricity.saving(use: use, cityBaseline: cityBaseline, ownHistory: history, rules: rules))
        }.sorted { $0.site < $1.site }
    }
}
