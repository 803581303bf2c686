import CarbonKit
import Foundation
import Testing
@testable import AirQuality

/// OpenAQ-style aggregates with coverage, in the city's local time.
@Suite("Aggregates of hourly values")
struct AirAggregatesTests {
    /// 2026-03-01 00:00 in Beijing (UTC+8) is 2026-02-28 16:00 UTC.
    static let start: Int64 = 1_772_294_400
    static let beijing = 8 * 3600

    @Test func aDayOfEighteenHoursHasSeventyFivePercentCoverage() {
        let values = (0..<18).map { (hour: Self.start + Int64($0) * 3600, value: Optional(Double($0))) }
        let days = AirAggregates.aggregate(values, by: .day, from: Self.start, to: Self.start + 2 * 86_400, utcOffset: Self.beijing)
        #expect(days.map(\.period) == ["2026-03-01", "2026-03-02"])
        #expect(days[0].observed == 18 && days[0].expected == 24 && days[0].coverage == 75 && days[0].isComplete(75))
        #expect(days[0].mean == 8.5 && days[0].minimum == 0 && days[0].maximum == 17)
        #expect(days[1].observed == 0 && days[1].mean == nil && !days[1].isComplete(75))
    }

    @Test func hoursOfDayAndDaysOfWeekCountEveryDayOfTheRange() {
        // A week of hours, every value its local hour of day.
        let values = (0..<168).map { (hour: Self.start + Int64($0) * 3600, value: Optional(Double($0 % 24))) }
        let hours = AirAggregates.aggregate(values, by: .hourOfDay, from: Self.start, to: Self.start + 7 * 86_400, utcOffset: Self.beijing)
        #expect(hours.count == 24 && hours[0].period == "0" && hours[23].period == "23")
        #expect(hours.allSatisfy { $0.expected == 7 && $0.observed == 7 } && hours[13].mean == 13)
        let weekdays = AirAggregates.aggregate(values, by: .dayOfWeek, from: Self.start, to: Self.start + 7 * 86_400, utcOffset: Self.beijing)
        // 1 March 2026 is a Sunday (ISO 7).
        #expect(weekdays.map(\.period) == ["1", "2", "3", "4", "5", "6", "7"] && weekdays.allSatisfy { $0.expected == 24 })
    }

    @Test func monthsAndYearsExpectTheirOwnHours() {
        let months = AirAggregates.aggregate([], by: .month, from: Self.start - 28 * 86_400, to: Self.start + 31 * 86_400, utcOffset: Self.beijing)
        #expect(months.map(\.period) == ["2026-02", "2026-03"] && months.map(\.expected) == [672, 744])
        let years = AirAggregates.aggregate([], by: .year, from: Self.start - 59 * 86_400, to: Self.start + 306 * 86_400, utcOffset: Self.beijing)
        #expect(years.map(\.expected) == [8_760])
    }

    @Test func aRepeatedHourCountsOnceAndValuesOutsideTheRangeOrNotNumbersAreIgnored() {
        let values: [(hour: Int64, value: Double?)] = [(Self.start, 10), (Self.start, 99), (Self.start + 3600, .nan), (Self.start - 3600, 50)]
        let day = AirAggregates.aggregate(values, by: .day, from: Self.start, to: Self.start + 86_400, utcOffset: Self.beijing)
        #expect(day.count == 1 && day[0].observed == 1 && day[0].mean == 10)
    }

    @Test func anEmptyOrAbsurdRangeGivesNothing() {
        #expect(AirAggregates.aggregate([], by: .day, from: 10, to: 10).isEmpty)
        #expect(AirAggregates.aggregate([], by: .day, from: 0, to: .max).isEmpty)
        #expect(AirAggregates.aggregate([(.min, 1)], by: .day, from: .min, to: .max).isEmpty)
    }
}

@Suite("The city's local day")
struct LocalDayTests {
    @Test func anInstantFallsInItsLocalDayAndADayStartsAtLocalMidnight() {
        // 2026-03-01T00:00:00+08:00 is 2026-02-28T16:00:00Z.
        let midnight: Int64 = 1_772_294_400
        #expect(LocalDay.start(Day(year: 2026, month: 3, day: 1)!, utcOffset: 28_800) == midnight)
        #expect(LocalDay.of(midnight, utcOffset: 28_800).description == "2026-03-01")
        #expect(LocalDay.of(midnight - 1, utcOffset: 28_800).description == "2026-02-28")
        // Before 1970 the day still rounds down.
        #expect(LocalDay.of(-1, utcOffset: 0).description == "1969-12-31")
    }
}
