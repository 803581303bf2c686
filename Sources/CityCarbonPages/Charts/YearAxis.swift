/// A time axis in whole years (or hours): positions proportional to time, so 2015, 2018 and
/// 2020 are not spaced evenly, and labels at round steps (1, 2, 5, 10, 20, 25, 50 …) chosen so
/// that no two labels touch at the width the chart is drawn.
package struct YearAxis: Sendable, Equatable {
    package var first: Int
    package var last: Int
    /// The values that carry a label.
    package var labelled: [Int]

    package init(_ values: [Int], plotWidth: Double, size: Double = ChartText.size, label: (Int) -> String = { String($0) }) {
        let low = values.min() ?? 0, high = values.max() ?? 1
        // One year alone sits in the middle of a two-year span.
        (first, last) = low == high ? (low - 1, high + 1) : (low, high)
        let widest = values.map { ChartText.width(label($0), size: size) }.max() ?? ChartText.width("2000", size: size)
        let room = widest + size
        let span = last - first
        var chosen = [low]
        for step in [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] {
            let start = Int((Double(first) / Double(step)).rounded(.up)) * step
            let ticks = Array(stride(from: start, through: last, by: step))
            // Neighbouring labels are `step / span` of the plot apart; they must not touch.
            if Double(step) / Double(Swift.max(span, 1)) * plotWidth >= room || step == 1000 {
                chosen = ticks.isEmpty ? [low] : ticks
                break
            }
        }
        labelled = chosen
    }

    /// Where `value` sits between ``first`` (0) and ``last`` (1).
    package func fraction(_ value: Double) -> Double {
        last > first ? (value - Double(first)) / Double(last - first) : 0.5
    }
}
