import CarbonKit
import Foundation

/// The registry's working time: the hours it is open on its working days. Delays and
/// trusted-list activations are counted in it, so an approval on a Saturday waits for Monday's
/// opening before its clock starts (Commission Delegated Regulation (EU) 2019/1122, Art. 39–40).
public struct RegistryCalendar: Sendable {
    public var timeZone: TimeZone
    public var opensHour: Int
    public var closesHour: Int
    public var weekdays: Set<Int>
    public var holidays: Set<Day>

    public init(timeZone: TimeZone, opensHour: Int, closesHour: Int, weekdays: Set<Int>, holidays: Set<Day> = []) {
        precondition(opensHour >= 0 && closesHour <= 24 && opensHour < closesHour && !weekdays.isEmpty)
        (self.timeZone, self.opensHour, self.closesHour, self.weekdays, self.holidays) = (timeZone, opensHour, closesHour, weekdays, holidays)
    }

    /// Days since 1970-01-01 and seconds into that day, on the registry's clock. Plain
    /// arithmetic on the zone's offset: this runs for every delayed transfer.
    private func local(_ date: Date) -> (day: Int, second: Double) {
        let seconds = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        let day = Int((seconds / 86_400).rounded(.down))
        return (day, seconds - Double(day) * 86_400)
    }

    /// The instant that is `second` seconds into local `day`.
    private func instant(day: Int, second: Double) -> Date {
        let local = Double(day) * 86_400 + second
        // The offset at the instant, found from the offset at the local time read as UTC;
        // a second look settles the hours around a daylight-saving change.
        var offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local))
        offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(offset)))
        return Date(timeIntervalSince1970: local - Double(offset))
    }

    private func isWorking(day: Int) -> Bool {
        // 1970-01-01 was a Thursday: weekday 5 in Foundation's numbering (1 = Sunday).
        let weekday = ((day % 7) + 7 + 4) % 7 + 1
        return weekdays.contains(weekday) && (holidays.isEmpty || !holidays.contains(Day(ordinal: day)))
    }

    public func isWorkingDay(_ date: Date) -> Bool { isWorking(day: local(date).day) }

    /// `date` if the registry is open then, otherwise its next opening.
    public func nextOpen(from date: Date) -> Date {
        var (day, second) = local(date)
        let opens = Double(opensHour * 3600), closes = Double(closesHour * 3600)
        for attempt in 0..<400 {
            if isWorking(day: day) {
                if attempt > 0 || second < opens { return instant(day: day, second: opens) }
                if second < closes { return date }
            }
            day += 1
            second = 0
        }
        return date
    }

    /// When something started at `date` has run `days` working days: the clock starts at the
    /// next opening and ends at the same time of day `days` working days later.
    public func adding(workingDays days: Int, to date: Date) -> Date {
        var (day, second) = local(nextOpen(from: date))
        var left = days
        while left > 0 {
            day += 1
            if isWorking(day: day) { left -= 1 }
        }
        return instant(day: day, second: second)
    }

    /// When a delay of `hours` that starts at `date` ends: it starts at the next opening, and a
    /// delay that ends while the registry is closed ends at its next opening.
    public func delayed(hours: Int, from date: Date) -> Date {
        nextOpen(from: nextOpen(from: date).addingTimeInterval(Double(hours) * 3600))
    }
}
