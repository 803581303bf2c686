import AirQuality
import CarbonKit
import Foundation
import Testing
@testable import CityCarbonStore

/// The air network as stored: sensors with their district, sheets refused whole or stored with
/// flags and corrections, a re-sent hour replacing the first, and a district's day from storage.
@Suite("Air network in the store")
struct AirNetworkTests {
    static func network() throws -> (CityCarbonDatabase, AirNetwork) {
        let database = try temporaryWorkspace()
        #expect(try DemoCity.seed(database))
        let network = AirNetwork(database)
        let district = try #require(try JurisdictionRepository(database).tree().roots.first)
        try network.register(AirSensor(code: "pa-1", name: "School gate", owner: "Clean Air NGO", model: "PurpleAir PA-II", grade: .lowCost,
                                       latitude: 60.17, longitude: 24.94, district: district, correction: "epa-purpleair-2021"), by: "admin")
        try network.register(AirSensor(code: "ref-1", name: "Station", owner: "Environment Services", model: "BAM-1020", grade: .reference,
                                       latitude: 60.18, longitude: 24.95, district: district), by: "admin")
        return (database, network)
    }

    @Test func aSensorOutsideTheCitysDistrictsOrWithAnUnknownCorrectionIsRefused() throws {
        let (_, network) = try Self.network()
        #expect(throws: InputErrors.self) {
            try network.register(AirSensor(code: "x", name: "X", owner: "O", model: "M", grade: .lowCost, latitude: 91, longitude: 0,
                                           district: "Atlantis", correction: "made-up"), by: "admin")
        }
        #expect(try network.sensors().map(\.code) == ["pa-1", "ref-1"])
    }

    @Test func aSheetIsStoredWithFlagsAndCorrectionsAndARefusedOneChangesNothing() throws {
        let (database, network) = try Self.network()
        let good = """
        sensor,hour,parameter,value,value_b
        pa-1,2026-03-01T08:00:00+02:00,pm25,20,20
        pa-1,2026-03-01T08:00:00+02:00,rh,50,
        pa-1,2026-03-01T09:00:00+02:00,pm25,5,20
        """
        let loaded = try network.load(Array(good.utf8), file: "hours.csv", by: "pa-owner")
        #expect(loaded == AirNetwork.Loaded(hours: 3, flagged: 1, corrected: 1))
        let start = Int64(1_772_344_800)  // 2026-03-01T06:00Z
        var hours = try network.hours(sensors: ["pa-1"], from: start, to: start + 7200).filter { $0.parameter == .pm25 }
        #expect(abs((hours[0].value ?? 0) - 11.92) < 0.001 && hours[0].correction == "epa-purpleair-2021")
        #expect(hours[1].flags == [.channelsDisagree] && hours[1].value == nil)
        #expect(throws: InputErrors.self) {
            try network.load(Array("sensor,hour,parameter,value\npa-1,2026-03-01T10:00:00+02:00,pm25,7\nghost,2026-03-01T10:00:00+02:00,pm25,7\n".utf8),
                             file: "bad.csv", by: "pa-owner")
        }
        #expect(try network.hours(from: start, to: start + 86_400).count == 3)
        // The owner re-sends 09:00 with agreeing channels: it replaces the flagged hour.
        _ = try network.load(Array("sensor,hour,parameter,value,value_b\npa-1,2026-03-01T09:00:00+02:00,pm25,18,19\npa-1,2026-03-01T09:00:00+02:00,rh,50,\n".utf8),
                             file: "resend.csv", by: "pa-owner")
        hours = try network.hours(sensors: ["pa-1"], from: start, to: start + 7200).filter { $0.parameter == .pm25 }
        #expect(hours.count == 2 && hours[1].flags.isEmpty && hours[1].raw == 18.5)
        // What the replaced hour held is in the audit trail.
        let event = try #require(try AuditTrail(database).events(entity: "air_hour").first { $0.entityID == "resend.csv" })
        #expect(event.before?.contains("\"replaced\":1") == true && event.before?.contains("\"raw\":12.5") == true)
    }

    @Test func aDistrictsDayComesFromItsReferenceMonitorUnderTheStandardInForce() throws {
        let (database, network) = try Self.network()
        let offset = try CitySettingsRepository(database).current().utcOffsetMinutes
        let sign = offset >= 0 ? "+" : "-"
        let zone = String(format: "%@%02d:%02d", sign, abs(offset) / 60, abs(offset) % 60)
        var lines = ["sensor,hour,parameter,value"]
        for hour in 0..<24 { lines.append(String(format: "ref-1,2026-03-01T%02d:00:00%@,pm25,70", hour, zone)) }
        _ = try network.load(Array(lines.joined(separator: "\n").utf8), file: "station.csv", by: "station")
        let day = try #require(try network.day(Day("2026-03-01")!))
        #expect(day.grade == .reference && day.index?.value == 110 && day.index?.standard == "hj633-2026")
        let before = try #require(try network.day(Day("2026-02-28")!))
        #expect(before.index == nil)
    }

    @Test func aSensorsPlacesAreRecordedWhenItMovesAndOnlyThen() throws {
        let (database, _) = try Self.network()
        var sensor = try #require(try AirNetwork(database).sensors().first { $0.code == "pa-1" })
        let places = { try database.read { try AirSensorPlaces.all($0)["pa-1"] ?? [] } }
        #expect(try places().count == 1, "registered once, at one place")
        sensor.name = "Renamed"
        try AirNetwork(database).register(sensor, by: "admin")
        #expect(try places().count == 1, "a rename is not a move")
        sensor.latitude += 0.01
        try AirNetwork(database).register(sensor, by: "admin")
        let moved = try places()
        #expect(moved.count == 2 && moved[1].latitude == sensor.latitude && moved[0].id < moved[1].id && moved[1].since >= moved[0].since)
    }
}
