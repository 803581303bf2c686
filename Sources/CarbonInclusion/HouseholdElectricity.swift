import CarbonKit

/// The household-electricity methodology's two baselines (Shenzhen 2022): a household that used
/// less than the city's daily baseline for a household saves the difference; one that used more
/// is compared with its own moving average of the days before the previous day, and saves what
/// it used below that. The city's baseline is held within the methodology's seasonal band.
public enum HouseholdElectricity {
    public struct Saving: Sendable, Equatable {
        public var kWh: Micro
        /// `city` or `own_average`: which baseline gave the saving; nil when nothing was saved.
        public var baseline: String?
        public var cityBaseline: Micro
        public var ownAverage: Micro?
    }

    /// The day's saving for a household that used `use` kWh, against the city's `cityBaseline`
    /// (kWh a household a day, clamped to the band) and its own daily uses before the previous
    /// day, most recent last (only the last `moving_average_days` count; fewer gives no average).
    public static func saving(use: Micro, cityBaseline: Micro, ownHistory: [Micro], rules: Methodology.Household) -> Saving {
        let band = rules.band_kwh_per_day
        let baseline = band.count == 2 ? min(max(cityBaseline, band[0]), band[1]) : cityBaseline
        let window = ownHistory.suffix(rules.moving_average_days)
        let average = window.count == rules.moving_average_days && !window.isEmpty
            ? Micro(millionths: window.reduce(0) { $0 + $1.millionths } / Int64(window.count)) : nil
        if use < baseline { return Saving(kWh: baseline - use, baseline: "city", cityBaseline: baseline, ownAverage: average) }
        if let average, use < average { return Saving(kWh: average - use, baseline: "own_average", cityBaseline: baseline, ownAverage: average) }
        return Saving(kWh: .zero, baseline: nil, cityBaseline: baseline, ownAverage: average)
    }
}
