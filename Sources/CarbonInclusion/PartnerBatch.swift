import CarbonKit
import Foundation

/// A partner's post of behaviour events, read from its JSON body. Every field is checked before
/// anything is screened; a bad field is named by its place (`events[3].activity[0].value`) and
/// refuses the whole batch, so a partner never has half a batch taken.
///
/// ```json
/// {"events": [{"serial": "amap-7731", "account": "did:city:4f1c", "scenario": "metro",
///   "started_at": "2026-03-10T08:00:00+08:00", "ended_at": "2026-03-10T08:20:00+08:00",
///   "evidence": "operator", "activity": [{"name": "distance", "unit": "km", "value": "10"}]}]}
/// ```
public enum PartnerBatch {
    /// The most events one post may carry.
    public static let maximumEvents = 5_000

    public static func decode(_ body: Data, partner: String, scheme: String) -> Result<[BehaviourEvent], InputErrors> {
        let root: JSONObject
        do {
            // One item past the limit is read, so too many events are refused by name below.
            guard case let .object(object) = try JSONReader.read(body, maximumItems: maximumEvents + 1) else {
                return .failure(InputErrors([InputIssue(InputLocation(field: "body"), reason: "must be a JSON object with an `events` array")]))
            }
            root = object
        } catch {
            switch error {
            case let .syntax(offset, reason):
                return .failure(InputErrors([InputIssue(InputLocation(field: "body"), reason: "is not JSON at byte \(offset): \(reason)")]))
            case let .repeatedKey(path):
                return .failure(InputErrors([InputIssue(InputLocation(field: String(path.prefix(120))),
                                                        reason: "appears twice in one object: the post could be read two ways")]))
            }
        }
        if let unknown = root.keys.sorted().first(where: { $0 != "events" }) {
            return .failure(InputErrors([InputIssue(InputLocation(field: String(unknown.prefix(64))),
                                                    reason: "is not a field of a post, which holds only `events`")]))
        }
        guard case let .array(list) = root["events"] else {
            return .failure(InputErrors([InputIssue(InputLocation(field: "events"), reason: "must be an array of events")]))
        }
        guard (1...maximumEvents).contains(list.count) else {
            return .failure(InputErrors([InputIssue(InputLocation(field: "events"), value: String(list.count),
                                                    reason: "must hold 1 to \(maximumEvents) events")]))
        }
        var issues: [InputIssue] = []
        var events: [BehaviourEvent] = []
        events.reserveCapacity(list.count)
        var serials = Set<String>()
        for (index, item) in list.enumerated() {
            guard case let .object(object) = item else {
                issues.append(InputIssue(InputLocation(field: "events[\(index)]"), reason: "must be an object"))
                continue
            }
            var reader = FieldReader(object: object, index: index)
            let serial = reader.identifier("serial", maximum: 64)
            let account = reader.identifier("account", maximum: 128)
            let scenario = reader.identifier("scenario", maximum: 64)
            let evidence = reader.identifier("evidence", maximum: 32)
            let started = reader.instant("started_at")
            let ended = reader.optionalInstant("ended_at")
            let device = reader.optionalIdentifier("device", maximum: 128)
            let district = reader.optionalName("district", maximum: 64)
            let navigation = reader.optionalBool("navigation")
            let conditions = reader.identifiers("conditions")
            let activity = reader.activity()
            // A misspelt field (`navgation`) would otherwise be ignored and the event judged without it.
            if !object.members.allSatisfy({ Self.eventFields.contains($0.key) }) {
                for key in object.keys.sorted() where !Self.eventFields.contains(key) {
                    reader.fail(String(key.prefix(64)), nil, "is not a field of an event; the fields are " + Self.eventFields.sorted().joined(separator: ", "))
                }
            }
            issues += reader.issues
            if let serial, !serials.insert(serial).inserted {
                issues.append(InputIssue(InputLocation(field: reader.place + ".serial"), value: serial, reason: "appears twice in this post"))
            }
            guard reader.issues.isEmpty, let serial, let account, let scenario, let evidence, let started else { continue }
            events.append(BehaviourEvent(partner: partner, serial: serial, scheme: scheme, account: account, scenario: scenario,
                                         startedAt: started, endedAt: ended, device: device, evidence: evidence, navigation: navigation,
                                         conditions: conditions, district: district, activity: activity))
            if issues.count >= 50 { break }
        }
        return issues.isEmpty ? .success(events) : .failure(InputErrors(issues))
    }

    /// An event's fields. A short list compared key by key, not a set hashed for each key:
    /// every event of every post is checked.
    static let eventFields = ["serial", "account", "scenario", "evidence", "started_at", "ended_at", "device", "district", "navigation",
                              "conditions", "activity"]

    /// Reads one event's fields, collecting what is wrong with each.
    struct FieldReader {
        let object: JSONObject
        /// The event's index in the post, spelt out (`events[3]`) only when a field is wrong.
        let index: Int
        var issues: [InputIssue] = []
        var place: String { "events[\(index)]" }

        mutating func fail(_ field: String, _ value: JSONNode?, _ reason: String) {
            let shown = value.map { String($0.shown.prefix(80)) }
            issues.append(InputIssue(InputLocation(field: "\(place).\(field)"), value: shown, reason: reason))
        }

        /// Printable ASCII without spaces: serials, pseudonyms and codes are keys, not prose, and a
        /// look-alike letter from another script would make two keys that read the same.
        static func isIdentifier(_ text: String, maximum: Int) -> Bool {
            let bytes = text.utf8
            return !bytes.isEmpty && bytes.count <= maximum && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        }

        mutating func identifier(_ field: String, maximum: Int) -> String? {
            guard let value = object[field] else { fail(field, nil, "is required"); return nil }
            guard case let .string(text) = value, Self.isIdentifier(text, maximum: maximum) else {
                fail(field, value, "must be 1 to \(maximum) printable ASCII characters without spaces")
                return nil
            }
            return text
        }

        mutating func optionalIdentifier(_ field: String, maximum: Int) -> String? {
            guard let value = object[field], value != .null else { return nil }
            return identifier(field, maximum: maximum)
        }

        /// A name people write (a district's): 1–64 characters, no control characters, no spaces around.
        mutating func optionalName(_ field: String, maximum: Int) -> String? {
            guard let value = object[field], value != .null else { return nil }
            guard case let .string(text) = value, !text.isEmpty, text.count <= maximum, text == text.trimmingCharacters(in: .whitespaces),
                  !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
                fail(field, value, "must be a name of 1 to \(maximum) characters")
                return nil
            }
            return text
        }

        mutating func identifiers(_ field: String) -> [String] {
            guard let value = object[field], value != .null else { return [] }
            guard case let .array(list) = value, list.count <= 8 else { fail(field, value, "must be an array of at most 8 codes"); return [] }
            var found: [String] = []
            for item in list {
                guard case let .string(text) = item, Self.isIdentifier(text, maximum: 32) else { fail(field, item, "must hold codes"); return [] }
                found.append(text)
            }
            return found
        }

        static let earliest = RFC3339.seconds("2000-01-01T00:00:00Z")!, latest = RFC3339.seconds("2100-12-31T23:59:59Z")!

        mutating func optionalBool(_ field: String) -> Bool? {
            guard let value = object[field], value != .null else { return nil }
            guard case let .bool(flag) = value else {
                fail(field, value, "must be true or false")
                return nil
            }
            return flag
        }

        mutating func instant(_ field: String) -> Int64? {
            guard let value = object[field] else { fail(field, nil, "is required"); return nil }
            guard case let .string(text) = value, let seconds = RFC3339.seconds(text), (Self.earliest...Self.latest).contains(seconds) else {
                fail(field, value, "must be a time like 2026-03-10T08:00:00+08:00, from 2000 to 2100")
                return nil
            }
            return seconds
        }

        mutating func optionalInstant(_ field: String) -> Int64? {
            guard let value = object[field], value != .null else { return nil }
            return instant(field)
        }

        mutating func activity() -> [ActivityDatum] {
            guard case let .array(list) = object["activity"], (1...16).contains(list.count) else {
                fail("activity", object["activity"], "must be an array of 1 to 16 activity values")
                return []
            }
            var data: [ActivityDatum] = []
            for (index, item) in list.enumerated() {
                var at: String { "activity[\(index)]" }
                guard case let .object(datum) = item else { fail(at, item, "must be an object"); continue }
                let isUnknown = { (key: String) in key != "name" && key != "unit" && key != "value" }
                if datum.members.contains(where: { isUnknown($0.key) }), let unknown = datum.keys.sorted().first(where: isUnknown) {
                    fail(at + "." + String(unknown.prefix(64)), nil, "is not a field of an activity value (name, unit, value)"); continue
                }
                guard case let .string(name) = datum["name"], Self.isIdentifier(name, maximum: 32) else {
                    fail(at + ".name", datum["name"], "must be a code of 1 to 32 characters"); continue
                }
                guard case let .string(unit) = datum["unit"], Self.isIdentifier(unit, maximum: 16) else {
                    fail(at + ".unit", datum["unit"], "must be a unit of 1 to 16 characters"); continue
                }
                let raw = datum["value"]
                let value: Micro?
                switch raw {
                // A number as written, so 0.1234567 is seen with its seventh place.
                case let .string(text), let .number(text): value = Micro(text)
                default: value = nil
                }
                guard let value, value.millionths >= 0 else {
                    fail(at + ".value", raw, "must be a decimal from 0 with at most six places")
                    continue
                }
                if data.contains(where: { $0.name == name }) { fail(at + ".name", .string(name), "appears twice"); continue }
                data.append(ActivityDatum(name: name, unit: unit, value: value))
            }
            return data
        }
    }
}
