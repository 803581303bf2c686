import CarbonKit
import Foundation

/// A value a SensorThings expression works on: what a literal is, what a property holds, what
/// an operator or function gives. Times are seconds since 1970 in UTC, fractions kept.
public enum STAValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case time(Double)
    case interval(Double, Double)
    case duration(Double)
    case geometry(STAGeometry)

    /// An ISO 8601 date-time with a zone (`Z` or `±hh:mm`, fraction allowed) or a date (`2026-11-25`, UTC midnight).
    public static func instant(_ text: String) -> Double? {
        if text.count == 10, let day = Day(text) { return Double(day.ordinal) * 86_400 }
        var whole = text, fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            var end = text.index(after: dot)
            while end < text.endIndex, text[end].isASCII, text[end].isNumber { end = text.index(after: end) }
            guard end > text.index(after: dot), let value = Double("0" + text[dot..<end]) else { return nil }
            fraction = value
            whole = String(text[..<dot]) + text[end...]
        }
        return Timestamp.parse(whole).map { Double($0) + fraction }
    }

    /// Seconds in an ISO 8601 duration with days and a time part (`P1DT2H30M`, `PT0.5S`); years and
    /// months have no fixed length and are refused.
    public static func duration(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if rest.first == "-" { sign = -1; rest = rest.dropFirst() }
        guard rest.first == "P", rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var total = 0.0, inTime = false, number = "", any = false
        for c in rest {
            if c == "T" { guard !inTime, number.isEmpty else { return nil }; inTime = true; continue }
            if c.isNumber || c == "." { number.append(c); continue }
            guard let value = Double(number) else { return nil }
            switch (c, inTime) {
            case ("D", false): total += value * 86_400
            case ("W", false): total += value * 604_800
            case ("H", true): total += value * 3600
            case ("M", true): total += value * 60
            case ("S", true): total += value
            default: return nil
            }
            number = ""
            any = true
        }
        guard any, number.isEmpty, total.isFinite else { return nil }
        return sign * total
    }

    /// `2026-11-25T08:00:00Z`, with milliseconds when the time has them.
    public static func iso(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        let millis = Int(((seconds - whole) * 1000).rounded())
        let text = Timestamp.iso(Int64(whole))
        guard millis > 0 else { return text }
        let digits = String(millis + 1000).dropFirst()
        return text.dropLast() + "." + digits + "Z"
    }

    /// The value a property's JSON holds; `asTime` for properties that are times (phenomenonTime …).
    public static func from(_ json: JSONValue, asTime: Bool = false) -> STAValue {
        switch json {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .integer(i): return .number(Double(i))
        case let .number(x): return .number(x)
        case let .string(s):
            guard asTime else { return .string(s) }
            if let slash = s.firstIndex(of: "/"), let from = instant(String(s[..<slash])), let to = instant(String(s[s.index(after: slash)...])) {
                return .interval(from, to)
            }
            return instant(s).map(STAValue.time) ?? .string(s)
        case .array, .object:
            return STAGeometry(geoJSON: json).map(STAValue.geometry) ?? .null
        }
    }

    /// Order for `$orderby` and comparisons: nil when the two cannot be compared.
    static func compare(_ a: STAValue, _ b: STAValue) -> Int? {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        switch (a, b) {
        case let (.number(x), .number(y)): return order(x, y)
        case let (.string(x), .string(y)): return x == y ? 0 : x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : 1
        case let (.bool(x), .bool(y)): return order(x ? 1 : 0, y ? 1 : 0)
        case let (.time(x), .time(y)), let (.duration(x), .duration(y)): return order(x, y)
        // An interval against an instant: before it when it ends by then, after when it starts after.
        case let (.interval(s, e), .time(t)): return e <= t && s < t ? -1 : s > t ? 1 : 0
        case let (.time(t), .interval(s, e)): return t < s ? -1 : t >= e && s < t ? 1 : 0
        case let (.interval(s1, e1), .interval(s2, e2)): return s1 == s2 && e1 == e2 ? 0 : order(s1, s2) != 0 ? order(s1, s2) : order(e1, e2)
        case let (.string(x), .time), let (.string(x), .interval): return instant(x).flatMap { compare(.time($0), b) }
        case let (.time, .string(y)), let (.interval, .string(y)): return instant(y).flatMap { compare(a, .time($0)) }
        default: return nil
        }
    }
}

/// A point, line or polygon: a Location's GeoJSON, or a `geography'…'` literal's WKT.
public enum STAGeometry: Sendable, Equatable {
    case point(Double, Double)
    case line([[Double]])
    case polygon([[[Double]]])

    public init?(wkt: String) {
        let text = wkt.trimmingCharacters(in: .whitespaces).uppercased()
        func coordinates(_ body: Substring) -> [[Double]]? {
            let pairs = body.split(separator: ",").map { $0.split(separator: " ").compactMap { Double($0) } }
            return pairs.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isFinite) } && !pairs.isEmpty ? pairs : nil
        }
        func inner(_ prefix: String) -> Substring? {
            guard text.hasPrefix(prefix) else { return nil }
            let rest = text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            guard rest.hasPrefix("("), rest.hasSuffix(")") else { return nil }
            return Substring(rest.dropFirst().dropLast())
        }
        if let body = inner("POINT"), let c = coordinates(body), c.count == 1 { self = .point(c[0][0], c[0][1]) }
        else if let body = inner("LINESTRING"), let c = coordinates(body), c.count >= 2 { self = .line(c) }
        else if let body = inner("POLYGON"), body.hasPrefix("("), body.hasSuffix(")") {
            let rings = body.dropFirst().dropLast().components(separatedBy: "),").map { $0.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "") }
            let parsed = rings.compactMap { coordinates(Substring($0)) }
            guard parsed.count == rings.count, parsed.allSatisfy({ $0.count >= 4 }) else { return nil }
            self = .polygon(parsed)
        } else { return nil }
    }

    public init?(geoJSON: JSONValue) {
        guard case let .object(members) = geoJSON else { return nil }
        let fields = Dictionary(members, uniquingKeysWith: { first, _ in first })
        guard case let .string(type)? = fields["type"], let coordinates = fields["coordinates"] else { return nil }
        func numbers(_ value: JSONValue) -> [Double]? {
            guard case let .array(items) = value else { return nil }
            let values = items.compactMap { item -> Double? in
                switch item { case let .number(x): x; case let .integer(i): Double(i); default: nil }
            }
            return values.count == items.count && values.count >= 2 && values.allSatisfy(\.isFinite) ? Array(values.prefix(2)) : nil
        }
        func list(_ value: JSONValue) -> [[Double]]? {
            guard case let .array(items) = value else { return nil }
            let points = items.compactMap(numbers)
            return points.count == items.count && !points.isEmpty ? points : nil
        }
        switch type {
        case "Point": guard let p = numbers(coordinates) else { return nil }; self = .point(p[0], p[1])
        case "LineString": guard let l = list(coordinates), l.count >= 2 else { return nil }; self = .line(l)
        case "Polygon":
            guard case let .array(rings) = coordinates else { return nil }
            let parsed = rings.compactMap(list)
            guard !parsed.isEmpty, parsed.count == rings.count else { return nil }
            self = .polygon(parsed)
        default: return nil
        }
    }

    public var geoJSON: JSONValue {
        func pair(_ p: [Double]) -> JSONValue { .array(p.map(JSONValue.number)) }
        switch self {
        case let .point(x, y): return .object([("type", .string("Point")), ("coordinates", .array([.number(x), .number(y)]))])
        case let .line(points): return .object([("type", .string("LineString")), ("coordinates", .array(points.map(pair)))])
        case let .polygon(rings): return .object([("type", .string("Polygon")), ("coordinates", .array(rings.map { .array($0.map(pair)) }))])
        }
    }

    /// The planar distance between two points in their coordinates' units, as `geo.distance` on a
    /// geometry gives; nil for lines and polygons, which this server does not measure.
    func distance(to other: STAGeometry) -> Double? {
        guard case let .point(x1, y1) = self, case let .point(x2, y2) = other else { return nil }
        return ((x1 - x2) * (x1 - x2) + (y1 - y2) * (y1 - y2)).squareRoot()
    }
}
