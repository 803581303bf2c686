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
        let years = table.years.map(Int32.init)
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
        var comboSlots: [[(slot: Int, kg: Double)]] = []
        var comboExplicit: [(co2: Int, ch4: Int, n2o: Int)?] = []
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
        var masses = [Double](repeating: 0, count: cellCount * slots)
        var rowsInCell = [Int32](repeating: 0, count: cellCount)
        // Worst rating per cell, as 1 + index in DataQuality.allCases (H, M, L): the larger, the worse.
        var worstAD = [UInt8](repeating: 0, count: cellCount)
        var worstEF = [UInt8](repeating: 0, count: cellCount)
        var cellSources: [Int: [Int32]] = [:]
        var cellCombos: [Int: [Int32]] = [:]
        var notations: [Int: [NotationEntry]] = [:]
        let comboQuality: [UInt8] = activities.combos.map { c in c.defaultEFQuality.map { UInt8($0.index + 1) } ?? 0 }

        table.amount.withUnsafeBufferPointer { amount in
        table.year.withUnsafeBufferPointer { year in
        table.jurisdiction.withUnsafeBufferPointer { jurisdiction in
        table.gpcRef.withUnsafeBufferPointer { gpcRef in
        activities.rowCombo.withUnsafeBufferPointer { rowCombo in
        masses.withUnsafeMutableBufferPointer { masses in
            var lastYear: Int32 = .min, lastYearIndex = 0
            var lastCell = -1, lastSource: Int32 = -2, lastCombo: Int32 = -2
            for row in 0..<table.count {
                if year[row] != lastYear { lastYear = year[row]; lastYearIndex = yearIndex[lastYear]! }
                let ref = Int(activities.refIndex[Int(gpcRef[row])])
                let cell = (lastYearIndex * jurisdictionCount + Int(jurisdiction[row])) * refCount + ref
                let combo = rowCombo[row]
                if combo < 0 {
                    let key = NotationKey.allCases[Int(table.notationKey[row]) - 1]
                    let ie = table.ieRef[row]
                    let entry = NotationEntry(key: key, ieRef: ie >= 0 ? table.refs[ie] : nil,
                                              explanation: table.note[row] >= 0 ? table.notes[table.note[row]] : nil)
                    if !(notations[cell]?.contains(entry) ?? false) { notations[cell, default: []].append(entry) }
                    continue
                }
                var activity = amount[row]
                let loss = table.tdLossRate[row]
                if !loss.isNaN { activity *= loss / (1 - loss) }
                let base = cell * slots
                if let explicit = comboExplicit[Int(combo)] {
                    let co2 = table.co2[row], ch4 = table.ch4[row], n2o = table.n2o[row]
                    if !co2.isNaN { masses[base + explicit.co2] += activity * co2 }
                    if !ch4.isNaN { masses[base + explicit.ch4] += activity * ch4 }
                    if !n2o.isNaN { masses[base + explicit.n2o] += activity * n2o }
                } else {
                    for factor in comboSlots[Int(combo)] { masses[base + factor.slot] += activity * factor.kg }
                }
                rowsInCell[cell] += 1
                worstAD[cell] = max(worstAD[cell], table.adQuality[row])
                let ef = table.efQuality[row]
                worstEF[cell] = max(worstEF[cell], ef == 0 ? comboQuality[Int(combo)] : ef)
                let source = table.source[row]
                if source >= 0, cell != lastCell || source != lastSource {
                    if !(cellSources[cell]?.contains(source) ?? false) { cellSources[cell, default: []].append(source) }
                }
                if cell != lastCell || combo != lastCombo {
                    if !(cellCombos[cell]?.contains(combo) ?? false) { cellCombos[cell, default: []].append(combo) }
                }
                lastCell = cell; lastSource = source; lastCombo = combo
            }
        }}}}}}

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
                        if kg != 0 || (rowsInCell[cell] > 0 && comboUsesSlot(cellCombos[cell] ?? [], s, comboSlots, comboExplicit)) {
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

        let sets = activities.factorSetsUsed.compactMap { try? library.set(named: $0) }
        let provenance = InventoryProvenance(
            engine: version, gwpSet: gwp.name,
            factorSets: sets.map { .init(name: $0.name, fingerprint: $0.fingerprint, source: $0.source) },
            inputFingerprint: fingerprint ? InputFingerprint.compute(activities, factorSets: sets) : "",
            rows: table.count, file: activities.file)
        return Inventory(gwp: gwp.name, provenance: provenance, cells: cells, jurisdictions: nodes)
    }

    private static func quality(_ code: UInt8) -> DataQuality? {
        code == 0 ? nil : DataQuality.allCases[Int(code) - 1]
    }

    private static func comboUsesSlot(_ combos: [Int32], _ slot: Int, _ slots: [[(slot: Int, kg: Double)]],
                                      _ explicit: [(co2: Int, ch4: Int, n2o: Int)?]) -> Bool {
        combos.contains { c in slots[Int(c)].contains { $0.slot == slot } }
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
