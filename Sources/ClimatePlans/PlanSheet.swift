import CarbonKit

/// A plan as a spreadsheet: one row per category or action, keyed by identifier, so a
/// climate office can keep its plan in a table and load it again and again.
///
/// Columns: `kind` (`action`, or the level of a category: `area`, `group` …), `identifier`,
/// `parent` (the category above), `name_<language>` for every language (`name_zh`, `name_en`
/// …), and for actions, optionally: `description_<language>`, `status`, `phase`,
/// `organisation` (the primary responsible one), `start_date`, `end_date`, `updated_on`, and
/// money and effect by year: `capital_cost_<year>`, `operating_cost_<year>` (in `currency`,
/// with `cost_source`) and `reduction_<year>` in t CO2e (with `reduction_method` and
/// `reduction_source`). A year's cell replaces that year's entry; an empty cell leaves it.
/// The air an action changes: `air_pollutant` (`pm25`, `no2`), `air_district` (empty for the
/// whole city), and either `air_concentration_reduction` (µg/m³ off the annual mean) or
/// `air_emission_reduction` (t a year of primary PM2.5), with `air_source`.
/// Only the columns a sheet has are applied: a sheet of identifiers and statuses updates the
/// statuses and leaves everything else as it was.
public struct PlanSheet: Sendable {
    public var categories: [Category]
    /// Each action row with the columns it had.
    public var rows: [ActionRow]

    public struct ActionRow: Sendable {
        public var line: Int
        public var identifier: String
        public var category: String?
        public var name: Multilingual
        public var description: Multilingual
        public var status: ActionStatus?
        public var phase: ImplementationPhase?
        public var organisation: String?
        public var startDate: Day?
        public var endDate: Day?
        public var updatedOn: Day?
        public var costs: [CostEntry] = []
        public var reductions: [ReductionEntry] = []
        /// Whether the sheet has the air columns (then an empty cell clears the effect).
        /// The row's air cells: nil when they are empty (the effect stays), a nil pollutant
        /// when they say `none` (the effect is removed).
        public var airEffect: (pollutant: AirEffect.Pollutant?, value: AirEffect?)?
    }

    /// Language codes of the sheet's `name_` columns: `zh` is read as `zh-Hans`.
    static func language(_ suffix: String) -> String { suffix == "zh" ? "zh-Hans" : suffix }

    /// - Parameter knownCategories: categories the plan already has, which rows may name as
    ///   their parent without listing them again.
    public static func parse(_ text: String, file: String, knownCategories: Set<String> = []) throws(InputErrors) -> PlanSheet {
        let table = try ReferenceTable(name: file, text: text)
        var issues: [InputIssue] = []
        for column in ["kind", "identifier"] where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column, reason: "required column is missing"))
        }
        let known = Set(Self.airColumns).union(["kind", "identifier", "parent", "status", "phase", "organisation", "start_date", "end_date", "updated_on",
                                  "currency", "cost_source", "reduction_method", "reduction_source"])
        /// `capital_cost_2025` → (capital, 2025); `reduction_2030` → (nil, 2030).
        func yearly(_ column: String) -> (kind: CostEntry.Kind?, year: Int)? {
            for (prefix, kind) in [("capital_cost_", CostEntry.Kind.capital), ("operating_cost_", .operating)] where column.hasPrefix(prefix) {
                return Int(column.dropFirst(prefix.count)).map { (kind, $0) }
            }
            if column.hasPrefix("reduction_"), let year = Int(column.dropFirst("reduction_".count)) { return (nil, year) }
            return nil
        }
        for (i, column) in table.columns.enumerated()
        where !known.contains(column) && !column.hasPrefix("name_") && !column.hasPrefix("description_") && yearly(column) == nil {
            issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1), value: column, reason: "unknown column",
                                     suggestion: Suggestion.didYouMean(column, among: known.union(["name_en", "name_zh", "description_en"]))))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        func texts(_ prefix: String, _ row: ReferenceTable.Row) -> Multilingual {
            var result = Multilingual()
            for column in table.columns where column.hasPrefix(prefix) {
                result[language(String(column.dropFirst(prefix.count)))] = row[column]
            }
            return result
        }
        func day(_ column: String, _ row: ReferenceTable.Row) -> Day? {
            let value = row[column]
            guard !value.isEmpty else { return nil }
            guard let day = Day(value) else {
                issues.append(InputIssue(row.location(column), value: value, reason: "is not a date", suggestion: "YYYY-MM-DD, e.g. 2026-11-22"))
                return nil
            }
            return day
        }
        var sheet = PlanSheet(categories: [], rows: [])
        var seen: [String: Int] = [:]
        for row in table.rows {
            let kind = row["kind"], identifier = row["identifier"], parent = row["parent"]
            if identifier.isEmpty { issues.append(InputIssue(row.location("identifier"), reason: "is empty")); continue }
            if let first = seen[identifier] {
                issues.append(InputIssue(row.location("identifier"), value: identifier, reason: "is already used on line \(first)")); continue
            }
            seen[identifier] = row.line
            let name = texts("name_", row)
            if kind == "action" {
                var action = ActionRow(line: row.line, identifier: identifier, category: parent.isEmpty ? nil : parent, name: name,
                                       description: texts("description_", row))
                if !row["status"].isEmpty {
                    action.status = ActionStatus(rawValue: row["status"])
                    if action.status == nil {
                        issues.append(InputIssue(row.location("status"), value: row["status"], reason: "is not a status",
                                                 suggestion: Suggestion.didYouMean(row["status"], among: ActionStatus.allCases.map(\.rawValue))
                                                    ?? ActionStatus.allCases.map(\.rawValue).joined(separator: ", ")))
                    }
                }
                if !row["phase"].isEmpty {
                    action.phase = ImplementationPhase(rawValue: row["phase"])
                    if action.phase == nil {
                        issues.append(InputIssue(row.location("phase"), value: row["phase"], reason: "is not a phase",
                                                 suggestion: ImplementationPhase.allCases.map(\.rawValue).joined(separator: ", ")))
                    }
                }
                action.organisation = row["organisation"].isEmpty ? nil : row["organisation"]
                (action.startDate, action.endDate, action.updatedOn) = (day("start_date", row), day("end_date", row), day("updated_on", row))
                for column in table.columns {
                    guard let (kind, year) = yearly(column), !row[column].isEmpty else { continue }
                    guard let amount = Double(row[column]), amount.isFinite, kind == nil || amount >= 0 else {
                        issues.append(InputIssue(row.location(column), value: row[column], reason: kind == nil ? "is not a number of tonnes" : "is not an amount of money",
                                                 suggestion: "a plain number, e.g. 1250000"))
                        continue
                    }
                    if let kind {
                        guard !row["currency"].isEmpty else {
                            issues.append(InputIssue(row.location("currency"), value: nil, reason: "a cost needs its currency", suggestion: "EUR, CNY …")); continue
                        }
                        action.costs.append(CostEntry(year: year, kind: kind, amount: amount, currency: row["currency"],
                                                      source: row["cost_source"].isEmpty ? nil : row["cost_source"]))
                    } else {
                        action.reductions.append(ReductionEntry(year: year, tonnesCO2e: amount, method: row["reduction_method"].isEmpty ? nil : row["reduction_method"],
                                                                source: row["reduction_source"].isEmpty ? nil : row["reduction_source"]))
                    }
                }
                action.airEffect = Self.airEffect(row, issues: &issues)
                if let start = action.startDate, let end = action.endDate, end < start {
                    issues.append(InputIssue(row.location("end_date"), value: end.description, reason: "is before the start date \(start)"))
                }
                sheet.rows.append(action)
            } else if kind.isEmpty {
                issues.append(InputIssue(row.location("kind"), reason: "is empty", suggestion: "action, or a category level such as area or group"))
            } else {
                if name.isEmpty { issues.append(InputIssue(row.location("name_en"), value: identifier, reason: "a category needs a name")) }
                sheet.categories.append(Category(identifier: identifier, name: name, parent: parent.isEmpty ? nil : parent, order: sheet.categories.count))
            }
        }
        let categoryIDs = Set(sheet.categories.map(\.identifier)).union(knownCategories)
        for category in sheet.categories {
            if let parent = category.parent, !categoryIDs.contains(parent) {
                issues.append(InputIssue(InputLocation(file: file, field: "parent"), value: parent, reason: "category \(category.identifier) names a parent that is not a category of the sheet or the plan"))
            }
        }
        for row in sheet.rows {
            if let category = row.category, !categoryIDs.contains(category) {
                issues.append(InputIssue(InputLocation(file: file, row: row.line, field: "parent"), value: category, reason: "is not a category of the sheet or the plan",
                                         suggestion: Suggestion.didYouMean(category, among: categoryIDs)))
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return sheet
    }

    /// The plan's actions after this sheet: rows update the actions with their identifiers,
    /// column by column, and add the ones that are new (which need a name). Actions the sheet
    /// does not mention stay as they were.
    public func apply(to actions: [PlanAction], on today: Day?) throws(InputErrors) -> (actions: [PlanAction], added: [String], updated: [String]) {
        var result = actions
        var index = Dictionary(uniqueKeysWithValues: actions.enumerated().map { ($1.identifier, $0) })
        var added: [String] = [], updated: [String] = [], issues: [InputIssue] = []
        for row in rows {
            var action: PlanAction
            if let i = index[row.identifier] {
                action = result[i]
            } else {
                guard !row.name.isEmpty else {
                    issues.append(InputIssue(InputLocation(row: row.line, field: "name"), value: row.identifier, reason: "is a new action and needs a name"))
                    continue
                }
                action = PlanAction(identifier: row.identifier, name: row.name)
            }
            let before = action
            for (language, text) in row.name.values { action.name[language] = text }
            for (language, text) in row.description.values { action.description[language] = text }
            if let category = row.category, !action.categories.contains(category) { action.categories = [category] }
            if let status = row.status { action.status = status }
            if let phase = row.phase { action.phase = phase }
            if let organisation = row.organisation {
                action.responsibleParties.removeAll { $0.role == .primary }
                action.responsibleParties.insert(ResponsibleParty(organisation: organisation, role: .primary), at: 0)
            }
            for cost in row.costs {
                action.costs.removeAll { $0.year == cost.year && $0.kind == cost.kind }
                action.costs.append(cost)
            }
            action.costs.sort { ($0.year, $0.kind.rawValue) < ($1.year, $1.kind.rawValue) }
            for reduction in row.reductions {
                action.reductions.removeAll { $0.year == reduction.year }
                action.reductions.append(reduction)
            }
            action.reductions.sort { $0.year < $1.year }
            if let effect = row.airEffect { action.airEffect = effect.pollutant == nil ? nil : effect.value }
            if let start = row.startDate { action.startDate = start }
            if let end = row.endDate { action.endDate = end }
            if let i = index[row.identifier] {
                guard action != before else { continue }
                action.updatedOn = row.updatedOn ?? today ?? action.updatedOn
                result[i] = action
                updated.append(row.identifier)
            } else {
                action.updatedOn = row.updatedOn ?? today
                index[row.identifier] = result.count
                result.append(action)
                added.append(row.identifier)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return (result, added, updated)
    }
}
