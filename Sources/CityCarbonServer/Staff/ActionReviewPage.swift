import CityCarbonPages
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The climate office's review of submitted action drafts: the queue, each draft beside the
/// published action field by field, and the decision — approve (publish) or return with a note.
struct ActionReviewPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/reviews", .managePlans) { _, _, call in try queue(call) }
        routes.staff(.get, "staff/plans/:plan/actions/:action/review", .managePlans) { _, context, call in
            try review(call, plan: try context.parameters.decoded("plan"), action: try context.parameters.decoded("action"))
        }
        routes.staff(.post, "staff/plans/:plan/actions/:action/review", .managePlans) { _, context, call in
            let (plan, action) = (try context.parameters.decoded("plan"), try context.parameters.decoded("action"))
            let drafts = ActionDraftRepository(database)
            do {
                switch call.form["decision"] {
                case "approve": try drafts.approve(plan: plan, action: action, by: call.actor, seen: call.form["digest"] ?? "")
                case "return": try drafts.returnForChanges(plan: plan, action: action, by: call.actor, note: call.form["note"] ?? "")
                case let other:
                    throw InputErrors([InputIssue(InputLocation(field: "decision"), value: other, reason: "is not a decision", suggestion: "approve, return")])
                }
            } catch let error as ActionDraftError { throw ProblemDetails(error) }
            return StaffLayout.redirect("/staff/reviews?done=\(call.form["decision"] == "approve" ? "approved" : "returned")&action=\(Markup.percentEncoded(action))")
        }
    }

    func queue(_ call: StaffCall) throws -> Response {
        let t = call.t, lang = t.language.rawValue
        let submitted = try ActionDraftRepository(database).drafts(state: .submitted)
        var body: HTML = "<table id=\"reviews\"><caption>\(t("review.queue", ["count": String(submitted.count)]))</caption><thead><tr>"
        body += Table.headings(["plans.col.action", "review.author", "review.submitted", "review.changed"], t) + "</tr></thead><tbody>"
        for draft in submitted {
            let path = "/staff/plans/\(Markup.percentEncoded(draft.plan))/actions/\(Markup.percentEncoded(draft.action.identifier))/review"
            body += "<tr><td><a href=\"\(path)\">\(draft.plan) / \(draft.action.identifier). \(draft.action.name.text(lang))</a></td>"
            body += "<td>\(draft.author)</td><td>\(draft.submittedAt.map(t.dateTime) ?? "")</td>"
            body += "<td>\(Array(Set(Self.changes(from: draft.base, to: draft.action).map { t("field.\($0.field)") })).sorted().joined(separator: ", "))</td></tr>"
        }
        body += "</tbody></table>"
        let notice = call.form["done"].flatMap { done in ["approved", "returned"].contains(done) ? t("review.notice.\(done)", ["action": call.form["action"] ?? ""]) : nil }
        return StaffLayout.page(t, call, title: t("review.title"), notice: notice, body: body)
    }

    func review(_ call: StaffCall, plan: String, action: String) throws -> Response {
        let t = call.t, lang = t.language.rawValue
        guard let draft = try ActionDraftRepository(database).draft(plan: plan, action: action) else {
            throw ProblemDetails(.noDraft(action: action))
        }
        let published = try PlanRepository(database).actions(plan: plan).first { $0.identifier == action }
        var body: HTML = "<p>\(t("review.by", ["author": draft.author, "at": t.dateTime(draft.submittedAt ?? draft.updatedAt)]))</p>"
        if published != draft.base { body += "<p class=\"problem\" role=\"alert\">\(ActionDraftError.changedSince(action: action).description)</p>" }
        body += "<table id=\"changes\"><caption>\(t("review.changes"))</caption><thead><tr>"
        body += Table.headings(["review.field", "review.published", "review.draft"], t) + "</tr></thead><tbody>"
        for change in Self.changes(from: published ?? draft.base, to: draft.action) {
            body += "<tr><th scope=\"row\">\(change.label(t))</th><td><del>\(change.side(true, t))</del></td><td><ins>\(change.side(false, t))</ins></td></tr>"
        }
        body += "</tbody></table>"
        if draft.state == .submitted {
            let path = "/staff/plans/\(Markup.percentEncoded(plan))/actions/\(Markup.percentEncoded(action))/review"
            // The version reviewed: approving a draft changed since is refused.
            body += "<form method=\"post\" action=\"\(path)\">\(StaffLayout.csrfField(call))<input type=\"hidden\" name=\"digest\" value=\"\(draft.digest)\">"
            body += "<label for=\"note\">\(t("review.note"))</label><textarea id=\"note\" name=\"note\" rows=\"3\" cols=\"80\"></textarea>"
            body += "<p><button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">\(t("review.approve"))</button> "
            body += "<button type=\"submit\" name=\"decision\" value=\"return\" class=\"secondary\" id=\"return\">\(t("review.return"))</button></p></form>"
        } else {
            body += "<p>\(t("edit.state.editing", ["author": draft.author, "at": t.dateTime(draft.updatedAt)]))</p>"
        }
        return StaffLayout.page(t, call, title: t("review.action", ["action": "\(action). \(draft.action.name.text(lang))"]), body: body)
    }
}
