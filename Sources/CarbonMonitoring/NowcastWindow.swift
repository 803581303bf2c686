import CarbonKit
import Foundation

/// Which hours the nowcast compares: today so far in whole local hours (the hour under way is
/// not yet complete) against the same hours of the same weekday in each of the four weeks
/// before, and the month to date against the same span of the month before. The typical
/// value is the mean of the weeks that have data.
public struct NowcastWindow: Sendable, Hashable {
    /// Hours `from` through `to`, both included; empty when `to` is before `from` (in the
    /// first hour of a day or a month nothing is complete yet).
    public struct Span: Sendable, Hashable {
        public let from: Int64, to: Int64
        public init(_ from: Int64, _ to: Int64) { (self.from, self.to) = (from, to) }
    }

    public static let weeksCompared = 4
    static let hoursPerWeek: Int64 = 7 * 24

    /// Today, local.
    public let day: Day
    /// Hour numbers (Unix seconds / 3600) of today's first hour and of the last complete one.
    public let firstHour: Int64, currentHour: Int64
    public let monthFirstHour: Int64
    public let previousMonthFirstHour: Int64

    public init(now: UnixSeconds, calendar: MonitoringCalendar) {
        day = calendar.day(endingAt: now + 1)
        firstHour = calendar.start(ofDay: day) / 3600
        currentHour = now / 3600 - 1
        monthFirstHour = calendar.start(ofDay: Day(year: day.year, month: day.month, day: 1)!) / 3600
        let previous = day.month == 1 ? Day(year: day.year - 1, month: 12, day: 1)! : Day(year: day.year, month: day.month - 1, day: 1)!
        previousMonthFirstHour = calendar.start(ofDay: previous) / 3600
    }

    /// Complete hours of today so far.
    public var hoursElapsed: Int { Int(currentHour - firstHour) + 1 }

    /// Today's span shifted back by each week compared: the same weekday, up to the same hour.
    public var typicalSpans: [Span] {
        (1...Self.weeksCompared).map { k in
            let shift = Int64(k) * Self.hoursPerWeek
            return Span(firstHour - shift, currentHour - shift)
        }
    }

    /// The whole of each compared day, for the typical day's hourly profile.
    public var typicalDays: [Span] {
        (1...Self.weeksCompared).map { k in
            let start = firstHour - Int64(k) * Self.hoursPerWeek
            return Span(start, start + 23)
        }
    }

    /// The month so far, and the same span of the month before (never past its end).
    public var today: Span { Span(firstHour, currentHour) }
    public var monthToDate: Span { Span(monthFirstHour, currentHour) }
    public var previousMonthSamePeriod: Span {
        Span(previousMonthFirstHour, min(previousMonthFirstHour + (currentHour - monthFirstHour), monthFirstHour - 1))
    }

    /// The typical value of the compared weeks that have data; nil when none has.
    public static func typical(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
