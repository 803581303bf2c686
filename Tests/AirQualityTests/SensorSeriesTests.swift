import CarbonKit
import Testing
@testable import AirQuality

/// A sensor's hours taken as columns give what the same hours give as rows: the same checks,
/// the same corrected values, the same hourly and daily index, under the version in force each day.
@Suite("A sensor's series processed as columns")
struct SensorSeriesTests {
    /// 2026-02-20 00:00 in Beijing: twenty days of the series fall before HJ 633-2026 takes effect on 1 March.
    static let start: Int64 = 1_771_516_800
    static let days = 20
    static let sensor = AirSensor(code: "pa-1", name: "School gate", owner: "Clean Air NGO", model: "PurpleAir PA-II", grade: .lowCost,
                                  latitude: 30.27, longitude: 120.15, correction: "epa-purpleair-2021")

    static func standards(from start: Int64, days: Int) -> [AQIStandard] {
        let first = Day(ordinal: Int((start + 8 * 3600) / 86_400) + Day(year: 1970, month: 1, day: 1)!.ordinal)
        return (0..<days).map { AQIStandards.shipped.inForce(region: "CN", on: first.adding(days: $0).description)! }
    }

    /// A made-up series with every fault the checks look for: missing hours, a missing channel,
    /// channels that disagree, a stuck run, a spike, humidity missing or out of range.
    static func faultySeries() -> SensorSeries {
        var random = SeededRandom(seed: 42)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let hours = days * 24
        var a = [Double?](repeating: nil, count: hours), b = a, rh = a
        for hour in 0..<hours {
            rh[hour] = uniform() < 0.03 ? nil : uniform() < 0.01 ? 140 : 30 + 60 * uniform()
            if uniform() < 0.05 { continue }
            let value = (hour / 24) % 2 == 0 ? 20 + 60 * uniform() : 40 + 100 * uniform()
            a[hour] = uniform() < 0.02 ? nil : value
            b[hour] = uniform() < 0.02 ? nil : uniform() < 0.03 ? value * 5 + 30 : value * (0.95 + 0.1 * uniform())
        }
        for hour in 100..<110 { (a[hour], b[hour]) = (33, 33) }
        a[200] = 700
        b[200] = 700
        return SensorSeries(start: start, channelA: a, channelB: b, humidity: rh)
    }

    /// The same hours as the rows a sheet would hold.
    static func rows(_ series: SensorSeries) -> [AirHourSheet.Row] {
        var rows: [AirHourSheet.Row] = []
        for hour in 0..<series.channelA.count {
            let time = series.start + Int64(hour) * 3600
            if series.channelA[hour] != nil || series.channelB?[hour] != nil {
                rows.append(AirHourSheet.Row(sensor: "pa-1", hour: time, parameter: .pm25, value: series.channelA[hour], valueB: series.channelB?[hour]))
            }
            if let rh = series.humidity[hour] { rows.append(AirHourSheet.Row(sensor: "pa-1", hour: time, parameter: .rh, value: rh)) }
        }
        return rows
    }

    @Test func checksAndCorrectionMatchTheRowPathHourByHour() {
        let series = Self.faultySeries()
        let correction = SensorCorrections.shipped.correction("epa-purpleair-2021")!
        let outcome = series.process(standards: Self.standards(from: Self.start, days: Self.days), correction: correction)
        let stored = AirHourProcessing.process(Self.rows(series), sensors: ["pa-1": Self.sensor]).filter { $0.parameter == .pm25 }
        var flags: [SensorQC.Flag: Int] = [:]
        for hour in stored {
            #expect(outcome.values[Int((hour.hour - Self.start) / 3600)] == hour.value, "hour \(hour.hour)")
            for flag in hour.flags { flags[flag, default: 0] += 1 }
        }
        #expect(outcome.flags == flags)
        #expect(outcome.corrected == stored.count { $0.correction != nil })
        // Every kind of fault occurred, so each rule was compared.
        for flag in [SensorQC.Flag.missing, .stuck, .jump, .channelsDisagree, .noHumidity] { #expect((flags[flag] ?? 0) > 0, "\(flag)") }
    }

    @Test func hourlyAndDailyIndicesMatchTheAreaIndexOfThatOneSensorAcrossTheVersionSwitch() {
        let series = Self.faultySeries()
        let standards = Self.standards(from: Self.start, days: Self.days)
        #expect(standards.first?.id == "hj633-2012" && standards.last?.id == "hj633-2026")
        let outcome = series.process(standards: standards, correction: SensorCorrections.shipped.correction("epa-purpleair-2021")!)
        let stored = AirHourProcessing.process(Self.rows(series), sensors: ["pa-1": Self.sensor])
        for day in 0..<Self.days {
            let dayStart = Self.start + Int64(day) * 86_400
            let area = DailyAirQuality.compute(day: "d", start: dayStart, hours: stored, sensors: ["pa-1": Self.sensor], standard: standards[day])
            #expect(outcome.daily[day] == area.index?.value, "day \(day)")
            for hour in stride(from: day * 24, to: day * 24 + 24, by: 5) {
                let realtime = DailyAirQuality.realtime(hour: Self.start + Int64(hour) * 3600, hours: stored, sensors: ["pa-1": Self.sensor],
                                                        standard: standards[day])
                #expect(outcome.hourly[hour] == realtime.index?.value, "hour \(hour)")
            }
        }
    }

    @Test func aDayOfFiftyMicrogramsIsIndexedSixtyNineBeforeMarchAndEightyFrom() {
        // 2026-02-28 and 2026-03-01, uncorrected: HJ 633-2012 gives 69, HJ 633-2026 gives 80.
        let start: Int64 = 1_772_208_000
        // 49 and 51 in turn: a day's mean of 50, and no run of one value for the stuck check.
        let series = SensorSeries(start: start, channelA: (0..<48).map { $0 % 2 == 0 ? 49 : 51 }, channelB: nil,
                                  humidity: [Double?](repeating: 50, count: 48))
        let outcome = series.process(standards: Self.standards(from: start, days: 2), correction: nil)
        #expect(outcome.daily == [69, 80])
        #expect(outcome.corrected == 0 && outcome.flags.isEmpty)
    }

    @Test func aDayNeedsEighteenHoursAndTheRealTimeWindowEighteenOfItsTwentyFour() {
        let start: Int64 = 1_772_294_400
        func day(withHours count: Int) -> SensorSeries {
            let a = (0..<24).map { $0 < count ? 40.0 + Double($0 % 3) : nil }
            return SensorSeries(start: start, channelA: a, channelB: nil, humidity: [Double?](repeating: 50, count: 24))
        }
        let standards = Self.standards(from: start, days: 1)
        #expect(day(withHours: 17).process(standards: standards, correction: nil).daily == [nil])
        #expect(day(withHours: 18).process(standards: standards, correction: nil).daily.first! != nil)
        let hourly = day(withHours: 24).process(standards: standards, correction: nil).hourly
        #expect(hourly[16] == nil && hourly[17] != nil)
    }
}
