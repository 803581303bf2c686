import CarbonKit
import Foundation

/// One GPC source (a reference number) of one area and year as every export layout reports it:
/// gas masses, each gas in t CO2e under the inventory's GWP set, the total, biogenic CO2,
/// notation keys, data quality and where the numbers came from. The GPC, CIRIS and CDP
/// layouts all print these lines, so a figure is the same in each.
public struct SourceLine: Sendable {
    /// The gas groups reported one by one (CO2e given directly is reported on its own).
    public static let groups: [GasGroup] = [.co2, .ch4, .n2o, .hfcs, .pfcs, .sf6, .nf3]

    public var mass: [GasGroup: Double] = [:], co2e: [GasGroup: Double] = [:]
    public var total = 0.0, biogenic = 0.0, rows = 0
    public var keys: [NotationEntry] = []
    public var ad: DataQuality?, ef: DataQuality?
    public var factorSets: [String] = [], sources: [String] = [], factorSources: [String] = []

    public init() {}

    /// Reported when rows were computed for it; else keyed when a notation key was given; else not estimated.
    public var isReported: Bool { rows > 0 }
    public var isKeyed: Bool { !keys.isEmpty }
    public var status: String { isReported ? "reported" : isKeyed ? "notation_key" : "not_estimated" }

    /// The notation key column, its IE reference and its explanation: the keys given, or NE
    /// (stated as set by CityCarbon) when nothing at all was given.
    public var notation: [String] {
        if isKeyed { return [Array(Set(keys.map(\.key.rawValue))).sorted().joined(separator: " "), keys.first?.ieRef ?? "", keys.first?.explanation ?? ""] }
        return isReported ? ["", "", ""] : ["NE", "", InventoryExport.notEstimatedNote]
    }

    mutating func add(_ cell: InventoryCell, gases: GasCatalog, gwp: GWPSet?) {
        for (key, kg) in cell.gasesKg where key != Gas.co2Biogenic.key {
            let group = gases.gases[key]?.group ?? .co2e
            mass[group, default: 0] += kg / 1000
            if group != .co2e, let gas = gases.gases[key] { co2e[group, default: 0] += kg / 1000 * ((try? gwp?.potential(of: gas)) ?? 0) }
        }
        total += cell.co2eTonnes
        biogenic += cell.biogenicCO2Tonnes
        rows += cell.rows
        keys += cell.notationKeys
        ad = ad ?? cell.adQuality
        ef = ef ?? cell.efQuality
        for (list, more) in [(\SourceLine.factorSets, cell.factorSets), (\SourceLine.sources, cell.sources), (\SourceLine.factorSources, cell.factorSources)] {
            for item in more where !self[keyPath: list].contains(item) { self[keyPath: list].append(item) }
        }
    }

    /// Each jurisdiction's own lines of `year`, by jurisdiction and GPC reference.
    public static func own(_ inventory: Inventory, year: Int, gases: GasCatalog = .standard) -> [String: [String: SourceLine]] {
        let gwp = try? gases.gwpSet(inventory.gwp)
        var result: [String: [String: SourceLine]] = [:]
        for cell in inventory.cells(year: year) { result[cell.jurisdiction, default: [:]][cell.gpcRef, default: SourceLine()].add(cell, gases: gases, gwp: gwp) }
        return result
    }

    /// The lines of `jurisdiction` with every jurisdiction below it, by GPC reference.
    public static func whole(_ inventory: Inventory, year: Int, jurisdiction: String, gases: GasCatalog = .standard) -> [String: SourceLine] {
        let gwp = try? gases.gwpSet(inventory.gwp)
        var result: [String: SourceLine] = [:]
        for cell in inventory.cells(year: year, jurisdiction: jurisdiction) { result[cell.gpcRef, default: SourceLine()].add(cell, gases: gases, gwp: gwp) }
        return result
    }
}
