import Foundation

/// Quality flags of low-cost sensor readings, kept as data beside the raw value (a flagged value
/// is never changed or dropped, so a later rule can be re-run over the same raw series). The
/// limits are in `Resources/sensor-qc.json` with their sources.
public struct SensorQC: Sendable, Decodable {
    public var source: String
    public var ab_absolute: Double
    public var ab_relative_percent: Double
    public var ranges: [String: [Double]]
    public var stuck_repeats: Int
    public var maximum_rise_per_hour: [String: Double]
    public var completeness_percent: Double

    public static let shipped: SensorQC = ShippedData.load("sensor-qc")

    /// Why a reading is not used; a reading may carry several.
    public enum Flag: String, Sendable, CaseIterable, Codable {
        case missing, outOfRange = "out_of_range", stuck, jump, channelsDisagree = "channels_disagree"
        /// A low-cost PM2.5 value whose hour has no humidity, so it could not be corrected.
        case noHumidity = "no_humidity"
    }

    /// One reading as checked: the raw value, the value used (nil when flagged) and the flags.
    public struct Checked: Sendable, Equatable {
        public var raw: Double?
        public var value: Double?
        public var flags: [Flag]
    }

    /// A/B agreement of a dual-channel sensor (PurpleAir): the mean of both, or flagged when they
    /// differ by more than both the absolute and the relative limit, or either is missing.
    public func combine(a: Double?, b: Double?) -> Checked {
        guard let a, let b, a.isFinite, b.isFinite else { return Checked(raw: a ?? b, value: nil, flags: [.missing]) }
        // Halves first, so two channels near the largest double do not overflow to infinity.
        let mean = a / 2 + b / 2
        let difference = abs(a / 2 - b / 2) * 2
        let relative = mean > 0 ? difference / mean * 100 : 0
        if difference > ab_absolute && relative > ab_relative_percent {
            return Checked(raw: mean, value: nil, flags: [.channelsDisagree])
        }
        return Checked(raw: mean, value: mean, flags: [])
    }

    /// Checks an hourly series of one parameter in time order: range, a value repeated
    /// `stuck_repeats` times or more (every repeat is flagged), and a rise faster than the
    /// parameter's limit from the last good hour.
    public func check(_ series: [Double?], parameter: String) -> [Checked] {
        let range = ranges[parameter].flatMap { $0.count == 2 && $0[0] <= $0[1] ? $0[0]...$0[1] : nil }
        var checked = series.map { raw -> Checked in
            guard let raw, raw.isFinite else { return Checked(raw: nil, value: nil, flags: [.missing]) }
            if let range, !range.contains(raw) {
                return Checked(raw: raw, value: nil, flags: [.outOfRange])
            }
            return Checked(raw: raw, value: raw, flags: [])
        }
        // Runs of the same value.
        var start = 0
        while start < checked.count {
            var end = start + 1
            while end < checked.count, let value = checked[start].raw, checked[end].raw == value { end += 1 }
            if checked[start].raw != nil, end - start >= stuck_repeats {
                for index in start..<end { checked[index].flags.append(.stuck); checked[index].value = nil }
            }
            start = end
        }
        // Jumps from the last good value.
        if let limit = maximum_rise_per_hour[parameter] {
            var last: (index: Int, value: Double)?
            for index in checked.indices {
                guard let value = checked[index].value else { continue }
                if let previous = last, (value - previous.value) / Double(index - previous.index) > limit {
                    checked[index].flags.append(.jump)
                    checked[index].value = nil
                    continue
                }
                last = (index, value)
            }
        }
        return checked
    }

    /// The mean of the good values when at least `completeness_percent` of `expected` are good
    /// (an hour from 2-minute samples expects 30; a day from hours, 24), with the share found.
    public func mean(of values: [Checked], expected: Int) -> (mean: Double?, completeness: Double) {
        mean(present: values.lazy.map(\.value), expected: expected)
    }

    /// The same over values where nil is not good, summed in order without gathering them first:
    /// a network's year of hourly means is a hundred million windows.
    public func mean<Values: Sequence>(present values: Values, expected: Int) -> (mean: Double?, completeness: Double)
    where Values.Element == Double? {
        var sum = 0.0, count = 0
        for case let value? in values {
            sum += value
            count += 1
        }
        let completeness = expected > 0 ? Double(count) / Double(expected) * 100 : 0
        guard count > 0, completeness >= completeness_percent else { return (nil, completeness) }
        return (sum / Double(count), completeness)
    }
}
