/// What a meter typically uses in each hour of the week, learnt from its own recent past.
///
/// One slot per weekday and local hour (168), each holding the median and the median absolute
/// deviation of that hour's consumption over the weeks given: medians, because one holiday or
/// one fault in the history must not move what "typical" means.
public struct Baseline: Sendable, Hashable, Codable {
    public struct Slot: Sendable, Hashable, Codable {
        public let median: Double
        /// Median absolute deviation, scaled by 1.4826 so it estimates a standard deviation.
        public let spread: Double
        public let samples: Int
    }

    /// Indexed by weekday × 24 + hour of day (weekday 0 = Monday).
    public let slots: [Slot?]

    public init(slots: [Slot?]) {
        precondition(slots.count == 168)
        self.slots = slots
    }

    /// Learns the baseline from hourly consumption; slots with fewer than `minimumSamples` values stay empty.
    public init(hourly: [(hour: Int64, value: Double)], calendar: MonitoringCalendar, minimumSamples: Int = 3) {
        var buckets = Array(repeating: [Double](), count: 168)
        for (hour, value) in hourly {
            let (weekday, hourOfDay) = calendar.slot(ofHour: hour)
            buckets[weekday * 24 + hourOfDay].append(value)
        }
        slots = buckets.map { values in
            guard values.count >= minimumSamples else { return nil }
            let median = Self.median(values)
            let mad = Self.median(values.map { abs($0 - median) })
            return Slot(median: median, spread: 1.4826 * mad, samples: values.count)
        }
    }

    public func slot(ofHour hour: Int64, calendar: MonitoringCalendar) -> Slot? {
        let (weekday, hourOfDay) = calendar.slot(ofHour: hour)
        return slots[weekday * 24 + hourOfDay]
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        guard n > 0 else { return 0 }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
