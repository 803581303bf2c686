import CarbonKit
import Testing
@testable import CarbonMarkets

/// The monthly evidence and annual report deadlines, and who is late.
@Suite("Evidence calendar")
struct EvidenceCalendarTests {
    let calendar = EvidenceCalendar.standard

    @Test("January's evidence: the enterprise by 20 February, the district by 25 February, the city by 12 March (day 40)")
    func monthly() {
        #expect(calendar.monthlyDeadline(year: 2026, month: 1, level: .enterprise) == Day("2026-02-20"))
        #expect(calendar.monthlyDeadline(year: 2026, month: 1, level: .district) == Day("2026-02-25"))
        #expect(calendar.monthlyDeadline(year: 2026, month: 1, level: .city) == Day("2026-03-12"))
        #expect(calendar.monthlyDeadline(year: 2026, month: 12, level: .enterprise) == Day("2027-01-20"), "December's runs into the next year")
        #expect(calendar.monthlyDeadline(year: 2024, month: 1, level: .city) == Day("2024-03-11"), "a leap February")
        #expect(calendar.monthlyDeadline(year: 2026, month: 13, level: .city) == nil && calendar.monthlyDeadline(year: 9999, month: 12, level: .city) == nil)
    }

    @Test("The 2025 annual report: the enterprise by 1 February 2026, the district by 11 February, the city by 1 March")
    func annual() {
        #expect(calendar.annualDeadline(year: 2025, level: .enterprise) == Day("2026-02-01"))
        #expect(calendar.annualDeadline(year: 2025, level: .district) == Day("2026-02-11"))
        #expect(calendar.annualDeadline(year: 2025, level: .city) == Day("2026-03-01"))
    }

    @Test("On 21 March, enterprises owe January and February; one that deposited January owes February only")
    func overdue() {
        let done: Set = [EvidenceCalendar.MonthKey(enterprise: "B", year: 2026, month: 1)]
        let late = calendar.overdueMonths(enterprises: ["A", "B"], from: (2026, 1), today: Day("2026-03-21")!, level: .enterprise, done: done)
        #expect(late.map { "\($0.enterprise)-\($0.month)" } == ["A-1", "A-2", "B-2"])
        #expect(calendar.overdueMonths(enterprises: ["A"], from: (2026, 1), today: Day("2026-02-20")!, level: .enterprise, done: []).isEmpty,
                "the deadline day itself is not late")
    }
}
