import CarbonAccounting
import CarbonKit
import Foundation

/// Plain-text tables for the terminal.
enum TextTable {
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)).joined(separator: "\n")
    }

    /// A number with `decimals` decimals and thousands separators: 1,234,567.8.
    static func number(_ x: Double, decimals: Int = 1) -> String {
        x.isFinite ? GroupedNumber.format(x, decimals: decimals) : "-"
    }
}

/// The inventory as the terminal shows it.
enum InventoryTable {
    static func render(_ inventory: Inventory, year: Int) -> String {
        let totals = inventory.totals(year: year)
        let taxonomy = GPCTaxonomy.standard
        var out = "GPC inventory \(year) · GWP \(inventory.gwp) · tonnes CO2e\n\n"
        out += TextTable.render(header: ["Total", "tCO2e"], rows: [
            ["BASIC", TextTable.number(totals.basic)], ["BASIC+", TextTable.number(totals.basicPlus)],
            ["Territorial (all scope 1)", TextTable.number(totals.territorial)],
            ["Scope 1", TextTable.number(totals.scope1)], ["Scope 2", TextTable.number(totals.scope2)], ["Scope 3", TextTable.number(totals.scope3)],
            ["Biogenic CO2 (t, outside totals)", TextTable.number(totals.biogenicCO2)],
        ], rightAligned: [1]) + "\n\n"
        let sectors = inventory.bySector(year: year)
        out += TextTable.render(header: ["Sector", "", "BASIC+ tCO2e"], rows: GPCTaxonomy.sectors.prefix(5).map { s in
            [s, taxonomy.entries.first { $0.sector == s }?.sectorName.en ?? "", TextTable.number(sectors[s] ?? 0)]
        }, rightAligned: [2]) + "\n\n"
        let byJurisdiction = inventory.totalsByJurisdiction(year: year)
        out += TextTable.render(header: ["Jurisdiction", "Level", "BASIC", "BASIC+", "Territorial"], rows: inventory.jurisdictions.map { j in
            let t = byJurisdiction[j.name] ?? InventoryTotals()
            let depth = inventory.tree.lineage(of: j.name).count - 1
            return [String(repeating: "  ", count: depth) + j.name, j.level.rawValue, TextTable.number(t.basic), TextTable.number(t.basicPlus), TextTable.number(t.territorial)]
        }, rightAligned: [2, 3, 4]) + "\n\n"
        var rows: [[String]] = []
        struct RefSummary {
            var co2e = 0.0
            var gases: [String: Double] = [:]
            var keys: [String] = []
            var ad: DataQuality?
            var ef: DataQuality?
        }
        var byRef: [String: RefSummary] = [:]
        for cell in inventory.cells(year: year) {
            var entry = byRef[cell.gpcRef] ?? RefSummary()
            entry.co2e += cell.co2eTonnes
            for (gas, kg) in cell.gasesKg {
                let group = gas == Gas.co2Biogenic.key ? "bio" : (GasCatalog.standard.gases[gas]?.group.rawValue ?? gas)
                entry.gases[group, default: 0] += kg / 1000
            }
            entry.keys += cell.notationKeys.map { $0.key.rawValue + ($0.ieRef.map { "→\($0)" } ?? "") }
            entry.ad = [entry.ad, cell.adQuality].compactMap { $0 }.min()
            entry.ef = [entry.ef, cell.efQuality].compactMap { $0 }.min()
            byRef[cell.gpcRef] = entry
        }
        for e in taxonomy.entries {
            guard let r = byRef[e.ref] else { continue }
            rows.append([e.ref, String(e.scope), e.level.rawValue, TextTable.number(r.co2e), TextTable.number(r.gases["CO2"] ?? 0),
                         TextTable.number(r.gases["CH4"] ?? 0, decimals: 3), TextTable.number(r.gases["N2O"] ?? 0, decimals: 3),
                         TextTable.number(r.gases["bio"] ?? 0), r.ad?.rawValue ?? "-", r.ef?.rawValue ?? "-", Array(Set(r.keys)).sorted().joined(separator: " ")])
        }
        out += TextTable.render(header: ["GPC", "Scope", "Level", "tCO2e", "CO2 t", "CH4 t", "N2O t", "Bio CO2 t", "AD", "EF", "Notation"],
                                rows: rows, rightAligned: [3, 4, 5, 6, 7]) + "\n\n"
        let p = inventory.provenance
        out += "Factor sets: \(p.factorSets.map { "\($0.name) (\($0.fingerprint.prefix(12)))" }.joined(separator: ", "))\n"
        out += "Input: \(p.rows) rows\(p.file.map { " from \($0)" } ?? ""), fingerprint \(p.inputFingerprint)\n"
        return out
    }
}
