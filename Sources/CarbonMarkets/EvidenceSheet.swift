import CarbonKit

/// Months of evidence in bulk (`evidence.csv`): one row per batch, the month's own figures
/// (generation, supply, heat, hours, load factor) on any of its rows and the same wherever they
/// are repeated. Rows of one facility-month make one ``MonthlyEvidence``; every problem is named
/// by file, row, column and value before anything is kept.
public enum EvidenceSheet {
    public static let columns = ["credit_code", "facility", "year", "month", "source", "amount", "ncv", "carbon_content", "oxidation",
                                 "emission_factor", "generation", "supply", "heat_supplied", "operating_hours", "load_factor"]
    static let monthColumns = ["generation", "supply", "heat_supplied", "operating_hours", "load_factor"]

    /// The months of the sheet by enterprise. `enterprises` are those the uploader may file for,
    /// with their facilities; a row naming another is refused.
    public static func parse(_ table: ReferenceTable, enterprises: [Enterprise]) throws(InputErrors) -> [(enterprise: String, months: [MonthlyEvidence])] {
        try table.require(["credit_code", "facility", "year", "month"])
        let byCode = Dictionary(enterprises.map { ($0.creditCode, $0) }, uniquingKeysWith: { first, _ in first })
        var issues: [InputIssue] = []
        var months: [String: (enterprise: String, evidence: MonthlyEvidence, rows: [Int: Int], firstRow: ReferenceTable.Row)] = [:]
        var order: [String] = []
        for row in table.rows {
            let code = row["credit_code"].trimmingCharacters(in: .whitespaces)
            guard let enterprise = byCode[code] else {
                issues.append(InputIssue(row.location("credit_code"), value: code, reason: "is not an enterprise you may file for",
                                         suggestion: Suggestion.closest(to: code, among: byCode.keys).map { "did you mean \($0)?" }))
                continue
            }
            let facilityKey = row["facility"].trimmingCharacters(in: .whitespaces)
            guard let facility = enterprise.facilities.first(where: { $0.key == facilityKey }) else {
                issues.append(InputIssue(row.location("facility"), value: facilityKey, reason: "is not a facility of \(code)",
                                         suggestion: Suggestion.closest(to: facilityKey, among: enterprise.facilities.map(\.key)).map { "did you mean \($0)?" }))
                continue
            }
            guard let year = Int(row["year"].trimmingCharacters(in: .whitespaces)), (2000...2100).contains(year) else {
                issues.append(InputIssue(row.location("year"), value: row["year"], reason: "must be a year from 2000 to 2100"))
                continue
            }
            guard let month = Int(row["month"].trimmingCharacters(in: .whitespaces)), (1...12).contains(month) else {
                issues.append(InputIssue(row.location("month"), value: row["month"], reason: "must be a month from 1 to 12"))
                continue
            }
            func number(_ column: String) -> Double? {
                let text = row[column].trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return nil }
                guard let value = SheetNumber.parse(text) else {
                    issues.append(InputIssue(row.location(column), value: String(text.prefix(40)), reason: "is not a finite decimal number"))
                    return nil
                }
                return value
            }
            let key = "\(code)\u{0}\(facilityKey)\u{0}\(year)\u{0}\(month)"
            // Taken out of the dictionary while it grows, so that appending a batch does not copy the month.
            let existing = months.removeValue(forKey: key)
            if existing == nil { order.append(key) }
            var entry = existing ?? (code, MonthlyEvidence(facility: facilityKey, year: year, month: month), [:], row)
            let source = row["source"].trimmingCharacters(in: .whitespaces)
            if !source.isEmpty {
                if !facility.sources.contains(where: { $0.key == source }) {
                    issues.append(InputIssue(row.location("source"), value: source, reason: "is not a source of facility \(facilityKey)",
                                             suggestion: Suggestion.closest(to: source, among: facility.sources.map(\.key)).map { "did you mean \($0)?" }))
                } else if row["amount"].trimmingCharacters(in: .whitespaces).isEmpty {
                    issues.append(InputIssue(row.location("amount"), value: "", reason: "is required for a batch of \(source)"))
                } else if let amount = number("amount") {
                    entry.evidence.batches.append(.init(source: source, amount: amount, ncv: number("ncv"), carbonContent: number("carbon_content"),
                                                        oxidation: number("oxidation"), emissionFactor: number("emission_factor")))
                    entry.rows[entry.evidence.batches.count - 1] = row.line
                }
            } else if !row["amount"].trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(InputIssue(row.location("source"), value: "", reason: "names the source the amount is of"))
            }
            for column in monthColumns {
                guard let value = number(column) else { continue }
                let path: WritableKeyPath<MonthlyEvidence, Double?> = switch column {
                case "generation": \.generation
                case "supply": \.supply
                case "heat_supplied": \.heatSupplied
                case "operating_hours": \.operatingHours
                default: \.loadFactor
                }
                if let earlier = entry.evidence[keyPath: path], earlier != value {
                    issues.append(InputIssue(row.location(column), value: "\(value)",
                                             reason: "differs from \(earlier) given for \(facilityKey) \(year)-\(month) on row \(entry.firstRow.line)"))
                }
                entry.evidence[keyPath: path] = value
            }
            months[key] = entry
        }
        if table.rows.isEmpty {
            issues.append(InputIssue(InputLocation(file: table.name, row: 2), reason: "has no data rows under its header",
                                     suggestion: "one row per batch; save with Windows or Unix line endings"))
        }
        let rowsByLine = Dictionary(table.rows.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        // What a month refuses whole (a negative amount, 800 hours in February) is named at its row and column.
        for key in order {
            guard let entry = months[key], let enterprise = byCode[entry.enterprise],
                  let facility = enterprise.facilities.first(where: { $0.key == entry.evidence.facility }) else { continue }
            let kinds = Dictionary(facility.sources.map { ($0.key, $0.kind) }, uniquingKeysWith: { first, _ in first })
            for problem in entry.evidence.problems(sources: kinds) {
                var line = entry.firstRow.line, column = problem.field
                if problem.field.hasPrefix("batches["), let close = problem.field.firstIndex(of: "]"),
                   let index = Int(problem.field.dropFirst(8).prefix(upTo: close)) {
                    line = entry.rows[index] ?? line
                    column = String(problem.field[problem.field.index(after: close)...].dropFirst())
                }
                let at = rowsByLine[line] ?? entry.firstRow
                let cell = at[column]
                issues.append(InputIssue(at.location(column), value: cell.isEmpty ? problem.value : String(cell.prefix(40)), reason: problem.reason))
            }
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        var result: [(enterprise: String, months: [MonthlyEvidence])] = []
        for key in order {
            guard let entry = months[key] else { continue }
            if let index = result.firstIndex(where: { $0.enterprise == entry.enterprise }) {
                result[index].months.append(entry.evidence)
            } else {
                result.append((entry.enterprise, [entry.evidence]))
            }
        }
        return result
    }
}
