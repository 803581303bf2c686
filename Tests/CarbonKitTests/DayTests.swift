import Testing
@testable import CarbonKit

@Suite("Calendar days")
struct DayTests {
    @Test("A day reads and writes as YYYY-MM-DD and refuses days that do not exist")
    func parse() {
        #expect(Day("2026-11-22")?.description == "2026-11-22")
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2023-02-29") == nil)
        #expect(Day("1900-02-29") == nil)
        #expect(Day("2000-02-29") != nil)
        #expect(Day("2026-04-31") == nil)
        #expect(Day("2026-13-01") == nil)
        #expect(Day("26-11-22") == nil)
        #expect(Day("2026/11/22") == nil)
    }

    @Test("Days count from 1970-01-01 and back again")
    func ordinal() {
        #expect(Day("1970-01-01")!.ordinal == 0)
        #expect(Day("2000-03-01")!.ordinal == 11_017)
        #expect(Day("1969-12-31")!.ordinal == -1)
        for ordinal in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(Day(ordinal: ordinal).ordinal == ordinal)
        }
    }

    @Test("Whole days between two days, across a leap year")
    func between() {
        #expect(Day("2024-01-01")!.days(until: Day("2025-01-01")!) == 366)
        #expect(Day("2025-01-01")!.days(until: Day("2026-01-01")!) == 365)
        #expect(Day("2026-11-22")!.adding(days: 10).description == "2026-12-02")
        #expect(Day("2026-11-22")! < Day("2026-12-01")!)
    }
}
