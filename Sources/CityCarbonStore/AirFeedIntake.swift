import AirQuality
import CarbonKit

extension AirNetwork {
    /// What a feed stored, and what of it was left out.
    public struct FeedLoaded: Sendable, Equatable {
        public var loaded: Loaded
        public var incompleteHours: Int
        public var skipped: [String: Int]
    }

    /// Stores another network's payload (``AirFeed``) as sensor `code`'s hours, within `scope`;
    /// refused whole, naming the place, when any value is bad.
    public func load(feed format: AirFeed.Format, _ bytes: [UInt8], sensor code: String, sampleSeconds: Int? = nil, scope: IngestScope,
                     by actor: String) throws -> FeedLoaded {
        guard let sensor = try sensors().first(where: { $0.code == code }) else {
            throw InputErrors([InputIssue(InputLocation(field: "sensor"), value: code, reason: "is not a sensor of the network")])
        }
        guard scope.allows(organisation: sensor.owner, site: code) else { throw MonitoringError.outOfScope([code]) }
        let feed = try AirFeed.read(format, bytes, sensor: code, sampleSeconds: sampleSeconds)
        let loaded = try load(hours: feed.rows, scope: scope, source: "\(format.rawValue):\(code)", by: actor)
        return FeedLoaded(loaded: loaded, incompleteHours: feed.incompleteHours, skipped: feed.skipped)
    }
}
