import CityCarbonPages
import CarbonKit
import ClimatePlans
import Foundation

extension ActionForm {
    /// The form's fields for `action`, inside a `<form>` the caller opens.
    /// - Parameter typed: the form as sent, when it comes back (errors, more rows): its lists are shown as typed.
    static func fields(_ action: PlanAction, plan: Plan, indicators: [(String, String)], t: Localizer, spare spareCount: Int = spareRows,
                       typed: FormData? = nil) -> HTML {
        let lang = t.language.rawValue
        let c = FormControls(t: t)
        var html: HTML = "<input type=\"hidden\" name=\"spare\" value=\"\(spareCount)\"><fieldset><legend>\(t("edit.about"))</legend>"
        for language in languages {
            html += c.input("name_\(language)", action.name[language], label: "edit.name.\(language)", extra: " size=\"80\"")
        }
        for language in languages {
            let id = "description_\(language)"
            html += "\(c.label("edit.description.\(language)", for: id))<textarea id=\"\(id)\" name=\"\(id)\" rows=\"3\" cols=\"80\">\(action.description[language] ?? "")</textarea>"
        }
        let areas = plan.categoryTypes.flatMap(\.categories).html {
            "<option value=\"\($0.identifier)\"\(action.categories.contains($0.identifier) ? " selected" : "")>\(($0.parent == nil ? "" : "— ") + $0.name.text(lang))</option>"
        }
        html += "\(c.label("plans.filter.area", for: "category"))<select id=\"category\" name=\"category\">\(areas)</select></fieldset>"
        html += "<fieldset><legend>\(t("edit.progress"))</legend>\(c.label("plans.col.status", for: "status"))"
        html += c.select("status", ActionStatus.allCases.filter { $0 != .late }.map { ($0.rawValue, t("status.\($0.rawValue)")) },
                         action.status.rawValue, id: "status", aria: t("plans.col.status"))
        html += c.input("merged_into", action.mergedInto, label: "edit.merged_into")
        html += c.label("plans.phase", for: "phase")
        html += c.select("phase", [("", "—")] + ImplementationPhase.allCases.map { ($0.rawValue, t("phase.\($0.rawValue)")) },
                         action.phase?.rawValue ?? "", id: "phase", aria: t("plans.phase"))
        html += c.input("start_date", action.startDate?.description, type: "date", label: "plans.start")
        html += c.input("end_date", action.endDate?.description, type: "date", label: "plans.end")
        html += c.input("depends_on", action.dependsOn.joined(separator: ", "), label: "edit.depends_on")
        html += "</fieldset><fieldset><legend>\(t("plans.responsible"))</legend>"
        html += c.input("primary", action.primaryOrganisation, label: "edit.primary")
        let collaborators = action.responsibleParties.filter { $0.role == .collaborator }.map(\.organisation).joined(separator: "\n")
        html += "\(c.label("edit.collaborators", for: "collaborators"))<textarea id=\"collaborators\" name=\"collaborators\" rows=\"2\" cols=\"60\">\(collaborators)</textarea></fieldset>"
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
        func list(_ id: String, _ caption: String, _ headers: [String], _ rows: [[String]], _ cells: ([String]) -> HTML) -> HTML {
            c.list(id, caption: caption, headers: headers, rows: rows.map(cells), held: rows.count - spareCount)
        }
        let blankText = { (row: [String]) in row.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
        let contacts = rows(["contact_name", "contact_email", "contact_organisation"], list: "contacts",
                            held: action.contacts.map { [$0.name, $0.email ?? "", $0.organisation ?? ""] }, blank: ["", "", ""], empty: blankText)
        html += list("contacts", "edit.contacts", ["edit.contact.name", "edit.contact.email", "accounts.organisation"], contacts) { r in
            c.cell("contact_name", r[0], aria: t("edit.contact.name")) + c.cell("contact_email", r[1], type: "email", aria: t("edit.contact.email"))
                + c.cell("contact_organisation", r[2], aria: t("accounts.organisation"))
        }
        let tasks = rows(["task_name", "task_due", "task_done"], list: "tasks",
                         held: action.tasks.map { [$0.name.text("en"), $0.dueDate.description, $0.completedOn?.description ?? ""] },
                         blank: ["", "", ""], empty: blankText)
        html += list("tasks", "plans.tasks", ["edit.task.name", "edit.task.due", "edit.task.done"], tasks) { r in
            c.cell("task_name", r[0], aria: t("edit.task.name"), extra: " size=\"50\"") + c.cell("task_due", r[1], type: "date", aria: t("edit.task.due"))
                + c.cell("task_done", r[2], type: "date", aria: t("edit.task.done"))
        }
        let kinds = [("", "—")] + [CostEntry.Kind.capital, .operating].map { ($0.rawValue, t("cost.\($0.rawValue)")) }
        let costs = rows(["cost_year", "cost_kind", "cost_amount", "cost_currency", "cost_source"], list: "costs",
                         held: action.costs.map { [String($0.year), $0.kind.rawValue, String(format: "%.2f", $0.amount), $0.currency, $0.source ?? ""] },
                         blank: ["", "", "", "", ""], empty: blankText)
        html += list("costs", "plans.costs", ["edit.year", "edit.cost.kind", "edit.amount", "edit.currency", "edit.source"], costs) { r in
            let kind: HTML = "<td>\(c.select("cost_kind", kinds, r[1], aria: t("edit.cost.kind")))</td>"
            return c.cell("cost_year", r[0], type: "number", aria: t("edit.year")) + kind + c.cell("cost_amount", r[2], aria: t("edit.amount"))
                + c.cell("cost_currency", r[3], aria: t("edit.currency"), extra: " size=\"4\"") + c.cell("cost_source", r[4], aria: t("edit.source"))
        }
        let reductions = rows(["reduction_year", "reduction_t", "reduction_method", "reduction_source"], list: "reductions",
                              held: action.reductions.map { [String($0.year), String($0.tonnesCO2e), $0.method ?? "", $0.source ?? ""] },
                              blank: ["", "", "", ""], empty: blankText)
        html += list("reductions", "plans.reductions", ["edit.year", "edit.tonnes", "edit.method", "edit.source"], reductions) { r in
            c.cell("reduction_year", r[0], type: "number", aria: t("edit.year")) + c.cell("reduction_t", r[1], aria: t("edit.tonnes"))
                + c.cell("reduction_method", r[2], aria: t("edit.method")) + c.cell("reduction_source", r[3], aria: t("edit.source"))
        }
        let benefits = rows(["benefit_kind", "benefit_text"], list: "benefits",
                            held: action.coBenefits.map { [$0.kind, $0.description.text("en")] }, blank: ["", ""], empty: blankText)
        html += list("benefits", "edit.benefits", ["edit.benefit.kind", "edit.benefit.text"], benefits) { r in
            c.cell("benefit_kind", r[0], aria: t("edit.benefit.kind")) + c.cell("benefit_text", r[1], aria: t("edit.benefit.text"), extra: " size=\"50\"")
        }
        html += airEffect(action.airEffect, typed: typed, c: c, t: t)
        let effects = [("decreases", t("edit.effect.decreases")), ("increases", t("edit.effect.increases"))]
        // The effect and measure selects always carry a value: a row is empty without an indicator.
        let links = rows(["indicator", "indicator_effect", "indicator_measures"], list: "indicators",
                         held: action.indicators.map { [$0.indicator, $0.effect.rawValue, $0.measuresProgress ? "yes" : "no"] },
                         blank: ["", "decreases", "yes"], empty: { $0[0].isEmpty })
        html += list("indicators", "edit.indicators", ["edit.indicator", "edit.effect", "edit.measures"], links) { r in
            let indicator = c.select("indicator", [("", "—")] + indicators, r[0], aria: t("edit.indicator"))
            let effect = c.select("indicator_effect", effects, r[1], aria: t("edit.effect"))
            let measures = c.select("indicator_measures", [("yes", t("edit.yes")), ("no", t("edit.no"))], r[2], aria: t("edit.measures"))
            return "<td>\(indicator)</td><td>\(effect)</td><td>\(measures)</td>"
        }
        return html
    }

    /// The action's effect on the air, for its health co-benefit: one per action, as typed when the form comes back.
    static func airEffect(_ effect: AirEffect?, typed: FormData?, c: FormControls, t: Localizer) -> HTML {
        let held: [String: String] = [
            "air_pollutant": effect?.pollutant.rawValue ?? "", "air_district": effect?.district ?? "",
            "air_concentration_reduction": effect?.concentrationReduction.map { String($0) } ?? "",
            "air_emission_reduction": effect?.emissionReductionTonnes.map { String($0) } ?? "", "air_source": effect?.source ?? "",
        ]
        func value(_ name: String) -> String { typed.map { $0[name] ?? "" } ?? held[name] ?? "" }
        var html: HTML = "<fieldset id=\"air-effect\"><legend>\(t("edit.air"))</legend><p class=\"note\">\(t("edit.air.note"))</p>"
        html += c.label("edit.air.pollutant", for: "air_pollutant")
        html += c.select("air_pollutant", [("", "—"), ("pm25", "PM2.5"), ("no2", "NO₂")], value("air_pollutant"), id: "air_pollutant",
                         aria: t("edit.air.pollutant"))
        html += c.input("air_district", value("air_district"), label: "edit.air.district")
        html += c.input("air_concentration_reduction", value("air_concentration_reduction"), label: "edit.air.concentration")
        html += c.input("air_emission_reduction", value("air_emission_reduction"), label: "edit.air.emission")
        html += c.input("air_source", value("air_source"), label: "edit.air.source", extra: " size=\"60\"")
        return html + "</fieldset>"
    }
}
