import CarbonKit

/// Targets as a spreadsheet, one per row: `identifier`, `name_<language>`…, `metric`
/// (`total_emissions`, `emissions_per_gdp`, `energy_per_gdp`), `jurisdiction`, `base_year`,
/// `target_year`, and the value as `reduction_percent` (a cut from the base year) or `level`
/// (the level to reach) — neither for a target handed down whose number is still pending —
/// with `handed_down_from` naming the document or level it comes from.
public enum TargetSheet {
    public static func parse(_ text: String, file: String, jurisdictions: Set<String>) throws(InputErrors) -> [Target] {
        let table = try ReferenceTable(name: file, text: text)
        try table.require(["identifier", "metric", "jurisdiction", "base_year", "target_year"])
        var issues: [InputIssue] = []
        var targets: [Target] = []
        var seen: Set<String> = []
        for row in table.rows {
            do throws(InputIssue) {
                let identifier = try row.required("identifier")
                guard seen.insert(identifier).inserted else { throw InputIssue(row.location("identifier"), value: identifier, reason: "is listed twice") }
                var name = Multilingual()
                for column in table.columns where column.hasPrefix("name_") { name[PlanSheet.language(String(column.dropFirst(5)))] = row[column] }
                guard !name.isEmpty else { throw InputIssue(row.location("name_en"), value: identifier, reason: "a target needs a name") }
                guard let metric = Target.Metric(rawValue: row["metric"]) else {
                    throw InputIssue(row.location("metric"), value: row["metric"], reason: "is not a metric",
                                     suggestion: "total_emissions, emissions_per_gdp or energy_per_gdp")
                }
                let jurisdiction = try row.required("jurisdiction")
                guard jurisdictions.contains(jurisdiction) else {
                    throw InputIssue(row.location("jurisdiction"), value: jurisdiction, reason: "is not a jurisdiction of the workspace",
                                     suggestion: Suggestion.didYouMean(jurisdiction, among: jurisdictions))
                }
                guard let base = Int(row["base_year"]), (1850...2300).contains(base) else { throw InputIssue(row.location("base_year"), value: row["base_year"], reason: "is not a year") }
                guard let year = Int(row["target_year"]), year > base, year <= 2300 else {
                    throw InputIssue(row.location("target_year"), value: row["target_year"], reason: "is not a year after the base year \(base)")
                }
                let reduction = try row.optionalDouble("reduction_percent"), level = try row.optionalDouble("level")
                let value: Target.Value
                switch (reduction, level) {
                case (let r?, nil):
                    guard r > 0, r < 100 else { throw InputIssue(row.location("reduction_percent"), value: row["reduction_percent"], reason: "must be between 0 and 100") }
                    value = .reduction(r / 100)
                case (nil, let l?):
                    guard l >= 0 else { throw InputIssue(row.location("level"), value: row["level"], reason: "must be zero or more") }
                    value = .level(l)
                case (nil, nil): value = .pending
                case (_?, _?): throw InputIssue(row.location("level"), value: row["level"], reason: "give a reduction or a level, not both")
                }
                targets.append(Target(identifier: identifier, name: name, metric: metric, jurisdiction: jurisdiction, baseYear: base, targetYear: year,
                                      value: value, handedDownFrom: row["handed_down_from"].isEmpty ? nil : row["handed_down_from"]))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return targets
    }
}
