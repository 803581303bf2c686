import CityCarbonPages
import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation
import Hummingbird

/// An editor's update of a plan action: the form, prefilled from the draft if there is one,
/// saved as a draft, submitted for the climate office's review, or thrown away. Nothing here
/// reaches the public pages; approval does (``ActionReviewPage``).
struct ActionEditPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/plans/:plan/actions/:action/edit", .editPlans) { _, context, call in
            let (plan, action) = (try context.parameters.decoded("plan"), try context.parameters.decoded("action"))
            let (loaded, published) = try load(plan, action, call)
            let draft = try ActionDraftRepository(database).draft(plan: plan, action: action)
            return render(call, plan: loaded, action: draft?.action ?? published, draft: draft)
        }
        routes.staff(.post, "staff/plans/:plan/actions/:action/edit", .editPlans) { _, context, call in
            let (plan, action) = (try context.parameters.decoded("plan"), try context.parameters.decoded("action"))
            let (loaded, published) = try load(plan, action, call)
            let drafts = ActionDraftRepository(database)
            let intent = call.form["intent"] ?? "save"
            if intent == "discard" {
                do { try drafts.discard(plan: plan, action: action, by: call.principal) } catch let error as ActionDraftError { throw ProblemDetails(error) }
                return StaffLayout.redirect("/staff/plans/\(Markup.percentEncoded(plan))?notice=discarded")
            }
            var (edited, issues) = ActionForm.read(call.form, published: published)
            edited.updatedOn = Day.today
            let current = try drafts.draft(plan: plan, action: action)
            // More empty rows: the form again as typed (rows ticked "remove" gone), nothing saved.
            if intent == "more" {
                return render(call, plan: loaded, action: edited, draft: current, spare: min(ActionForm.spare(call.form) + ActionForm.spareRows,
                                                                                            ActionForm.maximumSpareRows), typed: call.form)
            }
            // An editor keeps its own organisation among those responsible: handing an action on is the climate office's.
            if !call.principal.mayEdit(edited) {
                issues.append(InputIssue(InputLocation(field: "primary"), value: edited.primaryOrganisation ?? "",
                                         reason: "leaves out \(call.principal.organisation ?? "your organisation"), which would lose the action; the climate office hands actions on",
                                         suggestion: call.principal.organisation))
            }
            if let effect = edited.airEffect,
               let issue = HealthCoBenefits.districtProblem(effect, districts: HealthCoBenefits.districts(of: try JurisdictionRepository(database).tree())) {
                issues.append(issue)
            }
            // A name close to, but not, an organisation of the plan is a typing error, not a new partner.
            let known = Set(try PlanRepository(database).actions(plan: plan).flatMap { $0.responsibleParties.map(\.organisation) })
            for (i, party) in edited.responsibleParties.enumerated() where !known.contains(party.organisation) {
                if let suggestion = Suggestion.didYouMean(party.organisation, among: known) {
                    issues.append(InputIssue(InputLocation(field: party.role == .primary ? "primary" : "collaborators[\(i)]"), value: party.organisation,
                                             reason: "is not an organisation of this plan", suggestion: suggestion))
                }
            }
            if issues.isEmpty {
                do {
                    let indicators = Set(try IndicatorRepository(database).all(edition: .current).map(\.indicator.identifier))
                    try edited.validate(in: loaded, actions: try PlanRepository(database).actions(plan: plan), indicators: indicators.isEmpty ? nil : indicators)
                } catch let errors as InputErrors { issues = errors.issues }
            }
            guard issues.isEmpty else {
                return render(call, plan: loaded, action: edited, draft: current, issues: issues, spare: ActionForm.spare(call.form), typed: call.form)
            }
            do {
                try drafts.save(edited, plan: plan, by: call.principal, submit: intent == "submit", today: Day.today)
            } catch let error as ActionDraftError { throw ProblemDetails(error) }
            return StaffLayout.redirect("/staff/plans/\(Markup.percentEncoded(plan))/actions/\(Markup.percentEncoded(action))/edit?notice=\(intent == "submit" ? "submitted" : "saved")")
        }
    }

    /// The plan and the published action, or 404; 403 when the caller may not edit it.
    func load(_ plan: String, _ action: String, _ call: StaffCall) throws -> (Plan, PlanAction) {
        let repository = PlanRepository(database)
        guard let loaded = try repository.plan(plan) else { throw ProblemDetails(.notFound, "no plan named \(plan)") }
        guard let published = try repository.actions(plan: plan).first(where: { $0.identifier == action }) else {
            throw ProblemDetails(.notFound, "plan \(plan) has no action \(action)")
        }
        guard call.principal.mayEdit(published) else { throw ProblemDetails(.notYours(action: action, organisation: call.principal.organisation)) }
        return (loaded, published)
    }

    func render(_ call: StaffCall, plan: Plan, action: PlanAction, draft: ActionDraft?, issues: [InputIssue] = [],
                spare: Int = ActionForm.spareRows, typed: FormData? = nil) -> Response {
        let t = call.t, lang = t.language.rawValue
        let indicators = ((try? IndicatorRepository(database).all(edition: .current)) ?? []).map { ($0.indicator.identifier, $0.indicator.name.text(lang)) }
        let path = "/staff/plans/\(Markup.percentEncoded(plan.identifier))/actions/\(Markup.percentEncoded(action.identifier))/edit"
        var body: HTML = "<p><a href=\"/staff/plans/\(plan.identifier)\">\(plan.name.text(lang))</a> · "
            + "<a href=\"/plans/\(plan.identifier)/actions/\(action.identifier)\">\(t("edit.public"))</a></p>"
        if typed != nil {
            body += "<p id=\"draft-state\" class=\"status-draft\">\(t("edit.state.typed"))</p>"
        } else if let draft {
            body += "<p id=\"draft-state\" class=\"status-draft\">\(t("edit.state.\(draft.state.rawValue)", ["author": draft.author, "at": t.dateTime(draft.updatedAt)]))</p>"
            if let note = draft.reviewNote, draft.state == .editing {
                body += "<p class=\"problem\" id=\"review-note\">\(t("edit.returned", ["reviewer": draft.reviewedBy ?? "", "note": note]))</p>"
            }
        } else {
            body += "<p id=\"draft-state\">\(t("edit.state.published"))</p>"
        }
        if !issues.isEmpty { body += "<div role=\"alert\">" + StaffLayout.issueTable(t, issues) + "</div>" }
        body += "<form method=\"post\" action=\"\(path)\" class=\"action-edit\">\(StaffLayout.csrfField(call))"
        body += ActionForm.fields(action, plan: plan, indicators: indicators, t: t, spare: spare, typed: typed)
        body += "<p><button type=\"submit\" name=\"intent\" value=\"save\" class=\"secondary\" id=\"save\">\(t("edit.save"))</button> "
        body += "<button type=\"submit\" name=\"intent\" value=\"submit\" id=\"submit\">\(t("edit.submit"))</button>"
        if draft != nil { body += " <button type=\"submit\" name=\"intent\" value=\"discard\" class=\"secondary\" id=\"discard\" formnovalidate>\(t("edit.discard"))</button>" }
        body += "</p></form>"
        let notice = call.form["notice"].flatMap { ["saved", "submitted"].contains($0) ? t("edit.notice.\($0)") : nil }
        return StaffLayout.page(t, call, title: t("edit.title", ["action": "\(action.identifier). \(action.name.text(lang))"]),
                                status: issues.isEmpty ? .ok : .badRequest, notice: notice, body: body)
    }
}

extension ProblemDetails {
    /// A workflow refusal as the HTTP status it means.
    init(_ error: ActionDraftError) {
        switch error {
        case .notYours: self.init(.forbidden, error.description)
        case .noDraft: self.init(.notFound, error.description)
        case .notSubmitted, .changedSince, .changedSinceReviewed: self.init(.conflict, error.description)
        }
    }
}
