import CarbonKit

/// An enterprise's economic and energy figures for a year, as the statistics bureau reports
/// them: value added (the denominator of its carbon-efficiency intensity), output, and the CO2
/// of its total energy use where no verified report gives it.
public struct EnterpriseYear: Sendable, Equatable {
    public var creditCode: String
    public var year: Int
    /// 10,000 CNY, income method.
    public var valueAdded: Double
    public var output: Double?
    public var outputUnit: String?
    /// t CO2 from total energy use, zero-carbon power and sinks subtracted.
    public var energyCO2: Double?

    public init(creditCode: String, year: Int, valueAdded: Double, output: Double? = nil, outputUnit: String? = nil, energyCO2: Double? = nil) {
        (self.creditCode, self.year, self.valueAdded, self.output, self.outputUnit, self.energyCO2) =
            (creditCode, year, valueAdded, output, outputUnit, energyCO2)
    }
}

/// `enterprise-years.csv`: one row per enterprise and year. Every problem is named by file,
/// row, column and value before anything is kept.
public enum EnterpriseYearSheet {
    public static let columns = ["credit_code", "year", "value_added_10k_cny", "output", "output_unit", "energy_co2_t"]

    public static func parse(_ table: ReferenceTable, known: Set<String>) throws(InputErrors) -> [EnterpriseYear] {
        try table.require(["credit_code", "year", "value_added_10k_cny"])
        var issues: [InputIssue] = [], rows: [EnterpriseYear] = [], seen: [String: Int] = [:]
        for row in table.rows {
            let code = row["credit_code"].trimmingCharacters(in: .whitespaces)
            if !known.contains(code) {
                issues.append(InputIssue(row.location("credit_code"), value: code, reason: "names no enterprise of the registry",
                                         suggestion: Suggestion.closest(to: code, among: known).map { "did you mean \($0)?" }))
            }
            let yearText = row["year"].trimmingCharacters(in: .whitespaces)
            let year = Int(yearText).flatMap { (1990...2100).contains($0) ? $0 : nil }
            if year == nil { issues.append(InputIssue(row.location("year"), value: yearText, reason: "must be a year from 1990 to 2100")) }
            if let year, let first = seen["\(code) \(year)"] {
                issues.append(InputIssue(row.location("year"), value: yearText, reason: "\(code) has \(year) on row \(first) already"))
            }
            if let year { seen["\(code) \(year)"] = seen["\(code) \(year)"] ?? row.line }
            func number(_ column: String, required: Bool, positive: Bool) -> Double? {
                let text = row[column].trimmingCharacters(in: .whitespaces)
                if text.isEmpty {
                    if required { issues.append(InputIssue(row.location(column), value: text, reason: "is required")) }
                    return nil
                }
                guard let value = SheetNumber.parse(text), positive ? value > 0 : value >= 0, value < 1e12 else {
                    issues.append(InputIssue(row.location(column), value: String(text.prefix(40)),
                                             reason: positive ? "must be a number above 0 and below 10¹²" : "must be a number from 0 to below 10¹²"))
                    return nil
                }
                return value
            }
            let valueAdded = number("value_added_10k_cny", required: true, positive: true)
            let output = number("output", required: false, positive: false), co2 = number("energy_co2_t", required: false, positive: false)
            let unit = row["output_unit"].trimmingCharacters(in: .whitespaces)
            if unit.count > 20 || unit.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                issues.append(InputIssue(row.location("output_unit"), value: String(unit.prefix(40)), reason: "must be at most 20 characters"))
            }
            if output != nil, unit.isEmpty {
                issues.append(InputIssue(row.location("output_unit"), value: unit, reason: "names the unit of the output (t, MWh, 10⁴ m²)"))
            }
            if let year, let valueAdded {
                rows.append(EnterpriseYear(creditCode: code, year: year, valueAdded: valueAdded, output: output,
                                           outputUnit: unit.isEmpty ? nil : unit, energyCO2: co2))
            }
        }
        if table.rows.isEmpty {
            issues.append(InputIssue(InputLocation(file: table.name, row: 2), reason: "has no data rows under its header",
                                     suggestion: "one row per enterprise and year; save with Windows or Unix line endings"))
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        return rows
    }
}
