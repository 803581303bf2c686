import CarbonKit

/// When each level owes what (`Resources/evidence-calendar.json`): an enterprise deposits each
/// month's evidence within 20 days of the month's end, the district checks it by day 25 and the
/// city closes it by day 40; the annual report is due on 1 February, the district's check ten
/// days later and the city's on 1 March. A city changes the file, not the code.
public struct EvidenceCalendar: Sendable, Decodable {
    public enum Level: String, Sendable, CaseIterable {
        case enterprise, district, city
    }

    struct Annual: Sendable, Decodable {
        var enterprise: String
        var district_days_after_enterprise: Int
        var city: String
        var province: String
    }

    public var source: String
    var monthly_days_after_month_end: [String: Int]
    var annual: Annual

    public static let standard: EvidenceCalendar = ReferenceData.load("evidence-calendar")

    /// The last day `level` may act on the evidence of `month` (1–12) of `year`.
    public func monthlyDeadline(year: Int, month: Int, level: Level) -> Day? {
        guard (1...12).contains(month), (1...9998).contains(year), let days = monthly_days_after_month_end[level.rawValue],
              let next = month == 12 ? Day(year: year + 1, month: 1, day: 1) : Day(year: year, month: month + 1, day: 1) else { return nil }
        return next.adding(days: days - 1)
    }

    /// The last day `level` may act on the annual report of `year` (due in the year after).
    public func annualDeadline(year: Int, level: Level) -> Day? {
        func day(_ monthDay: String) -> Day? { Day("\(year + 1)-\(monthDay)") }
        switch level {
        case .enterprise: return day(annual.enterprise)
        case .district: return day(annual.enterprise)?.adding(days: annual.district_days_after_enterprise)
        case .city: return day(annual.city)
        }
    }

    /// What is late on `today` at `level`: every (enterprise, month) whose deadline has passed
    /// and that `done` does not hold, oldest first.
    public func overdueMonths(enterprises: [String], from first: (year: Int, month: Int), today: Day, level: Level,
                              done: Set<MonthKey>) -> [MonthKey] {
        var late: [MonthKey] = []
        var (year, month) = first
        while let deadline = monthlyDeadline(year: year, month: month, level: level), deadline < today {
            for enterprise in enterprises where !done.contains(MonthKey(enterprise: enterprise, year: year, month: month)) {
                late.append(MonthKey(enterprise: enterprise, year: year, month: month))
            }
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return late
    }

    /// What `level` has left undone past its deadline, oldest first: the enterprise owes every
    /// month it has not deposited; the district every month deposited that it has not checked;
    /// the city every month checked that it has not closed. A level is never late for a month
    /// the level below has not handed on: that lateness is the lower level's.
    public func overdue(level: Level, enterprises: [String], from first: (year: Int, month: Int), today: Day,
                        deposited: Set<MonthKey>, checked: Set<MonthKey>, closed: Set<MonthKey>) -> [MonthKey] {
        switch level {
        case .enterprise:
            return overdueMonths(enterprises: enterprises, from: first, today: today, level: .enterprise, done: deposited)
        case .district:
            return overdueMonths(enterprises: enterprises, from: first, today: today, level: .district, done: checked).filter(deposited.contains)
        case .city:
            return overdueMonths(enterprises: enterprises, from: first, today: today, level: .city, done: closed).filter(checked.contains)
        }
    }

    /// The annual reports `level` is late with on `today`, for the years from `first` whose
    /// deadline at that level has passed, as keys with month 0: the enterprise's unsubmitted
    /// reports, the district's submitted but unchecked ones, the city's checked but unclosed ones.
    public func overdueReports(level: Level, enterprises: [String], from first: Int, today: Day, submitted: Set<MonthKey>,
                               checked: Set<MonthKey>, closed: Set<MonthKey>) -> [MonthKey] {
        var late: [MonthKey] = []
        var year = first
        while let deadline = annualDeadline(year: year, level: level), deadline < today, year < 9998 {
            for enterprise in enterprises {
                let key = MonthKey(enterprise: enterprise, year: year, month: 0)
                let isLate = switch level {
                case .enterprise: !submitted.contains(key)
                case .district: submitted.contains(key) && !checked.contains(key)
                case .city: checked.contains(key) && !closed.contains(key)
                }
                if isLate { late.append(key) }
            }
            year += 1
        }
        return late
    }

    public struct MonthKey: Sendable, Hashable {
        public var enterprise: String
        public var year: Int
        public var month: Int
        public init(enterprise: String, year: Int, month: Int) { (self.enterprise, self.year, self.month) = (enterprise, year, month) }
    }
}
