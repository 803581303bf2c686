import CityCarbonPages
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The climate office's worklist for a plan: actions that are late (and why), not updated
/// for too long, or missing what monitoring needs (an owner, a contact, a task ahead, an
/// indicator).
struct PlanAttentionPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/plans", .readDrafts) { _, _, call in try list(call) }
        routes.staff(.get, "staff/plans/:plan", .readDrafts) { _, context, call in
            try render(call, plan: try context.parameters.decoded("plan"))
        }
    }

    func list(_ call: StaffCall) throws -> Response {
        let t = call.t, lang = t.language.rawValue
        let repository = PlanRepository(database)
        let drafts = try ActionDraftRepository(database).drafts()
        var body: HTML = "<ul class=\"plans\">"
        for plan in try repository.plans() {
            let count = try repository.actions(plan: plan.identifier).count
            let pending = drafts.filter { $0.plan == plan.identifier }.count
            body += "<li><a href=\"/staff/plans/\(Markup.percentEncoded(plan.identifier))\">\(plan.name.text(lang))</a> · "
                + HTML(text: t("plans.count", ["count": String(count)])) + (pending > 0 ? " · " + HTML(text: t("attention.drafts.count", ["count": String(pending)])) : "") + "</li>"
        }
        body += "</ul>"
        return StaffLayout.page(t, call, title: t("staff.nav.plans"), body: body)
    }

    func render(_ call: StaffCall, plan identifier: String) throws -> Response {
        let t = call.t, lang = t.language.rawValue
        let repository = PlanRepository(database)
        guard let plan = try repository.plan(identifier) else { throw ProblemDetails(.notFound, "no plan named \(identifier)") }
        let today = Day.today
        var late: HTML = "", stale: HTML = "", gaps: HTML = "", mine: HTML = ""
        var counts = (late: 0, stale: 0, gaps: 0, mine: 0)
        let principal = call.principal
        let drafts = Dictionary(try ActionDraftRepository(database).drafts(plan: identifier).map { ($0.action.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        func link(_ action: PlanAction) -> HTML {
            var html: HTML = "<a href=\"/plans/\(Markup.percentEncoded(identifier))/actions/\(Markup.percentEncoded(action.identifier))\">\(action.identifier). \(action.name.text(lang))</a>"
            if principal.mayEdit(action) {
                html += " <a class=\"edit\" href=\"/staff/plans/\(Markup.percentEncoded(identifier))/actions/\(Markup.percentEncoded(action.identifier))/edit\">\(t("attention.edit"))</a>"
            }
            return html
        }
        let actions = try repository.actions(plan: identifier)
        for action in actions {
            let progress = ActionProgress.of(action, on: today, settings: plan.settings)
            if progress.isLate {
                counts.late += 1
                let reasons = progress.lateReasons.map { reason -> String in
                    switch reason {
                    case .overdueTasks(let tasks): t("plans.late.tasks", ["count": String(tasks.count)])
                    case .indicatorOffTrack(let indicator): t("plans.late.indicator", ["indicator": indicator])
                    case .pastEndDate(let end): t("plans.late.end", ["date": end.description])
                    }
                }
                late += "<tr><td>\(link(action))</td><td>\(action.primaryOrganisation ?? "—")</td><td>\(reasons.joined(separator: "; "))</td></tr>"
            }
            if action.status.isActive, progress.timeliness == .stale || progress.timeliness == .unknown || progress.timeliness == .late {
                counts.stale += 1
                stale += "<tr><td>\(link(action))</td><td>\(action.primaryOrganisation ?? "—")</td><td>\(t("timeliness.\(progress.timeliness.rawValue)"))\(action.updatedOn.map { " (\($0))" } ?? "")</td></tr>"
            }
            if principal.role.isScoped, principal.mayEdit(action) {
                counts.mine += 1
                let state = drafts[action.identifier].map { t("attention.draft.\($0.state.rawValue)") } ?? ""
                mine += "<tr data-action=\"\(action.identifier)\"><td>\(link(action))</td><td>\(t("status.\(progress.effectiveStatus(of: action).rawValue)"))</td><td>\(state)</td></tr>"
            }
            let missing = MonitoringGap.of(action, on: today, settings: plan.settings)
            if !missing.isEmpty {
                counts.gaps += 1
                gaps += "<tr><td>\(link(action))</td><td>\(missing.map { t("gap.\($0.rawValue)") }.joined(separator: ", "))</td></tr>"
            }
        }
        func section(_ title: String, _ count: Int, _ header: [String], _ rows: HTML, id: String) -> HTML {
            let heads = Table.headings(header, t)
            return "<section><table id=\"\(id)\"><caption>\(t(title, ["count": String(count)]))</caption><thead><tr>\(heads)</tr></thead><tbody>\(rows)</tbody></table></section>"
        }
        var draftRows: HTML = "", draftCount = 0
        for draft in drafts.values.sorted(by: { $0.updatedAt < $1.updatedAt }) {
            guard let action = actions.first(where: { $0.identifier == draft.action.identifier }), principal.may(.managePlans) || principal.mayEdit(action) else { continue }
            let review: HTML = principal.may(.managePlans) && draft.state == .submitted
                ? " <a href=\"/staff/plans/\(Markup.percentEncoded(identifier))/actions/\(Markup.percentEncoded(action.identifier))/review\">\(t("attention.review"))</a>" : ""
            draftCount += 1
            draftRows += "<tr><td>\(link(action))\(review)</td><td>\(draft.author)</td><td>\(t("attention.draft.\(draft.state.rawValue)"))</td></tr>"
        }
        var body: HTML = ""
        if principal.role.isScoped {
            body += section("attention.mine", counts.mine, ["plans.col.action", "plans.col.status", "attention.draft"], mine, id: "mine")
        }
        if !draftRows.isEmpty { body += section("attention.drafts", draftCount, ["plans.col.action", "review.author", "attention.draft"], draftRows, id: "drafts") }
        if principal.may(.managePlans) {
            body += "<section id=\"report-build\"><h2>\(t("report.build"))</h2><form method=\"post\" action=\"/staff/plans/\(Markup.percentEncoded(identifier))/reports\">\(StaffLayout.csrfField(call))"
                + "<label for=\"report-year\">\(t("indicators.year"))</label><input id=\"report-year\" name=\"year\" type=\"number\" value=\"\(today.year - 1)\" min=\"1990\" max=\"\(today.year)\"> "
                + "<button type=\"submit\">\(t("report.build.button"))</button></form><p><a href=\"/plans/\(Markup.percentEncoded(identifier))/reports\">\(t("report.all"))</a></p></section>"
        }
        body += section("attention.late", counts.late, ["plans.col.action", "plans.responsible", "plans.late"], late, id: "late")
            + section("attention.stale", counts.stale, ["plans.col.action", "plans.responsible", "plans.col.updated"], stale, id: "stale")
            + section("attention.gaps", counts.gaps, ["plans.col.action", "attention.missing"], gaps, id: "gaps")
        let notice = call.form["notice"] == "discarded" ? t("edit.notice.discarded") : nil
        return StaffLayout.page(t, call, title: t("attention.title", ["plan": plan.name.text(lang)]), notice: notice, body: body)
    }
}
