import AirQuality
import Foundation

/// The registries SensorThings answers from (meter sites and channels, air sensors and their
/// streams), read once and kept for a few seconds, so a request for one datastream's
/// observations does not read ten thousand sensors first. A registration in this process drops
/// it at once; one made by another server sharing the database is seen within ``freshness``.
/// Observations are never kept here: they are read for each request.
final class SensorThingsRegistry: @unchecked Sendable {
    struct Snapshot: Sendable {
        var sites: [SiteSummary]
        var streams: [DatastreamSummary]
        var sensors: [AirSensor]
        var sensorCreated: [String: String]
        var airStreams: [(sensor: String, parameter: AirParameter, first: Int64, last: Int64)]
    }

    static let freshness: TimeInterval = 5
    private let lock = NSLock()
    private var kept: (at: Date, snapshot: Snapshot)?

    func invalidate() { lock.withLock { kept = nil } }

    func snapshot(_ database: CityCarbonDatabase, now: Date = Date()) throws -> Snapshot {
        if let kept = lock.withLock({ kept }), now.timeIntervalSince(kept.at) < Self.freshness, now >= kept.at { return kept.snapshot }
        let registry = MonitoringRegistry(database)
        let sites = try registry.sites(), streams = try registry.datastreams(), sensors = try AirNetwork(database).sensors()
        let (created, spans) = try database.read { db in
            var created: [String: String] = [:]
            try db.forEachRow(sql: "SELECT code, created_at FROM air_sensor", arguments: []) { row in created[row["code"]] = row["created_at"] }
            var spans: [(sensor: String, parameter: AirParameter, first: Int64, last: Int64)] = []
            try db.forEachRow(sql: "SELECT sensor, parameter, first_hour, last_hour FROM air_stream ORDER BY sensor, parameter", arguments: []) { row in
                if let parameter = AirParameter(rawValue: row["parameter"]) {
                    spans.append((sensor: row["sensor"], parameter: parameter, first: row["first_hour"], last: row["last_hour"]))
                }
            }
            return (created, spans)
        }
        let snapshot = Snapshot(sites: sites, streams: streams, sensors: sensors, sensorCreated: created, airStreams: spans)
        lock.withLock { kept = (now, snapshot) }
        return snapshot
    }
}
