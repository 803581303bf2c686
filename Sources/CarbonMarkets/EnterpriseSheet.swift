import CarbonKit

/// The enterprise registry as two sheets: `enterprises.csv` (one row per enterprise) and
/// `sources.csv` (one row per emission source, naming its facility). Every problem of both is
/// found and named by file, row, column and value before anything is kept.
public enum EnterpriseSheet {
    public static let enterpriseColumns = ["credit_code", "name", "industry", "jurisdiction", "listed", "state_owned", "discloses"]
    public static let sourceColumns = ["credit_code", "facility", "facility_name", "monitoring_site", "source", "kind", "fuel", "datastreams", "unit_class", "cooling"]

    /// The enterprises of the sheets. `known` are credit codes already registered (a sources
    /// sheet may name them), `jurisdictions` the tree's names, `fuels` the factor library's (a
    /// combustion source burns one of them; a process source names its material).
    public static func parse(enterprises: ReferenceTable, sources: ReferenceTable?, known: Set<String> = [], jurisdictions: Set<String>,
                             fuels: Set<String>) throws(InputErrors) -> [Enterprise] {
        try enterprises.require(enterpriseColumns.filter { $0 != "listed" && $0 != "state_owned" && $0 != "discloses" })
        if let sources { try sources.require(sourceColumns.filter { $0 != "facility_name" && $0 != "monitoring_site" && $0 != "datastreams" && $0 != "fuel"
            && $0 != "unit_class" && $0 != "cooling" }) }
        var issues: [InputIssue] = []
        var parsed: [Enterprise] = []
        var seen: [String: Int] = [:]
        for row in enterprises.rows {
            let code = row["credit_code"].trimmingCharacters(in: .whitespaces)
            if let problem = CreditCode.problem(code) {
                issues.append(InputIssue(row.location("credit_code"), value: code, reason: problem))
            } else if let first = seen[code] {
                issues.append(InputIssue(row.location("credit_code"), value: code, reason: "is on row \(first) already"))
            }
            seen[code] = seen[code] ?? row.line
            let name = row["name"].trimmingCharacters(in: .whitespaces)
            if name.isEmpty || name.count > 200 || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                issues.append(InputIssue(row.location("name"), value: String(name.prefix(64)), reason: "must be 1–200 characters without control characters"))
            }
            let industry = row["industry"].trimmingCharacters(in: .whitespaces)
            if industry.count != 4 || !industry.allSatisfy({ $0.isASCII && $0.isNumber }) {
                issues.append(InputIssue(row.location("industry"), value: industry, reason: "must be a GB/T 4754-2017 industry class of four digits",
                                         suggestion: "4411 for thermal power, 3011 for cement"))
            }
            let jurisdiction = row["jurisdiction"].trimmingCharacters(in: .whitespaces)
            if !jurisdictions.contains(jurisdiction) {
                issues.append(InputIssue(row.location("jurisdiction"), value: jurisdiction, reason: "is not in the jurisdiction tree",
                                         suggestion: Suggestion.closest(to: jurisdiction, among: jurisdictions).map { "did you mean \($0)?" }))
            }
            var flags: [Bool] = []
            for column in ["listed", "state_owned", "discloses"] {
                switch row[column].lowercased().trimmingCharacters(in: .whitespaces) {
                case "", "no", "false", "0", "否": flags.append(false)
                case "yes", "true", "1", "是": flags.append(true)
                default:
                    issues.append(InputIssue(row.location(column), value: row[column], reason: "must be yes or no"))
                    flags.append(false)
                }
            }
            parsed.append(Enterprise(creditCode: code, name: name, industry: industry, jurisdiction: jurisdiction, listed: flags[0], stateOwned: flags[1],
                                     disclosesVoluntarily: flags[2]))
        }
        var facilities: [String: [Facility]] = [:]
        var sourceKeys: Set<String> = []
        for row in sources?.rows ?? [] {
            let code = row["credit_code"].trimmingCharacters(in: .whitespaces)
            if seen[code] == nil && !known.contains(code) {
                issues.append(InputIssue(row.location("credit_code"), value: code, reason: "names no enterprise of this import or of the registry"))
            }
            let facility = row["facility"].trimmingCharacters(in: .whitespaces), key = row["source"].trimmingCharacters(in: .whitespaces)
            for (column, value) in [("facility", facility), ("source", key)] where value.isEmpty || value.count > 40 {
                issues.append(InputIssue(row.location(column), value: String(value.prefix(64)), reason: "must be 1–40 characters"))
            }
            if !sourceKeys.insert("\(code)\u{0}\(facility)\u{0}\(key)").inserted {
                issues.append(InputIssue(row.location("source"), value: key, reason: "is listed twice for facility \(facility)"))
            }
            guard let kind = EmissionSource.Kind(rawValue: row["kind"].trimmingCharacters(in: .whitespaces)) else {
                issues.append(InputIssue(row.location("kind"), value: row["kind"], reason: "is not a kind of source",
                                         suggestion: EmissionSource.Kind.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            let fuel = row["fuel"].trimmingCharacters(in: .whitespaces)
            if kind == .process {
                if fuel.isEmpty || fuel.count > 40 {
                    issues.append(InputIssue(row.location("fuel"), value: fuel, reason: "names the material of a process source (1–40 characters)",
                                             suggestion: "clinker, limestone, alumina"))
                }
            } else if kind == .combustion {
                if !fuels.contains(fuel) {
                    issues.append(InputIssue(row.location("fuel"), value: fuel, reason: fuel.isEmpty ? "is required for a \(kind.rawValue) source" : "is not in the factor library",
                                             suggestion: Suggestion.closest(to: fuel, among: fuels).map { "did you mean \($0)?" }))
                }
            } else if !fuel.isEmpty {
                issues.append(InputIssue(row.location("fuel"), value: fuel, reason: "is left empty for bought electricity or heat"))
            }
            let streams = row["datastreams"].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let source = EmissionSource(key: key, kind: kind, fuel: fuel.isEmpty ? nil : fuel, datastreams: streams)
            // A facility's own fields (name, site, allocation class, cooling) are read where they are given.
            let unitText = row["unit_class"].trimmingCharacters(in: .whitespaces), coolingText = row["cooling"].trimmingCharacters(in: .whitespaces)
            let unitClass = PowerAllocation.UnitClass(rawValue: unitText)
            if !unitText.isEmpty, unitClass == nil {
                issues.append(InputIssue(row.location("unit_class"), value: unitText, reason: "is not a power benchmark class",
                                         suggestion: PowerAllocation.UnitClass.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            let cooling = PowerAllocation.Cooling(rawValue: coolingText)
            if !coolingText.isEmpty, cooling == nil {
                issues.append(InputIssue(row.location("cooling"), value: coolingText, reason: "must be water or air"))
            }
            var list = facilities[code] ?? []
            if let index = list.firstIndex(where: { $0.key == facility }) {
                list[index].sources.append(source)
                if let unitClass { list[index].unitClass = unitClass }
                if let cooling { list[index].cooling = cooling }
            } else {
                let site = row["monitoring_site"].trimmingCharacters(in: .whitespaces)
                let name = row["facility_name"].trimmingCharacters(in: .whitespaces)
                list.append(Facility(key: facility, name: name.isEmpty ? facility : name, monitoringSite: site.isEmpty ? nil : site, sources: [source],
                                     unitClass: unitClass, cooling: cooling ?? .water))
            }
            facilities[code] = list
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        for index in parsed.indices { parsed[index].facilities = facilities.removeValue(forKey: parsed[index].creditCode) ?? [] }
        // Sources of enterprises registered before, not in this sheet: returned without their other fields for the store to attach.
        for (code, list) in facilities.sorted(by: { $0.key < $1.key }) {
            parsed.append(Enterprise(creditCode: code, name: "", industry: "", jurisdiction: "", facilities: list))
        }
        return parsed
    }
}
