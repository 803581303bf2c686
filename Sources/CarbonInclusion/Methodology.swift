import CarbonKit

/// One version of a behaviour's methodology, as published: reduction = baseline − project, each
/// a factor in grams per `per` units of one activity (steps, km, trips, kWh), with the caps,
/// eligibility rules, plausibility limits and valid period that go with it. Held as data
/// (`Resources/methodologies.json`) with its source; a credit names the `code@version` it was
/// computed with, so a stored event can be computed again under any other version.
public struct Methodology: Sendable, Hashable, Decodable {
    public struct Limit: Sendable, Hashable, Decodable { public var maximum: Micro }
    /// Household-electricity methodologies compare a day's use with two baselines.
    public struct Household: Sendable, Hashable, Decodable {
        /// The seasonal range the city's daily baseline for a household is held within, kWh.
        public var band_kwh_per_day: [Micro]
        /// Days of the household's own moving average, counted before the previous day.
        public var moving_average_days: Int
        /// Household conditions that make it ineligible (`tariff_tier_3`, `distributed_pv`).
        public var excluded: [String]
    }

    public var code: String
    public var version: String
    /// What the resident does, for totals by behaviour (`walking`, `bus`, `household_electricity`).
    public var behaviour: String
    /// The one activity datum the formula multiplies, and its unit.
    public var activity: String
    public var unit: String
    public var baseline_g: Micro
    public var project_g: Micro
    /// The amount of `unit` the two factors are for (22 for "5.98 kg per 22 km").
    public var per: Micro
    public var daily_cap_g: Micro?
    /// The activity is the day's total (a step count): one a day per account, and no trips of the
    /// same behaviour credited beside it.
    public var day_total: Bool?
    public var requires_navigation: Bool?
    public var maximum_speed_kmh: Micro?
    /// Days after the activity before the operator's data confirms it (transit: 2).
    public var issuance_lag_days: Int?
    public var valid_from: Day
    public var valid_to: Day?
    public var source: String
    /// The source as a Chinese reader finds it: issuer, title and year in Chinese.
    public var source_zh: String
    public var mark: String
    public var limits: [String: Limit]
    public var household: Household?

    public var id: String { "\(code)@\(version)" }
    /// Grams a unit of activity avoids, net.
    public var netGramsPerPer: Micro { baseline_g - project_g }
    public var lagDays: Int { issuance_lag_days ?? 0 }

    public func isValid(on day: Day) -> Bool { day >= valid_from && (valid_to.map { day <= $0 } ?? true) }

    /// The reduction for `amount` of the activity, in grams to six places, rounded down so a
    /// credit never claims more than the formula gives; nil when the arithmetic overflows.
    public func reduction(for amount: Micro) -> Micro? {
        guard amount.millionths >= 0 else { return nil }
        // amount × net ÷ per: all three are millionths, so the scale of `per` cancels one of them.
        return Micro.multiplyDivide(amount.millionths, netGramsPerPer.millionths, per.millionths).map(Micro.init(millionths:))
    }

    /// The reduction for the activity data of an event, its datum converted to `unit`; nil when
    /// the data has no such datum in a convertible unit. The formula alone: caps and the fraud
    /// screen are ``CreditScreening``'s.
    public func reduction(of activity: [ActivityDatum]) -> Micro? {
        activity.first { $0.name == self.activity }.flatMap { $0.value(in: unit) }.flatMap(reduction(for:))
    }
}
