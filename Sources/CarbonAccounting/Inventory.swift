import CarbonKit
import Foundation

/// A computed GPC inventory: every cell (year × jurisdiction × GPC reference) with its gas
/// masses, CO2e, notation keys, data quality and sources, and the provenance that makes the
/// number reproducible.
///
/// Cells hold a jurisdiction's own rows only; totals for a city include its districts
/// (see ``totals(year:jurisdiction:)``).
public struct Inventory: Sendable, Codable {
    public var gwp: String
    public var provenance: InventoryProvenance
    public var cells: [InventoryCell]
    public var jurisdictions: [Jurisdiction]

    public var years: [Int] { Array(Set(cells.map(\.year))).sorted() }

    public var tree: JurisdictionTree {
        (try? JurisdictionTree(jurisdictions)) ?? JurisdictionTree()
    }
}

/// What an inventory was computed from, so anyone can compute it again and get the same number.
public struct InventoryProvenance: Sendable, Codable, Hashable {
    public struct FactorSetUse: Sendable, Codable, Hashable {
        public var name: String
        public var fingerprint: String
        public var source: String
    }
    public var engine: String
    public var gwpSet: String
    public var factorSets: [FactorSetUse]
    /// SHA-256 over the canonical activity rows, the factor-set fingerprints and the GWP values.
    public var inputFingerprint: String
    public var rows: Int
    public var file: String?
}

/// One notation key reported for a cell.
public struct NotationEntry: Sendable, Codable, Hashable {
    public var key: NotationKey
    public var ieRef: String?
    public var explanation: String?
}

public struct InventoryCell: Sendable, Codable, Hashable {
    public var year: Int
    public var jurisdiction: String
    public var gpcRef: String
    public var sector: String
    public var scope: Int
    public var level: ReportingLevel
    /// Kilograms by gas key, biogenic CO2 included.
    public var gasesKg: [String: Double]
    /// Tonnes CO2e under the inventory's GWP set, biogenic CO2 excluded.
    public var co2eTonnes: Double
    public var notationKeys: [NotationEntry]
    /// The lowest rating among the cell's rows; nil when none is rated.
    public var adQuality: DataQuality?
    public var efQuality: DataQuality?
    public var sources: [String]
    public var factorSources: [String]
    public var factorSets: [String]
    public var rows: Int

    public var biogenicCO2Tonnes: Double { (gasesKg[Gas.co2Biogenic.key] ?? 0) / 1000 }
}

/// The totals GPC asks for, in tonnes CO2e (biogenic CO2 in tonnes CO2, outside every total).
public struct InventoryTotals: Sendable, Codable, Hashable {
    public var basic = 0.0
    public var basicPlus = 0.0
    /// All scope-1 rows, including I.4.4 and III.x.3.
    public var territorial = 0.0
    public var scope1 = 0.0
    public var scope2 = 0.0
    public var scope3 = 0.0
    public var biogenicCO2 = 0.0

    public init() {}

    public mutating func add(_ cell: InventoryCell) {
        let t = cell.co2eTonnes
        if cell.level == .basic { basic += t }
        if cell.level == .basic || cell.level == .basicPlus { basicPlus += t }
        switch cell.scope {
        case 1: scope1 += t; territorial += t
        case 2: scope2 += t
        default: scope3 += t
        }
        biogenicCO2 += cell.biogenicCO2Tonnes
    }
}

extension Inventory {
    /// `name` and every jurisdiction below it.
    public func subtree(of name: String) -> Set<String> {
        var result: Set<String> = [name]
        var changed = true
        while changed {
            changed = false
            for j in jurisdictions where !result.contains(j.name) {
                if let parent = j.parent, result.contains(parent) { result.insert(j.name); changed = true }
            }
        }
        return result
    }

    /// Cells of `year` (all years when nil) within `jurisdiction` and below it (everywhere when nil).
    public func cells(year: Int?, jurisdiction: String? = nil) -> [InventoryCell] {
        let scope = jurisdiction.map(subtree(of:))
        return cells.filter { (year == nil || $0.year == year) && (scope?.contains($0.jurisdiction) ?? true) }
    }

    public func totals(year: Int, jurisdiction: String? = nil) -> InventoryTotals {
        var totals = InventoryTotals()
        for cell in cells(year: year, jurisdiction: jurisdiction) { totals.add(cell) }
        return totals
    }

    /// BASIC+ by sector (I–V): the parts add up to the BASIC+ total.
    public func bySector(year: Int, jurisdiction: String? = nil) -> [String: Double] {
        var result: [String: Double] = [:]
        for cell in cells(year: year, jurisdiction: jurisdiction) where cell.level == .basic || cell.level == .basicPlus {
            result[cell.sector, default: 0] += cell.co2eTonnes
        }
        return result
    }

    /// Every GPC reference that has rows, in tonnes CO2e (territorial-only and other scope-3 rows included).
    public func byGPCRef(year: Int, jurisdiction: String? = nil) -> [String: Double] {
        var result: [String: Double] = [:]
        for cell in cells(year: year, jurisdiction: jurisdiction) where cell.rows > 0 || !cell.notationKeys.isEmpty {
            result[cell.gpcRef, default: 0] += cell.co2eTonnes
        }
        return result
    }

    /// Gas masses of the BASIC+ rows in tonnes, by reporting group (CO2, CH4, N2O, HFCs …).
    public func byGas(year: Int, jurisdiction: String? = nil, gases: GasCatalog = .standard) -> [String: Double] {
        var result: [String: Double] = [:]
        for cell in cells(year: year, jurisdiction: jurisdiction) where cell.level == .basic || cell.level == .basicPlus {
            for (key, kg) in cell.gasesKg where key != Gas.co2Biogenic.key {
                let group = gases.gases[key]?.group.rawValue ?? key
                result[group, default: 0] += kg / 1000
            }
        }
        return result
    }

    /// CO2e of the BASIC+ rows by individual gas key, biogenic CO2 excluded.
    public func byGasCO2e(year: Int, jurisdiction: String? = nil) throws(GasError) -> [String: Double] {
        let set = try GasCatalog.standard.gwpSet(gwp)
        var result: [String: Double] = [:]
        for cell in cells(year: year, jurisdiction: jurisdiction) where cell.level == .basic || cell.level == .basicPlus {
            for (key, kg) in cell.gasesKg where key != Gas.co2Biogenic.key {
                let gas = GasCatalog.standard.gases[key] ?? Gas(key: key, group: .co2e)
                result[key, default: 0] += kg / 1000 * (try set.potential(of: gas))
            }
        }
        return result
    }

    /// BASIC+ per jurisdiction, each including the jurisdictions below it.
    public func byJurisdiction(year: Int) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: jurisdictions.map { ($0.name, totals(year: year, jurisdiction: $0.name).basicPlus) })
    }

    public func totalsByJurisdiction(year: Int) -> [String: InventoryTotals] {
        Dictionary(uniqueKeysWithValues: jurisdictions.map { ($0.name, totals(year: year, jurisdiction: $0.name)) })
    }

    /// The same gas masses weighed with another GWP set.
    public func reweighted(with set: GWPSet, gases: GasCatalog = .standard) throws(GasError) -> Inventory {
        var copy = self
        copy.gwp = set.name
        copy.provenance.gwpSet = set.name
        for i in copy.cells.indices {
            var total = 0.0
            for (key, kg) in copy.cells[i].gasesKg where key != Gas.co2Biogenic.key {
                total += kg * (try set.potential(of: gases.gases[key] ?? Gas(key: key, group: .co2e)))
            }
            copy.cells[i].co2eTonnes = total / 1000
        }
        return copy
    }
}
