import CarbonKit
import Crypto
import Foundation

/// A SHA-256 over everything an inventory's numbers depend on: every activity row in order
/// and the fingerprint of every factor set used.
///
/// Each row is hashed in a canonical binary form: text values as numbers in order of first
/// appearance (their strings are hashed once, at the end, in that order), numbers as
/// IEEE-754 bits. A fuel row's factor set is the set it resolved to, so naming `IPCC2006`
/// and leaving the default are the same input. The same rows read from a file or from the
/// database therefore give the same fingerprint.
public enum InputFingerprint {
    public static func compute(_ activities: ValidatedActivities, factorSets: [FactorSet]) -> String {
        let table = activities.table
        var hasher = SHA256()
        hasher.update(data: Data("citycarbon-activities-v2\n".utf8))
        for set in factorSets.sorted(by: { $0.name < $1.name }) {
            hasher.update(data: Data("\(set.name)=\(set.fingerprint)\n".utf8))
        }

        // Factor-set names, raw and resolved, in one list.
        var setIndex: [String: Int32] = [:]
        var setNames: [String] = []
        func setID(_ name: String) -> Int32 {
            if let id = setIndex[name] { return id }
            setIndex[name] = Int32(setNames.count)
            setNames.append(name)
            return Int32(setNames.count - 1)
        }
        let rawSet = table.strings(.factorSet).map(setID)
        let comboSet: [Int32] = activities.combos.map { $0.factorSet.map(setID) ?? -1 }

        // Column c's strings, and the canonical number each id gets on first appearance.
        let strings: [[String]] = [table.strings(.jurisdiction), table.strings(.gpcRef), table.strings(.fuel), table.strings(.technology),
                                   table.strings(.unit), setNames, table.strings(.gas), table.strings(.source), table.strings(.note)]
        var canonical = strings.map { [Int32](repeating: -1, count: $0.count) }
        var order = strings.map { _ in [Int32]() }

        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var used = 0
        @inline(__always) func put<T>(_ value: T) {
            buffer.storeBytes(of: value, toByteOffset: used, as: T.self)
            used += MemoryLayout<T>.size
        }
        @inline(__always) func id(_ column: Int, _ raw: Int32) {
            guard raw >= 0 else { put(Int32(-1)); return }
            var value = canonical[column][Int(raw)]
            if value < 0 {
                value = Int32(order[column].count)
                canonical[column][Int(raw)] = value
                order[column].append(raw)
            }
            put(value.littleEndian)
        }
        @inline(__always) func number(_ x: Double) { put(x.isNaN ? UInt64.max : x.bitPattern.littleEndian) }

        table.packedRows.withUnsafeBufferPointer { rows in
            activities.rowCombo.withUnsafeBufferPointer { rowCombo in
                for (index, r) in rows.enumerated() {
                    if used > capacity - 256 {
                        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: used))
                        used = 0
                    }
                    put(r.year.littleEndian)
                    id(0, r.jurisdiction)
                    id(1, r.gpcRef)
                    id(2, r.fuel)
                    id(3, r.technology)
                    number(r.amount)
                    id(4, r.unit)
                    let combo = rowCombo[index]
                    let resolved = combo >= 0 ? comboSet[Int(combo)] : -1
                    id(5, resolved >= 0 ? resolved : (r.factorSet >= 0 ? rawSet[Int(r.factorSet)] : -1))
                    id(6, r.gas)
                    id(1, r.ieRef)
                    id(7, r.source)
                    id(8, r.note)
                    put(r.notationKey)
                    put(r.adQuality)
                    put(r.efQuality)
                    if r.extra >= 0 {
                        let x = table.extras(of: r)
                        put(UInt8(1))
                        number(x.co2); number(x.ch4); number(x.n2o); number(x.tdLossRate)
                    } else {
                        put(UInt8(0))
                    }
                }
            }
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: used))

        // The strings behind the numbers, column by column, in order of first appearance.
        for (column, ids) in order.enumerated() {
            var text = "\n#\(column):\(ids.count)\n"
            for raw in ids {
                let s = strings[column][Int(raw)]
                text += "\(s.utf8.count):\(s)"
            }
            hasher.update(data: Data(text.utf8))
        }
        return "sha256:" + Hex.string(hasher.finalize())
    }
}
