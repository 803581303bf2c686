import CarbonKit

/// The times a reading may carry: not before the city's monitoring starts and not further
/// ahead of the server's clock than clocks drift. A reading dated in year 9999 would otherwise
/// stand as the meter's newest for ever and silence its missing-data alerts.
public struct ReadingWindow: Sendable, Hashable {
    /// The earliest time accepted (back-filled history may go back this far).
    public var earliest: UnixSeconds
    /// How far past the server clock a reading may be stamped.
    public var maxAheadSeconds: Int64

    /// 2000-01-01T00:00Z, and a day ahead.
    public static let standard = ReadingWindow(earliest: 946_684_800, maxAheadSeconds: 86_400)

    public init(earliest: UnixSeconds, maxAheadSeconds: Int64) {
        (self.earliest, self.maxAheadSeconds) = (earliest, maxAheadSeconds)
    }

    /// Why `time` is refused at `now`, or nil when it is in the window.
    public func problem(_ time: UnixSeconds, now: UnixSeconds) -> String? {
        if time < earliest { return "is before \(Timestamp.iso(earliest)), the earliest reading this city accepts" }
        let (latest, overflow) = now.addingReportingOverflow(maxAheadSeconds)
        if !overflow, time > latest {
            return "is more than \(maxAheadSeconds / 3600) h ahead of the server's clock (\(Timestamp.iso(now)))"
        }
        return nil
    }
}
