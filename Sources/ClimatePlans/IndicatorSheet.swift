import CarbonKit

/// An indicator catalogue as a spreadsheet: one row per indicator with its baseline and its
/// target. Columns: `identifier`, `name_<language>`…, `unit`, `direction` (increase or
/// decrease), `kind` (binding or expected), and optionally `group`, `baseline_year`,
/// `baseline`, `target_year`, `target` (empty: handed down, number pending), `source`, `note`,
/// `computed` (a measure the platform computes the values of, e.g. `co2_intensity_reduction`),
/// `owner` (the organisation that enters its values on the staff pages).
public enum IndicatorSheet {
    public struct Row: Sendable, Hashable {
        public var indicator: Indicator
        public var group: String?
        public var note: String?
    }

    public static func parse(_ text: String, file: String) throws(InputErrors) -> [Row] {
        let table = try ReferenceTable(name: file, text: text)
        try table.require(["identifier", "unit", "direction"])
        var issues: [InputIssue] = []
        var rows: [Row] = []
        var seen: Set<String> = []
        for row in table.rows {
            do throws(InputIssue) {
                let identifier = try row.required("identifier")
                guard seen.insert(identifier).inserted else { throw InputIssue(row.location("identifier"), value: identifier, reason: "is listed twice") }
                var name = Multilingual()
                for column in table.columns where column.hasPrefix("name_") { name[PlanSheet.language(String(column.dropFirst(5)))] = row[column] }
                guard !name.isEmpty else { throw InputIssue(row.location("name_en"), value: identifier, reason: "an indicator needs a name") }
                guard let direction = Indicator.Direction(rawValue: row["direction"]) else {
                    throw InputIssue(row.location("direction"), value: row["direction"], reason: "is not a direction", suggestion: "increase or decrease")
                }
                let kindText = row["kind"].isEmpty ? "expected" : row["kind"]
                guard let kind = Indicator.Kind(rawValue: kindText) else {
                    throw InputIssue(row.location("kind"), value: kindText, reason: "is not a kind", suggestion: "binding or expected")
                }
                func year(_ column: String) throws(InputIssue) -> Int? {
                    guard !row[column].isEmpty else { return nil }
                    guard let y = Int(row[column]), (1850...2300).contains(y) else { throw InputIssue(row.location(column), value: row[column], reason: "is not a year") }
                    return y
                }
                let source = row["source"].isEmpty ? nil : row["source"]
                var indicator = Indicator(identifier: identifier, name: name, unit: try row.required("unit"), direction: direction, kind: kind,
                                          owner: row["owner"].isEmpty ? nil : row["owner"])
                if !row["computed"].isEmpty {
                    guard let measure = InventoryMeasure(rawValue: row["computed"]), InventoryMeasure.computable.contains(measure) else {
                        throw InputIssue(row.location("computed"), value: row["computed"], reason: "is not a measure the platform computes",
                                         suggestion: InventoryMeasure.computable.map(\.rawValue).joined(separator: " or "))
                    }
                    indicator.source = .inventory(measure)
                }
                if let baseYear = try year("baseline_year") {
                    guard let value = try row.optionalDouble("baseline") else {
                        throw InputIssue(row.location("baseline"), value: nil, reason: "a baseline year needs a baseline value")
                    }
                    indicator.values.append(IndicatorValue(year: baseYear, value: value, source: source))
                } else if !row["baseline"].isEmpty {
                    throw InputIssue(row.location("baseline_year"), value: nil, reason: "a baseline value needs its year")
                }
                if let targetYear = try year("target_year") {
                    let target = try row.optionalDouble("target")
                    if let base = indicator.values.first, targetYear <= base.year {
                        throw InputIssue(row.location("target_year"), value: String(targetYear), reason: "is not after the baseline year \(base.year)")
                    }
                    indicator.goals.append(IndicatorGoal(year: targetYear, value: target, source: source))
                } else if !row["target"].isEmpty {
                    throw InputIssue(row.location("target_year"), value: nil, reason: "a target value needs its year")
                }
                rows.append(Row(indicator: indicator, group: row["group"].isEmpty ? nil : row["group"], note: row["note"].isEmpty ? nil : row["note"]))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return rows
    }
}

/// Measured values of catalogue indicators, one per row: `indicator`, `year`, `value`, and
/// optionally `jurisdiction` (a district's value), `dimension` (a breakdown: a sector, a fuel)
/// and `source`. A row for a year (and jurisdiction and dimension) already held replaces it.
public enum IndicatorValueSheet {
    public static func parse(_ text: String, file: String, indicators: Set<String>, jurisdictions: Set<String>) throws(InputErrors) -> [(indicator: String, value: IndicatorValue)] {
        let table = try ReferenceTable(name: file, text: text)
        try table.require(["indicator", "year", "value"])
        var issues: [InputIssue] = []
        var result: [(String, IndicatorValue)] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            do throws(InputIssue) {
                let indicator = try row.required("indicator")
                guard indicators.contains(indicator) else {
                    throw InputIssue(row.location("indicator"), value: indicator,
                                     reason: indicator.hasPrefix("emissions") ? "comes from the published inventories and is not entered" : "is not in the indicator catalogue",
                                     suggestion: Suggestion.didYouMean(indicator, among: indicators))
                }
                guard let year = Int(row["year"]), (1850...2300).contains(year) else { throw InputIssue(row.location("year"), value: row["year"], reason: "is not a year") }
                let value = try row.double("value")
                let jurisdiction = row["jurisdiction"].isEmpty ? nil : row["jurisdiction"]
                if let jurisdiction, !jurisdictions.contains(jurisdiction) {
                    throw InputIssue(row.location("jurisdiction"), value: jurisdiction, reason: "is not a jurisdiction of the workspace",
                                     suggestion: Suggestion.didYouMean(jurisdiction, among: jurisdictions))
                }
                let dimension = row["dimension"].isEmpty ? nil : row["dimension"]
                let key = "\(indicator)|\(year)|\(jurisdiction ?? "")|\(dimension ?? "")"
                if let first = seen[key] { throw InputIssue(row.location("year"), value: String(year), reason: "is already given on line \(first)") }
                seen[key] = row.line
                result.append((indicator, IndicatorValue(year: year, value: value, jurisdiction: jurisdiction, dimension: dimension,
                                                         source: row["source"].isEmpty ? nil : row["source"])))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return result
    }
}
