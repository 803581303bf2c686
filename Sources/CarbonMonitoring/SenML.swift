import CarbonKit
import Foundation

/// SenML JSON packs (RFC 8428): base name, time, unit and value carried forward from record to
/// record; the name is base name + name, the time base time + time, the value base value + value.
/// Times below 2^28 are relative to now, as the RFC says.
public enum SenML {
    struct Record: Decodable {
        let bn: String?
        let bt: Double?
        let bu: String?
        let bv: Double?
        let bver: Int?
        let n: String?
        let u: String?
        let v: Double?
        let vs: String?
        let vb: Bool?
        let vd: String?
        let s: Double?
        let t: Double?
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
        do {
            records = try JSONDecoder().decode([Record].self, from: Data(bytes))
        } catch let error as DecodingError {
            throw InputErrors([InputIssue(error, file: file, subject: "a SenML pack")])
        } catch {
            throw InputErrors([InputIssue(InputLocation(file: file), reason: "is not a SenML pack: \(error)")])
        }
        var baseName = "", baseTime = 0.0, baseUnit: String?, baseValue = 0.0
        var entries: [Entry] = []
        var issues: [InputIssue] = []
        for (i, record) in records.enumerated() {
            func issue(_ field: String, _ value: String?, _ reason: String) {
                issues.append(InputIssue(InputLocation(file: file, field: "[\(i)].\(field)"), value: value, reason: reason))
            }
            if let bver = record.bver, bver > 10 { issue("bver", "\(bver)", "SenML version \(bver) is newer than this reader (10)") }
            if let bn = record.bn { baseName = bn }
            if let bt = record.bt { baseTime = bt }
            if let bu = record.bu { baseUnit = bu }
            if let bv = record.bv { baseValue = bv }
            let name = baseName + (record.n ?? "")
            if name.isEmpty { issue("n", nil, "a record needs a name (bn + n)"); continue }
            guard record.vs == nil, record.vb == nil, record.vd == nil else {
                issue(record.vs != nil ? "vs" : record.vb != nil ? "vb" : "vd", nil, "only numeric values (v) can be metered"); continue
            }
            guard let v = record.v else {
                // A record carrying only base fields sets them for the records that follow.
                if record.n == nil, record.s == nil, record.t == nil { continue }
                issue("v", nil, "a record needs a numeric value"); continue
            }
            var time = baseTime + (record.t ?? 0)
            if time < 268_435_456 { time += Double(now) }
            guard time.isFinite, abs(time) < 1e11 else { issue("t", "\(time)", "not a time"); continue }
            entries.append(Entry(reading: Reading(datastream: name, time: UnixSeconds(time.rounded(.down)), value: baseValue + v),
                                 unit: record.u ?? baseUnit, index: i))
        }
        guard issues.isEmpty else { throw InputErrors(Array(issues.prefix(100))) }
        return entries
    }
}
