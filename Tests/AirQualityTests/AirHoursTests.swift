import CarbonKit
import Testing
@testable import AirQuality

/// A network's hourly sheet through the checks, the correction and a day's index.
@Suite("Hourly values of the sensor network")
struct AirHoursTests {
    /// 2026-03-01 00:00 in Beijing.
    static let midnight: Int64 = 1_772_294_400
    static let sensors: [String: AirSensor] = [
        "pa-1": AirSensor(code: "pa-1", name: "School gate", owner: "Clean Air NGO", model: "PurpleAir PA-II", grade: .lowCost,
                          latitude: 30.27, longitude: 120.15, district: "North", correction: "epa-purpleair-2021"),
        "ref-1": AirSensor(code: "ref-1", name: "City monitoring station", owner: "Ecology and Environment Bureau", model: "BAM-1020",
                           grade: .reference, latitude: 30.28, longitude: 120.16, district: "North"),
    ]

    static func time(_ hour: Int) -> String { String(format: "2026-03-01T%02d:00:00+08:00", hour) }

    @Test func aSheetWithBadCellsIsRefusedNamingEach() {
        let text = """
        sensor,hour,parameter,value
        pa-1,2026-03-01T08:00:00+08:00,pm25,12
        nobody,2026-03-01T09:00:00+08:00,pm25,12
        pa-1,yesterday,pm25,12
        pa-1,2026-03-01T10:00:00+08:00,pm2.5,12
        pa-1,2026-03-01T11:00:00+08:00,pm25,twelve
        pa-1,2026-03-01T00:00:00Z,pm25,13
        """
        #expect {
            try AirHourSheet(name: "hours.csv", text: text, sensors: Set(Self.sensors.keys))
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            let places = issues.map { "\($0.location.row ?? 0) \($0.location.field ?? "")" }
            return places == ["3 sensor", "4 hour", "5 parameter", "6 value", "7 hour"] && issues[4].reason.contains("row 2")
        }
    }

    @Test func channelsThatDisagreeAreFlaggedAndTheRestCorrectedWithTheHoursHumidity() throws {
        var lines = ["sensor,hour,parameter,value,value_b"]
        lines.append("pa-1,\(Self.time(8)),pm25,20,20")
        lines.append("pa-1,\(Self.time(9)),pm25,5,20")
        lines.append("pa-1,\(Self.time(10)),pm25,20,22")
        lines.append("pa-1,\(Self.time(8)),rh,50,")
        lines.append("pa-1,\(Self.time(9)),rh,50,")
        let sheet = try AirHourSheet(name: "hours.csv", text: lines.joined(separator: "\n"), sensors: Set(Self.sensors.keys))
        let hours = AirHourProcessing.process(sheet.rows, sensors: Self.sensors).filter { $0.parameter == .pm25 }
        #expect(hours.count == 3)
        // 20 at 50 % RH → 11.92 µg/m³ by the pinned correction, which the value names.
        #expect(abs((hours[0].value ?? 0) - 11.92) < 0.001 && hours[0].correction == "epa-purpleair-2021" && hours[0].raw == 20)
        #expect(hours[1].value == nil && hours[1].flags == [.channelsDisagree] && hours[1].raw == 12.5)
        // No humidity at 10:00: the raw value is kept, nothing is used.
        #expect(hours[2].value == nil && hours[2].flags == [.noHumidity] && hours[2].raw == 21)
    }

    @Test func aStuckLowCostSensorIsFlaggedButAReferenceMonitorIsCheckedForRangeOnly() throws {
        var lines = ["sensor,hour,parameter,value"]
        for hour in 0..<8 {
            lines.append("pa-1,\(Self.time(hour)),pm10,30")
            lines.append("ref-1,\(Self.time(hour)),pm10,30")
        }
        let sheet = try AirHourSheet(name: "hours.csv", text: lines.joined(separator: "\n"), sensors: Set(Self.sensors.keys))
        let hours = AirHourProcessing.process(sheet.rows, sensors: Self.sensors)
        #expect(hours.filter { $0.sensor == "pa-1" }.allSatisfy { $0.flags == [.stuck] && $0.value == nil })
        #expect(hours.filter { $0.sensor == "ref-1" }.allSatisfy { $0.flags.isEmpty && $0.value == 30 })
    }

    /// The network stores gases in µg/m³; the US tables are in ppm and ppb. O3 at 96 µg/m³ is 0.0489 ppm: Good (44), not Hazardous.
    @Test func aUSIndexConvertsStoredMassConcentrationsIntoItsUnits() throws {
        let hours = (0..<24).map { AirHour(sensor: "ref-1", parameter: .o3, hour: Self.midnight + Int64($0) * 3600, raw: 96, value: 96, flags: [], correction: nil) }
        let standard = try #require(AQIStandards.shipped.standard("us-epa-2024"))
        let day = DailyAirQuality.compute(day: "2026-03-01", start: Self.midnight, hours: hours, sensors: Self.sensors, standard: standard)
        #expect(abs((day.concentrations["o3_8h"] ?? 0) - 0.0489) < 0.0001)
        #expect(day.index?.value == 44 && day.index?.category.en == "Good")
        #expect(abs((GasConversion.shipped.convert(40, parameter: .no2, from: "µg/m³", to: "ppb") ?? 0) - 21.26) < 0.01)
    }

    /// Eight hours of a day make no day: the highest 8-hour mean needs 14 valid means, the highest hour 18 hours.
    @Test func aDayWithOnlyAMorningOfHoursHasNoDailyIndex() throws {
        let hours = (0..<8).map { AirHour(sensor: "ref-1", parameter: .o3, hour: Self.midnight + Int64($0) * 3600, raw: 60, value: 60, flags: [], correction: nil) }
        let standard = try #require(AQIStandards.shipped.standard("hj633-2026"))
        let day = DailyAirQuality.compute(day: "2026-03-01", start: Self.midnight, hours: hours, sensors: Self.sensors, standard: standard)
        #expect(day.index == nil && day.concentrations.isEmpty)
    }

    @Test func channelsNearTheLargestNumberAreOutOfRangeNotMissing() throws {
        let sheet = try AirHourSheet(name: "h.csv", text: "sensor,hour,parameter,value,value_b\npa-1,\(Self.time(8)),pm25,1e308,1e308\n",
                                     sensors: Set(Self.sensors.keys))
        let hours = AirHourProcessing.process(sheet.rows, sensors: Self.sensors)
        #expect(hours.first?.flags == [.outOfRange] && hours.first?.raw == 1e308)
    }

    @Test func anHourNotOnTheHourOrInTheFutureIsRefused() {
        let text = "sensor,hour,parameter,value\npa-1,2026-03-01T08:30:00+08:00,pm25,12\npa-1,2026-03-01T09:00:00+08:00,pm25,12\n"
        #expect {
            try AirHourSheet(name: "h.csv", text: text, sensors: Set(Self.sensors.keys), latest: Self.midnight + 8 * 3600)
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.map { $0.location.row ?? 0 } == [2, 3] && issues[1].reason.contains("future")
        }
    }

    @Test func aDaysIndexUsesReferenceMonitorsWhenAnyHasACompleteDay() throws {
        var hours: [AirHour] = []
        for hour in 0..<24 {
            let at = Self.midnight + Int64(hour) * 3600
            hours.append(AirHour(sensor: "ref-1", parameter: .pm25, hour: at, raw: 70, value: hour < 18 ? 70 : nil, flags: [], correction: nil))
            hours.append(AirHour(sensor: "pa-1", parameter: .pm25, hour: at, raw: 10, value: 10, flags: [], correction: "epa-purpleair-2021"))
            hours.append(AirHour(sensor: "ref-1", parameter: .o3, hour: at, raw: 0, value: hour >= 10 && hour < 18 ? 120 : 60, flags: [], correction: nil))
        }
        let standard = try #require(AQIStandards.shipped.inForce(region: "CN", on: "2026-03-01"))
        let day = DailyAirQuality.compute(day: "2026-03-01", start: Self.midnight, hours: hours, sensors: Self.sensors, standard: standard)
        #expect(day.grade == .reference && day.sensors["pm25_24h"] == ["ref-1"] && day.concentrations["pm25_24h"] == 70)
        #expect(day.concentrations["o3_8h"] == 120 && day.concentrations["o3_1h"] == 120)
        // PM2.5 70 → 110 under HJ 633-2026; O3 8-hour 120 → 67: PM2.5 is primary.
        #expect(day.index?.value == 110 && day.index?.primary == ["pm25"])
        // With 17 of the reference monitor's hours its day is incomplete, and the low-cost sensor speaks.
        let fewer = hours.filter { !($0.sensor == "ref-1" && $0.parameter == .pm25 && $0.hour == Self.midnight) }
            .filter { !($0.sensor == "ref-1" && $0.parameter == .o3) }
        let fallback = DailyAirQuality.compute(day: "2026-03-01", start: Self.midnight, hours: fewer, sensors: Self.sensors, standard: standard)
        #expect(fallback.grade == .lowCost && fallback.concentrations["pm25_24h"] == 10)
    }
}
