import CarbonKit
import Foundation

/// Hours for one sensor of the city's network read from another network's own payload: an
/// OpenAQ v3 sensor's `measurements` or `hours`, a Sensor.Community sensor's readings
/// (`/airrohr/v1/sensor/{id}/`), or a PurpleAir sensor's `history`. Samples finer than an hour
/// become the hour's mean when they cover enough of it (``SensorQC/completeness_percent``);
/// hourly values keep their provider's coverage. Units become the network's (gases by
/// ``GasConversion``, °F to °C). The hours then go through the network's checks and correction
/// like any other.
public struct AirFeed: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case openaq, sensorCommunity = "sensor-community", purpleair
    }

    public var rows: [AirHourSheet.Row]
    /// Hours whose samples covered too little of them: left out, as a missing hour.
    public var incompleteHours: Int
    /// Values of parameters the network does not keep (`pm1`, `um003`, `pressure`…), by name: left out.
    public var skipped: [String: Int]

    /// How often a network's sensors sample, from `Resources/air-feeds.json`.
    public struct Interval: Sendable, Decodable {
        public var id: String
        public var sample_seconds: Int
        public var source: String
    }

    struct Intervals: Decodable { var source: String; var feeds: [Interval] }
    static let intervals: Intervals = ShippedData.load("air-feeds")

    public static func sampleSeconds(_ format: Format) -> Int? { intervals.feeds.first { $0.id == format.rawValue }?.sample_seconds }

    /// Reads `bytes` in `format` as sensor `code`'s hours; `sampleSeconds` overrides the network's usual interval.
    /// Hours not yet ended at `now` (Unix seconds) and samples after it are refused: no value can be for them yet.
    public static func read(_ format: Format, _ bytes: [UInt8], sensor code: String, sampleSeconds: Int? = nil,
                            qc: SensorQC = .shipped, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(InputErrors) -> AirFeed {
        let node: JSONNode
        do { node = try JSONReader.read(Data(bytes), maximumDepth: 32) } catch {
            throw InputErrors([InputIssue(InputLocation(), reason: "is not JSON: \(error)")])
        }
        var reader = Reader(sensor: code, qc: qc, now: now)
        switch format {
        case .openaq: try reader.openAQ(node)
        case .sensorCommunity: try reader.sensorCommunity(node, sampleSeconds: sampleSeconds ?? Self.sampleSeconds(.sensorCommunity)!)
        case .purpleair: try reader.purpleAir(node, sampleSeconds: sampleSeconds ?? Self.sampleSeconds(.purpleair)!)
        }
        return try reader.feed()
    }

    /// A sample of one parameter at a time, in the network's unit; `b` is a second channel's.
    struct Sample { var parameter: AirParameter; var time: Int64; var value: Double; var b: Double? }

    struct Reader {
        let sensor: String
        let qc: SensorQC
        let now: Int64
        /// Hourly values with where each was in the payload.
        var hourly: [(row: AirHourSheet.Row, place: String)] = []
        /// Samples finer than an hour, with how many an hour expects.
        var samples: [(Sample, expected: Int)] = []
        var incomplete = 0
        var skipped: [String: Int] = [:]
        var issues: [InputIssue] = []

        init(sensor: String, qc: SensorQC, now: Int64) { (self.sensor, self.qc, self.now) = (sensor, qc, now) }

        /// An hourly value, refused when its hour has not ended or the payload gave it already.
        mutating func hour(_ row: AirHourSheet.Row, place: String, seen: inout [String: String]) {
            if row.hour + 3600 > now {
                fail(place, .number(String(row.hour)), "is an hour that has not ended yet"); return
            }
            let key = "\(row.parameter.rawValue)@\(row.hour)"
            if let earlier = seen[key] { fail(place, nil, "gives \(row.parameter.rawValue) for an hour \(earlier) gave already"); return }
            seen[key] = place
            hourly.append((row, place))
        }

        /// A sample finer than an hour, refused when it is after `now`.
        mutating func sample(_ sample: AirFeed.Sample, expected: Int, place: String) {
            if sample.time > now { fail(place, .number(String(sample.time)), "is a time still to come"); return }
            samples.append((sample, expected))
        }

        mutating func fail(_ field: String, _ value: JSONNode?, _ reason: String) {
            if issues.count < 200 { issues.append(InputIssue(InputLocation(field: field), value: value.map { String($0.shown.prefix(80)) }, reason: reason)) }
        }

        /// Hourly rows first as given, then the samples' hours; refused whole when any value was bad.
        func feed() throws(InputErrors) -> AirFeed {
            if !issues.isEmpty { throw InputErrors(issues) }
            var rows = hourly.map(\.row)
            var incomplete = self.incomplete
            var groups: [String: (parameter: AirParameter, hour: Int64, a: [Double?], b: [Double?], expected: Int)] = [:]
            for (sample, expected) in samples {
                let hour = sample.time - sample.time.floorModulo(3600)
                let key = "\(sample.parameter.rawValue)@\(hour)"
                groups[key, default: (sample.parameter, hour, [], [], expected)].a.append(sample.value)
                groups[key]!.b.append(sample.b)
            }
            for group in groups.values.sorted(by: { ($0.hour, $0.parameter.rawValue) < ($1.hour, $1.parameter.rawValue) }) {
                let a = qc.mean(present: group.a, expected: group.expected)
                guard let mean = a.mean else { incomplete += 1; continue }
                let b = group.b.contains { $0 != nil } ? qc.mean(present: group.b, expected: group.expected).mean : nil
                rows.append(AirHourSheet.Row(sensor: sensor, hour: group.hour, parameter: group.parameter, value: mean, valueB: b))
            }
            // An hour given both as a value and as samples: the value stands (the provider's own hourly figure).
            var seen = Set<String>()
            rows = rows.filter { seen.insert("\($0.parameter.rawValue)@\($0.hour)").inserted }
            return AirFeed(rows: rows, incompleteHours: incomplete, skipped: skipped)
        }

        // MARK: Values

        /// A JSON number, or (where a network sends its values as text) a decimal number written as text:
        /// no hex, no spaces, no `nan` or `inf`.
        static func number(_ node: JSONNode?, text allowed: Bool = false) -> Double? {
            switch node {
            case let .number(text)?: return Double(text).flatMap { $0.isFinite ? $0 : nil }
            case let .string(text)? where allowed && isDecimal(text): return Double(text).flatMap { $0.isFinite ? $0 : nil }
            default: return nil
            }
        }

        static func isDecimal(_ text: String) -> Bool {
            var digits = 0
            let bytes = Array(text.utf8)
            var i = 0
            if i < bytes.count, bytes[i] == 45 || bytes[i] == 43 { i += 1 }
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
            if i < bytes.count, bytes[i] == 46 {
                i += 1
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
            }
            if digits > 0, i < bytes.count, bytes[i] == 101 || bytes[i] == 69 {
                i += 1
                if i < bytes.count, bytes[i] == 45 || bytes[i] == 43 { i += 1 }
                var exponent = 0
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; exponent += 1 }
                if exponent == 0 { return false }
            }
            return digits > 0 && i == bytes.count
        }

        static func object(_ node: JSONNode?) -> JSONObject? { if case let .object(o)? = node { o } else { nil } }
        static func array(_ node: JSONNode?) -> [JSONNode]? { if case let .array(a)? = node { a } else { nil } }
        static func text(_ node: JSONNode?) -> String? { if case let .string(s)? = node { s } else { nil } }

        /// A value of `parameter` from `unit` into the network's unit; nil when the unit is not one it converts.
        static func convert(_ value: Double, _ parameter: AirParameter, unit: String) -> Double? {
            let unit = unit.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "ug/m3", with: "µg/m³")
                .replacingOccurrences(of: "µg/m3", with: "µg/m³").replacingOccurrences(of: "mg/m3", with: "mg/m³")
            switch parameter {
            case .rh: return unit == "%" ? value : nil
            case .t:
                switch unit {
                case "c", "°c", "celsius": return value
                case "f", "°f", "fahrenheit": return (value - 32) * 5 / 9
                default: return nil
                }
            default: return GasConversion.shipped.convert(value, parameter: parameter, from: unit, to: parameter.unit)
            }
        }
    }
}
