import AirQuality
import Foundation
import Testing
@testable import CityCarbonStore

/// The registry snapshot SensorThings answers from: dropped by a registration in this process,
/// and read again after a few seconds when another process changed it.
@Suite("SensorThings registry snapshot")
struct SensorThingsRegistryTests {
    func sensor(_ code: String, name: String) -> AirSensor {
        AirSensor(code: code, name: name, owner: "Bureau", model: "BAM-1020", grade: .reference, latitude: 30, longitude: 120)
    }

    @Test func aRegistrationHereIsSeenAtOnce() throws {
        let database = try temporaryWorkspace()
        let now = Date()
        #expect(try database.sensorThings.snapshot(database, now: now).sensors.isEmpty)
        try AirNetwork(database).register(sensor("s-1", name: "First"), by: "test")
        #expect(try database.sensorThings.snapshot(database, now: now).sensors.map(\.code) == ["s-1"])
    }

    @Test func aChangeByAnotherProcessIsSeenOnceTheSnapshotIsStale() throws {
        let database = try temporaryWorkspace()
        try AirNetwork(database).register(sensor("s-1", name: "First"), by: "test")
        let now = Date()
        #expect(try database.sensorThings.snapshot(database, now: now).sensors.first?.name == "First")
        // As another server would: straight to the table, without this process's registry knowing.
        try database.write { db in try db.execute(sql: "UPDATE air_sensor SET name = 'Renamed'", arguments: []) }
        #expect(try database.sensorThings.snapshot(database, now: now.addingTimeInterval(1)).sensors.first?.name == "First")
        let later = now.addingTimeInterval(SensorThingsRegistry.freshness + 0.5)
        #expect(try database.sensorThings.snapshot(database, now: later).sensors.first?.name == "Renamed")
        // A clock that went back does not keep a snapshot from the future.
        #expect(try database.sensorThings.snapshot(database, now: now).sensors.first?.name == "Renamed")
    }

    @Test func pastHalfItsAgeTheSnapshotIsServedAndReadAgainInTheBackground() async throws {
        let database = try temporaryWorkspace()
        try AirNetwork(database).register(sensor("s-1", name: "First"), by: "test")
        let now = Date()
        #expect(try database.sensorThings.snapshot(database, now: now).sensors.first?.name == "First")
        try database.write { db in try db.execute(sql: "UPDATE air_sensor SET name = 'Renamed'", arguments: []) }
        // Past half the freshness: the kept snapshot answers at once, and a reload starts.
        let halfway = now.addingTimeInterval(SensorThingsRegistry.freshness / 2 + 0.1)
        #expect(try database.sensorThings.snapshot(database, now: halfway).sensors.first?.name == "First")
        var seen: String?
        for _ in 0..<100 {
            seen = try database.sensorThings.snapshot(database, now: halfway).sensors.first?.name
            if seen == "Renamed" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(seen == "Renamed")
    }
}
