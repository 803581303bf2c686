import CarbonKit
import Foundation

/// The OGC SensorThings API (Part 1: Sensing, v1.1) bodies that create Observations: a single
/// Observation, and the `CreateObservations` data-array extension that carries many per
/// Datastream. A Datastream is named by its `@iot.id`; `phenomenonTime` may be an interval
/// (`start/end`), whose end is the reading's time.
public enum SensorThings {
    public struct Observation: Sendable, Hashable {
        /// A meter channel's whole number, or an air sensor's parameter (`'pa-1:pm25'`).
        public let datastream: STAID
        public let time: UnixSeconds
        public let result: Double
        /// A dual-channel sensor's second reading (`parameters.value_b`), checked against the first.
        public var resultB: Double?
        /// The start of an interval `phenomenonTime`: an air sensor's hour is named by its start, a meter's by its end.
        public var start: UnixSeconds?

        /// The meter channel's id; nil for an air stream.
        public var datastreamID: Int64? { if case let .integer(n) = datastream { n } else { nil } }
    }

    struct Reference: Decodable {
        let id: STAID
        enum CodingKeys: String, CodingKey { case id = "@iot.id" }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let n = try? c.decode(Int64.self, forKey: .id) { id = .integer(n); return }
            let text = try c.decode(String.self, forKey: .id)
            guard !text.isEmpty, text.count <= 300 else {
                throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "not a Datastream id: \(text.prefix(40))")
            }
            id = Int64(text).map(STAID.integer) ?? .text(text)
        }
    }

    struct Parameters: Decodable {
        let valueB: Double?
        enum CodingKeys: String, CodingKey { case valueB = "value_b" }
    }

    struct Single: Decodable {
        let phenomenonTime: String
        let result: Double
        let datastream: Reference
        let parameters: Parameters?
        enum CodingKeys: String, CodingKey { case phenomenonTime, result, datastream = "Datastream", parameters }
    }

    enum Cell: Decodable {
        case text(String), number(Double), null
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null } else if let n = try? c.decode(Double.self) { self = .number(n) } else { self = .text(try c.decode(String.self)) }
        }
        var description: String {
            switch self { case .text(let s): s; case .number(let n): "\(n)"; case .null: "null" }
        }
    }

    struct DataArray: Decodable {
        let datastream: Reference
        let components: [String]
        let dataArray: [[Cell]]
        enum CodingKeys: String, CodingKey { case datastream = "Datastream", components, dataArray }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], subject: String) throws(InputErrors) -> T {
        if let nul = InputIssue.escapedNul(in: bytes, file: nil) { throw InputErrors([nul]) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw InputErrors([InputIssue(error, file: nil, subject: subject)])
        } catch {
            throw InputErrors([InputIssue(InputLocation(), reason: "is not \(subject): \(error)")])
        }
    }

    /// The time of a `phenomenonTime`: an instant, or the end of an interval.
    /// The start of an interval `phenomenonTime`; nil for an instant.
    public static func start(_ text: String) -> UnixSeconds? {
        text.firstIndex(of: "/").flatMap { Timestamp.parse(text[..<$0]) }
    }

    public static func time(_ text: String) -> UnixSeconds? {
        if let slash = text.firstIndex(of: "/") { return Timestamp.parse(text[text.index(after: slash)...]) }
        return Timestamp.parse(text)
    }

    /// `POST /Observations`.
    public static func observation(_ bytes: [UInt8]) throws(InputErrors) -> Observation {
        let single = try decode(Single.self, bytes, subject: "an Observation")
        guard let time = time(single.phenomenonTime), !single.phenomenonTime.contains("/") || start(single.phenomenonTime) != nil else {
            throw InputErrors([InputIssue(InputLocation(field: "phenomenonTime"), value: single.phenomenonTime, reason: "not an ISO 8601 time or interval in whole seconds")])
        }
        guard single.result.isFinite else { throw InputErrors([InputIssue(InputLocation(field: "result"), reason: "not a finite number")]) }
        if let b = single.parameters?.valueB, !b.isFinite {
            throw InputErrors([InputIssue(InputLocation(field: "parameters.value_b"), reason: "not a finite number")])
        }
        return Observation(datastream: single.datastream.id, time: time, result: single.result, resultB: single.parameters?.valueB,
                           start: start(single.phenomenonTime))
    }

    /// `POST /CreateObservations`: one list of observations per Datastream entry, in order.
    public static func createObservations(_ bytes: [UInt8]) throws(InputErrors) -> [[Observation]] {
        let arrays = try decode([DataArray].self, bytes, subject: "a CreateObservations request")
        var issues: [InputIssue] = []
        var result: [[Observation]] = []
        for (i, entry) in arrays.enumerated() {
            guard let timeColumn = entry.components.firstIndex(of: "phenomenonTime"),
                  let resultColumn = entry.components.firstIndex(of: "result") else {
                issues.append(InputIssue(InputLocation(field: "[\(i)].components"), value: entry.components.joined(separator: ","),
                                         reason: "must name phenomenonTime and result"))
                continue
            }
            var observations: [Observation] = []
            observations.reserveCapacity(entry.dataArray.count)
            for (j, row) in entry.dataArray.enumerated() {
                let field = "[\(i)].dataArray[\(j)]"
                guard row.count == entry.components.count else {
                    issues.append(InputIssue(InputLocation(field: field), reason: "has \(row.count) values for \(entry.components.count) components"))
                    continue
                }
                guard case .text(let t) = row[timeColumn], let time = time(t), !t.contains("/") || start(t) != nil else {
                    issues.append(InputIssue(InputLocation(field: "\(field)[\(timeColumn)]"), value: row[timeColumn].description,
                                             reason: "phenomenonTime is not an ISO 8601 time or interval in whole seconds"))
                    continue
                }
                guard case .number(let value) = row[resultColumn], value.isFinite else {
                    issues.append(InputIssue(InputLocation(field: "\(field)[\(resultColumn)]"), value: row[resultColumn].description,
                                             reason: "result is not a number"))
                    continue
                }
                observations.append(Observation(datastream: entry.datastream.id, time: time, result: value, start: start(t)))
            }
            result.append(observations)
        }
        guard issues.isEmpty else { throw InputErrors(Array(issues.prefix(100))) }
        return result
    }
}

extension SensorThings {
    /// `POST /Things` with its Location inline (SensorThings 1.1 §10.2, deep insert): what a sensor
    /// network's partner registers. `properties` holds the fields the city's registry needs.
    public struct ThingDraft: Sendable, Equatable {
        public var name: String
        public var description: String?
        public var properties: [String: String]
        /// The Location's point: longitude, latitude (GeoJSON's order).
        public var longitude: Double
        public var latitude: Double
    }

    struct ThingBody: Decodable {
        let name: String
        let description: String?
        let properties: [String: Scalar]?
        let locations: [LocationBody]?
        enum CodingKeys: String, CodingKey { case name, description, properties, locations = "Locations" }
    }

    struct LocationBody: Decodable {
        let encodingType: String?
        let location: Point
    }

    struct Point: Decodable {
        let type: String
        let coordinates: [Double]
    }

    /// A property's value as text: registries take text and numbers, not nested objects.
    enum Scalar: Decodable {
        case text(String)
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .text(s); return }
            if let n = try? c.decode(Double.self), n.isFinite { self = .text(n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)); return }
            if let b = try? c.decode(Bool.self) { self = .text(b ? "true" : "false"); return }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a property is text, a number or true/false")
        }
        var text: String { if case let .text(s) = self { s } else { "" } }
    }

    public static func thing(_ bytes: [UInt8]) throws(InputErrors) -> ThingDraft {
        let body = try decode(ThingBody.self, bytes, subject: "a Thing")
        var issues: [InputIssue] = []
        guard let locations = body.locations, locations.count == 1 else {
            throw InputErrors([InputIssue(InputLocation(field: "Locations"), reason: "a Thing is created with exactly one Location inline, its point")])
        }
        let location = locations[0]
        if let encoding = location.encodingType, encoding != "application/geo+json", encoding != "application/vnd.geo+json" {
            issues.append(InputIssue(InputLocation(field: "Locations[0].encodingType"), value: encoding, reason: "must be application/geo+json"))
        }
        let point = location.location
        guard point.type == "Point", point.coordinates.count == 2, point.coordinates.allSatisfy(\.isFinite) else {
            throw InputErrors(issues + [InputIssue(InputLocation(field: "Locations[0].location"), reason: "must be a GeoJSON Point [longitude, latitude]")])
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return ThingDraft(name: body.name, description: body.description, properties: (body.properties ?? [:]).mapValues(\.text),
                          longitude: point.coordinates[0], latitude: point.coordinates[1])
    }
}
