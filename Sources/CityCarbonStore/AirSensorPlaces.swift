import CarbonKit
import Foundation

/// Schema v32: where each air sensor has stood and since when, one row per move. SensorThings'
/// HistoricalLocations are these rows: the server records one whenever a Thing's Location
/// changes (OGC SensorThings API 1.1, §8.2.3), so a sensor moved from a roadside to a school
/// keeps the hours it measured at each place told apart.
public enum AirSensorPlaces {
    static let version = "v32: the places air sensors have stood, for SensorThings HistoricalLocations"

    /// One place of a sensor, from `since` (epoch seconds) until the next.
    public struct Place: Sendable, Equatable {
        public var id: Int64
        public var sensor: String
        public var latitude: Double
        public var longitude: Double
        public var since: Int64
    }

    static func statements(_ dialect: SQLDialect) -> [String] {
        let id = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let big = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        // Every sensor registered before stood where it stands now since it was registered.
        let epoch = dialect == .sqlite ? "CAST(strftime('%s', created_at) AS INTEGER)" : "CAST(EXTRACT(EPOCH FROM CAST(created_at AS TIMESTAMPTZ)) AS BIGINT)"
        return [
            """
            CREATE TABLE air_sensor_place (
              id \(id), sensor TEXT NOT NULL, latitude \(real) NOT NULL, longitude \(real) NOT NULL, since \(big) NOT NULL, created_by TEXT NOT NULL)
            """,
            "CREATE INDEX air_sensor_place_sensor ON air_sensor_place (sensor, id)",
            """
            INSERT INTO air_sensor_place (sensor, latitude, longitude, since, created_by)
            SELECT code, latitude, longitude, \(epoch), created_by FROM air_sensor ORDER BY code
            """,
        ]
    }

    /// Records the sensor's place when it is new or has moved; nothing when it stands where it stood.
    static func record(_ db: any SQLConnection, sensor: String, latitude: Double, longitude: Double, by actor: String) throws {
        let last = try SQLRow.fetchOne(db, sql: "SELECT latitude, longitude FROM air_sensor_place WHERE sensor = ? ORDER BY id DESC LIMIT 1",
                                       arguments: [sensor])
        if let last, (last["latitude"] as Double) == latitude, (last["longitude"] as Double) == longitude { return }
        try db.execute(sql: "INSERT INTO air_sensor_place (sensor, latitude, longitude, since, created_by) VALUES (?, ?, ?, ?, ?)",
                       arguments: [sensor, latitude, longitude, Int64(Date().timeIntervalSince1970), actor])
    }

    /// Every sensor's places, oldest first.
    static func all(_ db: any SQLConnection) throws -> [String: [Place]] {
        var places: [String: [Place]] = [:]
        try db.forEachRow(sql: "SELECT id, sensor, latitude, longitude, since FROM air_sensor_place ORDER BY sensor, id", arguments: []) { row in
            let place = Place(id: row["id"], sensor: row["sensor"], latitude: row["latitude"], longitude: row["longitude"], since: row["since"])
            places[place.sensor, default: []].append(place)
        }
        return places
    }
}
