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
        "year", "jurisdiction", "gpc_ref", "aggregation", "sector", "sector_name", "subsector", "subsector_name", "source_name",
        "scope", "level", "status",
        "co2_t", "ch4_t", "n2o_t", "hfcs_t", "pfcs_t", "sf6_t", "nf3_t", "co2e_only_t",
        "co2_co2e_t", "ch4_co2e_t", "n2o_co2e_t", "hfcs_co2e_t", "pfcs_co2e_t", "sf6_co2e_t", "nf3_co2e_t", "co2e_t", "biogenic_co2_t",
        "notation_key", "ie_ref", "notation_explanation", "ad_quality", "ef_quality", "rows", "factor_sets", "sources", "factor_sources",
    ]

    /// What a source with nothing given is reported as: not estimated, and said to be so.
    public static let notEstimatedNote = "nothing was given for this source; CityCarbon reports it as not estimated (NE)"

    /// The GPC reporting layout, as CIRIS and CityCatalyst read it: for every jurisdiction with
    /// data, a row per GPC reference — reported, keyed with a notation key, or not estimated
    /// (NE, stated as set by CityCarbon) — with gas masses and each gas in t CO2e under the
    /// inventory's GWP set. Rows of a jurisdiction's own data come first (`aggregation` = own);
    /// then each jurisdiction with others below it gets rows for its whole area
    /// (`aggregation` = with_jurisdictions_below), so the city's rows hold the city's total.
    public static func csv(_ inventory: Inventory, year: Int?, gases: GasCatalog = .standard) -> String {
        var out = csvColumns.joined(separator: ",") + "\r\n"
        let taxonomy = GPCTaxonomy.standard
        let years = year.map { [$0] } ?? inventory.years
        func row(_ y: Int, _ jurisdiction: String, _ aggregation: String, _ entry: GPCEntry, _ line: SourceLine?) -> String {
            let line = line ?? SourceLine()
            func number(_ x: Double?) -> String { line.isReported ? JSONValue.format(x ?? 0) : "" }
            var fields = [String(y), jurisdiction, entry.ref, aggregation, entry.sector, entry.sectorName.en, entry.subsector, entry.subsectorName.en,
                          entry.sourceName.en, String(entry.scope), entry.level.rawValue, line.status]
            fields += (SourceLine.groups + [.co2e]).map { number(line.mass[$0]) }
            fields += SourceLine.groups.map { number(line.co2e[$0]) }
            fields += [number(line.total), number(line.biogenic)]
            fields += line.notation
            fields += [line.ad?.rawValue ?? "", line.ef?.rawValue ?? "", String(line.rows), line.factorSets.joined(separator: "; "),
                       line.sources.joined(separator: "; "), line.factorSources.joined(separator: "; ")]
            return fields.map(csvField).joined(separator: ",") + "\r\n"
        }
        for y in years {
            let own = SourceLine.own(inventory, year: y, gases: gases)
            let present = Set(inventory.cells(year: y).map(\.jurisdiction))
            let names = inventory.jurisdictions.map(\.name)
            for jurisdiction in names where present.contains(jurisdiction) {
                for entry in taxonomy.entries { out += row(y, jurisdiction, "own", entry, own[jurisdiction]?[entry.ref]) }
            }
            for jurisdiction in names {
                let area = inventory.subtree(of: jurisdiction)
                guard area.count > 1, !area.subtracting([jurisdiction]).isDisjoint(with: present) else { continue }
                let whole = SourceLine.whole(inventory, year: y, jurisdiction: jurisdiction, gases: gases)
                for entry in taxonomy.entries { out += row(y, jurisdiction, "with_jurisdictions_below", entry, whole[entry.ref]) }
            }
        }
        return out
    }

    /// The GPC reporting layout as a workbook: the CSV's columns on one sheet, numbers as
    /// numbers, so a spreadsheet sums them without conversion and shows Chinese text as is.
    public static func xlsx(_ inventory: Inventory, year: Int?, gases: GasCatalog = .standard) throws -> [UInt8] {
        try xlsx(inventory, year: year, layout: .gpc, gases: gases)
    }

    /// A CSV field: quoted as needed and never a formula (``CSVOutput/field(_:)``).
    public static func csvField(_ s: String) -> String { CSVOutput.field(s) }
}
