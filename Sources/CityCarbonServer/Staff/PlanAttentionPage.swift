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
        routes.staff(.get, "staff/plans/:plan", .readDrafts) { _, context, call in
            try render(call, plan: try context.parameters.decoded("plan"))
        }
    }

    func render(_ call: StaffCall, plan identifier: String) throws -> Response {
        let t = call.t, lang = t.language == .zhHans ? "zh-Hans" : "en"
        let repository = PlanRepository(database)
        guard let plan = try repository.plan(identifier) else { throw ProblemDetails(.notFound, "no plan named \(identifier)") }
        let today = Day.today
        var late = "", stale = "", gaps = ""
        var counts = (late: 0, stale: 0, gaps: 0)
        func link(_ action: PlanAction) -> String {
            "<a href=\"/plans/\(Markup.escape(identifier))/actions/\(Markup.escape(action.identifier))\">\(Markup.escape(action.identifier)). \(Markup.escape(action.name.text(lang)))</a>"
        }
        for action in try repository.actions(plan: identifier) {
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
                late += "<tr><td>\(link(action))</td><td>\(Markup.escape(action.primaryOrganisation ?? "—"))</td><td>\(Markup.escape(reasons.joined(separator: "; ")))</td></tr>"
            }
            if action.status.isActive, progress.timeliness == .stale || progress.timeliness == .unknown || progress.timeliness == .late {
                counts.stale += 1
                stale += "<tr><td>\(link(action))</td><td>\(Markup.escape(action.primaryOrganisation ?? "—"))</td><td>\(Markup.escape(t("timeliness.\(progress.timeliness.rawValue)")))\(action.updatedOn.map { " (\($0))" } ?? "")</td></tr>"
            }
            let missing = MonitoringGap.of(action, on: today, settings: plan.settings)
            if !missing.isEmpty {
                counts.gaps += 1
                gaps += "<tr><td>\(link(action))</td><td>\(Markup.escape(missing.map { t("gap.\($0.rawValue)") }.joined(separator: ", ")))</td></tr>"
            }
        }
        func section(_ title: String, _ count: Int, _ header: [String], _ rows: String, id: String) -> String {
            "<section><table id=\"\(id)\"><caption>\(Markup.escape(t(title, ["count": String(count)])))</caption><thead><tr>" +
            header.map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>\(rows)</tbody></table></section>"
        }
        let body = section("attention.late", counts.late, ["plans.col.action", "plans.responsible", "plans.late"], late, id: "late")
            + section("attention.stale", counts.stale, ["plans.col.action", "plans.responsible", "plans.col.updated"], stale, id: "stale")
            + section("attention.gaps", counts.gaps, ["plans.col.action", "attention.missing"], gaps, id: "gaps")
        return StaffLayout.page(t, call, title: t("attention.title", ["plan": plan.name.text(lang)]), body: body)
    }
}
