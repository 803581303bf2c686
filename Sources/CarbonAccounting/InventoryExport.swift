import CarbonKit
import Foundation

/// The inventory as JSON and as CSV in the GPC reporting layout.
public enum InventoryExport {
    /// The year an export shows by default: the latest in the inventory.
    public static func defaultYear(_ inventory: Inventory) -> Int? { inventory.years.last }

    /// One object for `year`: totals, breakdowns, notation keys and provenance; emissions in
    /// tonnes CO2e, gas masses in tonnes.
    ///
    /// `by_sector`, `by_gas_t` and `by_jurisdiction` break down the BASIC+ total (districts
    /// included in their city); `by_gpc_ref` lists every reference with data, territorial-only
    /// (I.4.4, III.x.3) and other scope-3 rows included.
    public static func json(_ inventory: Inventory, year: Int, jurisdiction: String? = nil) -> JSONValue {
        let totals = inventory.totals(year: year, jurisdiction: jurisdiction)
        func numbers(_ dict: [String: Double], order: [String]) -> JSONValue {
            let keys = order.filter { dict[$0] != nil } + dict.keys.filter { !order.contains($0) }.sorted()
            return .object(keys.map { ($0, .number(dict[$0]!)) })
        }
        var sectors = inventory.bySector(year: year, jurisdiction: jurisdiction)
        for s in ["I", "II", "III", "IV", "V"] where sectors[s] == nil { sectors[s] = 0 }
        var gases = inventory.byGas(year: year, jurisdiction: jurisdiction)
        for g in ["CO2", "CH4", "N2O"] where gases[g] == nil { gases[g] = 0 }
        let taxonomy = GPCTaxonomy.standard
        let byJurisdiction = inventory.totalsByJurisdiction(year: year)
        let scope = jurisdiction.map(inventory.subtree(of:))
        let jurisdictionOrder = inventory.jurisdictions.map(\.name).filter { scope?.contains($0) ?? true }
        let keys: [JSONValue] = inventory.cells(year: year, jurisdiction: jurisdiction).flatMap { cell in
            cell.notationKeys.map { key in
                var members: [(String, JSONValue)] = [("gpc_ref", .string(cell.gpcRef)), ("key", .string(key.key.rawValue)),
                                                      ("jurisdiction", .string(cell.jurisdiction))]
                if let ie = key.ieRef { members.append(("ie_ref", .string(ie))) }
                if let text = key.explanation { members.append(("explanation", .string(text))) }
                return .object(members)
            }
        }
        let byYear: [(String, JSONValue)] = inventory.years.map { y in (String(y), totalsJSON(inventory.totals(year: y, jurisdiction: jurisdiction))) }
        let provenance = inventory.provenance
        return .object([
            ("gwp", .string(inventory.gwp)),
            ("unit", .string("tCO2e")),
            ("year", .integer(year)),
            ("jurisdiction", jurisdiction.map(JSONValue.string) ?? .null),
            ("totals", totalsJSON(totals)),
            ("by_sector", numbers(sectors, order: GPCTaxonomy.sectors)),
            ("by_gpc_ref", numbers(inventory.byGPCRef(year: year, jurisdiction: jurisdiction), order: taxonomy.refs)),
            ("by_gas_t", numbers(gases, order: GasGroup.allCases.map(\.rawValue))),
            ("by_jurisdiction", .object(jurisdictionOrder.map { ($0, .number(byJurisdiction[$0]?.basicPlus ?? 0)) })),
            ("by_jurisdiction_totals", .object(jurisdictionOrder.map { ($0, totalsJSON(byJurisdiction[$0] ?? InventoryTotals())) })),
            ("by_year", .object(byYear)),
            ("notation_keys", .array(keys)),
            ("provenance", .object([
                ("engine", .string(provenance.engine)),
                ("gwp_set", .string(provenance.gwpSet)),
                ("factor_sets", .array(provenance.factorSets.map {
                    .object([("name", .string($0.name)), ("fingerprint", .string($0.fingerprint)), ("source", .string($0.source))])
                })),
                ("input_fingerprint", .string(provenance.inputFingerprint)),
                ("rows", .integer(provenance.rows)),
            ])),
        ])
    }

    static func totalsJSON(_ t: InventoryTotals) -> JSONValue {
        .object([("basic", .number(t.basic)), ("basic_plus", .number(t.basicPlus)), ("territorial", .number(t.territorial)),
                 ("scope1", .number(t.scope1)), ("scope2", .number(t.scope2)), ("scope3", .number(t.scope3)),
                 ("biogenic_co2", .number(t.biogenicCO2))])
    }

    public static let csvColumns = [
        "year", "jurisdiction", "gpc_ref", "sector", "subsector", "scope", "level", "status",
        "co2_t", "ch4_t", "n2o_t", "hfcs_t", "pfcs_t", "sf6_t", "nf3_t", "co2e_only_t", "co2e_t", "biogenic_co2_t",
        "notation_key", "ie_ref", "notation_explanation", "ad_quality", "ef_quality", "rows", "factor_sets", "sources", "factor_sources",
    ]

    /// The GPC reporting layout: for every jurisdiction with data, a row per GPC reference —
    /// reported, keyed with a notation key, or `missing` — so gaps in completeness show.
    public static func csv(_ inventory: Inventory, year: Int?, gases: GasCatalog = .standard) -> String {
        var out = csvColumns.joined(separator: ",") + "\r\n"
        let taxonomy = GPCTaxonomy.standard
        let years = year.map { [$0] } ?? inventory.years
        for y in years {
            var byKey: [String: InventoryCell] = [:]
            for cell in inventory.cells(year: y) { byKey[cell.jurisdiction + "\u{1F}" + cell.gpcRef] = cell }
            let present = Set(inventory.cells(year: y).map(\.jurisdiction))
            for jurisdiction in inventory.jurisdictions.map(\.name) where present.contains(jurisdiction) {
                for entry in taxonomy.entries {
                    let cell = byKey[jurisdiction + "\u{1F}" + entry.ref]
                    var groups: [GasGroup: Double] = [:]
                    for (key, kg) in cell?.gasesKg ?? [:] where key != Gas.co2Biogenic.key {
                        groups[gases.gases[key]?.group ?? .co2e, default: 0] += kg / 1000
                    }
                    let status = cell == nil ? "missing" : (cell!.rows > 0 ? "reported" : "notation_key")
                    let key = cell?.notationKeys.first
                    let fields: [String] = [
                        String(y), jurisdiction, entry.ref, entry.sector, entry.subsector, String(entry.scope), entry.level.rawValue, status,
                        num(groups[.co2], cell), num(groups[.ch4], cell), num(groups[.n2o], cell), num(groups[.hfcs], cell),
                        num(groups[.pfcs], cell), num(groups[.sf6], cell), num(groups[.nf3], cell), num(groups[.co2e], cell),
                        cell.map { JSONValue.format($0.co2eTonnes) } ?? "", cell.map { JSONValue.format($0.biogenicCO2Tonnes) } ?? "",
                        cell?.notationKeys.map(\.key.rawValue).joined(separator: " ") ?? "", key?.ieRef ?? "", key?.explanation ?? "",
                        cell?.adQuality?.rawValue ?? "", cell?.efQuality?.rawValue ?? "", cell.map { String($0.rows) } ?? "0",
                        cell?.factorSets.joined(separator: "; ") ?? "", cell?.sources.joined(separator: "; ") ?? "",
                        cell?.factorSources.joined(separator: "; ") ?? "",
                    ]
                    out += fields.map(csvField).joined(separator: ",") + "\r\n"
                }
            }
        }
        return out
    }

    private static func num(_ value: Double?, _ cell: InventoryCell?) -> String {
        guard let cell, cell.rows > 0 else { return "" }
        return JSONValue.format(value ?? 0)
    }

    /// A CSV field, quoted when it has a delimiter, quote or line break.
    /// A CSV field: quoted as needed and never a formula (``CSVOutput/field(_:)``).
    public static func csvField(_ s: String) -> String { CSVOutput.field(s) }
}
