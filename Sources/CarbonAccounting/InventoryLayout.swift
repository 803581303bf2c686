import CarbonKit
import Foundation

/// The tables other tools import as they are. Every layout prints the same ``SourceLine``s,
/// so a number is the same in each.
///
/// - `gpc`: the GPC reporting layout (one row per reference number and jurisdiction, own and
///   with the jurisdictions below), as CityCatalyst reads it.
/// - `ciris`: the inventory sheet of C40's CIRIS workbook and its eCRF export, with the column
///   names CityCatalyst's eCRF import looks for ("GPC ref. no.", "CRF - Sector", "GHGs (metric
///   tonnes CO2e) - Total CO2e" …): the city's whole area, one row per reference number.
/// - `cdp`: the community-wide emissions table of the CDP-ICLEI cities questionnaire: a row per
///   sub-sector with direct (scope 1), grid-energy (scope 2) and outside-boundary (scope 3)
///   emissions, each with its notation key when not reported.
public enum InventoryLayout: String, CaseIterable, Sendable {
    case gpc, ciris, cdp

    /// The columns a spreadsheet should read as numbers.
    var numericColumns: Set<String> {
        switch self {
        case .gpc: Set(["year", "scope", "rows"] + InventoryExport.csvColumns.filter { $0.hasSuffix("_t") })
        case .ciris: Set(["Inventory year", "Scope"] + InventoryExport.cirisColumns.filter { $0.hasPrefix("GHGs") })
        case .cdp: Set(["Inventory year"] + InventoryExport.cdpColumns.filter { $0.hasSuffix("(metric tonnes CO2e)") })
        }
    }
}

extension InventoryExport {
    public static let cirisGases: [(GasGroup?, String)] = [
        (.co2, "CO2"), (.ch4, "CH4"), (.n2o, "N2O"), (.hfcs, "HFCs"), (.pfcs, "PFCs"), (.sf6, "SF6"), (.nf3, "NF3"),
        (nil, "Other (reported as CO2e)"),
    ]

    public static let cirisColumns = [
        "Inventory year", "City", "GPC ref. no.", "CRF - Sector", "CRF - Sub-sector", "Scope", "Reporting level", "Emission source",
        "Notation key", "Notation key - IE reference", "Notation key - Explanation",
        "Activity data - Source", "Activity data - Data Quality", "Emission factor - Source", "Emission factor - Data Quality",
    ] + cirisGases.map { "GHGs (metric tonnes CO2e) - \($0.1)" } + ["GHGs (metric tonnes CO2e) - Total CO2e", "GHGs (metric tonnes CO2e) - Biogenic CO2"]

    public static let cdpColumns = [
        "Inventory year", "City", "GPC sub-sector", "Sector", "Sub-sector",
        "Direct emissions (metric tonnes CO2e)", "Direct emissions - Notation key",
        "Indirect emissions from use of grid-supplied electricity, heat, steam and/or cooling (metric tonnes CO2e)",
        "Indirect emissions - Notation key",
        "Emissions occurring outside the jurisdiction boundary as a result of in-jurisdiction activities (metric tonnes CO2e)",
        "Outside-boundary emissions - Notation key", "Comment",
    ]

    /// The area a city-level layout reports: the given jurisdiction, else the first at the top
    /// of the tree with data in it.
    public static func reportedArea(_ inventory: Inventory, year: Int, jurisdiction: String?) -> String? {
        if let jurisdiction { return jurisdiction }
        let present = Set(inventory.cells(year: year).map(\.jurisdiction))
        return inventory.jurisdictions.first { $0.parent == nil && !inventory.subtree(of: $0.name).isDisjoint(with: present) }?.name
            ?? inventory.cells(year: year).first?.jurisdiction
    }

    /// `layout` as CSV (CRLF lines, fields quoted as needed and never formulas).
    public static func csv(_ inventory: Inventory, year: Int?, layout: InventoryLayout, jurisdiction: String? = nil,
                           gases: GasCatalog = .standard) -> String {
        switch layout {
        case .gpc: return csv(inventory, year: year, gases: gases)
        case .ciris: return cityTable(inventory, year: year, jurisdiction: jurisdiction, columns: cirisColumns, gases: gases, rows: cirisRows)
        case .cdp: return cityTable(inventory, year: year, jurisdiction: jurisdiction, columns: cdpColumns, gases: gases, rows: cdpRows)
        }
    }

    /// `layout` as a workbook of one sheet: numbers as numbers, text as it is.
    public static func xlsx(_ inventory: Inventory, year: Int?, layout: InventoryLayout, jurisdiction: String? = nil,
                            gases: GasCatalog = .standard) throws -> [UInt8] {
        let table = try ReferenceTable(name: "\(layout.rawValue).csv", text: csv(inventory, year: year, layout: layout, jurisdiction: jurisdiction, gases: gases))
        let numeric = layout.numericColumns
        let rows: [[XLSXWriter.Cell]] = [table.columns.map { .text($0) }] + table.rows.map { row in
            table.columns.map { column in
                let text = row[column]
                if text.isEmpty { return .empty }
                if numeric.contains(column), let x = Double(text) { return .number(x) }
                return .text(text)
            }
        }
        return XLSXWriter(sheets: [XLSXWriter.Sheet(name: layout == .gpc ? "GPC" : layout == .ciris ? "Inventory" : "CDP emissions", rows: rows)]).bytes()
    }

    static func cityTable(_ inventory: Inventory, year: Int?, jurisdiction: String?, columns: [String], gases: GasCatalog,
                          rows: (Int, String, [String: SourceLine]) -> [[String]]) -> String {
        var out = columns.map(csvField).joined(separator: ",") + "\r\n"
        for y in year.map({ [$0] }) ?? inventory.years {
            guard let area = reportedArea(inventory, year: y, jurisdiction: jurisdiction) else { continue }
            for fields in rows(y, area, SourceLine.whole(inventory, year: y, jurisdiction: area, gases: gases)) {
                out += fields.map(csvField).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    static func cirisRows(_ year: Int, _ city: String, _ lines: [String: SourceLine]) -> [[String]] {
        GPCTaxonomy.standard.entries.map { entry in
            let line = lines[entry.ref] ?? SourceLine()
            func number(_ x: Double?) -> String { line.isReported ? JSONValue.format(x ?? 0) : "" }
            var fields = [String(year), city, entry.ref, entry.sectorName.en, entry.subsectorName.en, String(entry.scope), entry.level.rawValue,
                          entry.sourceName.en] + line.notation
            fields += [line.sources.joined(separator: "; "), line.ad?.rawValue ?? "", line.factorSources.joined(separator: "; "), line.ef?.rawValue ?? ""]
            fields += cirisGases.map { group, _ in number(group.map { line.co2e[$0] ?? 0 } ?? line.mass[.co2e]) }
            fields += [number(line.total), number(line.biogenic)]
            return fields
        }
    }

    static func cdpRows(_ year: Int, _ city: String, _ lines: [String: SourceLine]) -> [[String]] {
        let taxonomy = GPCTaxonomy.standard
        var subsectors: [String] = []
        for entry in taxonomy.entries where !subsectors.contains(entry.subsector) { subsectors.append(entry.subsector) }
        return subsectors.map { subsector in
            let entries = taxonomy.entries.filter { $0.subsector == subsector }
            var fields = [String(year), city, subsector, entries[0].sectorName.en, entries[0].subsectorName.en]
            var comments: [String] = []
            for scope in 1...3 {
                let inScope = entries.filter { $0.scope == scope }
                // A scope the GPC gives this sub-sector no source for is left empty.
                guard !inScope.isEmpty else { fields += ["", ""]; continue }
                let reported = inScope.filter { lines[$0.ref]?.isReported == true }
                let unreported = inScope.filter { lines[$0.ref]?.isReported != true }
                let keys = Set(unreported.flatMap { (lines[$0.ref] ?? SourceLine()).notation[0].split(separator: " ").map(String.init) })
                fields.append(reported.isEmpty ? "" : JSONValue.format(reported.reduce(0) { $0 + lines[$1.ref]!.total }))
                fields.append(keys.sorted().joined(separator: " "))
                if !reported.isEmpty, !unreported.isEmpty {
                    comments.append("scope \(scope): \(unreported.map(\.ref).joined(separator: ", ")) not reported (\(keys.sorted().joined(separator: " ")))")
                }
                if keys.contains("NE"), reported.isEmpty { comments.append("scope \(scope): \(notEstimatedNote)") }
            }
            fields.append(comments.joined(separator: "; "))
            return fields
        }
    }
}
