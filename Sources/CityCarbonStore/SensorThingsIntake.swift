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

/// `POST /Things` named a sensor that is registered already; nothing changed.
public struct ThingExists: Error, CustomStringConvertible {
    public var code: String
    public var description: String { "air sensor \(code) is registered already; a new Thing needs a new properties.code" }
}

extension SensorThingsIntake {
    /// Registers the air sensor a `POST /Things` describes (`properties.code` and `model`; `grade`,
    /// `placement`, `district`, `correction`), owned by the key's organisation; an unscoped key
    /// names the owner in `properties.owner`. Meter sites are registered with the sites sheet.
    /// A sensor registered already is not replaced (another organisation's is not even shown).
    public func createThing(_ draft: SensorThings.ThingDraft, scope: IngestScope, organisation: String?, actor: String) throws -> STAID {
        func field(_ name: String) -> String? { draft.properties[name].flatMap { $0.isEmpty ? nil : $0 } }
        var issues: [InputIssue] = []
        let code = field("code") ?? ""
        if code.isEmpty { issues.append(InputIssue(InputLocation(field: "properties.code"), reason: "names the sensor: 1 to 64 printable characters")) }
        let owner: String
        switch scope {
        case .everything:
            owner = field("owner") ?? ""
            if owner.isEmpty { issues.append(InputIssue(InputLocation(field: "properties.owner"), reason: "names the organisation that runs the sensor")) }
        case .sites:
            guard let organisation else { throw MonitoringError.outOfScope([code]) }
            if let named = field("owner"), named.lowercased() != organisation.lowercased() {
                throw AccessDenied("a partner's key registers sensors its own organisation (\(organisation)) runs, not \(named.prefix(80))'s")
            }
            owner = organisation
        }
        let model = field("model") ?? ""
        if model.isEmpty { issues.append(InputIssue(InputLocation(field: "properties.model"), reason: "names the sensor's make and model")) }
        let grade = AirSensor.Grade(rawValue: field("grade") ?? AirSensor.Grade.lowCost.rawValue)
        if grade == nil {
            issues.append(InputIssue(InputLocation(field: "properties.grade"), value: field("grade"), reason: "is reference or low_cost"))
        }
        let placement = AirSensor.Placement(rawValue: field("placement") ?? AirSensor.Placement.outside.rawValue)
        if placement == nil {
            issues.append(InputIssue(InputLocation(field: "properties.placement"), value: field("placement"), reason: "is outside or inside"))
        }
        // A reference monitor speaks for its district in the city's index: the city registers those itself.
        if grade == .reference, case .sites = scope {
            issues.append(InputIssue(InputLocation(field: "properties.grade"), value: "reference", reason: "a reference monitor is registered by the city's air-quality office"))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        let network = AirNetwork(database)
        // A create that met a registered sensor would silently replace its place, owner and correction. Codes that differ
        // only in case would read as one; and whose the sensor is does not change the answer, so it tells no one who owns what.
        if try network.sensors().contains(where: { $0.code.lowercased() == code.lowercased() }) {
            throw ThingExists(code: code)
        }
        try network.register(AirSensor(code: code, name: draft.name, owner: owner, model: model, grade: grade!,
                                       latitude: draft.latitude, longitude: draft.longitude, placement: placement!, district: field("district"),
                                       correction: field("correction")), by: actor)
        return .text(code)
    }
}
