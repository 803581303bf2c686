import Foundation

/// Activity rows stored by column, with repeated text interned.
///
/// A year of a large city is millions of rows; this layout keeps a million rows in well
/// under 100 MB and lets the engine run through them without allocating. Use
/// ``subscript(_:)`` for a row as an ``ActivityRecord`` and ``append(_:)`` to build one.
public struct ActivityTable: Sendable {
    public private(set) var count = 0

    var year: [Int32] = []
    var jurisdiction: [Int32] = []
    var gpcRef: [Int32] = []
    var fuel: [Int32] = []
    var technology: [Int32] = []
    var amount: [Double] = []
    var unit: [Int32] = []
    var factorSet: [Int32] = []
    var co2: [Double] = []
    var ch4: [Double] = []
    var n2o: [Double] = []
    var gas: [Int32] = []
    var tdLossRate: [Double] = []
    /// 0 none, else 1 + index in `NotationKey.allCases`.
    var notationKey: [UInt8] = []
    var ieRef: [Int32] = []
    /// 0 unrated, else 1 + index in `DataQuality.allCases`.
    var adQuality: [UInt8] = []
    var efQuality: [UInt8] = []
    var source: [Int32] = []
    var note: [Int32] = []
    var line: [Int32] = []

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

    mutating func reserve(_ n: Int) {
        year.reserveCapacity(n); jurisdiction.reserveCapacity(n); gpcRef.reserveCapacity(n); fuel.reserveCapacity(n)
        technology.reserveCapacity(n); amount.reserveCapacity(n); unit.reserveCapacity(n); factorSet.reserveCapacity(n)
        co2.reserveCapacity(n); ch4.reserveCapacity(n); n2o.reserveCapacity(n); gas.reserveCapacity(n)
        tdLossRate.reserveCapacity(n); notationKey.reserveCapacity(n); ieRef.reserveCapacity(n)
        adQuality.reserveCapacity(n); efQuality.reserveCapacity(n); source.reserveCapacity(n); note.reserveCapacity(n); line.reserveCapacity(n)
    }

    /// Appends one row whose columns the caller has already pushed, keeping the columns aligned.
    @inline(__always)
    mutating func commitRow() { count += 1 }

    public mutating func append(_ r: ActivityRecord) {
        func id(_ pool: inout BytePool, _ s: String?) -> Int32 { s.map { pool.intern($0) } ?? -1 }
        year.append(Int32(clamping: r.year))
        jurisdiction.append(jurisdictions.intern(r.jurisdiction))
        gpcRef.append(refs.intern(r.gpcRef))
        fuel.append(id(&fuels, r.fuel))
        technology.append(id(&technologies, r.technology))
        amount.append(r.amount ?? .nan)
        unit.append(id(&units, r.unit))
        factorSet.append(id(&factorSets, r.factorSet))
        co2.append(r.co2KgPerUnit ?? .nan)
        ch4.append(r.ch4KgPerUnit ?? .nan)
        n2o.append(r.n2oKgPerUnit ?? .nan)
        gas.append(id(&gases, r.gas))
        tdLossRate.append(r.tdLossRate ?? .nan)
        notationKey.append(r.notationKey.map { UInt8(NotationKey.allCases.firstIndex(of: $0)! + 1) } ?? 0)
        ieRef.append(id(&refs, r.ieRef))
        adQuality.append(r.adQuality.map { UInt8(DataQuality.allCases.firstIndex(of: $0)! + 1) } ?? 0)
        efQuality.append(r.efQuality.map { UInt8(DataQuality.allCases.firstIndex(of: $0)! + 1) } ?? 0)
        source.append(id(&sources, r.source))
        note.append(id(&notes, r.note))
        line.append(Int32(clamping: r.line ?? 0))
        count += 1
    }

    public subscript(i: Int) -> ActivityRecord {
        func text(_ pool: BytePool, _ id: Int32) -> String? { id >= 0 ? pool[id] : nil }
        func number(_ x: Double) -> Double? { x.isNaN ? nil : x }
        return ActivityRecord(
            year: Int(year[i]), jurisdiction: jurisdictions[jurisdiction[i]], gpcRef: refs[gpcRef[i]],
            fuel: text(fuels, fuel[i]), technology: text(technologies, technology[i]), amount: number(amount[i]),
            unit: text(units, unit[i]), factorSet: text(factorSets, factorSet[i]),
            co2KgPerUnit: number(co2[i]), ch4KgPerUnit: number(ch4[i]), n2oKgPerUnit: number(n2o[i]),
            gas: text(gases, gas[i]), tdLossRate: number(tdLossRate[i]),
            notationKey: notationKey[i] == 0 ? nil : NotationKey.allCases[Int(notationKey[i]) - 1],
            ieRef: text(refs, ieRef[i]),
            adQuality: adQuality[i] == 0 ? nil : DataQuality.allCases[Int(adQuality[i]) - 1],
            efQuality: efQuality[i] == 0 ? nil : DataQuality.allCases[Int(efQuality[i]) - 1],
            source: text(sources, source[i]), note: text(notes, note[i]), line: line[i] == 0 ? nil : Int(line[i]))
    }

    public var records: [ActivityRecord] { (0..<count).map { self[$0] } }

    public init<S: Sequence>(_ records: S) where S.Element == ActivityRecord {
        self.init()
        for r in records { append(r) }
    }

    /// Distinct years, ascending.
    public var years: [Int] { Array(Set(year.map(Int.init))).sorted() }

    /// Appends every row of `other`, re-numbering its interned values into this table's.
    mutating func append(contentsOf other: ActivityTable) {
        func remap(_ from: BytePool, into pool: inout BytePool) -> [Int32] { from.strings.map { pool.intern($0) } }
        let j = remap(other.jurisdictions, into: &jurisdictions), r = remap(other.refs, into: &refs)
        let f = remap(other.fuels, into: &fuels), t = remap(other.technologies, into: &technologies)
        let u = remap(other.units, into: &units), s = remap(other.factorSets, into: &factorSets)
        let g = remap(other.gases, into: &gases), so = remap(other.sources, into: &sources), no = remap(other.notes, into: &notes)
        @inline(__always) func map(_ ids: [Int32], _ table: [Int32]) -> [Int32] { ids.map { $0 < 0 ? $0 : table[Int($0)] } }
        year += other.year
        jurisdiction += map(other.jurisdiction, j)
        gpcRef += map(other.gpcRef, r)
        fuel += map(other.fuel, f)
        technology += map(other.technology, t)
        amount += other.amount
        unit += map(other.unit, u)
        factorSet += map(other.factorSet, s)
        co2 += other.co2; ch4 += other.ch4; n2o += other.n2o
        gas += map(other.gas, g)
        tdLossRate += other.tdLossRate
        notationKey += other.notationKey
        ieRef += map(other.ieRef, r)
        adQuality += other.adQuality; efQuality += other.efQuality
        source += map(other.source, so)
        note += map(other.note, no)
        line += other.line
        count += other.count
    }
}

extension ActivityTable {
    /// Every jurisdiction name the rows use.
    public var jurisdictionNames: [String] { jurisdictions.strings }

    /// Each (year, jurisdiction) the rows cover.
    public var yearJurisdictionPairs: [(year: Int, jurisdiction: String)] {
        var seen: Set<Int64> = []
        var result: [(Int, String)] = []
        for i in 0..<count {
            let key = Int64(year[i]) << 32 | Int64(jurisdiction[i])
            if seen.insert(key).inserted { result.append((Int(year[i]), jurisdictions[jurisdiction[i]])) }
        }
        return result.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
