import Foundation

/// Activity rows of one year and one imported file, stored as one block of bytes.
///
/// A database row per activity costs the database its own bookkeeping a million times over
/// (a million rows took three seconds to write, most of it in SQLite). Stored in blocks of up
/// to ``capacity`` rows — each text column a small dictionary and fixed-size ids, numbers as
/// IEEE doubles — the same million rows are about forty writes, and reading them back is a
/// copy. Rows keep their order; the jurisdiction of each row is a database id, so renaming a
/// jurisdiction never touches a block.
///
/// Layout (little-endian): `CCA1`, row count (u32), jurisdiction ids (u32 count, i64 each),
/// eight dictionaries (references, fuels, technologies, units, factor sets, gases, sources,
/// notes: u32 count, then u32 length and UTF-8 bytes each), the rows (``rowSize`` bytes each),
/// then four doubles (CO2, CH4, N2O factors and loss rate) for each row flagged as having them.
public enum ActivityChunk {
    /// Rows per block: a block stays a few megabytes, so replacing one district's rows
    /// rewrites little.
    public static let capacity = 32_768
    static let magic: [UInt8] = Array("CCA1".utf8)
    /// jurisdiction, nine text ids, line (4 bytes each), amount (8), four one-byte codes.
    static let rowSize = 11 * 4 + 8 + 4

    /// A block's bytes and how many of its rows each jurisdiction has.
    public struct Encoded: Sendable {
        public var bytes: [UInt8]
        public var rowsByJurisdiction: [(id: Int64, rows: Int)]
    }

    /// Encodes `rows` of `table` (one year's) into blocks of at most ``capacity`` rows.
    /// `jurisdictionID` gives the database id of each of the table's jurisdictions (by its
    /// index in `table.jurisdictionNames`); `pricedWith` the factor set each kind of row was
    /// priced with and each row's kind (-1, or a kind without a name: the set the row names),
    /// as ``ValidatedActivities/factorSetNamesByKind`` gives them.
    public static func encode(_ table: ActivityTable, rows: [Int], jurisdictionID: [Int64],
                              pricedWith: (names: [String?], kindOfRow: [Int32])? = nil) -> [Encoded] {
        stride(from: 0, to: rows.count, by: capacity).map { start in
            encodeBlock(table, rows: rows[start..<min(rows.count, start + capacity)], jurisdictionID: jurisdictionID, pricedWith: pricedWith)
        }
    }

    /// A text column's dictionary for one block: the table's ids renumbered from 0 in order of use.
    private struct LocalDictionary {
        var local: [Int32: Int32] = [:]
        var strings: [String] = []
        mutating func id(_ tableID: Int32, _ pool: BytePool) -> Int32 {
            guard tableID >= 0 else { return -1 }
            if let id = local[tableID] { return id }
            let id = Int32(strings.count)
            local[tableID] = id
            strings.append(pool[tableID])
            return id
        }
        mutating func id(of string: String) -> Int32 {
            if let i = strings.firstIndex(of: string) { return Int32(i) }
            strings.append(string)
            return Int32(strings.count - 1)
        }
    }

    private static func encodeBlock(_ table: ActivityTable, rows: ArraySlice<Int>, jurisdictionID: [Int64],
                                    pricedWith: (names: [String?], kindOfRow: [Int32])?) -> Encoded {
        var jurisdictions: [Int32: Int32] = [:], ids: [Int64] = [], counts: [Int] = []
        var refs = LocalDictionary(), fuels = LocalDictionary(), technologies = LocalDictionary(), units = LocalDictionary()
        var sets = LocalDictionary(), gases = LocalDictionary(), sources = LocalDictionary(), notes = LocalDictionary()
        // The block's id of each kind's factor set, found once per kind.
        var setOfKind = [Int32](repeating: -2, count: pricedWith?.names.count ?? 0)
        var body = [UInt8](), extras = [UInt8]()
        body.reserveCapacity(rows.count * rowSize)
        for i in rows {
            let r = table.rows[i]
            let j: Int32
            if let known = jurisdictions[r.jurisdiction] { j = known } else {
                j = Int32(ids.count)
                jurisdictions[r.jurisdiction] = j
                ids.append(jurisdictionID[Int(r.jurisdiction)])
                counts.append(0)
            }
            counts[Int(j)] += 1
            let set: Int32
            if let pricedWith, pricedWith.kindOfRow[i] >= 0, let name = pricedWith.names[Int(pricedWith.kindOfRow[i])] {
                let kind = Int(pricedWith.kindOfRow[i])
                if setOfKind[kind] == -2 { setOfKind[kind] = sets.id(of: name) }
                set = setOfKind[kind]
            } else {
                set = sets.id(r.factorSet, table.factorSets)
            }
            put(j, &body)
            put(refs.id(r.gpcRef, table.refs), &body)
            put(fuels.id(r.fuel, table.fuels), &body)
            put(technologies.id(r.technology, table.technologies), &body)
            put(units.id(r.unit, table.units), &body)
            put(set, &body)
            put(gases.id(r.gas, table.gases), &body)
            put(refs.id(r.ieRef, table.refs), &body)
            put(sources.id(r.source, table.sources), &body)
            put(notes.id(r.note, table.notes), &body)
            put(r.line, &body)
            append(r.amount.bitPattern, to: &body)
            body.append(r.notationKey)
            body.append(r.adQuality)
            body.append(r.efQuality)
            body.append(r.extra >= 0 ? 1 : 0)
            if r.extra >= 0 {
                let x = table.extras[Int(r.extra)]
                append(x.co2.bitPattern, to: &extras)
                append(x.ch4.bitPattern, to: &extras)
                append(x.n2o.bitPattern, to: &extras)
                append(x.tdLossRate.bitPattern, to: &extras)
            }
        }
        var bytes = magic
        append(UInt32(rows.count), to: &bytes)
        append(UInt32(ids.count), to: &bytes)
        for id in ids { append(UInt64(bitPattern: id), to: &bytes) }
        for dictionary in [refs, fuels, technologies, units, sets, gases, sources, notes] {
            append(UInt32(dictionary.strings.count), to: &bytes)
            for s in dictionary.strings {
                append(UInt32(s.utf8.count), to: &bytes)
                bytes += s.utf8
            }
        }
        bytes += body
        bytes += extras
        return Encoded(bytes: bytes, rowsByJurisdiction: zip(ids, counts).map { ($0, $1) })
    }

    @inline(__always) private static func put(_ value: Int32, _ bytes: inout [UInt8]) { append(UInt32(bitPattern: value), to: &bytes) }

    @inline(__always) private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    /// A block that cannot be read: changed behind the platform's back, or cut short.
    public struct Damaged: Error, CustomStringConvertible {
        public let reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { "a stored block of activity rows is damaged: \(reason)" }
    }

    /// Appends the rows of a block to `table`, as rows of `year`; `name` gives each
    /// jurisdiction id's name. With `keep`, only the rows of the jurisdictions it holds.
    public static func decode(_ bytes: [UInt8], year: Int, name: (Int64) -> String?, keep: Set<Int64>? = nil,
                              into table: inout ActivityTable) throws {
        try bytes.withUnsafeBytes { raw in
            var reader = Reader(raw: raw)
            guard reader.remaining >= 4, Array(raw[0..<4]) == magic else { throw Damaged(reason: "it does not start as a block does") }
            reader.at = 4
            let count = Int(try reader.u32())
            let jurisdictionCount = Int(try reader.u32())
            guard jurisdictionCount <= count, jurisdictionCount * 8 <= reader.remaining else { throw Damaged(reason: "its jurisdiction list is cut short") }
            var jurisdictions: [Int32] = []
            var kept: [Bool] = []
            for _ in 0..<jurisdictionCount {
                let id = Int64(bitPattern: try reader.u64())
                guard let jurisdiction = name(id) else { throw Damaged(reason: "it names jurisdiction id \(id), which does not exist") }
                jurisdictions.append(table.jurisdictions.intern(jurisdiction))
                kept.append(keep?.contains(id) ?? true)
            }
            var maps: [[Int32]] = []
            var poolCounts: [Int] = []
            for k in 0..<8 {
                let n = Int(try reader.u32())
                guard n <= reader.remaining / 4 else { throw Damaged(reason: "dictionary \(k + 1) is cut short") }
                var map: [Int32] = []
                map.reserveCapacity(n)
                for _ in 0..<n {
                    let length = Int(try reader.u32())
                    guard length <= reader.remaining else { throw Damaged(reason: "dictionary \(k + 1) is cut short") }
                    let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + reader.at
                    func intern(_ pool: inout BytePool) -> Int32 {
                        if length == 0 { var empty: UInt8 = 0; return pool.intern(&empty, 0) }
                        return pool.intern(start, length)
                    }
                    switch k {
                    case 0: map.append(intern(&table.refs))
                    case 1: map.append(intern(&table.fuels))
                    case 2: map.append(intern(&table.technologies))
                    case 3: map.append(intern(&table.units))
                    case 4: map.append(intern(&table.factorSets))
                    case 5: map.append(intern(&table.gases))
                    case 6: map.append(intern(&table.sources))
                    default: map.append(intern(&table.notes))
                    }
                    reader.at += length
                }
                maps.append(map)
                poolCounts.append(n)
            }
            guard count <= reader.remaining / rowSize else { throw Damaged(reason: "it holds fewer rows than it says (\(count))") }
            var extrasAt = reader.at + count * rowSize
            let codes = (notation: UInt8(NotationKey.allCases.count), quality: UInt8(DataQuality.allCases.count))
            table.rows.reserveCapacity(table.rows.count + count)
            for _ in 0..<count {
                let j = Int(try reader.u32())
                @inline(__always) func text(_ k: Int) throws -> Int32 {
                    let id = Int32(bitPattern: try reader.u32())
                    guard id >= -1, Int(id) < poolCounts[k] else { throw Damaged(reason: "a row names text \(id) outside its dictionary") }
                    return id < 0 ? -1 : maps[k][Int(id)]
                }
                let gpcRef = try text(0), fuel = try text(1), technology = try text(2), unit = try text(3), factorSet = try text(4)
                let gas = try text(5), ieRef = try text(0), source = try text(6), note = try text(7)
                guard gpcRef >= 0 else { throw Damaged(reason: "a row has no GPC reference") }
                let line = Int32(bitPattern: try reader.u32())
                let amount = Double(bitPattern: try reader.u64())
                let notation = try reader.u8(), ad = try reader.u8(), ef = try reader.u8(), hasExtras = try reader.u8()
                guard j < jurisdictions.count else { throw Damaged(reason: "a row names jurisdiction \(j) outside its list") }
                guard notation <= codes.notation, ad <= codes.quality, ef <= codes.quality, hasExtras <= 1 else {
                    throw Damaged(reason: "a row holds a code that does not exist")
                }
                var extra: Int32 = -1
                if hasExtras == 1 {
                    guard extrasAt + 32 <= raw.count else { throw Damaged(reason: "its explicit factors are cut short") }
                    var values: [Double] = []
                    for _ in 0..<4 {
                        values.append(Double(bitPattern: raw.loadUnaligned(fromByteOffset: extrasAt, as: UInt64.self).littleEndian))
                        extrasAt += 8
                    }
                    if kept[j] { extra = table.extraIndex(ActivityExtras(co2: values[0], ch4: values[1], n2o: values[2], tdLossRate: values[3])) }
                }
                guard kept[j] else { continue }
                table.rows.append(PackedActivity(
                    year: Int32(clamping: year), jurisdiction: jurisdictions[j], gpcRef: gpcRef, fuel: fuel, technology: technology, unit: unit,
                    factorSet: factorSet, gas: gas, ieRef: ieRef, source: source, note: note, line: line, amount: amount,
                    extra: extra, notationKey: notation, adQuality: ad, efQuality: ef))
            }
        }
    }

    /// Bounds-checked little-endian reads.
    private struct Reader {
        let raw: UnsafeRawBufferPointer
        var at = 0
        var remaining: Int { raw.count - at }
        mutating func u8() throws -> UInt8 {
            guard remaining >= 1 else { throw Damaged(reason: "it is cut short") }
            defer { at += 1 }
            return raw[at]
        }
        mutating func u32() throws -> UInt32 {
            guard remaining >= 4 else { throw Damaged(reason: "it is cut short") }
            defer { at += 4 }
            return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        }
        mutating func u64() throws -> UInt64 {
            guard remaining >= 8 else { throw Damaged(reason: "it is cut short") }
            defer { at += 8 }
            return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
    }
}
