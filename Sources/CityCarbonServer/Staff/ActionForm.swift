import CityCarbonPages
import CarbonKit
import ClimatePlans
import Foundation

/// The staff form of a plan action, without JavaScript: repeated rows (tasks, costs,
/// reductions, contacts, co-benefits, indicators) come as parallel fields, with empty rows to
/// add to and a "more rows" button that shows the form again with more of them; a row left
/// empty, or ticked "remove", is dropped. Reading it names every bad field.
enum ActionForm {
    static let languages = ["en", "zh-Hans"]
    /// Empty rows offered under each repeated list, and how many more each "more rows" adds.
    static let spareRows = 2
    /// The most empty rows a form asks for, so a replayed request cannot make a huge page.
    static let maximumSpareRows = 50
    /// The repeated lists, by the name of their "remove" field (`remove_tasks`).
    static let lists = ["contacts", "tasks", "costs", "reductions", "benefits", "indicators"]

    /// The empty rows the form asked for (`spare`), within 0…``maximumSpareRows``.
    static func spare(_ form: FormData) -> Int {
        min(max(Int(form["spare"] ?? "") ?? spareRows, 0), maximumSpareRows)
    }

    /// The action the form describes, and the problems of its fields; a field that cannot be
    /// read is left out, so the form can be shown again with everything else as typed. Fields
    /// the form does not carry (identifier, merges of other plans) come from `published`.
    static func read(_ form: FormData, published: PlanAction) -> (action: PlanAction, issues: [InputIssue]) {
        var issues: [InputIssue] = []
        func issue(_ field: String, _ value: String?, _ reason: String, _ suggestion: String? = nil) {
            issues.append(InputIssue(InputLocation(field: field), value: value, reason: reason, suggestion: suggestion))
        }
        func text(_ name: String) -> String? {
            let value = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        func day(_ value: String, field: String) -> Day? {
            let value = value.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { return nil }
            guard let day = Day(value) else { issue(field, value, "is not a date", "YYYY-MM-DD"); return nil }
            return day
        }
        func number(_ value: String, field: String) -> Double? {
            do throws(InputIssue) {
                return try InputNumber.decimal(value, field: field)
            } catch {
                issues.append(error)
                return nil
            }
        }
        /// The rows of parallel fields, without the empty ones and those ticked "remove", with their 1-based numbers.
        func rows(_ names: [String], list: String) -> [(Int, [String])] {
            let columns = names.map { form.all($0) }
            let count = columns.map(\.count).max() ?? 0
            let removed = Set(form.all("remove_\(list)").compactMap { Int($0) })
            return (0..<count).compactMap { i in
                let row = columns.map { i < $0.count ? $0[i].trimmingCharacters(in: .whitespacesAndNewlines) : "" }
                return row.allSatisfy(\.isEmpty) || removed.contains(i + 1) ? nil : (i + 1, row)
            }
        }
        var action = published
        action.name = Multilingual(Dictionary(uniqueKeysWithValues: languages.map { ($0, text("name_\($0)") ?? "") }))
        action.description = Multilingual(Dictionary(uniqueKeysWithValues: languages.map { ($0, text("description_\($0)") ?? "") }))
        if let value = text("status") {
            if let status = ActionStatus(rawValue: value) { action.status = status } else { issue("status", value, "is not a status") }
        }
        action.mergedInto = text("merged_into")
        if let value = text("phase") {
            if let phase = ImplementationPhase(rawValue: value) { action.phase = phase } else { issue("phase", value, "is not a phase") }
        } else {
            action.phase = nil
        }
        action.startDate = day(form["start_date"] ?? "", field: "start_date")
        action.endDate = day(form["end_date"] ?? "", field: "end_date")
        let categories = form.all("category").filter { !$0.isEmpty }
        if !categories.isEmpty { action.categories = categories }
        action.responsibleParties = (text("primary").map { [ResponsibleParty(organisation: $0, role: .primary)] } ?? [])
            + (form["collaborators"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .map { ResponsibleParty(organisation: $0, role: .collaborator) }
        action.dependsOn = (form["depends_on"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        action.contacts = rows(["contact_name", "contact_email", "contact_organisation"], list: "contacts").map { _, r in
            ContactPerson(name: r[0], email: r[1].isEmpty ? nil : r[1], organisation: r[2].isEmpty ? nil : r[2])
        }
        action.tasks = rows(["task_name", "task_due", "task_done"], list: "tasks").compactMap { n, r in
            guard let due = day(r[1], field: "tasks[\(n)].due") else {
                if r[1].isEmpty { issue("tasks[\(n)].due", nil, "a task needs a due date") }
                return nil
            }
            return ActionTask(name: Multilingual(["en": r[0]]), dueDate: due, completedOn: day(r[2], field: "tasks[\(n)].completed"))
        }
        // Task names keep their other languages when the English one is unchanged.
        for (i, task) in action.tasks.enumerated() {
            if let old = published.tasks.first(where: { $0.name.text("en") == task.name.text("en") }) { action.tasks[i].name = old.name }
        }
        action.costs = rows(["cost_year", "cost_kind", "cost_amount", "cost_currency", "cost_source"], list: "costs").compactMap { n, r in
            guard let year = Int(r[0]) else { issue("costs[\(n)].year", r[0], "is not a year"); return nil }
            guard let kind = CostEntry.Kind(rawValue: r[1]) else { issue("costs[\(n)].kind", r[1], "is not capital or operating"); return nil }
            guard let amount = number(r[2], field: "costs[\(n)].amount") else { return nil }
            return CostEntry(year: year, kind: kind, amount: amount, currency: r[3].uppercased(), source: r[4].isEmpty ? nil : r[4])
        }
        action.reductions = rows(["reduction_year", "reduction_t", "reduction_method", "reduction_source"], list: "reductions").compactMap { n, r in
            guard let year = Int(r[0]) else { issue("reductions[\(n)].year", r[0], "is not a year"); return nil }
            guard let tonnes = number(r[1], field: "reductions[\(n)].t_co2e") else { return nil }
            return ReductionEntry(year: year, tonnesCO2e: tonnes, method: r[2].isEmpty ? nil : r[2], source: r[3].isEmpty ? nil : r[3])
        }
        switch AirEffect.read({ (form[$0] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }) {
        case .nothing, .removal: action.airEffect = nil
        case .effect(let effect): action.airEffect = effect
        case let .problem(field, value, reason, suggestion): issue(field, value, reason, suggestion)
        }
        action.coBenefits = rows(["benefit_kind", "benefit_text"], list: "benefits").map { _, r in CoBenefit(kind: r[0], description: Multilingual(["en": r[1]])) }
        action.indicators = rows(["indicator", "indicator_effect", "indicator_measures"], list: "indicators").compactMap { n, r in
            // The effect and measure selects always carry a value: a row is empty without an indicator.
            guard !r[0].isEmpty else { return nil }
            guard let effect = IndicatorLink.Effect(rawValue: r[1]) else { issue("indicators[\(n)].effect", r[1], "is not increases or decreases"); return nil }
            return IndicatorLink(indicator: r[0], effect: effect, measuresProgress: r[2] != "no")
        }
        return (action, issues)
    }
}
