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

    private var gregorian: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    public func isWorkingDay(_ date: Date) -> Bool {
        let parts = gregorian.dateComponents([.year, .month, .day, .weekday], from: date)
        guard let weekday = parts.weekday, weekdays.contains(weekday) else { return false }
        guard let year = parts.year, let month = parts.month, let day = parts.day, let civil = Day(year: year, month: month, day: day) else { return true }
        return !holidays.contains(civil)
    }

    /// `date` if the registry is open then, otherwise its next opening.
    public func nextOpen(from date: Date) -> Date {
        let calendar = gregorian
        var day = calendar.startOfDay(for: date)
        for _ in 0..<400 {
            if isWorkingDay(day) {
                let opens = calendar.date(bySettingHour: opensHour, minute: 0, second: 0, of: day)!
                let closes = closesHour == 24 ? calendar.date(byAdding: .day, value: 1, to: day)!
                    : calendar.date(bySettingHour: closesHour, minute: 0, second: 0, of: day)!
                if date < opens { return opens }
                if date < closes { return date }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return date
    }

    /// When something started at `date` has run `days` working days: the clock starts at the
    /// next opening and ends at the same time of day `days` working days later.
    public func adding(workingDays days: Int, to date: Date) -> Date {
        let calendar = gregorian
        var moment = nextOpen(from: date)
        var left = days
        while left > 0 {
            moment = calendar.date(byAdding: .day, value: 1, to: moment)!
            if isWorkingDay(moment) { left -= 1 }
        }
        return moment
    }

    /// When a delay of `hours` that starts at `date` ends: it starts at the next opening, and a
    /// delay that ends while the registry is closed ends at its next opening.
    public func delayed(hours: Int, from date: Date) -> Date {
        nextOpen(from: nextOpen(from: date).addingTimeInterval(Double(hours) * 3600))
    }
}
