import CarbonKit
import ClimatePlans
import Foundation
import Testing
@testable import CityCarbonStore

/// The Helsinki demo plan with HSL responsible for actions 22 and 23 (as the seed says).
private func workspace() throws -> CityCarbonDatabase {
    let db = try temporaryWorkspace()
    try DemoCity.seed(db)
    return db
}

private let hsl = Principal(actor: "hsl.planner", role: .editor, organisation: "HSL", jurisdictions: [])
private let office = Principal(actor: "climate.office", role: .admin)
private let day = Day("2026-11-22")!

private func action(_ db: CityCarbonDatabase, _ id: String) throws -> PlanAction {
    try #require(try PlanRepository(db).actions(plan: "helsinki-2035").first { $0.identifier == id })
}

@Suite("Action drafts: draft → review → published")
struct ActionDraftTests {
    @Test("An editor's submitted draft stays out of the published plan until the climate office approves it")
    func draftThenApprove() throws {
        let db = try workspace()
        var edited = try action(db, "22")
        edited.status = .inProgress
        edited.tasks = [ActionTask(name: Multilingual(["en": "Order the 2027 electric buses"]), dueDate: Day("2027-03-31")!)]
        try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: hsl, submit: true, today: day)
        #expect(try action(db, "22").status == .notStarted)
        let draft = try #require(try ActionDraftRepository(db).draft(plan: "helsinki-2035", action: "22"))
        #expect(draft.state == .submitted && draft.author == "hsl.planner" && draft.action.updatedOn == day)

        try ActionDraftRepository(db).approve(plan: "helsinki-2035", action: "22", by: "climate.office", seen: draft.digest)
        let published = try action(db, "22")
        #expect(published.status == .inProgress && published.tasks.count == 1 && published.updatedOn == day)
        #expect(try ActionDraftRepository(db).draft(plan: "helsinki-2035", action: "22") == nil)
        let events = try AuditTrail(db).events(entity: "plan_action_draft", limit: 10).map(\.action) + [try AuditTrail(db).events(entity: "plan_action", limit: 1)[0].action]
        #expect(events.contains("submit") && events.last == "approve")
        #expect(try AuditTrail(db).verify().firstBad == nil)
    }

    @Test("Approving publishes only the draft the reviewer saw: one submitted again since is refused and kept")
    func approvalNeedsTheVersionSeen() throws {
        let db = try workspace()
        var edited = try action(db, "22")
        edited.status = .inProgress
        try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: hsl, submit: true, today: day)
        let seen = try #require(try ActionDraftRepository(db).draft(plan: "helsinki-2035", action: "22")).digest
        // The editor changes it again while the reviewer has the first version open.
        edited.status = .completed
        try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: hsl, submit: true, today: day)
        #expect(throws: ActionDraftError.changedSinceReviewed(action: "22")) {
            try ActionDraftRepository(db).approve(plan: "helsinki-2035", action: "22", by: "climate.office", seen: seen)
        }
        #expect(try action(db, "22").status == .notStarted)
        let now = try #require(try ActionDraftRepository(db).draft(plan: "helsinki-2035", action: "22"))
        #expect(now.digest != seen && now.action.status == .completed)
        try ActionDraftRepository(db).approve(plan: "helsinki-2035", action: "22", by: "climate.office", seen: now.digest)
        #expect(try action(db, "22").status == .completed)
    }

    @Test("An editor cannot draft another organisation's action, and nothing is stored")
    func scopedByOrganisation() throws {
        let db = try workspace()
        var edited = try action(db, "24")
        edited.status = .completed
        #expect(throws: ActionDraftError.notYours(action: "24", organisation: "HSL")) {
            try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: hsl, submit: false, today: day)
        }
        #expect(try ActionDraftRepository(db).drafts().isEmpty)
        // The climate office may edit any action.
        try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: office, submit: false, today: day)
        #expect(try ActionDraftRepository(db).drafts(state: .editing).map(\.action.identifier) == ["24"])
    }

    @Test("Approving is refused when the published action changed after the draft was saved; the draft is kept")
    func conflictWithLaterImport() throws {
        let db = try workspace()
        var edited = try action(db, "22")
        edited.status = .inProgress
        try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: hsl, submit: true, today: day)
        _ = try PlanRepository(db).importSheet(Array("kind,identifier,status\naction,22,late\n".utf8), file: "status.csv", plan: "helsinki-2035", today: day, actor: "office")
        let seen = try #require(try ActionDraftRepository(db).draft(plan: "helsinki-2035", action: "22")).digest
        #expect(throws: ActionDraftError.changedSince(action: "22")) {
            try ActionDraftRepository(db).approve(plan: "helsinki-2035", action: "22", by: "climate.office", seen: seen)
        }
        #expect(try action(db, "22").status == .late)
        #expect(try ActionDraftRepository(db).draft(plan: "helsinki-2035", action: "22")?.state == .submitted)
    }

    @Test("Returning a draft needs a note; the draft goes back to editing with it, and cannot be approved until submitted again")
    func returnWithNote() throws {
        let db = try workspace()
        var edited = try action(db, "23")
        edited.status = .completed
        let drafts = ActionDraftRepository(db)
        try drafts.save(edited, plan: "helsinki-2035", by: hsl, submit: true, today: day)
        #expect(throws: InputErrors.self) { try drafts.returnForChanges(plan: "helsinki-2035", action: "23", by: "office", note: "  ") }
        try drafts.returnForChanges(plan: "helsinki-2035", action: "23", by: "office", note: "Completed? The charging tender is still open.")
        let returned = try #require(try drafts.draft(plan: "helsinki-2035", action: "23"))
        #expect(returned.state == .editing && returned.reviewNote == "Completed? The charging tender is still open." && returned.reviewedBy == "office")
        #expect(throws: ActionDraftError.notSubmitted(action: "23")) { try drafts.approve(plan: "helsinki-2035", action: "23", by: "office", seen: "") }
    }

    @Test("A draft breaking the plan's rules is refused with every field named, and nothing is stored")
    func invalidDraft() throws {
        let db = try workspace()
        var edited = try action(db, "22")
        edited.status = .merged
        edited.dependsOn = ["22", "999"]
        edited.costs = [CostEntry(year: 2026, kind: .capital, amount: -5, currency: "euro")]
        do {
            try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: hsl, submit: true, today: day)
            Issue.record("an invalid draft was stored")
        } catch let errors as InputErrors {
            let fields = Set(errors.issues.compactMap(\.location.field))
            #expect(fields == ["merged_into", "depends_on", "costs[1].amount", "costs[1].currency"])
        }
        #expect(try ActionDraftRepository(db).drafts().isEmpty)
    }

    @Test("Discarding a draft leaves the published action as it was")
    func discard() throws {
        let db = try workspace()
        var edited = try action(db, "22")
        edited.name["en"] = "Renamed"
        try ActionDraftRepository(db).save(edited, plan: "helsinki-2035", by: hsl, submit: false, today: day)
        try ActionDraftRepository(db).discard(plan: "helsinki-2035", action: "22", by: hsl)
        #expect(try ActionDraftRepository(db).drafts().isEmpty)
        #expect(try action(db, "22").name.text("en") != "Renamed")
    }
}
