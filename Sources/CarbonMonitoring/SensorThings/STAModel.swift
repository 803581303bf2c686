/// The SensorThings sensing data model (SensorThings API 1.1 §8.2 and the MultiDatastream
/// extension §14.2): its entity types, their navigation properties, and how a resource path
/// (`/Things(1)/Datastreams`) names a set, an entity, a property or a reference.
public enum STAEntityType: String, Sendable, CaseIterable, Hashable {
    case thing = "Things", location = "Locations", historicalLocation = "HistoricalLocations", datastream = "Datastreams"
    case multiDatastream = "MultiDatastreams", sensor = "Sensors", observedProperty = "ObservedProperties"
    case observation = "Observations", featureOfInterest = "FeaturesOfInterest"

    /// The set's name in URLs and the singular a to-one navigation property uses.
    public var setName: String { rawValue }
    public var singular: String {
        switch self {
        case .thing: "Thing"
        case .location: "Location"
        case .historicalLocation: "HistoricalLocation"
        case .datastream: "Datastream"
        case .multiDatastream: "MultiDatastream"
        case .sensor: "Sensor"
        case .observedProperty: "ObservedProperty"
        case .observation: "Observation"
        case .featureOfInterest: "FeatureOfInterest"
        }
    }

    /// Navigation properties: name → (the related type, whether there are many).
    public var navigation: [String: (type: STAEntityType, many: Bool)] {
        switch self {
        case .thing: ["Locations": (.location, true), "HistoricalLocations": (.historicalLocation, true),
                      "Datastreams": (.datastream, true), "MultiDatastreams": (.multiDatastream, true)]
        case .location: ["Things": (.thing, true), "HistoricalLocations": (.historicalLocation, true)]
        case .historicalLocation: ["Thing": (.thing, false), "Locations": (.location, true)]
        case .datastream: ["Thing": (.thing, false), "Sensor": (.sensor, false), "ObservedProperty": (.observedProperty, false),
                           "Observations": (.observation, true)]
        case .multiDatastream: ["Thing": (.thing, false), "Sensor": (.sensor, false), "ObservedProperties": (.observedProperty, true),
                                "Observations": (.observation, true)]
        case .sensor: ["Datastreams": (.datastream, true), "MultiDatastreams": (.multiDatastream, true)]
        case .observedProperty: ["Datastreams": (.datastream, true), "MultiDatastreams": (.multiDatastream, true)]
        case .observation: ["Datastream": (.datastream, false), "MultiDatastream": (.multiDatastream, false),
                            "FeatureOfInterest": (.featureOfInterest, false)]
        case .featureOfInterest: ["Observations": (.observation, true)]
        }
    }

    /// The properties an entity of this type has (besides `@iot.id`), in the order they are written.
    public var properties: [String] {
        switch self {
        case .thing: ["name", "description", "properties"]
        case .location: ["name", "description", "encodingType", "location", "properties"]
        case .historicalLocation: ["time"]
        case .datastream: ["name", "description", "unitOfMeasurement", "observationType", "observedArea", "phenomenonTime",
                           "resultTime", "properties"]
        case .multiDatastream: ["name", "description", "unitOfMeasurements", "observationType", "multiObservationDataTypes",
                                "observedArea", "phenomenonTime", "resultTime", "properties"]
        case .sensor: ["name", "description", "encodingType", "metadata", "properties"]
        case .observedProperty: ["name", "definition", "description", "properties"]
        case .observation: ["phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters"]
        case .featureOfInterest: ["name", "description", "encodingType", "feature", "properties"]
        }
    }

    /// Properties whose text is a time or an interval, compared as times in `$filter`.
    public static let timeProperties: Set<String> = ["phenomenonTime", "resultTime", "validTime", "time"]
}

/// An entity's `@iot.id`: this server's are whole numbers, or text for observations and air sensors.
public enum STAID: Sendable, Hashable, CustomStringConvertible {
    case integer(Int64)
    case text(String)

    /// As in a URL's brackets: `5` or `'pm25-7'` (a quote doubled).
    public var description: String {
        switch self {
        case let .integer(n): "\(n)"
        case let .text(s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    /// The id inside `Things(…)`: a whole number or a quoted string.
    public init?(bracketed text: Substring) {
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else { return nil }
            let inner = text.dropFirst().dropLast()
            // Inside, a quote only comes doubled.
            guard !inner.replacingOccurrences(of: "''", with: "").contains("'") else { return nil }
            self = .text(inner.replacingOccurrences(of: "''", with: "'"))
        } else {
            guard let n = Int64(text) else { return nil }
            self = .integer(n)
        }
    }
}

/// A resource path below the service root: `Things`, `Things(1)`, `Things(1)/Datastreams`,
/// `Datastreams(5)/Thing/name/$value`, `Things(1)/Datastreams/$ref`.
public struct STAPath: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        /// An entity set, or a navigation property; with an id, one entity of it.
        case entities(STAEntityType, name: String, id: STAID?, many: Bool)
        case property(String)
        case value
        case ref
    }

    public var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }

    public static func parse(_ text: String) throws(STAQueryError) -> STAPath {
        // A slash inside a quoted id (`Things('a/b')`) is part of the id.
        var parts: [Substring] = []
        var start = text.startIndex, quoted = false
        for index in text.indices {
            if text[index] == "'" { quoted.toggle() } else if text[index] == "/", !quoted {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
        }
        parts.append(text[start...])
        guard let first = parts.first, !first.isEmpty else { throw STAQueryError("path", "names no entity set") }
        var segments: [Segment] = []
        var current: STAEntityType?
        var single = false
        for (index, part) in parts.enumerated() {
            let place = "segment \(index + 1) ('\(part.prefix(60))')"
            guard !part.isEmpty else { throw STAQueryError("path", "\(place) is empty") }
            if part == "$value" {
                guard case .property? = segments.last, index == parts.count - 1 else { throw STAQueryError("path", "$value follows a property, last") }
                segments.append(.value)
                continue
            }
            if part == "$ref" {
                guard case .entities? = segments.last, index == parts.count - 1, segments.count > 1 || !single else {
                    throw STAQueryError("path", "$ref follows an entity set or navigation property, last")
                }
                segments.append(.ref)
                continue
            }
            var name = part, id: STAID?
            if let open = part.firstIndex(of: "(") {
                guard part.hasSuffix(")"), let parsed = STAID(bracketed: part[part.index(after: open)..<part.index(before: part.endIndex)]) else {
                    throw STAQueryError("path", "\(place) does not end in an id in brackets, (5) or ('text')")
                }
                name = part[..<open]
                id = parsed
            }
            if let type = current {
                if let (target, many) = type.navigation[String(name)] {
                    guard single else { throw STAQueryError("path", "\(place): a navigation property follows one entity, not a set") }
                    if id != nil, !many { throw STAQueryError("path", "\(place): \(name) is one entity, it takes no id") }
                    segments.append(.entities(target, name: String(name), id: id, many: many))
                    current = target
                    single = !many || id != nil
                    continue
                }
                guard id == nil, single, type.properties.contains(String(name)) || name == "id" || name == "@iot.id" else {
                    throw STAQueryError("path", "\(place) is not a property or navigation property of \(type.singular)")
                }
                segments.append(.property(name == "@iot.id" ? "id" : String(name)))
                current = nil
                continue
            }
            guard segments.isEmpty else { throw STAQueryError("path", "\(place) follows a property") }
            guard let type = STAEntityType(rawValue: String(name)) else {
                throw STAQueryError("path", "\(place) is not an entity set; the sets are " + STAEntityType.allCases.map(\.setName).joined(separator: ", "))
            }
            segments.append(.entities(type, name: String(name), id: id, many: true))
            current = type
            single = id != nil
        }
        return STAPath(segments: segments)
    }
}
