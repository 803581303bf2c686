import CarbonKit
import Foundation
import Testing
@testable import AirQuality

/// Other networks' payloads read as one sensor's hours.
@Suite("Air feeds: OpenAQ v3, Sensor.Community, PurpleAir")
struct AirFeedTests {
    /// 2024-01-01T00:00:00Z.
    let midnight: Int64 = 1_704_067_200

    func iso(_ t: Int64) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    func openAQ(_ results: [String]) -> [UInt8] { Array(#"{"meta":{"name":"openaq-api"},"results":[\#(results.joined(separator: ","))]}"#.utf8) }

    func openAQHour(_ name: String, _ units: String, _ value: String, from: Int64, seconds: Int64 = 3600, coverage: Double = 100) -> String {
        #"{"value":\#(value),"parameter":{"id":2,"name":"\#(name)","units":"\#(units)"},"period":{"label":"1hour","datetimeFrom":{"utc":"\#(iso(from))"},"datetimeTo":{"utc":"\#(iso(from + seconds))"}},"coverage":{"percentComplete":\#(coverage)}}"#
    }

    @Test func openAQHoursKeepTheirCoverageAndGasesBecomeMassConcentrations() throws {
        let feed = try AirFeed.read(.openaq, openAQ([
            openAQHour("pm25", "µg/m³", "12.5", from: midnight),
            openAQHour("pm25", "µg/m³", "13", from: midnight + 3600, coverage: 50),
            openAQHour("no2", "ppb", "10", from: midnight),
            openAQHour("co", "ppm", "1", from: midnight),
            openAQHour("um003", "particles/cm³", "900", from: midnight),
        ]), sensor: "oaq-1")
        #expect(feed.rows.map(\.parameter) == [.pm25, .no2, .co])
        #expect(feed.rows[0].value == 12.5 && feed.rows[0].hour == midnight && feed.rows[0].sensor == "oaq-1")
        // At 25 °C and 1 atm: 1 ppb NO2 is 1.88 µg/m³, 1 ppm CO is 1.146 mg/m³.
        #expect(abs(feed.rows[1].value! - 18.82) < 0.01)
        #expect(abs(feed.rows[2].value! - 1.1456) < 0.001)
        #expect(feed.incompleteHours == 1 && feed.skipped == ["um003": 1])
    }

    @Test func openAQMeasurementsFinerThanAnHourMakeItsMeanWhenTheyCoverThreeQuarters() throws {
        let tenMinutes = (0..<5).map { openAQHour("pm10", "µg/m³", String(20 + $0), from: midnight + Int64($0) * 600, seconds: 600) }
        let sparse = (0..<4).map { openAQHour("pm10", "µg/m³", "50", from: midnight + 3600 + Int64($0) * 600, seconds: 600) }
        let feed = try AirFeed.read(.openaq, openAQ(tenMinutes + sparse), sensor: "oaq-1")
        #expect(feed.rows.count == 1 && feed.rows[0].value == 22 && feed.rows[0].hour == midnight)
        #expect(feed.incompleteHours == 1)
    }

    @Test func aBadOpenAQValueIsRefusedWithItsPlace() throws {
        let error = #expect(throws: InputErrors.self) {
            try AirFeed.read(.openaq, openAQ([openAQHour("pm25", "µg/m³", "1", from: midnight), openAQHour("pm25", "µg/m³", #""abc""#, from: midnight),
                                             openAQHour("o3", "furlongs", "1", from: midnight), openAQHour("pm25", "µg/m³", "1", from: midnight, seconds: 86_400)]),
                             sensor: "oaq-1")
        }
        #expect(error?.issues.compactMap(\.location.field) == ["results[1].value", "results[2].parameter.units", "results[3].period"])
        #expect(throws: InputErrors.self) { try AirFeed.read(.openaq, Array(#"{"results":"#.utf8), sensor: "x") }
    }

    func sensorCommunity(_ readings: [(Int64, [(String, String)])]) -> [UInt8] {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let items = readings.map { time, values in
            let list = values.map { #"{"value_type":"\#($0.0)","value":"\#($0.1)"}"# }.joined(separator: ",")
            return #"{"id":1,"sampling_rate":null,"timestamp":"\#(f.string(from: Date(timeIntervalSince1970: TimeInterval(time))))","location":{"id":7},"sensor":{"id":9,"sensor_type":{"name":"SDS011"}},"sensordatavalues":[\#(list)]}"#
        }
        return Array("[\(items.joined(separator: ","))]".utf8)
    }

    @Test func sensorCommunityReadingsEvery145SecondsMakeHourlyMeansOfP1AndP2() throws {
        // 24 readings in the first hour (all it expects), 10 in the second.
        let first = (0..<24).map { (midnight + Int64($0) * 145, [("P1", "\(10 + $0 % 2)"), ("P2", "5.5"), ("pressure", "101325")]) }
        let second = (0..<10).map { (midnight + 3600 + Int64($0) * 145, [("P1", "30"), ("P2", "20")]) }
        let feed = try AirFeed.read(.sensorCommunity, sensorCommunity(first + second), sensor: "sc-1")
        #expect(feed.rows.map(\.parameter) == [.pm10, .pm25])
        #expect(feed.rows[0].value == 10.5 && feed.rows[1].value == 5.5 && feed.rows.allSatisfy { $0.hour == midnight })
        #expect(feed.incompleteHours == 2 && feed.skipped == ["pressure": 24])
        // The same readings from a sensor set to send every 300 s: 10 of 12 cover the second hour.
        let slower = try AirFeed.read(.sensorCommunity, sensorCommunity(second), sensor: "sc-1", sampleSeconds: 300)
        #expect(slower.rows.count == 2 && slower.incompleteHours == 0)
    }

    @Test func aSensorCommunityReadingWithoutATimeIsRefusedWithItsPlace() throws {
        let bytes = Array(#"[{"timestamp":"yesterday","sensordatavalues":[{"value_type":"P1","value":"1"}]},{"timestamp":"2024-01-01 00:00:00","sensordatavalues":[{"value_type":"P2","value":"x"}]}]"#.utf8)
        let error = #expect(throws: InputErrors.self) { try AirFeed.read(.sensorCommunity, bytes, sensor: "sc-1") }
        #expect(error?.issues.compactMap(\.location.field) == ["[0].timestamp", "[1].sensordatavalues[0].value"])
    }

    func purpleAir(average: Int, fields: [String], rows: [[String]]) -> [UInt8] {
        let names = fields.map { "\"\($0)\"" }.joined(separator: ",")
        let data = rows.map { "[" + $0.joined(separator: ",") + "]" }.joined(separator: ",")
        return Array(#"{"api_version":"V1.0.11","sensor_index":131075,"average":\#(average),"fields":[\#(names)],"data":[\#(data)]}"#.utf8)
    }

    @Test func purpleAirHourlyHistoryGivesBothCf1ChannelsHumidityAndCelsius() throws {
        let feed = try AirFeed.read(.purpleair, purpleAir(average: 60, fields: ["time_stamp", "humidity", "temperature", "pm2.5_cf_1_a", "pm2.5_cf_1_b", "voc"],
                                                          rows: [["\(midnight)", "50", "77", "20", "21", "3"], ["\(midnight + 3600)", "null", "null", "null", "18", "3"]]),
                                    sensor: "pa-1")
        let pm = feed.rows.filter { $0.parameter == .pm25 }
        #expect(pm.map(\.value) == [20, 18] && pm.map(\.valueB) == [21, nil])
        #expect(feed.rows.first { $0.parameter == .rh }?.value == 50)
        #expect(feed.rows.first { $0.parameter == .t }?.value == 25)
        #expect(feed.skipped == ["voc": 2])
    }

    @Test func purpleAirTwoMinuteHistoryIsAveragedIntoTheHourChannelByChannel() throws {
        let rows = (0..<30).map { ["\(midnight + Int64($0) * 120)", "\(10 + $0 % 2)", "12"] }
        let feed = try AirFeed.read(.purpleair, purpleAir(average: 0, fields: ["time_stamp", "pm2.5_cf_1_a", "pm2.5_cf_1_b"], rows: rows), sensor: "pa-1")
        #expect(feed.rows.count == 1 && feed.rows[0].value == 10.5 && feed.rows[0].valueB == 12)
    }

    @Test func purpleAirWithoutCf1IsRefusedBecauseTheCorrectionWasFittedOnIt() throws {
        let error = #expect(throws: InputErrors.self) {
            try AirFeed.read(.purpleair, purpleAir(average: 60, fields: ["time_stamp", "pm2.5_atm_a", "pm2.5_atm_b"], rows: [["\(midnight)", "1", "2"]]), sensor: "pa-1")
        }
        #expect(error?.issues.first?.reason.contains("pm2.5_cf_1_a") == true)
        #expect(throws: InputErrors.self) {
            try AirFeed.read(.purpleair, purpleAir(average: 60, fields: ["time_stamp", "pm2.5_cf_1_a"], rows: [["\(midnight + 60)", "1"]]), sensor: "pa-1")
        }
        #expect(throws: InputErrors.self) {
            try AirFeed.read(.purpleair, purpleAir(average: 7, fields: ["time_stamp", "pm2.5_cf_1_a"], rows: [["\(midnight)", "1"]]), sensor: "pa-1")
        }
    }

    /// Found by an outside test: `"average":1e308` stopped the server converting it to a whole number.
    @Test func anAverageThatIsNoPurpleAirAveragingIsRefusedNotConverted() {
        for average in ["1e308", "-1e308", "60.5", "-60", "9223372036854775808"] {
            let error = #expect(throws: InputErrors.self, "\(average)") {
                try AirFeed.read(.purpleair, Array(#"{"average":\#(average),"fields":["time_stamp","pm2.5_cf_1_a"],"data":[[\#(midnight),1]]}"#.utf8), sensor: "pa-1")
            }
            #expect(error?.issues.first?.location.field == "average")
        }
    }

    @Test func anHourNotYetEndedOrASampleStillToComeIsRefused() {
        let now = midnight + 1800
        #expect(throws: InputErrors.self) { try AirFeed.read(.openaq, openAQ([openAQHour("pm25", "µg/m³", "1", from: midnight)]), sensor: "x", now: now) }
        #expect(throws: InputErrors.self) {
            try AirFeed.read(.purpleair, purpleAir(average: 60, fields: ["time_stamp", "pm2.5_cf_1_a"], rows: [["\(midnight)", "1"]]), sensor: "x", now: now)
        }
        #expect(throws: InputErrors.self) { try AirFeed.read(.sensorCommunity, sensorCommunity([(midnight + 3600, [("P1", "1")])]), sensor: "x", now: now) }
        #expect(throws: Never.self) { try AirFeed.read(.openaq, openAQ([openAQHour("pm25", "µg/m³", "1", from: midnight)]), sensor: "x", now: midnight + 3600) }
    }

    @Test func aPayloadGivingAnHourTwiceIsRefusedNamingBoth() {
        let error = #expect(throws: InputErrors.self) {
            try AirFeed.read(.openaq, openAQ([openAQHour("pm25", "µg/m³", "12", from: midnight), openAQHour("pm25", "µg/m³", "13", from: midnight)]), sensor: "x")
        }
        #expect(error?.issues.first?.location.field == "results[1].period" && error?.issues.first?.reason.contains("results[0].period") == true)
        #expect(throws: InputErrors.self) {
            try AirFeed.read(.purpleair, purpleAir(average: 60, fields: ["time_stamp", "pm2.5_cf_1_a"], rows: [["\(midnight)", "1"], ["\(midnight)", "2"]]), sensor: "x")
        }
    }

    @Test func valuesAreDecimalNumbersAndTimesWholeSeconds() {
        // Sensor.Community sends text; hexadecimal and padded text are not its numbers.
        for value in ["0x10", " 12 ", "nan", "inf", "1e", ""] {
            #expect(throws: InputErrors.self, "\(value)") { try AirFeed.read(.sensorCommunity, sensorCommunity([(midnight, [("P1", value)])]), sensor: "x") }
        }
        // OpenAQ sends numbers: a number as text is not one.
        #expect(throws: InputErrors.self) { try AirFeed.read(.openaq, openAQ([openAQHour("pm25", "µg/m³", #""12""#, from: midnight)]), sensor: "x") }
        #expect(throws: InputErrors.self) { try AirFeed.read(.openaq, openAQ([openAQHour("pm25", "µg/m³", "12", from: midnight, coverage: 150)]), sensor: "x") }
        let fraction = Array(#"{"results":[{"value":1,"parameter":{"name":"pm25","units":"µg/m³"},"period":{"datetimeFrom":{"utc":"2024-01-01T00:00:00.5Z"},"datetimeTo":{"utc":"2024-01-01T01:00:00Z"}}}]}"#.utf8)
        #expect(throws: InputErrors.self) { try AirFeed.read(.openaq, fraction, sensor: "x") }
        #expect(RFC3339.wholeSeconds("2024-01-01T00:00:00.000Z") == RFC3339.seconds("2024-01-01T00:00:00Z"))
        #expect(RFC3339.wholeSeconds("2024-01-01T00:00:00.5Z") == nil)
    }

    @Test func theSampleIntervalsAreTheDocumentedOnes() {
        #expect(AirFeed.sampleSeconds(.sensorCommunity) == 145)
        #expect(AirFeed.sampleSeconds(.purpleair) == 120)
    }
}
