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
        // Every interned string, length-prefixed, end to end; pool p's id i is string base[p] + i.
        let pools = [table.jurisdictions, table.refs, table.fuels, table.technologies, table.units, table.factorSets,
                     table.gases, table.sources, table.notes]
        var arena: [UInt8] = []
        var offsets: [Int] = [0]
        var base: [Int] = []
        for pool in pools {
            base.append(offsets.count - 1)
            for s in pool.strings {
                let utf8 = Array(s.utf8)
                withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { arena.append(contentsOf: $0) }
                arena.append(contentsOf: utf8)
                offsets.append(arena.count)
            }
        }
        // A fuel row's factor set is hashed as the set it resolved to, so a row that names
        // IPCC2006 and one that leaves it to the default are the same input.
        var comboSet: [Int32] = []
        for combo in activities.combos {
            if let name = combo.factorSet {
                comboSet.append(Int32(offsets.count - 1 - base[5]))
                let utf8 = Array(name.utf8)
                withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { arena.append(contentsOf: $0) }
                arena.append(contentsOf: utf8)
                offsets.append(arena.count)
            } else {
                comboSet.append(-2)
            }
        }
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var used = 0
        arena.withUnsafeBytes { arena in
        offsets.withUnsafeBufferPointer { offsets in
        func flush() {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: used))
            used = 0
        }
        @inline(__always) func text(_ pool: Int, _ id: Int32) {
            if id < 0 {
                buffer.storeBytes(of: UInt32.max, toByteOffset: used, as: UInt32.self)
                used += 4
                return
            }
            let index = base[pool] + Int(id)
            let start = offsets[index], count = offsets[index + 1] - start
            if used + count > capacity { flush() }
            if count > capacity {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: arena[start..<start + count]))
                return
            }
            buffer.advanced(by: used).copyMemory(from: arena.baseAddress! + start, byteCount: count)
            used += count
        }
        @inline(__always) func number(_ x: Double) {
            buffer.storeBytes(of: x.isNaN ? UInt64.max : x.bitPattern.littleEndian, toByteOffset: used, as: UInt64.self)
            used += 8
        }
        @inline(__always) func byte(_ b: UInt8) {
            buffer.storeBytes(of: b, toByteOffset: used, as: UInt8.self)
            used += 1
        }
        table.rows.withUnsafeBufferPointer { rows in
        activities.rowCombo.withUnsafeBufferPointer { rowCombo in
        for (index, r) in rows.enumerated() {
            if used > capacity - 4096 { flush() }
            buffer.storeBytes(of: r.year.littleEndian, toByteOffset: used, as: Int32.self)
            used += 4
            text(0, r.jurisdiction)
            text(1, r.gpcRef)
            text(2, r.fuel)
            text(3, r.technology)
            number(r.amount)
            text(4, r.unit)
            let combo = rowCombo[index]
            let resolvedSet = combo >= 0 ? comboSet[Int(combo)] : -2
            text(5, resolvedSet >= 0 ? resolvedSet : r.factorSet)
            let x = table.extras(of: r)
            number(x.co2); number(x.ch4); number(x.n2o)
            text(6, r.gas)
            number(x.tdLossRate)
            byte(r.notationKey)
            text(1, r.ieRef)
            byte(r.adQuality)
            byte(r.efQuality)
            text(7, r.source)
            text(8, r.note)
        }
        }
        }
        flush()
        }}
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
