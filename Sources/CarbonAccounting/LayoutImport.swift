import CarbonKit
import Foundation

/// Reads an inventory in the GPC or CIRIS layout (as CityCarbon exports them, or as another
/// tool fills them in) back into activity rows: each reported source becomes direct gas rows
/// (t of CO2, CH4, N2O …; t CO2e where a gas is not given by mass), each keyed source a
/// notation-key row. Imported and computed again, the rows give the totals the file states.
///
/// GPC rows that roll up jurisdictions below (`aggregation` = with_jurisdictions_below) are
/// skipped, as are sources the file reports as not estimated: NE is what nothing given becomes.
public enum LayoutImport {
    public static let nativeColumns = ["year", "jurisdiction", "gpc_ref", "gas", "amount", "unit", "notation_key", "ie_ref",
                                       "ad_quality", "ef_quality", "source", "note"]

    /// Native activity CSV for `table`. CIRIS rows carry no jurisdiction: they are the city's,
    /// named by `jurisdiction` unless the sheet has a City column.
    public static func activityCSV(_ table: ReferenceTable, layout: InventoryLayout, jurisdiction: String?, gwp: GWPSet,
                                   gases: GasCatalog = .standard) throws(InputErrors) -> String {
        let required: [String] = switch layout {
        case .gpc: ["year", "jurisdiction", "gpc_ref", "status"]
        case .ciris: ["Inventory year", "GPC ref. no."]
        case .cdp: []
        }
        if layout == .cdp {
            throw InputErrors([InputIssue(InputLocation(file: table.name), value: "cdp",
                                          reason: "the CDP table sums sources by scope and cannot be read back into sources",
                                          suggestion: "import the GPC or CIRIS layout")])
        }
        try table.require(required)
        var issues: [InputIssue] = []
        var out = nativeColumns.joined(separator: ",") + "\r\n"
        func emit(_ fields: [String]) { out += fields.map(CSVOutput.field).joined(separator: ",") + "\r\n" }
        let references = Set(GPCTaxonomy.standard.entries.map(\.ref))
        for row in table.rows {
            let (yearColumn, refColumn) = layout == .gpc ? ("year", "gpc_ref") : ("Inventory year", "GPC ref. no.")
            if layout == .gpc, row["aggregation"] == "with_jurisdictions_below" { continue }
            let ref = row[refColumn]
            guard references.contains(ref) else {
                issues.append(InputIssue(row.location(refColumn), value: ref, reason: "is not a GPC reference number",
                                         suggestion: Suggestion.didYouMean(ref, among: Array(references))))
                continue
            }
            guard let year = Int(row[yearColumn]), (1900...2200).contains(year) else {
                issues.append(InputIssue(row.location(yearColumn), value: row[yearColumn], reason: "is not a year")); continue
            }
            let place = layout == .gpc ? row["jurisdiction"] : (row["City"].isEmpty ? jurisdiction ?? "" : row["City"])
            if place.isEmpty {
                issues.append(InputIssue(row.location(layout == .gpc ? "jurisdiction" : "City"), reason: "names no jurisdiction",
                                         suggestion: "give the city with --jurisdiction")); continue
            }
            let keyColumn = layout == .gpc ? "notation_key" : "Notation key"
            let note = "imported from \(table.name) row \(row.line) (\(layout.rawValue) layout)"
            let quality = layout == .gpc ? [row["ad_quality"], row["ef_quality"]] : [row["Activity data - Data Quality"], row["Emission factor - Data Quality"]]
            let source = layout == .gpc ? row["sources"] : row["Activity data - Source"]
            do {
                let amounts = try layout == .gpc ? gpcGases(row, gwp: gwp, gases: gases) : cirisGases(row, gwp: gwp, gases: gases)
                if let amounts {
                    for (gas, tonnes) in amounts.isEmpty ? [(Gas.co2.key, 0.0)] : amounts {
                        emit([String(year), place, ref, gas, JSONValue.format(tonnes), "t", "", ""] + quality + [source, note])
                    }
                    continue
                }
            } catch let issue { issues.append(issue); continue }
            let keys = row[keyColumn].split(separator: " ").map(String.init)
            let explanation = row[layout == .gpc ? "notation_explanation" : "Notation key - Explanation"]
            // NE as CityCarbon writes it for a source nothing was given for is nothing to import.
            guard let key = keys.first, !(key == "NE" && explanation == InventoryExport.notEstimatedNote) else { continue }
            guard NotationKey(rawValue: key) != nil else {
                issues.append(InputIssue(row.location(keyColumn), value: key, reason: "is not a notation key",
                                         suggestion: "one of " + NotationKey.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            emit([String(year), place, ref, "", "", "", key, row[layout == .gpc ? "ie_ref" : "Notation key - IE reference"], "", "", source,
                  explanation.isEmpty ? note : explanation])
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return out
    }

    /// The gas amounts of a GPC row, or nil when it is not reported. A gas group is taken by
    /// mass when its mass at the GWP set's potential gives its stated CO2e (it was that one
    /// gas), else as the CO2e stated.
    static func gpcGases(_ row: ReferenceTable.Row, gwp: GWPSet, gases: GasCatalog) throws(InputIssue) -> [(String, Double)]? {
        guard row["status"] == "reported" else { return nil }
        var result: [(String, Double)] = []
        let single: [(GasGroup, String, String)] = [(.co2, "CO2", "co2"), (.ch4, "CH4", "ch4"), (.n2o, "N2O", "n2o"), (.sf6, "SF6", "sf6"), (.nf3, "NF3", "nf3")]
        for (_, key, column) in single {
            let mass = try row.optionalDouble("\(column)_t") ?? 0, co2e = try row.optionalDouble("\(column)_co2e_t") ?? mass
            guard mass != 0 || co2e != 0 else { continue }
            if let gas = gases.gases[key], let potential = try? gwp.potential(of: gas), abs(mass * potential - co2e) <= 1e-9 * max(1, abs(co2e)) {
                result.append((key, mass))
            } else {
                result.append((Gas.co2e.key, co2e))
            }
        }
        for column in ["hfcs_co2e_t", "pfcs_co2e_t", "co2e_only_t"] {
            let co2e = try row.optionalDouble(column) ?? 0
            if co2e != 0 { result.append((Gas.co2e.key, co2e)) }
        }
        let biogenic = try row.optionalDouble("biogenic_co2_t") ?? 0
        if biogenic != 0 { result.append((Gas.co2Biogenic.key, biogenic)) }
        return result
    }

    /// The gas amounts of a CIRIS row (t CO2e per gas), or nil when it gives none: CO2 is its
    /// mass; CH4 and N2O are turned back into masses at the GWP set's potential; the rest stay CO2e.
    static func cirisGases(_ row: ReferenceTable.Row, gwp: GWPSet, gases: GasCatalog) throws(InputIssue) -> [(String, Double)]? {
        let prefix = "GHGs (metric tonnes CO2e) - "
        var given: [(String, Double?)] = []
        for (_, name) in InventoryExport.cirisGases { given.append((name, try row.optionalDouble(prefix + name))) }
        let total = try row.optionalDouble(prefix + "Total CO2e")
        let biogenic = try row.optionalDouble(prefix + "Biogenic CO2")
        guard given.contains(where: { $0.1 != nil }) || total != nil || biogenic != nil else { return nil }
        var result: [(String, Double)] = []
        var byGas = 0.0
        for (name, value) in given {
            guard let value, value != 0 else { continue }
            byGas += value
            if ["CO2", "CH4", "N2O"].contains(name), let gas = gases.gases[name], let potential = try? gwp.potential(of: gas), potential > 0 {
                result.append((name, value / potential))
            } else {
                result.append((Gas.co2e.key, value))
            }
        }
        // A sheet that gives only the total (as many eCRF files do) is imported as its total.
        if let total, byGas == 0, total != 0 { result.append((Gas.co2e.key, total)) }
        if let biogenic, biogenic != 0 { result.append((Gas.co2Biogenic.key, biogenic)) }
        return result
    }
}
