import AirQuality
import Foundation

/// The registries SensorThings answers from (meter sites and channels, air sensors and their
/// streams), read once and kept for a few seconds, so a request for one datastream's
/// observations does not read ten thousand sensors first. A registration in this process drops
/// it at once; one made by another server sharing the database is seen within ``freshness``
/// (read again in the background from half that age, so requests do not wait for it).
/// Observations are never kept here: they are read for each request.
final class SensorThingsRegistry: @unchecked Sendable {
    struct Snapshot: Sendable {
        var sites: [SiteSummary]
        var streams: [DatastreamSummary]
        var sensors: [AirSensor]
        var sensorCreated: [String: String]
        /// Each sensor's places, oldest first (``AirSensorPlaces``).
        var places: [String: [AirSensorPlaces.Place]]
        var airStreams: [(sensor: String, parameter: AirParameter, first: Int64, last: Int64)]
    }

    static let freshness: TimeInterval = 5
    private let lock = NSLock()
    private var kept: (at: Date, snapshot: Snapshot)?
    /// Moves on with each invalidation, so a reload that began before one is not kept.
    private var generation = 0
    private var refreshing = false

    func invalidate() {
        lock.withLock {
            kept = nil
            generation += 1
        }
    }

    /// The snapshot, read again when it is ``freshness`` old. Past half that age a request still
    /// gets the one kept while it is read again in the background, so under steady traffic no
    /// request waits for the registries (with 10,000 sensors, about 50 ms).
    func snapshot(_ database: CityCarbonDatabase, now: Date = Date()) throws -> Snapshot {
        let (held, startRefresh, current) = lock.withLock { () -> ((at: Date, snapshot: Snapshot)?, Bool, Int) in
            guard let kept, now >= kept.at, now.timeIntervalSince(kept.at) < Self.freshness else { return (nil, false, self.generation) }
            let due = now.timeIntervalSince(kept.at) >= Self.freshness / 2 && !refreshing
            if due { refreshing = true }
            return (kept, due, self.generation)
        }
        if let held {
            if startRefresh {
                DispatchQueue.global().async {
                    let started = Date()
                    let fresh = try? Self.read(database)
                    self.lock.withLock {
                        self.refreshing = false
                        if let fresh, self.generation == current { self.kept = (started, fresh) }
                    }
                }
            }
            return held.snapshot
        }
        let snapshot = try Self.read(database)
        lock.withLock { if self.generation == current { kept = (now, snapshot) } }
        return snapshot
    }

    private static func read(_ database: CityCarbonDatabase) throws -> Snapshot {
        let registry = MonitoringRegistry(database)
        let sites = try registry.sites(), streams = try registry.datastreams(), sensors = try AirNetwork(database).sensors()
        let (created, spans, places) = try database.read { db in
            var created: [String: String] = [:]
            try db.forEachRow(sql: "SELECT code, created_at FROM air_sensor", arguments: []) { row in created[row["code"]] = row["created_at"] }
            var spans: [(sensor: String, parameter: AirParameter, first: Int64, last: Int64)] = []
            try db.forEachRow(sql: "SELECT sensor, parameter, first_hour, last_hour FROM air_stream ORDER BY sensor, parameter", arguments: []) { row in
                if let parameter = AirParameter(rawValue: row["parameter"]) {
                    spans.append((sensor: row["sensor"], parameter: parameter, first: row["first_hour"], last: row["last_hour"]))
                }
            }
            return (created, spans, try AirSensorPlaces.all(db))
        }
        return Snapshot(sites: sites, streams: streams, sensors: sensors, sensorCreated: created, places: places, airStreams: spans)
    }
}
