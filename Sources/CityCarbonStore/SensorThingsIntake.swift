import AirQuality
import CarbonKit
import CarbonMonitoring

/// Observations created through SensorThings, each to its network by its Datastream's id: a whole
/// number is a meter channel (the monitoring pipeline), `'code:parameter'` an air sensor's
/// parameter (the air network's checks and correction). One request is one network, so it is
/// stored in one transaction or not at all.
public struct SensorThingsIntake: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Stores `observations`; their ids (`5-1764000000`, `pa-1:pm25:1764000000`) in the order sent.
    public func create(_ observations: [SensorThings.Observation], scope: IngestScope, actor: String) throws -> [STAID] {
        let meters = observations.compactMap { $0.datastreamID }
        if meters.count == observations.count {
            try ReadingIngestor(database).ingest(resolved: observations.map { ResolvedReading(datastreamID: $0.datastreamID!, time: $0.time, value: $0.result) },
                                                 scope: scope, actor: actor, source: "sta")
            return observations.map { .text("\($0.datastreamID!)-\($0.time)") }
        }
        guard meters.isEmpty else {
            throw InputErrors([InputIssue(InputLocation(field: "Datastream"),
                                          reason: "mixes meter channels and air sensors; send each network's observations in its own request")])
        }
        var rows: [AirHourSheet.Row] = []
        var issues: [InputIssue] = []
        for (index, observation) in observations.enumerated() {
            guard case let .text(text) = observation.datastream, let (code, parameter) = SensorThingsSource.airStream(text) else {
                issues.append(InputIssue(InputLocation(field: "[\(index)].Datastream"), value: observation.datastream.description,
                                         reason: "is neither a meter channel's number nor an air sensor's parameter ('pa-1:pm25')"))
                continue
            }
            rows.append(AirHourSheet.Row(sensor: code, hour: observation.start ?? observation.time, parameter: parameter, value: observation.result,
                                         valueB: observation.resultB, line: index))
        }
        if !issues.isEmpty { throw InputErrors(Array(issues.prefix(200))) }
        _ = try AirNetwork(database).load(hours: rows, scope: scope, source: "sta", by: actor)
        return rows.map { .text("\($0.sensor):\($0.parameter.rawValue):\($0.hour)") }
    }
}
