import Dispatch
import Foundation

/// Activity rows stored by column, with repeated text interned.
///
/// A year of a large city is millions of rows; this layout keeps a million rows in well
/// under 100 MB and lets the engine run through them without allocating. Use
/// ``subscript(_:)`` for a row as an ``ActivityRecord`` and ``append(_:)`` to build one.
public struct ActivityTable: Sendable {
    public var count: Int { rows.count }

    /// One fixed-size row per activity; text is an index into a pool (-1 for none), a
    /// missing number is NaN.
    var rows: [PackedActivity] = []
    /// The rarely given numbers of a row, kept aside so that rows stay 64 bytes.
    var extras: [ActivityExtras] = []

    var jurisdictions = BytePool()
    var refs = BytePool()
    var fuels = BytePool()
    var technologies = BytePool()
    var units = BytePool()
    var factorSets = BytePool()
    var gases = BytePool()
    var sources = BytePool(capacity: 256)
    var notes = BytePool(capacity: 256)

    public init() {}

    mutating func reserve(_ n: Int) { rows.reserveCapacity(n) }

    public mutating func append(_ r: ActivityRecord) {
        func id(_ pool: inout BytePool, _ s: String?) -> Int32 { s.map { pool.intern($0) } ?? -1 }
        rows.append(PackedActivity(
            year: Int32(clamping: r.year), jurisdiction: jurisdictions.intern(r.jurisdiction), gpcRef: refs.intern(r.gpcRef),
            fuel: id(&fuels, r.fuel), technology: id(&technologies, r.technology), unit: id(&units, r.unit),
            factorSet: id(&factorSets, r.factorSet), gas: id(&gases, r.gas), ieRef: id(&refs, r.ieRef),
            source: id(&sources, r.source), note: id(&notes, r.note), line: Int32(clamping: r.line ?? 0),
            amount: r.amount ?? .nan, extra: extraIndex(ActivityExtras(co2: r.co2KgPerUnit ?? .nan, ch4: r.ch4KgPerUnit ?? .nan,
                                                                         n2o: r.n2oKgPerUnit ?? .nan, tdLossRate: r.tdLossRate ?? .nan)),
            notationKey: r.notationKey.map { UInt8($0.index + 1) } ?? 0,
            adQuality: r.adQuality.map { UInt8($0.index + 1) } ?? 0,
            efQuality: r.efQuality.map { UInt8($0.index + 1) } ?? 0))
    }

    public subscript(i: Int) -> ActivityRecord {
        func text(_ pool: BytePool, _ id: Int32) -> String? { id >= 0 ? pool[id] : nil }
        func number(_ x: Double) -> Double? { x.isNaN ? nil : x }
        let r = rows[i]
        let x = extras(of: r)
        return ActivityRecord(
            year: Int(r.year), jurisdiction: jurisdictions[r.jurisdiction], gpcRef: refs[r.gpcRef],
            fuel: text(fuels, r.fuel), technology: text(technologies, r.technology), amount: number(r.amount),
            unit: text(units, r.unit), factorSet: text(factorSets, r.factorSet),
            co2KgPerUnit: number(x.co2), ch4KgPerUnit: number(x.ch4), n2oKgPerUnit: number(x.n2o),
            gas: text(gases, r.gas), tdLossRate: number(x.tdLossRate),
            notationKey: r.notationKey == 0 ? nil : NotationKey.allCases[Int(r.notationKey) - 1],
            ieRef: text(refs, r.ieRef),
            adQuality: r.adQuality == 0 ? nil : DataQuality.allCases[Int(r.adQuality) - 1],
            efQuality: r.efQuality == 0 ? nil : DataQuality.allCases[Int(r.efQuality) - 1],
            source: text(sources, r.source), note: text(notes, r.note), line: r.line == 0 ? nil : Int(r.line))
    }

    /// Stores `extras` aside if any is given; the index for the row.
    mutating func extraIndex(_ x: ActivityExtras) -> Int32 {
        guard !x.isEmpty else { return -1 }
        extras.append(x)
        return Int32(extras.count - 1)
    }

    @inline(__always)
    public func extras(of row: PackedActivity) -> ActivityExtras {
        row.extra < 0 ? .none : extras[Int(row.extra)]
    }

    public var records: [ActivityRecord] { (0..<count).map { self[$0] } }

    public init<S: Sequence>(_ records: S) where S.Element == ActivityRecord {
        self.init()
        for r in records { append(r) }
    }

    /// Distinct years, ascending.
    public var years: [Int] {
        var seen: Set<Int32> = []
        var last = Int32.min
        for r in rows where r.year != last {
            seen.insert(r.year)
            last = r.year
        }
        return seen.map(Int.init).sorted()
    }

    /// The rows of `parts` in order, in one table; each part's lines are shifted by its offset.
    /// Rows are copied and re-numbered on all cores, straight into their final place.
    static func concatenate(_ parts: [ActivityTable], lineOffsets: [Int32]) -> ActivityTable {
        guard var table = parts.first else { return ActivityTable() }
        func remap(_ from: BytePool, into pool: inout BytePool) -> [Int32] { from.strings.map { pool.intern($0) } }
        struct Remap: Sendable {
            var j: [Int32], r: [Int32], f: [Int32], t: [Int32], u: [Int32], s: [Int32], g: [Int32], so: [Int32], no: [Int32]
            var extraOffset: Int32
            var identity: Bool
        }
        var remaps: [Remap] = [Remap(j: [], r: [], f: [], t: [], u: [], s: [], g: [], so: [], no: [], extraOffset: 0, identity: true)]
        for part in parts.dropFirst() {
            remaps.append(Remap(
                j: remap(part.jurisdictions, into: &table.jurisdictions), r: remap(part.refs, into: &table.refs),
                f: remap(part.fuels, into: &table.fuels), t: remap(part.technologies, into: &table.technologies),
                u: remap(part.units, into: &table.units), s: remap(part.factorSets, into: &table.factorSets),
                g: remap(part.gases, into: &table.gases), so: remap(part.sources, into: &table.sources),
                no: remap(part.notes, into: &table.notes), extraOffset: Int32(table.extras.count), identity: false))
            table.extras += part.extras
        }
        var starts = [0]
        for part in parts { starts.append(starts.last! + part.count) }
        let total = starts.last!
        let plan = remaps, regionStarts = starts
        table.rows = [PackedActivity](unsafeUninitializedCapacity: total) { buffer, initialized in
            let target = SharedRows(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                let m = plan[k], offset = lineOffsets[k]
                @inline(__always) func map(_ id: Int32, _ table: [Int32]) -> Int32 { id < 0 ? id : table[Int(id)] }
                parts[k].rows.withUnsafeBufferPointer { source in
                    var out = target.base + regionStarts[k]
                    for var row in source {
                        row.line += offset
                        if !m.identity {
                            row.jurisdiction = m.j[Int(row.jurisdiction)]
                            row.gpcRef = m.r[Int(row.gpcRef)]
                            row.fuel = map(row.fuel, m.f)
                            row.technology = map(row.technology, m.t)
                            row.unit = map(row.unit, m.u)
                            row.factorSet = map(row.factorSet, m.s)
                            row.gas = map(row.gas, m.g)
                            row.ieRef = map(row.ieRef, m.r)
                            row.source = map(row.source, m.so)
                            row.note = map(row.note, m.no)
                            if row.extra >= 0 { row.extra += m.extraOffset }
                        }
                        out.initialize(to: row)
                        out += 1
                    }
                }
            }
            initialized = total
        }
        return table
    }

    /// Appends every row of `other`, re-numbering its interned values into this table's.
    mutating func append(contentsOf other: ActivityTable) {
        func remap(_ from: BytePool, into pool: inout BytePool) -> [Int32] { from.strings.map { pool.intern($0) } }
        let j = remap(other.jurisdictions, into: &jurisdictions), r = remap(other.refs, into: &refs)
        let f = remap(other.fuels, into: &fuels), t = remap(other.technologies, into: &technologies)
        let u = remap(other.units, into: &units), s = remap(other.factorSets, into: &factorSets)
        let g = remap(other.gases, into: &gases), so = remap(other.sources, into: &sources), no = remap(other.notes, into: &notes)
        @inline(__always) func map(_ id: Int32, _ table: [Int32]) -> Int32 { id < 0 ? id : table[Int(id)] }
        let start = rows.count
        let extraOffset = Int32(extras.count)
        extras += other.extras
        rows.append(contentsOf: other.rows)
        rows.withUnsafeMutableBufferPointer { rows in
            for i in start..<rows.count {
                rows[i].jurisdiction = j[Int(rows[i].jurisdiction)]
                rows[i].gpcRef = r[Int(rows[i].gpcRef)]
                rows[i].fuel = map(rows[i].fuel, f)
                rows[i].technology = map(rows[i].technology, t)
                rows[i].unit = map(rows[i].unit, u)
                rows[i].factorSet = map(rows[i].factorSet, s)
                rows[i].gas = map(rows[i].gas, g)
                rows[i].ieRef = map(rows[i].ieRef, r)
                rows[i].source = map(rows[i].source, so)
                rows[i].note = map(rows[i].note, no)
                if rows[i].extra >= 0 { rows[i].extra += extraOffset }
            }
        }
    }
}

/// The destination of a parallel copy: each thread writes its own disjoint range.
private struct SharedRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<PackedActivity>
}

/// Explicit factors and a loss rate: given on few rows, NaN when absent.
public struct ActivityExtras: Sendable, Equatable {
    public var co2: Double
    public var ch4: Double
    public var n2o: Double
    public var tdLossRate: Double

    static let none = ActivityExtras(co2: .nan, ch4: .nan, n2o: .nan, tdLossRate: .nan)

    var isEmpty: Bool { co2.isNaN && ch4.isNaN && n2o.isNaN && tdLossRate.isNaN }
    var hasFactors: Bool { !co2.isNaN || !ch4.isNaN || !n2o.isNaN }
}

/// One activity row as the engine reads it: interned text as pool indices, numbers as NaN
/// when absent, codes as small integers.
public struct PackedActivity: Sendable, Equatable {
    public internal(set) var year: Int32
    public internal(set) var jurisdiction: Int32
    public internal(set) var gpcRef: Int32
    public internal(set) var fuel: Int32
    public internal(set) var technology: Int32
    public internal(set) var unit: Int32
    public internal(set) var factorSet: Int32
    public internal(set) var gas: Int32
    public internal(set) var ieRef: Int32
    public internal(set) var source: Int32
    public internal(set) var note: Int32
    /// Line in the source file; 0 when unknown.
    public internal(set) var line: Int32
    public internal(set) var amount: Double
    /// Index into the table's `extras` (explicit factors, loss rate); -1 for none, as most rows.
    public internal(set) var extra: Int32
    /// 0 none, else 1 + index in `NotationKey.allCases`.
    public internal(set) var notationKey: UInt8
    /// 0 unrated, else 1 + index in `DataQuality.allCases` (H, M, L).
    public internal(set) var adQuality: UInt8
    public internal(set) var efQuality: UInt8
}

/// The text columns of an activity row; `ieRef` shares the pool of `gpcRef`.
public enum ActivityTextColumn: Int, Sendable, CaseIterable {
    case jurisdiction, gpcRef, fuel, technology, unit, factorSet, gas, source, note
}

extension ActivityTable {
    /// The packed rows, for bulk writers that bind ids to cached values instead of building records.
    public var packedRows: [PackedActivity] { rows }

    /// A text column's distinct values; a row's id for the column indexes this list.
    public func strings(_ column: ActivityTextColumn) -> [String] {
        switch column {
        case .jurisdiction: jurisdictions.strings
        case .gpcRef: refs.strings
        case .fuel: fuels.strings
        case .technology: technologies.strings
        case .unit: units.strings
        case .factorSet: factorSets.strings
        case .gas: gases.strings
        case .source: sources.strings
        case .note: notes.strings
        }
    }

    /// A row's GPC reference, without building its record.
    public func gpcRef(of row: PackedActivity) -> String { refs[row.gpcRef] }

    /// A row's jurisdiction, without building its record.
    public func jurisdiction(of row: PackedActivity) -> String { jurisdictions[row.jurisdiction] }

    /// Every jurisdiction name the rows use.
    public var jurisdictionNames: [String] { jurisdictions.strings }

    /// Each (year, jurisdiction) the rows cover.
    public var yearJurisdictionPairs: [(year: Int, jurisdiction: String)] {
        var seen: Set<Int64> = []
        var result: [(Int, String)] = []
        for r in rows {
            let key = Int64(r.year) << 32 | Int64(r.jurisdiction)
            if seen.insert(key).inserted { result.append((Int(r.year), jurisdictions[r.jurisdiction])) }
        }
        return result.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}

extension ActivityTable {
    /// Text as a reader (a database cursor) hands it out: bytes valid for the duration of the call.
    public typealias RawText = UnsafeBufferPointer<UInt8>?

    /// Appends a row read column by column, interning text straight from the reader's bytes;
    /// for loading many rows without building an ``ActivityRecord`` each.
    public mutating func appendRaw(year: Int, jurisdiction: RawText, gpcRef: RawText, fuel: RawText, technology: RawText,
                                   amount: Double?, unit: RawText, factorSet: RawText, co2: Double?, ch4: Double?, n2o: Double?,
                                   gas: RawText, tdLossRate: Double?, notationKey: RawText, ieRef: RawText,
                                   adQuality: RawText, efQuality: RawText, source: RawText, note: RawText, line: Int?) {
        @inline(__always) func id(_ pool: inout BytePool, _ text: RawText) -> Int32 {
            guard let text, let base = text.baseAddress else {
                if text != nil { var empty: UInt8 = 0; return pool.intern(&empty, 0) }
                return -1
            }
            return pool.intern(base, text.count)
        }
        @inline(__always) func code(_ text: RawText, _ codes: [String]) -> UInt8 {
            guard let text, let base = text.baseAddress, text.count > 0 else { return 0 }
            let value = String(decoding: UnsafeBufferPointer(start: base, count: text.count), as: UTF8.self)
            return codes.firstIndex(of: value).map { UInt8($0 + 1) } ?? 0
        }
        let extras = ActivityExtras(co2: co2 ?? .nan, ch4: ch4 ?? .nan, n2o: n2o ?? .nan, tdLossRate: tdLossRate ?? .nan)
        let qualities = DataQuality.allCases.map(\.rawValue)
        rows.append(PackedActivity(
            year: Int32(clamping: year), jurisdiction: id(&jurisdictions, jurisdiction), gpcRef: id(&refs, gpcRef),
            fuel: id(&fuels, fuel), technology: id(&technologies, technology), unit: id(&units, unit),
            factorSet: id(&factorSets, factorSet), gas: id(&gases, gas), ieRef: id(&refs, ieRef),
            source: id(&sources, source), note: id(&notes, note), line: Int32(clamping: line ?? 0),
            amount: amount ?? .nan, extra: extraIndex(extras),
            notationKey: code(notationKey, NotationKey.allCases.map(\.rawValue)),
            adQuality: code(adQuality, qualities), efQuality: code(efQuality, qualities)))
    }
}
