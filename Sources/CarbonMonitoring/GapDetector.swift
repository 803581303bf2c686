/// Finds where a datastream fell silent: stretches longer than its interval with no reading.
public enum GapDetector {
    public struct Gap: Sendable, Hashable, Codable {
        /// The last reading before the gap (or the window start) and the first after it (or the window end).
        public let from: UnixSeconds
        public let to: UnixSeconds
        /// Readings that should have arrived in between.
        public let missing: Int
    }

    /// Gaps in `times` (ascending) within `(windowStart, windowEnd]`, for readings expected every
    /// `interval` seconds. Between two readings `a` and `b`, round((b − a) / interval) − 1 readings
    /// are missing, so a reading a little early or late is not a gap; after the last reading,
    /// every whole interval up to the window's end is missing.
    public static func gaps(times: [UnixSeconds], interval: Int, windowStart: UnixSeconds, windowEnd: UnixSeconds) -> [Gap] {
        precondition(interval > 0)
        let step = Int64(interval)
        var gaps: [Gap] = []
        var last = windowStart
        for t in times where t > windowStart && t <= windowEnd {
            let missing = Int((t - last + step / 2) / step) - 1
            if missing > 0 { gaps.append(Gap(from: last, to: t, missing: missing)) }
            last = t
        }
        let tail = Int((windowEnd - last) / step)
        if tail > 0 { gaps.append(Gap(from: last, to: windowEnd, missing: tail)) }
        return gaps
    }
}
