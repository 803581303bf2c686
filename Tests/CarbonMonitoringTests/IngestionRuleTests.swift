import CarbonKit
import Testing
@testable import CarbonMonitoring

@Suite("Readings become consumption")
struct IngestionRuleTests {
    @Test func isoTimestampsWithOffsetsAndEpochAgree() {
        #expect(Timestamp.parse("2026-11-25T00:15:00Z") == 1_795_565_700)
        #expect(Timestamp.parse("2026-11-25T08:15:00+08:00") == 1_795_565_700)
        #expect(Timestamp.parse("2026-11-25T08:15:00.000+08:00") == 1_795_565_700)
        #expect(Timestamp.iso(1_795_565_700) == "2026-11-25T00:15:00Z")
    }

    /// A reading is kept by its second: `…00.750` cut to `…00` would replace the reading of `…00`.
    @Test func aTimeWithAPartOfASecondIsRefusedNotCutOff() throws {
        #expect(Timestamp.parse("2026-11-25T08:15:00.750+08:00") == nil)
        #expect(Timestamp.parse("2026-11-25T08:15:00.5Z") == nil)
        #expect(Timestamp.epoch(1_795_565_700.5) == nil && Timestamp.epoch(1_795_565_700) == 1_795_565_700)
        let csv = try #require("datastream,time,value\nm,2026-11-25T08:15:00Z,1\nm,2026-11-25T08:15:00.5Z,2\nm,1795565700.25,3\n".data(using: .utf8))
        let error = #expect(throws: InputErrors.self) { try ReadingPayload.decode([UInt8](csv), format: .csv, source: "r.csv", now: 1_795_600_000) }
        #expect(error?.issues.compactMap(\.location.row) == [3, 4])
        let senml = Array(#"[{"bn":"m","bt":1795565700.5,"v":1}]"#.utf8)
        #expect(throws: InputErrors.self) { try ReadingPayload.decode(senml, format: .senml, source: "s.json", now: 1_795_600_000) }
        let json = Array(#"{"readings":[{"datastream":"m","time":"2026-11-25T08:15:00.5Z","value":1}]}"#.utf8)
        #expect(throws: InputErrors.self) { try ReadingPayload.decode(json, format: .json, source: "j.json", now: 1_795_600_000) }
        #expect(throws: InputErrors.self) { try SensorThings.observation(Array(#"{"phenomenonTime":"2026-11-25T08:15:00.5Z","result":1,"Datastream":{"@iot.id":1}}"#.utf8)) }
    }

    @Test func timestampsWithoutAZoneOrImpossibleDatesAreRefused() {
        #expect(Timestamp.parse("2026-11-25T08:15:00") == nil)
        #expect(Timestamp.parse("2026-02-30T08:15:00Z") == nil)
        #expect(Timestamp.parse("2026-11-25T24:00:00Z") == nil)
        #expect(Timestamp.parse("25/11/2026 08:15") == nil)
    }

    @Test func aReadingBelongsToTheHourItsIntervalEndsIn() {
        let calendar = MonitoringCalendar(utcOffsetMinutes: 480)
        let oneAM = Timestamp.parse("2026-11-25T01:00:00+08:00")!
        #expect(calendar.start(ofHour: calendar.hour(endingAt: oneAM)) == Timestamp.parse("2026-11-25T00:00:00+08:00")!)
        // Local midnight ends the previous local day.
        let midnight = Timestamp.parse("2026-11-25T00:00:00+08:00")!
        #expect(calendar.day(endingAt: midnight) == Day("2026-11-24"))
        #expect(calendar.day(endingAt: midnight + 900) == Day("2026-11-25"))
        // 2026-11-25 is a Wednesday: weekday 2 when Monday is 0.
        #expect(calendar.slot(ofHour: calendar.hour(endingAt: midnight + 3600)).weekday == 2)
        #expect(calendar.slot(ofHour: calendar.hour(endingAt: midnight + 3600)).hourOfDay == 0)
    }

    @Test func peopleSeeTheCitysLocalClock() {
        let calendar = MonitoringCalendar(utcOffsetMinutes: 480)
        #expect(calendar.local(Timestamp.parse("2026-11-25T23:45:00Z")!) == "2026-11-26 07:45")
    }

    @Test func aRegisterThatMovesForwardGivesItsDifferenceTimesTheMultiplier() {
        #expect(RegisterConversion.between(previous: 1200.5, current: 1210.5, multiplier: 40, rolloverAt: nil, maxConsumption: nil)
            == .consumption(400))
    }

    @Test func aFiveDigitRegisterWrappingPast99999CountsTheWrap() {
        #expect(RegisterConversion.between(previous: 99_990, current: 15, multiplier: 1, rolloverAt: 100_000, maxConsumption: nil)
            == .rollover(25))
    }

    @Test func aRegisterGoingBackWithoutAPlausibleWrapIsAReset() {
        #expect(RegisterConversion.between(previous: 500, current: 10, multiplier: 1, rolloverAt: 100_000, maxConsumption: nil) == .reset)
        #expect(RegisterConversion.between(previous: 500, current: 10, multiplier: 1, rolloverAt: nil, maxConsumption: nil) == .reset)
        // A wrap needing more than the connection can deliver is a reset too.
        #expect(RegisterConversion.between(previous: 99_000, current: 500, multiplier: 1, rolloverAt: 100_000, maxConsumption: 1000)
            == .reset)
    }

    @Test func theFirstReadOfARegisterOnlySetsTheStartingPoint() {
        let rule = ConsumptionRule(kind: .cumulative)
        #expect(rule.outcome(value: 1234, time: 900, previous: nil, intervalSeconds: 900).consumption == nil)
        #expect(rule.outcome(value: 1240, time: 1800, previous: (900, 1234), intervalSeconds: 900).consumption == 6)
    }

    @Test func aNegativeIntervalValueOnAConsumptionMeterIsFlaggedAndNotCounted() {
        let outcome = ConsumptionRule(kind: .interval).outcome(value: -3, time: 900, previous: nil, intervalSeconds: 900)
        #expect(outcome.consumption == nil)
        #expect(outcome.anomaly == .negative)
        // A generation meter's values are not judged that way.
        let pv = ConsumptionRule(kind: .interval, forbidsNegative: false).outcome(value: -0.1, time: 900, previous: nil, intervalSeconds: 900)
        #expect(pv.consumption == -0.1)
    }

    @Test func moreThanTheConnectionCanDeliverIsImpossible() {
        // 100 kW connection: at most 25 kWh in 15 minutes.
        let rule = ConsumptionRule(kind: .interval, maxPerHour: 100)
        #expect(rule.outcome(value: 25, time: 900, previous: nil, intervalSeconds: 900).anomaly == nil)
        #expect(rule.outcome(value: 26, time: 900, previous: nil, intervalSeconds: 900).anomaly == .impossible)
        let register = ConsumptionRule(kind: .cumulative, maxPerHour: 100)
        #expect(register.outcome(value: 1300, time: 3600, previous: (0, 1000), intervalSeconds: 900).anomaly == .impossible)
    }

    @Test func gapsCountTheReadingsThatShouldHaveArrived() {
        let day: UnixSeconds = 1_764_000_000
        var times = (1...96).map { day + UnixSeconds($0 * 900) }
        times.removeSubrange(40..<44)  // four readings lost
        times.removeLast(2)            // and the last half hour not yet in
        let gaps = GapDetector.gaps(times: times, interval: 900, windowStart: day, windowEnd: day + 86_400)
        #expect(gaps.map(\.missing) == [4, 2])
        #expect(gaps[0].from == day + 40 * 900)
        #expect(gaps[0].to == day + 45 * 900)
    }

    @Test func aReadingALittleLateIsNotAGap() {
        let gaps = GapDetector.gaps(times: [900, 1830, 2700 + 200], interval: 900, windowStart: 0, windowEnd: 3100)
        #expect(gaps.isEmpty)
    }
}

@Suite("Emission factors by the hour")
struct FactorTimelineTests {
    @Test func anHourlySeriesWinsOverTheAnnualFactorWhereItHasAValue() {
        let start: Int64 = 490_000
        let timeline = FactorTimeline(annual: [2022: 0.5366], series: [.init(name: "east-hourly", startHour: start, stepHours: 1, kgPerUnit: [0.61, 0.48])])
        #expect(timeline.factor(hour: start + 1, year: 2025)?.kgPerUnit == 0.48)
        #expect(timeline.factor(hour: start + 1, year: 2025)?.basis == .series("east-hourly"))
        #expect(timeline.factor(hour: start + 2, year: 2022)?.kgPerUnit == 0.5366)
    }

    @Test func anUnpublishedYearUsesTheLatestEarlierFactorAndSaysSo() {
        // MEE's national factors: 0.5568 for 2021, 0.5366 for 2022.
        let timeline = FactorTimeline(annual: [2021: 0.5568, 2022: 0.5366])
        #expect(timeline.factor(hour: 0, year: 2026)?.kgPerUnit == 0.5366)
        #expect(timeline.factor(hour: 0, year: 2026)?.basis == .proxy(year: 2022))
        #expect(timeline.factor(hour: 0, year: 2020) == nil)
    }

    @Test func aDailySeriesHoldsForAllTwentyFourHours() {
        let timeline = FactorTimeline(annual: [:], series: [.init(name: "daily", startHour: 24, stepHours: 24, kgPerUnit: [0.7, 0.5])])
        #expect(timeline.kgPerUnit(hour: 47, year: 1970) == 0.7)
        #expect(timeline.kgPerUnit(hour: 48, year: 1970) == 0.5)
        #expect(timeline.kgPerUnit(hour: 72, year: 1970) == nil)
    }
}

@Suite("Datastream registration rules")
struct DatastreamRuleTests {
    func stream(quantity: String = "natural_gas", unit: String = "m3", kind: Datastream.ReadingKind = .cumulative, rolloverAt: Double? = nil) -> Datastream {
        Datastream(key: "g", siteKey: "s", quantity: quantity, unit: unit, kind: kind, intervalSeconds: 900, rolloverAt: rolloverAt)
    }

    @Test func aGasRegisterInCubicMetresWithAFiveDigitWrapIsValid() throws {
        try stream(rolloverAt: 100_000).validate()
    }

    @Test func gasMeteredInKilowattHoursIsRefusedOnItsUnit() {
        #expect(throws: Datastream.Problem.self) { try stream(unit: "kWh").validate() }
        do { try stream(unit: "kWh").validate() } catch { #expect(error.field == "unit" && error.suggestion == "e.g. m3") }
    }

    @Test func consumptionCannotBeInstantaneousNorAStateCumulative() {
        do { try stream(kind: .instantaneous).validate() } catch { #expect(error.field == "kind") }
        do { try stream(quantity: "co2_concentration", unit: "ppm").validate() } catch { #expect(error.reason.contains("state")) }
    }

    @Test func onlyARegisterWraps() {
        do { try stream(kind: .interval, rolloverAt: 100_000).validate(); Issue.record("accepted") } catch { #expect(error.field == "rollover_at") }
    }
}
