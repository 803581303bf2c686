import CityCarbonPages
import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation
import Hummingbird

/// One action of a plan, whole: what it is, who answers for it, its progress, its tasks, costs,
/// reductions and indicators.
extension PlanPages {
    func actionPage(_ identifier: String, _ id: String, t: Localizer) throws -> HTML {
        let (plan, actions) = try load(identifier)
        guard let action = actions.first(where: { $0.identifier == id }) else { throw ProblemDetails(.notFound, "plan \(identifier) has no action \(id)") }
        let today = Day.today, lang = languageCode(t), other = lang == "en" ? "zh-Hans" : "en"
        let progress = ActionProgress.of(action, on: today, settings: plan.settings)
        let categories = plan.categoryTypes.flatMap(\.categories)
        var trail: [Category] = []
        var current = categories.first { action.categories.contains($0.identifier) }
        while let c = current { trail.insert(c, at: 0); current = c.parent.flatMap { p in categories.first { $0.identifier == p } } }
        var body: HTML = "<main id=\"main\"><p><a href=\"/plans/\(identifier)\">\(plan.name.text(lang))</a> › "
        body += trail.html(separator: " › ") { "<a href=\"/plans/\(identifier)?category=\($0.identifier)\">\($0.name.text(lang))</a>" } + "</p>"
        if let translation = action.name[other], translation != action.name.text(lang) { body += "<p lang=\"\(other)\"><i>\(translation)</i></p>" }
        if !action.description.isEmpty { body += "<p>\(action.description.text(lang))</p>" }
        body += "<table class=\"facts\"><tbody>"
        func fact(_ key: String, _ value: String) { body += "<tr><th scope=\"row\">\(t(key))</th><td>\(value)</td></tr>" }
        fact("plans.col.status", t("status.\(progress.effectiveStatus(of: action).rawValue)"))
        if let phase = action.phase { fact("plans.phase", t("phase.\(phase.rawValue)")) }
        if let completion = progress.completion { fact("plans.col.done", "\(Int((completion * 100).rounded())) %") }
        fact("plans.col.updated", t("timeliness.\(progress.timeliness.rawValue)") + (action.updatedOn.map { " (\(t.date($0)))" } ?? ""))
        if !action.responsibleParties.isEmpty { fact("plans.responsible", action.responsibleParties.map { "\($0.organisation) (\(t("role.party.\($0.role.rawValue)")))" }.joined(separator: "; ")) }
        if let start = action.startDate { fact("plans.start", t.date(start)) }
        if let end = action.endDate { fact("plans.end", t.date(end)) }
        for reason in progress.lateReasons {
            switch reason {
            case .overdueTasks(let tasks): fact("plans.late", t("plans.late.tasks", ["count": String(tasks.count)]))
            case .indicatorOffTrack(let indicator): fact("plans.late", t("plans.late.indicator", ["indicator": indicator]))
            case .pastEndDate(let end): fact("plans.late", t("plans.late.end", ["date": end.description]))
            }
        }
        body += "</tbody></table>"
        if !action.tasks.isEmpty {
            body += "<table><caption>\(t("plans.tasks"))</caption><tbody>" + action.tasks.map {
                "<tr><td>\($0.name.text(lang))</td><td>\(t.date($0.dueDate))</td><td>\($0.completedOn.map { "✓ \(t.date($0))" } ?? ($0.isOverdue(on: today) ? HTML(text: t("plans.overdue")) : ""))</td></tr>"
            }.joined() + "</tbody></table>"
        }
        if !action.costs.isEmpty {
            body += "<table><caption>\(t("plans.costs"))</caption><tbody>" + action.costs.html {
                "<tr><td>\($0.year)</td><td>\(t("cost.\($0.kind.rawValue)"))</td><td class=\"n\">\(t.number($0.amount, decimals: 0)) \($0.currency)</td><td>\($0.source ?? "")</td></tr>"
            } + "</tbody></table>"
        }
        if !action.reductions.isEmpty {
            body += "<table><caption>\(t("plans.reductions"))</caption><tbody>" + action.reductions.html {
                "<tr><td>\($0.year)</td><td class=\"n\">\(t.number($0.tonnesCO2e, decimals: 0)) t CO2e</td><td>\($0.method ?? "")</td><td>\($0.source ?? "")</td></tr>"
            } + "</tbody></table>"
        }
        if !action.coBenefits.isEmpty {
            body += "<section id=\"co-benefits\"><h2>\(t("field.coBenefits"))</h2><ul>" + action.coBenefits.html {
                "<li><b>\($0.kind)</b>\($0.description.isEmpty ? "" : " — \($0.description.text(lang))")</li>"
            } + "</ul></section>"
        }
        if let effect = action.airEffect {
            let (districts, statistics) = try HealthSections.inputs(database)
            body += HealthSections.action(effect, result: HealthCoBenefits.ofAction(effect, districts: districts, statistics: statistics), t: t)
        }
        body += "</main>"
        return Layout.page(t, title: "\(action.identifier). \(action.name.text(lang))", body: body, query: [], footer: plan.name.text(lang))
    }
}
