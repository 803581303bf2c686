import AirQuality
import CarbonKit
import CarbonMonitoring

/// SensorThings updates and deletes (`PATCH`, `PUT`, `DELETE`), each to the registry or network
/// that holds the entity, within the key's scope:
///
/// | entity | change | remove |
/// |---|---|---|
/// | an air sensor's Thing | name; properties owner (unscoped keys), model, grade, placement, district, correction; its Location inline | when it has no hours |
/// | an air sensor's Location | its point | with the Thing |
/// | a meter reading | result: a revision, with the roll-ups corrected | the roll-ups corrected |
/// | an air sensor's hour | result and parameters.value_b: checked and corrected again | yes |
///
/// A meter site's Thing is changed with the sites sheet; every other type follows from these
/// (``STAUpdate/derivation(_:)``). An entity the key cannot see is not there (nil or false).
extension SensorThingsIntake {
    /// Applies a change to the entity `type(id)`; false when this key sees no such entity.
    public func update(_ type: STAEntityType, id: STAID, form: STAUpdate.Form, body: [UInt8], scope: IngestScope, organisation: String?,
                       actor: String) throws -> Bool {
        guard let entity = try SensorThingsSource(database, scope: scope).entity(type, id: id) else { return false }
        let updated = try STAUpdate.apply(form, body: body, to: entity.properties)
        switch (type, id) {
        case let (.thing, .text(code)):
            let members = try STAUpdate.members(updated, type: .thing, id: id, current: entity.properties, writable: ["name", "properties", "Locations"])
            try changeSensor(code, scope: scope, organisation: organisation, actor: actor) { sensor, issues in
                Self.apply(thing: members, to: &sensor, scope: scope, organisation: organisation, issues: &issues)
            }
        case let (.location, .text(code)):
            let members = try STAUpdate.members(updated, type: .location, id: id, current: entity.properties, writable: ["location"])
            try changeSensor(code, scope: scope, organisation: organisation, actor: actor) { sensor, issues in
                do throws(InputErrors) {
                    (sensor.longitude, sensor.latitude) = try STAUpdate.point(members["location"], field: "location")
                } catch { issues += error.issues }
            }
        case (.thing, .integer):
            throw STAUpdate.Refusal("a meter site's Thing is changed with the sites sheet (citycarbon monitor sites FILE)")
        case let (.observation, .text(text)):
            let writable: Set<String> = SensorThingsSource.reading(text) != nil ? ["result", "phenomenonTime"] : ["result", "phenomenonTime", "parameters"]
            let members = try STAUpdate.members(updated, type: .observation, id: id, current: entity.properties, writable: writable)
            try changeObservation(text, members: members, current: entity, scope: scope, actor: actor)
        default:
            throw STAUpdate.Refusal("\(type.setName): \(STAUpdate.derivation(type))")
        }
        return true
    }

    /// Removes the entity `type(id)`; false when this key sees no such entity.
    public func delete(_ type: STAEntityType, id: STAID, scope: IngestScope, actor: String) throws -> Bool {
        guard try SensorThingsSource(database, scope: scope).entity(type, id: id) != nil else { return false }
        switch (type, id) {
        case let (.thing, .text(code)):
            return try AirNetwork(database).deregister(code, scope: scope, by: actor)
        case (.thing, .integer):
            throw STAUpdate.Refusal("a meter site is kept with its readings; it is changed with the sites sheet (citycarbon monitor sites FILE)")
        case let (.observation, .text(text)):
            if let (stream, time) = SensorThingsSource.reading(text) {
                return try ReadingIngestor(database).remove(datastreamID: stream, time: time, scope: scope, actor: actor) != nil
            }
            guard let (code, parameter, hour) = SensorThingsSource.airHour(text) else { return false }
            return try AirNetwork(database).remove(sensor: code, parameter: parameter, hour: hour, scope: scope, by: actor) != nil
        default:
            throw STAUpdate.Refusal("\(type.setName): \(STAUpdate.derivation(type))")
        }
    }

    private func changeSensor(_ code: String, scope: IngestScope, organisation: String?, actor: String,
                              _ change: (inout AirSensor, inout [InputIssue]) -> Void) throws {
        let network = AirNetwork(database)
        guard var sensor = try network.sensors().first(where: { $0.code == code }) else { return }
        guard scope.allows(organisation: sensor.owner, site: code) else { throw MonitoringError.outOfScope([code]) }
        var issues: [InputIssue] = []
        change(&sensor, &issues)
        if !issues.isEmpty { throw InputErrors(issues) }
        try network.register(sensor, by: actor)
    }

    /// The properties an air sensor keeps; the required ones stay when a change leaves them out.
    static func apply(thing members: [String: JSONValue], to sensor: inout AirSensor, scope: IngestScope, organisation: String?,
                      issues: inout [InputIssue]) {
        func text(_ value: JSONValue, _ field: String) -> String? {
            switch value {
            case let .string(s): return s
            case let .integer(n): return String(n)
            case .null: return nil
            default:
                issues.append(InputIssue(InputLocation(field: field), value: String(value.serialized().prefix(80)), reason: "is text"))
                return nil
            }
        }
        // The name is required: a change that removes it (null, or a JSON Patch `remove`) is refused, not ignored.
        if case let .string(name)? = members["name"] { sensor.name = name } else {
            issues.append(InputIssue(InputLocation(field: "name"), value: members["name"].map { String($0.serialized().prefix(80)) }, reason: "is required, as text"))
        }
        // Grade and correction decide how the city's index uses a sensor: a partner's key cannot change them.
        func cityOnly(_ field: String, _ changed: Bool) {
            if changed, case .sites = scope {
                issues.append(InputIssue(InputLocation(field: field), reason: "is set by the city's air-quality office, not by the sensor's owner"))
            }
        }
        let before = sensor
        defer {
            cityOnly("properties.grade", sensor.grade != before.grade)
            cityOnly("properties.correction", sensor.correction != before.correction)
        }
        // Properties left out (a PUT without them, or a `remove`) are none: the optional ones are cleared.
        let properties = members["properties"] ?? .object([])
        var given: [(String, JSONValue)] = []
        if case let .object(list) = properties { given = list } else if properties != .null {
            issues.append(InputIssue(InputLocation(field: "properties"), reason: "is an object of the sensor's properties"))
        }
        var district: String?, correction: String?
        for (key, value) in given {
            let field = "properties.\(key)"
            let shown = String(value.serialized().prefix(80))
            switch key {
            case "network":
                if value != .string("air") { issues.append(InputIssue(InputLocation(field: field), value: shown, reason: "is air for an air sensor's Thing")) }
            case "code":
                if text(value, field) != sensor.code { issues.append(InputIssue(InputLocation(field: field), value: shown, reason: "is the Thing's id; it cannot change")) }
            case "owner":
                guard let owner = text(value, field), !owner.isEmpty else { continue }
                if case .sites = scope, owner.lowercased() != (organisation ?? "").lowercased() {
                    issues.append(InputIssue(InputLocation(field: field), value: shown, reason: "a sensor passes to another organisation only by the city's own key"))
                } else { sensor.owner = owner }
            case "model": if let model = text(value, field) { sensor.model = model }
            case "grade":
                if let grade = text(value, field).flatMap(AirSensor.Grade.init(rawValue:)) { sensor.grade = grade } else {
                    issues.append(InputIssue(InputLocation(field: field), value: shown, reason: "is reference or low_cost"))
                }
            case "placement":
                if let placement = text(value, field).flatMap(AirSensor.Placement.init(rawValue:)) { sensor.placement = placement } else {
                    issues.append(InputIssue(InputLocation(field: field), value: shown, reason: "is outside or inside"))
                }
            case "district": district = text(value, field).flatMap { $0.isEmpty ? nil : $0 }
            case "correction": correction = text(value, field).flatMap { $0.isEmpty ? nil : $0 }
            default:
                issues.append(InputIssue(InputLocation(field: field), value: shown,
                                         reason: "is not kept for an air sensor: owner, model, grade, placement, district, correction"))
            }
        }
        // Optional properties left out are cleared, as the Thing sent is the Thing kept.
        sensor.district = district
        sensor.correction = correction
        if let locations = members["Locations"] {
            guard case let .array(list) = locations, list.count == 1 else {
                issues.append(InputIssue(InputLocation(field: "Locations"), reason: "an air sensor has exactly one Location, its point"))
                return
            }
            if STAUpdate.isReference(list[0]) { return }
            guard case let .object(location) = list[0] else { return }
            do throws(InputErrors) {
                (sensor.longitude, sensor.latitude) = try STAUpdate.point(location.first { $0.0 == "location" }?.1, field: "Locations[0].location")
            } catch { issues += error.issues }
        }
    }

    /// A changed result is a new reading of the same time: a meter's is a revision, an air sensor's
    /// hour is checked and corrected again. A result sent as it is changes nothing.
    private func changeObservation(_ text: String, members: [String: JSONValue], current: STAEntity, scope: IngestScope, actor: String) throws {
        var issues: [InputIssue] = []
        if let time = members["phenomenonTime"], !STAUpdate.same(time, current["phenomenonTime"] ?? .null) {
            let sent: UnixSeconds? = if case let .string(s) = time { SensorThings.time(s) } else { nil }
            let held: UnixSeconds? = if case let .string(s)? = current["phenomenonTime"] { SensorThings.time(s) } else { nil }
            if sent == nil || sent != held {
                issues.append(InputIssue(InputLocation(field: "phenomenonTime"), value: String(time.serialized().prefix(60)),
                                         reason: "names this Observation and cannot change; delete it and create one at the new time"))
            }
        }
        var valueB: Double?
        if let parameters = members["parameters"], case let .object(list) = parameters {
            let held: [(String, JSONValue)] = if case let .object(p)? = current["parameters"] { p } else { [] }
            for (key, value) in list {
                if key == "value_b" {
                    guard let b = STAUpdate.number(value), b.isFinite else {
                        issues.append(InputIssue(InputLocation(field: "parameters.value_b"), value: value.serialized(), reason: "is a finite number")); continue
                    }
                    valueB = b
                } else if let was = held.first(where: { $0.0 == key })?.1, STAUpdate.same(was, value) || value == .null {
                    continue
                } else {
                    issues.append(InputIssue(InputLocation(field: "parameters.\(key)"), reason: "is worked out from the reading; only value_b is sent"))
                }
            }
        }
        // An Observation has a result: one taken away (null, `remove`, or a PUT without it) is refused, not ignored.
        if members["result"] == nil || members["result"] == .null {
            issues.append(InputIssue(InputLocation(field: "result"), reason: "is required: the reading, a finite number"))
        }
        let changed = members["result"].map { !STAUpdate.same($0, current["result"] ?? .null) && $0 != .null } ?? false
        var result: Double?
        if changed {
            if let value = members["result"].flatMap(STAUpdate.number), value.isFinite { result = value } else {
                issues.append(InputIssue(InputLocation(field: "result"), value: members["result"].map { String($0.serialized().prefix(60)) },
                                         reason: "is the reading, a finite number"))
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        guard result != nil || valueB != nil else { return }
        if let (stream, time) = SensorThingsSource.reading(text) {
            guard let result else { return }
            try ReadingIngestor(database).ingest(resolved: [ResolvedReading(datastreamID: stream, time: time, value: result)], scope: scope,
                                                 actor: actor, source: "sta")
        } else if let (code, parameter, hour) = SensorThingsSource.airHour(text) {
            // The result shown is the corrected value; the reading corrected again is the one sent, or the stored raw value.
            let raw: Double? = if case let .object(p)? = current["parameters"], let r = p.first(where: { $0.0 == "raw" })?.1 { STAUpdate.number(r) } else { nil }
            _ = try AirNetwork(database).load(hours: [AirHourSheet.Row(sensor: code, hour: hour, parameter: parameter, value: result ?? raw, valueB: valueB)],
                                              scope: scope, source: "sta", by: actor)
        }
    }
}
