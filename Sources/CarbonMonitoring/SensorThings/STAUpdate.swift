import CarbonKit
import Foundation

/// Changing and removing SensorThings entities (SensorThings 1.1 §10.3–10.4): which address a
/// write may name, and the entity as it will be after the body is applied. Clients say what
/// changes in one of three ways, and all three end in the same document, read by one rule per
/// entity type:
/// - `PATCH` with `application/json`: the members sent replace those held (the standard's way;
///   objects merge member by member, RFC 7396);
/// - `PATCH` with `application/json-patch+json`: RFC 6902 operations, as FROST's Python client sends;
/// - `PUT`: the whole entity, as FROST's clients' `update` sends it.
public enum STAUpdate {
    public enum Method: String, Sendable { case patch = "PATCH", put = "PUT", delete = "DELETE" }

    public enum Form: Sendable, Equatable { case merge, jsonPatch, replace }

    /// Why an address takes no write (405, with the methods it answers): it is not one entity, or
    /// its entities follow from others and are changed there, which the reason names.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var allow: [String]
        public var reason: String

        public init(allow: [String] = ["GET", "HEAD"], _ reason: String) { (self.allow, self.reason) = (allow, reason) }

        public var description: String { reason }
    }

    /// What each type takes: Things and Observations are changed and removed; a Location (an air
    /// sensor's point) is changed. Every other type follows from these or from the registries.
    static func accepts(_ type: STAEntityType, _ method: Method) -> Bool {
        switch type {
        case .thing, .observation: true
        case .location: method != .delete
        default: false
        }
    }

    /// Where entities of a type that takes no write are changed instead.
    public static func derivation(_ type: STAEntityType) -> String {
        switch type {
        case .location: "a Location is removed with its Thing"
        case .historicalLocation: "HistoricalLocations are the record of a Thing's Locations; they change when the Location does"
        case .datastream: "Datastreams follow from the meter channels sheet and from an air sensor's parameters; they are not changed here"
        case .multiDatastream: "MultiDatastreams are not held by this server"
        case .sensor: "Sensors are the kinds of meter and the sensor models; change the Thing's properties.model"
        case .observedProperty: "ObservedProperties are the quantities and air parameters the city measures; they are not changed here"
        case .featureOfInterest: "a FeatureOfInterest is the site or the sensor's point; change the Thing or its Location"
        case .thing, .observation: ""
        }
    }

    /// The one entity `path` names for `method`, or why it takes none.
    public static func target(_ path: STAPath, _ method: Method) throws(Refusal) -> (type: STAEntityType, id: STAID) {
        guard path.segments.count == 1, case let .entities(type, _, id?, _) = path.segments[0] else {
            var allow = ["GET", "HEAD"]
            if path.segments.count == 1, case let .entities(type, _, nil, _) = path.segments[0], type == .thing || type == .observation {
                allow.append("POST")
            }
            throw Refusal(allow: allow, "\(method.rawValue) changes one entity at its own address, such as Things('pa-1') or Observations('5-1764000000')")
        }
        guard accepts(type, method) else { throw Refusal(allow: allowed(type), "\(method.rawValue) \(type.setName): \(derivation(type))") }
        return (type, id)
    }

    /// The methods one entity of `type` answers at its own address.
    public static func allowed(_ type: STAEntityType) -> [String] {
        ["GET", "HEAD"] + [Method.patch, .put, .delete].filter { accepts(type, $0) }.map(\.rawValue)
    }

    /// How the body of `method` says what changes, from its `Content-Type`.
    public static func form(_ method: Method, contentType: String?) throws(InputErrors) -> Form {
        let media = (contentType ?? "application/json").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch (method, media) {
        case (.put, "application/json"): return .replace
        case (.patch, "application/json"), (.patch, "application/merge-patch+json"): return .merge
        case (.patch, "application/json-patch+json"): return .jsonPatch
        default:
            throw InputErrors([InputIssue(InputLocation(field: "Content-Type"), value: contentType,
                                          reason: method == .put ? "a PUT sends application/json"
                                              : "a PATCH sends application/json (the members that change) or application/json-patch+json (RFC 6902)")])
        }
    }

    /// The entity after the body: `current` is its members as `GET` shows them.
    public static func apply(_ form: Form, body: [UInt8], to current: [(String, JSONValue)]) throws(InputErrors) -> JSONValue {
        let sent = try read(body)
        switch form {
        case .merge:
            guard case .object = sent else { throw InputErrors([InputIssue(InputLocation(), reason: "a PATCH body is a JSON object of the members that change")]) }
            return merge(.object(current), sent)
        case .replace:
            guard case .object = sent else { throw InputErrors([InputIssue(InputLocation(), reason: "a PUT body is the whole entity, a JSON object")]) }
            return sent
        case .jsonPatch:
            return try JSONPatch.apply(sent, to: .object(current))
        }
    }

    static func read(_ body: [UInt8]) throws(InputErrors) -> JSONValue {
        do {
            return JSONValue(try JSONReader.read(Data(body), maximumDepth: 16, maximumItems: 1_000))
        } catch {
            throw InputErrors([InputIssue(InputLocation(), reason: "is not JSON: \(error)")])
        }
    }

    /// RFC 7396: a member set to null is removed, an object merges into an object, anything else replaces.
    static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case let .object(changes) = patch else { return patch }
        var members: [(String, JSONValue)]
        if case let .object(held) = target { members = held } else { members = [] }
        for (key, value) in changes {
            let index = members.firstIndex { $0.0 == key }
            if case .null = value {
                if let index { members.remove(at: index) }
            } else if let index {
                members[index].1 = merge(members[index].1, value)
            } else {
                members.append((key, merge(.null, value)))
            }
        }
        return .object(members)
    }

    /// The members of `updated` an entity of `type` keeps, checked against `current`: a member
    /// outside `writable` must be as it was (or left out), annotations (`@iot.id`, links) are
    /// ignored unless they name another entity, and a relation may only be named by reference.
    public static func members(_ updated: JSONValue, type: STAEntityType, id: STAID, current: [(String, JSONValue)],
                               writable: Set<String>) throws(InputErrors) -> [String: JSONValue] {
        guard case let .object(members) = updated else {
            throw InputErrors([InputIssue(InputLocation(), reason: "the updated \(type.singular) is not a JSON object")])
        }
        var kept: [String: JSONValue] = [:]
        var issues: [InputIssue] = []
        for (key, value) in members {
            let place = InputLocation(field: key)
            if key == "@iot.id" || key == "id" {
                if !same(value, STAService.idJSON(id)) { issues.append(InputIssue(place, value: value.serialized(), reason: "is this entity's id; it cannot change")) }
            } else if key.hasPrefix("@iot.") || key.hasSuffix("@iot.navigationLink") || key.hasSuffix("@iot.count") || key.hasSuffix("@iot.nextLink") {
                continue
            } else if writable.contains(key) {
                kept[key] = value
            } else if type.navigation[key] != nil {
                if !isReference(value) {
                    issues.append(InputIssue(place, reason: "relations are not changed through \(type.setName); name them by @iot.id only, as they are"))
                }
            } else if let held = current.first(where: { $0.0 == key })?.1 {
                if !same(value, held) {
                    issues.append(InputIssue(place, value: String(value.serialized().prefix(80)),
                                             reason: "is not changed here (it is \(String(held.serialized().prefix(80))); \(Self.writableList(writable)))"))
                }
            } else if case .null = value {
                continue
            } else {
                issues.append(InputIssue(place, reason: "is not a property of a \(type.singular) on this server; \(Self.writableList(writable))"))
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return kept
    }

    static func writableList(_ writable: Set<String>) -> String {
        "what a client may change is " + writable.sorted().joined(separator: ", ")
    }

    public static func isReference(_ value: JSONValue) -> Bool {
        switch value {
        case let .object(members): members.allSatisfy { $0.0 == "@iot.id" || $0.0.hasPrefix("@iot.") }
        case let .array(items): items.allSatisfy(isReference)
        default: false
        }
    }

    /// Equal as JSON: numbers by value, objects whatever their members' order.
    public static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && x.allSatisfy { key, value in y.first { $0.0 == key }.map { same(value, $0.1) } ?? false }
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default:
            if let p = number(a), let q = number(b) { return p == q }
            return a.serialized() == b.serialized()
        }
    }

    public static func number(_ value: JSONValue) -> Double? {
        switch value {
        case let .number(x): x
        case let .integer(n): Double(n)
        default: nil
        }
    }

    /// A point's longitude and latitude from a GeoJSON Point, or why it is not one.
    public static func point(_ value: JSONValue?, field: String) throws(InputErrors) -> (longitude: Double, latitude: Double) {
        guard case let .object(members)? = value, members.first(where: { $0.0 == "type" })?.1 == .string("Point"),
              case let .array(coordinates)? = members.first(where: { $0.0 == "coordinates" })?.1, coordinates.count == 2,
              let longitude = number(coordinates[0]), let latitude = number(coordinates[1]), longitude.isFinite, latitude.isFinite else {
            throw InputErrors([InputIssue(InputLocation(field: field), value: value.map { String($0.serialized().prefix(80)) },
                                          reason: "must be a GeoJSON Point [longitude, latitude]")])
        }
        return (longitude, latitude)
    }
}
