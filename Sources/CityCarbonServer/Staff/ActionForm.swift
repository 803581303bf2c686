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
        action.coBenefits = rows(["benefit_kind", "benefit_text"], list: "benefits").map { _, r in CoBenefit(kind: r[0], description: Multilingual(["en": r[1]])) }
        action.indicators = rows(["indicator", "indicator_effect", "indicator_measures"], list: "indicators").compactMap { n, r in
            // The effect and measure selects always carry a value: a row is empty without an indicator.
            guard !r[0].isEmpty else { return nil }
            guard let effect = IndicatorLink.Effect(rawValue: r[1]) else { issue("indicators[\(n)].effect", r[1], "is not increases or decreases"); return nil }
            return IndicatorLink(indicator: r[0], effect: effect, measuresProgress: r[2] != "no")
        }
        return (action, issues)
    }

    /// The form's fields for `action`, inside a `<form>` the caller opens.
    /// - Parameter typed: the form as sent, when it comes back (errors, more rows): its lists are shown as typed.
    static func fields(_ action: PlanAction, plan: Plan, indicators: [(String, String)], t: Localizer, spare spareCount: Int = spareRows,
                       typed: FormData? = nil) -> String {
        let lang = t.language.rawValue
        func label(_ key: String, for id: String) -> String { "<label for=\"\(id)\">\(Markup.escape(t(key)))</label>" }
        func input(_ name: String, _ value: String?, type: String = "text", id: String? = nil, label key: String? = nil, extra: String = "") -> String {
            let id = id ?? name
            return (key.map { label($0, for: id) } ?? "") + "<input id=\"\(id)\" name=\"\(name)\" type=\"\(type)\" value=\"\(Markup.escape(value ?? ""))\"\(extra)>"
        }
        func cell(_ name: String, _ value: String?, type: String = "text", aria: String, extra: String = "") -> String {
            "<td><input name=\"\(name)\" type=\"\(type)\" value=\"\(Markup.escape(value ?? ""))\" aria-label=\"\(Markup.escape(aria))\"\(extra)></td>"
        }
        func select(_ name: String, _ options: [(String, String)], _ selected: String?, aria: String) -> String {
            "<select name=\"\(name)\" aria-label=\"\(Markup.escape(aria))\">" + options.map {
                "<option value=\"\(Markup.escape($0.0))\"\($0.0 == selected ? " selected" : "")>\(Markup.escape($0.1))</option>"
            }.joined() + "</select>"
        }
        /// A list's rows: the held ones with a "remove" box each, then the empty ones, then the "more rows" button.
        func table(_ id: String, _ caption: String, _ headers: [String], _ rows: [String]) -> String {
            let held = rows.count - spareCount
            return "<table id=\"\(id)\" class=\"edit\"><caption>\(Markup.escape(t(caption)))</caption><thead><tr>"
                + (headers + ["edit.remove"]).map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined()
                + "</tr></thead><tbody>" + rows.enumerated().map { i, cells in
                    let remove = i < held ? "<td><input type=\"checkbox\" name=\"remove_\(id)\" value=\"\(i + 1)\" aria-label=\"\(Markup.escape(t("edit.removeRow", ["row": String(i + 1)])))\"></td>" : "<td></td>"
                    return "<tr>\(cells)\(remove)</tr>"
                }.joined() + "</tbody></table><p><button type=\"submit\" name=\"intent\" value=\"more\" class=\"secondary\" formnovalidate>\(Markup.escape(t("edit.moreRows")))</button></p>"
        }
        var html = "<fieldset><legend>\(Markup.escape(t("edit.about")))</legend>"
        for language in languages {
            html += input("name_\(language)", action.name[language], label: "edit.name.\(language)", extra: " size=\"80\"")
        }
        for language in languages {
            html += label("edit.description.\(language)", for: "description_\(language)")
                + "<textarea id=\"description_\(language)\" name=\"description_\(language)\" rows=\"3\" cols=\"80\">\(Markup.escape(action.description[language] ?? ""))</textarea>"
        }
        let categories = plan.categoryTypes.flatMap(\.categories)
        html += label("plans.filter.area", for: "category") + "<select id=\"category\" name=\"category\">"
            + categories.map { "<option value=\"\(Markup.escape($0.identifier))\"\(action.categories.contains($0.identifier) ? " selected" : "")>\(Markup.escape(($0.parent == nil ? "" : "— ") + $0.name.text(lang)))</option>" }.joined()
            + "</select></fieldset>"
        html += "<fieldset><legend>\(Markup.escape(t("edit.progress")))</legend>"
        html += label("plans.col.status", for: "status") + select("status", ActionStatus.allCases.filter { $0 != .late }.map { ($0.rawValue, t("status.\($0.rawValue)")) },
                                                                   action.status.rawValue, aria: t("plans.col.status")).replacingOccurrences(of: "<select ", with: "<select id=\"status\" ")
        html += input("merged_into", action.mergedInto, label: "edit.merged_into")
        html += label("plans.phase", for: "phase") + select("phase", [("", "—")] + ImplementationPhase.allCases.map { ($0.rawValue, t("phase.\($0.rawValue)")) },
                                                             action.phase?.rawValue ?? "", aria: t("plans.phase")).replacingOccurrences(of: "<select ", with: "<select id=\"phase\" ")
        html += input("start_date", action.startDate?.description, type: "date", label: "plans.start")
        html += input("end_date", action.endDate?.description, type: "date", label: "plans.end")
        html += input("depends_on", action.dependsOn.joined(separator: ", "), label: "edit.depends_on") + "</fieldset>"
        html += "<fieldset><legend>\(Markup.escape(t("plans.responsible")))</legend>"
        html += input("primary", action.primaryOrganisation, label: "edit.primary")
        html += label("edit.collaborators", for: "collaborators") + "<textarea id=\"collaborators\" name=\"collaborators\" rows=\"2\" cols=\"60\">"
            + Markup.escape(action.responsibleParties.filter { $0.role == .collaborator }.map(\.organisation).joined(separator: "\n")) + "</textarea></fieldset>"
        html = "<input type=\"hidden\" name=\"spare\" value=\"\(spareCount)\">" + html
        /// A list's rows as text: as typed when the form comes back (a row that could not be read
        /// is still there to correct, a row ticked "remove" is gone), else the action's; then the empty ones.
        func rows(_ names: [String], list: String, held: [[String]], blank: [String], empty: ([String]) -> Bool) -> [[String]] {
            var rows = held
            if let typed {
                let columns = names.map { typed.all($0) }
                let removed = Set(typed.all("remove_\(list)").compactMap { Int($0) })
                rows = (0..<(columns.map(\.count).max() ?? 0)).compactMap { i in
                    let row = columns.map { i < $0.count ? $0[i] : "" }
                    return empty(row) || removed.contains(i + 1) ? nil : row
                }
            }
            return rows + Array(repeating: blank, count: spareCount)
        }
        let blankText = { (row: [String]) in row.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
        let contacts = rows(["contact_name", "contact_email", "contact_organisation"], list: "contacts",
                            held: action.contacts.map { [$0.name, $0.email ?? "", $0.organisation ?? ""] }, blank: ["", "", ""], empty: blankText)
        html += table("contacts", "edit.contacts", ["edit.contact.name", "edit.contact.email", "accounts.organisation"], contacts.map { r in
            cell("contact_name", r[0], aria: t("edit.contact.name")) + cell("contact_email", r[1], type: "email", aria: t("edit.contact.email"))
                + cell("contact_organisation", r[2], aria: t("accounts.organisation"))
        })
        let tasks = rows(["task_name", "task_due", "task_done"], list: "tasks",
                         held: action.tasks.map { [$0.name.text("en"), $0.dueDate.description, $0.completedOn?.description ?? ""] }, blank: ["", "", ""], empty: blankText)
        html += table("tasks", "plans.tasks", ["edit.task.name", "edit.task.due", "edit.task.done"], tasks.map { r in
            cell("task_name", r[0], aria: t("edit.task.name"), extra: " size=\"50\"") + cell("task_due", r[1], type: "date", aria: t("edit.task.due"))
                + cell("task_done", r[2], type: "date", aria: t("edit.task.done"))
        })
        let kinds = [("", "—")] + [CostEntry.Kind.capital, .operating].map { ($0.rawValue, t("cost.\($0.rawValue)")) }
        let costs = rows(["cost_year", "cost_kind", "cost_amount", "cost_currency", "cost_source"], list: "costs",
                         held: action.costs.map { [String($0.year), $0.kind.rawValue, String(format: "%.2f", $0.amount), $0.currency, $0.source ?? ""] },
                         blank: ["", "", "", "", ""], empty: blankText)
        html += table("costs", "plans.costs", ["edit.year", "edit.cost.kind", "edit.amount", "edit.currency", "edit.source"], costs.map { r in
            cell("cost_year", r[0], type: "number", aria: t("edit.year")) + "<td>" + select("cost_kind", kinds, r[1], aria: t("edit.cost.kind")) + "</td>"
                + cell("cost_amount", r[2], aria: t("edit.amount")) + cell("cost_currency", r[3], aria: t("edit.currency"), extra: " size=\"4\"")
                + cell("cost_source", r[4], aria: t("edit.source"))
        })
        let reductions = rows(["reduction_year", "reduction_t", "reduction_method", "reduction_source"], list: "reductions",
                              held: action.reductions.map { [String($0.year), String($0.tonnesCO2e), $0.method ?? "", $0.source ?? ""] },
                              blank: ["", "", "", ""], empty: blankText)
        html += table("reductions", "plans.reductions", ["edit.year", "edit.tonnes", "edit.method", "edit.source"], reductions.map { r in
            cell("reduction_year", r[0], type: "number", aria: t("edit.year")) + cell("reduction_t", r[1], aria: t("edit.tonnes"))
                + cell("reduction_method", r[2], aria: t("edit.method")) + cell("reduction_source", r[3], aria: t("edit.source"))
        })
        let benefits = rows(["benefit_kind", "benefit_text"], list: "benefits",
                            held: action.coBenefits.map { [$0.kind, $0.description.text("en")] }, blank: ["", ""], empty: blankText)
        html += table("benefits", "edit.benefits", ["edit.benefit.kind", "edit.benefit.text"], benefits.map { r in
            cell("benefit_kind", r[0], aria: t("edit.benefit.kind")) + cell("benefit_text", r[1], aria: t("edit.benefit.text"), extra: " size=\"50\"")
        })
        let effects = [("decreases", t("edit.effect.decreases")), ("increases", t("edit.effect.increases"))]
        // The effect and measure selects always carry a value: a row is empty without an indicator.
        let links = rows(["indicator", "indicator_effect", "indicator_measures"], list: "indicators",
                         held: action.indicators.map { [$0.indicator, $0.effect.rawValue, $0.measuresProgress ? "yes" : "no"] },
                         blank: ["", "decreases", "yes"], empty: { $0[0].isEmpty })
        html += table("indicators", "edit.indicators", ["edit.indicator", "edit.effect", "edit.measures"], links.map { r in
            "<td>" + select("indicator", [("", "—")] + indicators, r[0], aria: t("edit.indicator")) + "</td><td>"
                + select("indicator_effect", effects, r[1], aria: t("edit.effect")) + "</td><td>"
                + select("indicator_measures", [("yes", t("edit.yes")), ("no", t("edit.no"))], r[2], aria: t("edit.measures")) + "</td>"
        })
        return html
    }
}
