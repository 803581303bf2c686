import CarbonKit
import Foundation

/// SenML JSON packs (RFC 8428): base name, time, unit and value carried forward from record to
/// record; the name is base name + name, the time base time + time, the value base value + value.
/// Times below 2^28 are relative to now, as the RFC says. A record with a sum (`s`, with the
/// base sum `bs`) and no value reads the sum: what a register holds.
public enum SenML {
    struct Record: Decodable {
        let bn: String?
        let bt: Double?
        let bu: String?
        let bv: Double?
        let bs: Double?
        let bver: Int?
        let n: String?
        let u: String?
        let v: Double?
        let vs: String?
        let vb: Bool?
        let vd: String?
        let s: Double?
        let t: Double?
        /// Fields this reader does not know whose names end in `_`: RFC 8428 §4.4 says such a
        /// field changes the meaning of the record, so a reader that does not know it must refuse it.
        let mustUnderstand: [String]

        private struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            func get<T: Decodable>(_ name: String) throws -> T? { try c.decodeIfPresent(T.self, forKey: Key(stringValue: name)) }
            (bn, bt, bu, bv, bs, bver) = (try get("bn"), try get("bt"), try get("bu"), try get("bv"), try get("bs"), try get("bver"))
            (n, u, v, vs, vb, vd, s, t) = (try get("n"), try get("u"), try get("v"), try get("vs"), try get("vb"), try get("vd"), try get("s"), try get("t"))
            mustUnderstand = c.allKeys.map(\.stringValue).filter { $0.hasSuffix("_") }.sorted()
        }
    }

    /// A resolved record: the reading and the unit it declared, if any.
    public struct Entry: Sendable, Hashable {
        public let reading: Reading
        public let unit: String?
        /// Position in the pack, for error messages.
        public let index: Int
    }

    public static func parse(_ bytes: [UInt8], file: String, now: UnixSeconds) throws(InputErrors) -> [Entry] {
        let records: [Record]
        if let nul = InputIssue.escapedNul(in: bytes, file: file) { throw InputErrors([nul]) }
        do {
            records = try JSONDecoder().decode([Record].self, from: Data(bytes))
        } catch let error as DecodingError {
            throw InputErrors([InputIssue(error, file: file, subject: "a SenML pack")])
        } catch {
            throw InputErrors([InputIssue(InputLocation(file: file), reason: "is not a SenML pack: \(error)")])
        }
        var baseName = "", baseTime = 0.0, baseUnit: String?, baseValue = 0.0, baseSum = 0.0
        var entries: [Entry] = []
        var issues: [InputIssue] = []
        for (i, record) in records.enumerated() {
            func issue(_ field: String, _ value: String?, _ reason: String) {
                issues.append(InputIssue(InputLocation(file: file, field: "[\(i)].\(field)"), value: value, reason: reason))
            }
            if let bver = record.bver, bver > 10 { issue("bver", "\(bver)", "SenML version \(bver) is newer than this reader (10)") }
            if let field = record.mustUnderstand.first {
                issue(field, nil, "a field this reader does not understand, which (ending in _) must not be ignored (RFC 8428 §4.4)")
                continue
            }
            if let bn = record.bn { baseName = bn }
            if let bt = record.bt { baseTime = bt }
            if let bu = record.bu { baseUnit = bu }
            if let bv = record.bv { baseValue = bv }
            if let bs = record.bs { baseSum = bs }
            let name = baseName + (record.n ?? "")
            if name.isEmpty { issue("n", nil, "a record needs a name (bn + n)"); continue }
            guard record.vs == nil, record.vb == nil, record.vd == nil else {
                issue(record.vs != nil ? "vs" : record.vb != nil ? "vb" : "vd", nil, "only numeric values (v) can be metered"); continue
            }
            let value: Double
            if let v = record.v { value = baseValue + v } else if let sum = record.s { value = baseSum + sum } else {
                // A record carrying only base fields sets them for the records that follow.
                if record.n == nil, record.t == nil { continue }
                issue("v", nil, "a record needs a numeric value (v) or a sum (s)"); continue
            }
            guard value.isFinite else { issue(record.v != nil ? "v" : "s", "\(value)", "not a finite number"); continue }
            var time = baseTime + (record.t ?? 0)
            if time < 268_435_456 { time += Double(now) }
            guard time.isFinite, abs(time) < 1e11 else { issue("t", "\(time)", "not a time"); continue }
            // Kept by the second: a part of a second cut off would make this reading replace another.
            guard time == time.rounded() else { issue("t", "\(time)", "is not a whole second"); continue }
            entries.append(Entry(reading: Reading(datastream: name, time: UnixSeconds(time.rounded(.down)), value: value),
                                 unit: record.u ?? baseUnit, index: i))
        }
        guard issues.isEmpty else { throw InputErrors(Array(issues.prefix(100))) }
        return entries
    }
}
