import CarbonKit
import ClimatePlans

/// Indicators whose values the platform computes rather than anyone typing them in: the
/// binding intensity reductions of a Five-Year Plan, as % below their baseline year.
public enum ComputedIndicators {
    /// `indicator` with a value for every year after its baseline that `dualControl` can
    /// compare with the baseline year; its baseline and its goals as they were. Indicators of
    /// other sources come back unchanged.
    public static func fill(_ indicator: Indicator, dualControl: [Int: DualControl], source: (Int) -> Phrase) -> Indicator {
        guard case .inventory(let measure) = indicator.source, InventoryMeasure.computable.contains(measure),
              let baseline = indicator.series().first, let base = dualControl[baseline.year] else { return indicator }
        var filled = indicator
        filled.values = indicator.values.filter { $0.year <= baseline.year || $0.jurisdiction != nil || $0.dimension != nil }
        for year in dualControl.keys.sorted() where year > baseline.year {
            let now = dualControl[year]!
            let reduction = measure == .co2IntensityReduction ? now.co2IntensityReduction(since: base) : now.energyIntensityReduction(since: base)
            if let reduction { filled.values.append(IndicatorValue(year: year, value: baseline.value + 100 * reduction, phrase: source(year))) }
        }
        return filled
    }
}
