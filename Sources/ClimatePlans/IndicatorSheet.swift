import CarbonKit

/// An indicator catalogue as a spreadsheet: one row per indicator with its baseline and its
/// target. Columns: `identifier`, `name_<language>`…, `unit`, `direction` (increase or
/// decrease), `kind` (binding or expected), and optionally `group`, `baseline_year`,
/// `baseline`, `target_year`, `target` (empty: handed down, number pending), `source`, `note`.
public enum IndicatorSheet {
    public struct Row: Sendable, Hashable {
        public var indicator: Indicator
        public var group: String?
        public var note: String?
    }

    public static func parse(_ text: String, file: String) throws(InputErrors) -> [Row] {
        let table = try ReferenceTable(name: file, text: text)
        var issues: [InputIssue] = []
        for column in ["identifier", "unit", "direction"] where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column, reason: "required column is missing"))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
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
                var indicator = Indicator(identifier: identifier, name: name, unit: try row.required("unit"), direction: direction, kind: kind)
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
