import CarbonKit
import Crypto
import Foundation

/// Turns validated activity rows into an ``Inventory``: per-gas masses for every cell, CO2e
/// under the chosen GWP set, data quality, sources and provenance.
///
/// Rows are summed in file order, so the same inputs always give the same bits.
public enum InventoryEngine {
    public static let version = "citycarbon-inventory/1"

    public static func compute(_ activities: ValidatedActivities, gwp: GWPSet, library: FactorLibrary = .standard,
                               jurisdictions: JurisdictionTree? = nil, fingerprint: Bool = true) throws(InputErrors) -> Inventory {
        let table = activities.table
        let taxonomy = library.taxonomy
        let refCount = taxonomy.entries.count
        let years = activities.years.map(Int32.init)
        let yearIndex = Dictionary(uniqueKeysWithValues: years.enumerated().map { ($1, $0) })
        let jurisdictionCount = table.jurisdictions.count

        // Gas slots: every gas any row can produce.
        var slotOf: [Gas: Int] = [:]
        var slotGas: [Gas] = []
        func slot(_ gas: Gas) -> Int {
            if let s = slotOf[gas] { return s }
            slotOf[gas] = slotGas.count
            slotGas.append(gas)
            return slotGas.count - 1
        }
        var comboSlots: [[GasSlotFactor]] = []
        var comboExplicit: [ExplicitSlots?] = []
        for combo in activities.combos {
            if combo.kind == .explicit {
                comboSlots.append([])
                comboExplicit.append((slot(combo.explicitCO2), slot(combo.explicitCH4), slot(.n2o)))
            } else {
                comboSlots.append(combo.factors.map { (slot($0.gas), $0.kgPerActivityUnit) })
                comboExplicit.append(nil)
            }
        }
        // Every gas must have a potential in the chosen set before anything is summed.
        var potentials: [Double] = []
        var issues: [InputIssue] = []
        for gas in slotGas {
            do { potentials.append(gas.isBiogenicCO2 ? 0 : try gwp.potential(of: gas)) } catch {
                issues.append(InputIssue(InputLocation(file: activities.file), value: gas.key, reason: error.description,
                                         suggestion: "choose another GWP set (AR4, AR5, AR6)"))
                potentials.append(0)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }

        let slots = slotGas.count
        let cellCount = years.count * jurisdictionCount * refCount
        let comboQuality: [UInt8] = activities.combos.map { c in c.defaultEFQuality.map { UInt8($0.index + 1) } ?? 0 }
        let plan = AccumulationPlan(slots: slots, cellCount: cellCount, refCount: refCount, jurisdictionCount: jurisdictionCount,
                                    yearIndex: yearIndex, comboSlots: comboSlots, comboExplicit: comboExplicit, comboQuality: comboQuality)
        let sets = activities.factorSetsUsed.compactMap { try? library.set(named: $0) }
        // The fingerprint reads the same rows on the other core while they are summed.
        let (sums, inputFingerprint) = concurrently({ plan.accumulate(activities) },
                                                    { fingerprint ? InputFingerprint.compute(activities, factorSets: sets) : "" })
        let masses = sums.masses, rowsInCell = sums.rowsInCell, worstAD = sums.worstAD, worstEF = sums.worstEF
        var cellSources: [Int: [Int32]] = [:]
        for (key, _) in sums.cellSources.pairs.sorted(by: { $0.value < $1.value }) {
            cellSources[Int(key >> 32), default: []].append(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
        }
        var cellCombos: [Int: [Int32]] = [:]
        for (key, _) in sums.cellCombos.pairs.sorted(by: { $0.value < $1.value }) {
            cellCombos[Int(key >> 32), default: []].append(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
        }
        let notations = sums.notations

        // Cells with rows or notation keys, in taxonomy order within year and jurisdiction.
        var cells: [InventoryCell] = []
        for y in 0..<years.count {
            for j in 0..<jurisdictionCount {
                for r in 0..<refCount {
                    let cell = (y * jurisdictionCount + j) * refCount + r
                    guard rowsInCell[cell] > 0 || notations[cell] != nil else { continue }
                    let entry = taxonomy.entries[r]
                    var gases: [String: Double] = [:]
                    var co2e = 0.0
                    for s in 0..<slots {
                        let kg = masses[cell * slots + s]
                        if kg != 0 || (rowsInCell[cell] > 0 && comboUsesSlot(cellCombos[cell] ?? [], s, comboSlots)) {
                            gases[slotGas[s].key, default: 0] += kg
                        }
                        co2e += kg * potentials[s]
                    }
                    let combos = (cellCombos[cell] ?? []).map { activities.combos[Int($0)] }
                    cells.append(InventoryCell(
                        year: Int(years[y]), jurisdiction: table.jurisdictions[Int32(j)], gpcRef: entry.ref, sector: entry.sector,
                        scope: entry.scope, level: entry.level, gasesKg: gases, co2eTonnes: co2e / 1000,
                        notationKeys: notations[cell] ?? [],
                        adQuality: quality(worstAD[cell]), efQuality: quality(worstEF[cell]),
                        sources: (cellSources[cell] ?? []).map { table.sources[$0] },
                        factorSources: unique(combos.flatMap(\.factorSources)),
                        factorSets: unique(combos.compactMap(\.factorSet)),
                        rows: Int(rowsInCell[cell])))
                }
            }
        }

        // The tree: the given one, with any name it lacks as a root.
        var tree = jurisdictions ?? JurisdictionTree()
        for name in table.jurisdictions.strings { tree.addRoot(name) }
        let used = Set(table.jurisdictions.strings)
        let nodes = tree.order.compactMap { tree.nodes[$0] }.filter { j in
            used.contains(j.name) || tree.order.contains { used.contains($0) && tree.lineage(of: $0).contains(j.name) }
        }

        let provenance = InventoryProvenance(
            engine: version, gwpSet: gwp.name,
            factorSets: sets.map { .init(name: $0.name, fingerprint: $0.fingerprint, source: $0.source) },
            inputFingerprint: inputFingerprint,
            rows: table.count, file: activities.file)
        return Inventory(gwp: gwp.name, provenance: provenance, cells: cells, jurisdictions: nodes)
    }

    /// What summing needs to know, fixed before the rows are read.
    struct AccumulationPlan: Sendable {
        let slots: Int
        let cellCount: Int
        let refCount: Int
        let jurisdictionCount: Int
        let yearIndex: [Int32: Int]
        let comboSlots: [[GasSlotFactor]]
        let comboExplicit: [ExplicitSlots?]
        let comboQuality: [UInt8]

        /// Sums every row into its cell, in row order.
        func accumulate(_ activities: ValidatedActivities) -> Sums {
            let table = activities.table
            var sums = Sums(cellCount: cellCount, slots: slots)
            // Library and gas factors laid flat: combo c uses factorSlot/factorKg[start[c] ..< start[c + 1]].
            var start = [0], factorSlot: [Int] = [], factorKg: [Double] = []
            for factors in comboSlots {
                for f in factors { factorSlot.append(f.slot); factorKg.append(f.kg) }
                start.append(factorSlot.count)
            }
            let explicitSlots = comboExplicit.map { $0 ?? (-1, -1, -1) }
            table.rows.withUnsafeBufferPointer { rows in
            activities.rowCombo.withUnsafeBufferPointer { rowCombo in
            activities.refIndex.withUnsafeBufferPointer { refIndex in
            start.withUnsafeBufferPointer { start in
            factorSlot.withUnsafeBufferPointer { factorSlot in
            factorKg.withUnsafeBufferPointer { factorKg in
            explicitSlots.withUnsafeBufferPointer { explicitSlots in
            comboQuality.withUnsafeBufferPointer { comboQuality in
            sums.masses.withUnsafeMutableBufferPointer { masses in
            sums.rowsInCell.withUnsafeMutableBufferPointer { rowsInCell in
            sums.worstAD.withUnsafeMutableBufferPointer { worstAD in
            sums.worstEF.withUnsafeMutableBufferPointer { worstEF in
                var lastYear: Int32 = .min, lastYearIndex = 0
                var lastCell = -1, lastSource: Int32 = -2, lastCombo: Int32 = -2
                var order: Int32 = 0
                for row in 0..<rows.count {
                    let r = rows[row]
                    if r.year != lastYear { lastYear = r.year; lastYearIndex = yearIndex[lastYear]! }
                    let cell = (lastYearIndex * jurisdictionCount + Int(r.jurisdiction)) * refCount + Int(refIndex[Int(r.gpcRef)])
                    let combo = Int(rowCombo[row])
                    if combo < 0 {
                        let key = NotationKey.allCases[Int(r.notationKey) - 1]
                        let entry = NotationEntry(key: key, ieRef: r.ieRef >= 0 ? table.refs[r.ieRef] : nil,
                                                  explanation: r.note >= 0 ? table.notes[r.note] : nil)
                        if !(sums.notations[cell]?.contains(entry) ?? false) { sums.notations[cell, default: []].append(entry) }
                        continue
                    }
                    var activity = r.amount
                    let base = cell * slots
                    if r.extra >= 0 {
                        let x = table.extras[Int(r.extra)]
                        if !x.tdLossRate.isNaN { activity *= x.tdLossRate / (1 - x.tdLossRate) }
                        let explicit = explicitSlots[combo]
                        if explicit.co2 >= 0 {
                            if !x.co2.isNaN { masses[base + explicit.co2] += activity * x.co2 }
                            if !x.ch4.isNaN { masses[base + explicit.ch4] += activity * x.ch4 }
                            if !x.n2o.isNaN { masses[base + explicit.n2o] += activity * x.n2o }
                        } else {
                            for k in start[combo]..<start[combo + 1] { masses[base + factorSlot[k]] += activity * factorKg[k] }
                        }
                    } else {
                        for k in start[combo]..<start[combo + 1] { masses[base + factorSlot[k]] += activity * factorKg[k] }
                    }
                    rowsInCell[cell] += 1
                    worstAD[cell] = max(worstAD[cell], r.adQuality)
                    worstEF[cell] = max(worstEF[cell], r.efQuality == 0 ? comboQuality[combo] : r.efQuality)
                    if r.source >= 0, cell != lastCell || r.source != lastSource {
                        if sums.cellSources.insert(UInt64(cell) << 32 | UInt64(UInt32(r.source)), order) { order += 1 }
                    }
                    if cell != lastCell || combo != lastCombo {
                        if sums.cellCombos.insert(UInt64(cell) << 32 | UInt64(UInt32(combo)), order) { order += 1 }
                    }
                    lastCell = cell; lastSource = r.source; lastCombo = Int32(combo)
                }
            }}}}}}}}}}}}
            return sums
        }
    }

    typealias GasSlotFactor = (slot: Int, kg: Double)
    typealias ExplicitSlots = (co2: Int, ch4: Int, n2o: Int)

    /// Per-cell sums: gas masses (kg), row counts, worst quality ratings, and which sources and
    /// kinds of row each cell drew on (in first-seen order).
    struct Sums: @unchecked Sendable {
        var masses: [Double]
        var rowsInCell: [Int32]
        var worstAD: [UInt8]
        var worstEF: [UInt8]
        var cellSources = IntTable(capacity: 1024)
        var cellCombos = IntTable(capacity: 1024)
        var notations: [Int: [NotationEntry]] = [:]

        init(cellCount: Int, slots: Int) {
            masses = [Double](repeating: 0, count: cellCount * slots)
            rowsInCell = [Int32](repeating: 0, count: cellCount)
            worstAD = [UInt8](repeating: 0, count: cellCount)
            worstEF = [UInt8](repeating: 0, count: cellCount)
        }
    }

    private static func quality(_ code: UInt8) -> DataQuality? {
        code == 0 ? nil : DataQuality.allCases[Int(code) - 1]
    }

    private static func comboUsesSlot(_ combos: [Int32], _ slot: Int, _ slots: [[GasSlotFactor]]) -> Bool {
        combos.contains { c in slots[Int(c)].contains { $0.slot == slot } }
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
