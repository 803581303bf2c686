import CarbonKit
import Testing
@testable import CarbonMonitoring

/// Which hours the nowcast compares.
@Suite("Nowcast window")
struct NowcastWindowTests {
    let calendar = MonitoringCalendar(utcOffsetMinutes: 480)

    @Test func todaySoFarIsTheCompleteLocalHoursComparedWithTheSameHoursOfFourEarlierWeekdays() {
        // 2026-12-03 10:30 in UTC+8 is 02:30 UTC: hours 00–09 local are complete.
        let now: UnixSeconds = 1_796_265_000
        let window = NowcastWindow(now: now, calendar: calendar)
        #expect(window.day == Day(year: 2026, month: 12, day: 3))
        #expect(window.hoursElapsed == 10)
        #expect(window.typicalSpans.count == 4)
        #expect(window.typicalSpans[0] == NowcastWindow.Span(window.firstHour - 168, window.currentHour - 168))
        #expect(window.typicalDays[3].to - window.typicalDays[3].from == 23)
        #expect(window.previousMonthSamePeriod.to - window.previousMonthSamePeriod.from == window.monthToDate.to - window.monthToDate.from)
    }

    @Test func inTheFirstHourOfAMonthNothingIsCompleteAndNothingBreaks() {
        // 2026-12-01 00:20 local.
        let now = calendar.start(ofDay: Day(year: 2026, month: 12, day: 1)!) + 1200
        let window = NowcastWindow(now: now, calendar: calendar)
        #expect(window.hoursElapsed == 0)
        #expect(window.today.to < window.today.from && window.monthToDate.to < window.monthToDate.from)
        #expect(window.previousMonthSamePeriod.to < window.previousMonthSamePeriod.from)
    }

    @Test func theTypicalValueIsTheMeanOfTheWeeksWithData() {
        #expect(NowcastWindow.typical([]) == nil)
        #expect(NowcastWindow.typical([10, 20, 30]) == 20)
    }
}
