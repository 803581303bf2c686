import Foundation

/// A value axis: round ticks (1, 2, 2.5 or 5 times a power of ten apart) covering the values,
/// below zero as well as above it. When one or a few values dwarf the rest (a measure at
/// 40,000 CNY/t beside others under 3,000: more than five times the next), the axis covers the rest and those values are
/// drawn cut at its end with a break mark and their value written, instead of flattening
/// every other shape into a sliver.
package struct ValueAxis: Sendable, Equatable {
    package var ticks: [Double]
    package var low: Double { ticks.first ?? 0 }
    package var high: Double { ticks.last ?? 1 }
    /// True when values above ``high`` (or below ``low``) were left out of the range: the chart must mark them.
    package var clipsHigh = false
    package var clipsLow = false

    /// - Parameters:
    ///   - values: what the axis must show; values that are not finite are ignored.
    ///   - includeZero: whether zero is always on the axis (bars and areas grow from it).
    ///   - count: about how many intervals to aim for.
    ///   - clipOutliers: whether a few values more than `outlierRatio` times the next one may be cut.
    package init(values: [Double], includeZero: Bool = true, count: Int = 5, clipOutliers: Bool = false, outlierRatio: Double = 5) {
        var finite = values.filter { $0.isFinite }
        if clipOutliers {
            if let cap = Self.outlierCut(finite.filter { $0 > 0 }, ratio: outlierRatio) {
                clipsHigh = true
                finite = finite.map { Swift.min($0, cap) }
            }
            if let cap = Self.outlierCut(finite.filter { $0 < 0 }.map { -$0 }, ratio: outlierRatio) {
                clipsLow = true
                finite = finite.map { Swift.max($0, -cap) }
            }
        }
        var lowest = finite.min() ?? 0, highest = finite.max() ?? 1
        if includeZero { lowest = Swift.min(lowest, 0); highest = Swift.max(highest, 0) }
        // Hostile magnitudes would overflow the range; an axis that far out is drawn over ±1e300.
        lowest = Swift.max(lowest, -1e300)
        highest = Swift.min(highest, 1e300)
        if highest - lowest <= Swift.max(abs(highest), abs(lowest)) * 1e-12 {
            // One value (or none): a range around it, from zero when nothing is negative.
            let pad = highest == 0 ? 1 : abs(highest) * 0.1
            lowest -= pad
            highest += pad
            if includeZero, finite.allSatisfy({ $0 >= 0 }) { lowest = Swift.max(lowest, 0) }
        }
        ticks = Self.niceTicks(from: lowest, to: highest, count: Swift.max(2, count))
        // A clipped end is never exactly an outlier's value: leave the axis one tick past the rest.
        if clipsHigh, let last = ticks.last, ticks.count > 1 { ticks.append(last + (ticks[1] - ticks[0])) }
        if clipsLow, let first = ticks.first, ticks.count > 1 { ticks.insert(first - (ticks[1] - ticks[0]), at: 0) }
    }

    /// The largest value the axis should reach when the biggest few dwarf the rest: the first
    /// `k` (at most a quarter of the values, at least one kept) where the `k`-th largest is
    /// more than `ratio` times the next one.
    static func outlierCut(_ magnitudes: [Double], ratio: Double) -> Double? {
        let sorted = magnitudes.sorted(by: >)
        guard sorted.count >= 4 else { return nil }
        for k in 1...Swift.max(1, sorted.count / 4) where sorted[k] > 0 && sorted[k - 1] > ratio * sorted[k] {
            return sorted[k]
        }
        return nil
    }

    /// Ticks at whole multiples of a round step, from at or below `low` to at or above `high`.
    static func niceTicks(from low: Double, to high: Double, count: Int) -> [Double] {
        let raw = (high - low) / Double(count)
        guard raw.isFinite, raw > 0 else { return [0, 1] }
        let exponent = Int(floor(log10(raw)))
        let power = pow(10, Double(Swift.max(exponent, 0))), inverse = pow(10, Double(Swift.max(-exponent, 0)))
        let mantissa = [1.0, 2, 2.5, 5, 10].first { $0 * power / inverse >= raw * (1 - 1e-12) } ?? 10
        // k × mantissa × 10^exponent, divided rather than multiplied for small steps so 0.6 stays 0.6.
        func tick(_ k: Double) -> Double { k * mantissa * power / inverse }
        let step = tick(1)
        let first = floor(low / step * (1 + 1e-12)), last = ceil(high / step * (1 - 1e-12))
        guard first.isFinite, last.isFinite, last - first <= 1000 else { return [low, high] }
        return stride(from: first, through: last, by: 1).map { tick($0) == 0 ? 0 : tick($0) }
    }

    /// Where `value` sits between ``low`` (0) and ``high`` (1), held inside the axis.
    package func fraction(_ value: Double) -> Double {
        guard value.isFinite, high > low else { return value == .infinity ? 1 : 0 }
        return Swift.min(1, Swift.max(0, (value - low) / (high - low)))
    }

    /// Whether `value` lies beyond the axis and is drawn cut.
    package func isClipped(_ value: Double) -> Bool { value > high || value < low }
}
