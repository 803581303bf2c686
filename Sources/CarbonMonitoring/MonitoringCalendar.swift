import CarbonKit

/// Where a reading's consumption falls in hours, days and months.
///
/// A reading stamped `t` reports the interval that *ends* at `t` (as interval meters and
/// register reads do), so a 15-minute value stamped 01:00 belongs to the hour 00:00–01:00.
/// Hours are absolute; days and months are the city's local calendar, fixed by its UTC offset
/// (China keeps one offset all year, UTC+8).
public struct MonitoringCalendar: Sendable, Hashable {
    public let utcOffsetSeconds: Int

    public init(utcOffsetMinutes: Int) { utcOffsetSeconds = utcOffsetMinutes * 60 }

    /// Hour index since 1970-01-01T00:00Z of the interval ending at `t`.
    @inline(__always)
    public func hour(endingAt t: UnixSeconds) -> Int64 { floorDiv(t - 1, 3600) }

    /// Start of an hour index, in unix seconds.
    public func start(ofHour hour: Int64) -> UnixSeconds { hour * 3600 }

    /// Local day ordinal (days since 1970-01-01 in local time) of the interval ending at `t`.
    @inline(__always)
    public func dayOrdinal(endingAt t: UnixSeconds) -> Int64 { floorDiv(t - 1 + Int64(utcOffsetSeconds), 86_400) }

    public func day(endingAt t: UnixSeconds) -> Day { Day(ordinal: Int(dayOrdinal(endingAt: t))) }

    /// The local day that contains an hour index.
    public func dayOrdinal(ofHour hour: Int64) -> Int64 { floorDiv(hour * 3600 + Int64(utcOffsetSeconds), 86_400) }

    /// Local hour of day (0–23) and weekday (0 = Monday … 6 = Sunday) of an hour index.
    public func slot(ofHour hour: Int64) -> (weekday: Int, hourOfDay: Int) {
        let local = hour * 3600 + Int64(utcOffsetSeconds)
        let day = floorDiv(local, 86_400)
        let hourOfDay = Int((local - day * 86_400) / 3600)
        // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
        let weekday = Int(((day + 3) % 7 + 7) % 7)
        return (weekday, hourOfDay)
    }

    /// First unix second of a local day.
    public func start(ofDay day: Day) -> UnixSeconds { Int64(day.ordinal) * 86_400 - Int64(utcOffsetSeconds) }

    /// `2026-11-26 08:15`: a moment as the city's clocks show it, for people (APIs keep UTC).
    public func local(_ t: UnixSeconds) -> String {
        let shifted = t + Int64(utcOffsetSeconds)
        let day = floorDiv(shifted, 86_400)
        let seconds = Int(shifted - day * 86_400)
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(Day(ordinal: Int(day))) \(two(seconds / 3600)):\(two(seconds / 60 % 60))"
    }

    /// Local year of the interval ending at `t`.
    public func year(endingAt t: UnixSeconds) -> Int { day(endingAt: t).year }

    @inline(__always)
    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
}
