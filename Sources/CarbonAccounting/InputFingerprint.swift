import CarbonKit
import Crypto
import Foundation

/// A SHA-256 over everything an inventory's numbers depend on: every activity row in order,
/// in a canonical binary form (text as length-prefixed UTF-8, numbers as IEEE-754 bits), and
/// the fingerprint of every factor set used. The same rows read from a file or from the
/// database give the same fingerprint.
public enum InputFingerprint {
    public static func compute(_ activities: ValidatedActivities, factorSets: [FactorSet]) -> String {
        let table = activities.table
        var hasher = SHA256()
        hasher.update(data: Data("citycarbon-activities-v1\n".utf8))
        for set in factorSets.sorted(by: { $0.name < $1.name }) {
            hasher.update(data: Data("\(set.name)=\(set.fingerprint)\n".utf8))
        }
        func encoded(_ pool: BytePool) -> [[UInt8]] {
            pool.strings.map { s in
                let bytes = Array(s.utf8)
                return withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init) + bytes
            }
        }
        let pools = (jurisdictions: encoded(table.jurisdictions), refs: encoded(table.refs), fuels: encoded(table.fuels),
                     technologies: encoded(table.technologies), units: encoded(table.units), sets: encoded(table.factorSets),
                     gases: encoded(table.gases), sources: encoded(table.sources), notes: encoded(table.notes))
        let none: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        @inline(__always) func text(_ pool: [[UInt8]], _ id: Int32) { buffer.append(contentsOf: id >= 0 ? pool[Int(id)] : none) }
        @inline(__always) func number(_ x: Double) { withUnsafeBytes(of: (x.isNaN ? UInt64.max : x.bitPattern).littleEndian) { buffer.append(contentsOf: $0) } }
        for row in 0..<table.count {
            withUnsafeBytes(of: table.year[row].littleEndian) { buffer.append(contentsOf: $0) }
            text(pools.jurisdictions, table.jurisdiction[row])
            text(pools.refs, table.gpcRef[row])
            text(pools.fuels, table.fuel[row])
            text(pools.technologies, table.technology[row])
            number(table.amount[row])
            text(pools.units, table.unit[row])
            text(pools.sets, table.factorSet[row])
            number(table.co2[row]); number(table.ch4[row]); number(table.n2o[row])
            text(pools.gases, table.gas[row])
            number(table.tdLossRate[row])
            buffer.append(table.notationKey[row])
            text(pools.refs, table.ieRef[row])
            buffer.append(table.adQuality[row])
            buffer.append(table.efQuality[row])
            text(pools.sources, table.source[row])
            text(pools.notes, table.note[row])
            if buffer.count > (1 << 20) - 4096 {
                hasher.update(data: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(data: buffer)
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
