import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// The staff workspace with an HSL planner, the organisation the seed names for actions 22 and 23.
func planWorkspace() throws -> CityCarbonDatabase {
    let (database, _, _) = try staffWorkspace()
    try AccountRepository(database, passwordCost: 4).create(username: "hsl", password: staffPassword, role: .editor, organisation: "HSL",
                                                           jurisdictions: [try JurisdictionRepository(database).tree().roots[0]], actor: "test")
    return database
}

/// The fields the edit form of action 22 sends, with `changes` replacing or adding fields.
func actionForm(_ browser: Browser, intent: String, _ changes: [(String, String)]) -> ByteBuffer {
    var fields: [(String, String)] = [("name_en", "HSL will continue to pursue its targets"), ("name_zh-Hans", "HSL 将继续追求其目标"),
                                      ("category", "A1.4"), ("status", "not_started"), ("primary", "HSL"), ("intent", intent)]
    for (name, value) in changes {
        fields.removeAll { $0.0 == name && !["task_name", "task_due", "task_done"].contains(name) }
        fields.append((name, value))
    }
    return browser.form(fields)
}

@Suite("Editing plan actions: draft, review, publish")
struct ActionWorkflowPageTests {
    @Test("An editor submits an update; the public sees it only after the climate office approves it")
    func editorToPublic() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let form = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/22/edit", method: .get, headers: editor.headers)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"name="task_due""#) && form.text.contains(#"value="HSL""#))
            let submit = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/22/edit", method: .post, headers: editor.formHeaders(),
                                                  body: actionForm(editor, intent: "submit", [("status", "in_progress"), ("task_name", "Order the 2027 electric buses"),
                                                                                              ("task_due", "2027-03-31"), ("task_done", "")]))
            #expect(submit.status == .seeOther)
            let before = try await client.execute(uri: "/plans/helsinki-2035/actions/22", method: .get)
            #expect(!before.text.contains("Order the 2027 electric buses"))

            let admin = try await signIn(client, "admin")
            let queue = try await client.execute(uri: "/staff/reviews", method: .get, headers: admin.headers)
            #expect(queue.text.contains("Submitted drafts (1)") && queue.text.contains("/staff/plans/helsinki-2035/actions/22/review"))
            let review = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/22/review", method: .get, headers: admin.headers)
            #expect(review.text.contains(#"<th scope="row">Status</th><td><del>not started</del></td><td><ins>in progress</ins></td>"#) && review.text.contains("Order the 2027 electric buses"))
            let digest = try #require(review.text.range(of: #"name="digest" value=""#).map { String(review.text[$0.upperBound...].prefix { $0 != "\"" }) })
            let unseen = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/22/review", method: .post, headers: admin.formHeaders(),
                                                  body: admin.form([("decision", "approve"), ("digest", "0000")]))
            #expect(unseen.status == .conflict)
            let approve = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/22/review", method: .post, headers: admin.formHeaders(),
                                                   body: admin.form([("decision", "approve"), ("digest", digest)]))
            #expect(approve.status == .seeOther)
            let after = try await client.execute(uri: "/plans/helsinki-2035/actions/22", method: .get)
            #expect(after.text.contains("Order the 2027 electric buses") && after.text.contains("<td>in progress</td>"))
        }
    }

    @Test("The review shows each changed part: a task's date, an added cost row, one language of the name, the status by its name")
    func reviewFieldByField() throws {
        let database = try planWorkspace()
        let published = try #require(try PlanRepository(database).actions(plan: "helsinki-2035").first { $0.identifier == "22" })
        var draft = published
        draft.status = .notStarted
        draft.tasks = [ActionTask(name: Multilingual(["en": "Order buses"]), dueDate: Day(year: 2027, month: 3, day: 31)!)]
        var later = draft
        later.tasks[0].dueDate = Day(year: 2027, month: 6, day: 30)!
        later.costs.append(CostEntry(year: 2027, kind: .capital, amount: 1_500_000, currency: "EUR", source: "HSL budget 2027"))
        later.name = Multilingual(["en": published.name["en"] ?? "", "zh-Hans": "新的名称"])
        later.status = .inProgress
        let changes = ActionReviewPage.changes(from: draft, to: later)
        let t = Localizer(.en)
        let rows = changes.map { [$0.label(t), $0.side(true, t), $0.side(false, t)] }
        #expect(rows.contains(["Tasks · row 1 · due date", "2027-03-31", "2027-06-30"]), "\(rows)")
        let costRow = "Costs · row \(published.costs.count + 1)"
        #expect(rows.contains { $0[0] == costRow && $0[1] == "—" && $0[2].contains("amount: 1500000") && $0[2].contains("source: HSL budget 2027") }, "\(rows)")
        #expect(!rows.joined().joined().contains("tonnesCO2e") && !rows.joined().joined().contains("dueDate"), "parts by their names, not their keys")
        #expect(rows.contains(["Name (中文)", published.name["zh-Hans"] ?? "—", "新的名称"]))
        #expect(!rows.contains { $0[0] == "Name (English)" }, "an unchanged language is not a change")
        #expect(rows.contains(["Status", "not started", "in progress"]))
        // A removed row says what went.
        let removed = ActionReviewPage.changes(from: later, to: draft).map { [$0.label(t), $0.side(true, t), $0.side(false, t)] }
        #expect(removed.contains { $0[0] == costRow && $0[1].contains("HSL budget 2027") && $0[2] == "—" })
        #expect(ActionReviewPage.changes(from: later, to: later).isEmpty)
    }

    @Test("The edit form adds empty rows on request without saving, and drops the rows ticked remove")
    func addAndRemoveRows() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let path = "/staff/plans/helsinki-2035/actions/22/edit"
            let form = try await client.execute(uri: path, method: .get, headers: editor.headers).text
            let blank = form.matches(of: /<input name="task_name" type="text" value=""/).count
            #expect(blank == ActionForm.spareRows)
            let more = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(),
                                                body: actionForm(editor, intent: "more", [("spare", "2"), ("task_name", "Keep me"), ("task_due", "2027-01-31"), ("task_done", "")]))
            #expect(more.status == .ok)
            #expect(more.text.matches(of: /<input name="task_name" type="text" value=""/).count == 4 && more.text.contains(#"value="Keep me""#))
            #expect(try ActionDraftRepository(database).draft(plan: "helsinki-2035", action: "22") == nil, "more rows saves nothing")
            // A replayed request cannot ask for a huge form.
            let huge = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(),
                                                body: actionForm(editor, intent: "more", [("spare", "9223372036854775807")]))
            #expect(huge.text.matches(of: /<input name="task_name" type="text" value=""/).count == ActionForm.maximumSpareRows)
            // Two tasks typed, the first ticked remove: the saved draft keeps the second only.
            let save = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(),
                                                body: actionForm(editor, intent: "save", [("task_name", "Drop me"), ("task_due", "2027-01-31"), ("task_done", ""),
                                                                                          ("task_name", "Keep me"), ("task_due", "2027-02-28"), ("task_done", ""),
                                                                                          ("remove_tasks", "1")]))
            #expect(save.status == .seeOther)
            let draft = try #require(try ActionDraftRepository(database).draft(plan: "helsinki-2035", action: "22"))
            #expect(draft.action.tasks.map { $0.name.text("en") } == ["Keep me"])
            let again = try await client.execute(uri: path, method: .get, headers: editor.headers).text
            #expect(again.contains(#"<input type="checkbox" name="remove_tasks" value="1" aria-label="Remove row 1">"#))
        }
    }

    @Test("A row that cannot be read comes back as typed beside its error; asking for more rows checks nothing")
    func unreadableRowsStay() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let path = "/staff/plans/helsinki-2035/actions/22/edit"
            let rows: [(String, String)] = [("task_name", "Has a date"), ("task_due", "2027-01-31"), ("task_done", ""),
                                            ("task_name", "Has no date yet"), ("task_due", ""), ("task_done", "")]
            let more = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(), body: actionForm(editor, intent: "more", rows))
            #expect(more.status == .ok && !more.text.contains(#"role="alert""#))
            #expect(more.text.contains(#"value="Has no date yet""#) && more.text.contains("Not saved yet"))
            let save = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(), body: actionForm(editor, intent: "save", rows))
            #expect(save.status == .badRequest)
            #expect(save.text.contains("tasks[2].due") && save.text.contains(#"value="Has no date yet""#), "the row the error names is still there")
            #expect(try ActionDraftRepository(database).draft(plan: "helsinki-2035", action: "22") == nil)
        }
    }

    @Test("An absurd cost or reduction is refused with its field, from the form as from a plan file")
    func absurdNumbers() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let path = "/staff/plans/helsinki-2035/actions/22/edit"
            for (fields, named) in [([("reduction_year", "2030"), ("reduction_t", "1e308"), ("reduction_method", ""), ("reduction_source", "")], "reductions[1].t_co2e"),
                                    ([("cost_year", "2027"), ("cost_kind", "capital"), ("cost_amount", "99999999999999999999"), ("cost_currency", "EUR"), ("cost_source", "")], "costs[1].amount"),
                                    ([("reduction_year", "99999"), ("reduction_t", "100"), ("reduction_method", ""), ("reduction_source", "")], "reductions[1].year")] {
                let response = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(), body: actionForm(editor, intent: "save", fields))
                #expect(response.status == .badRequest && response.text.contains(named), "\(named)")
            }
            #expect(try ActionDraftRepository(database).draft(plan: "helsinki-2035", action: "22") == nil)
        }
    }

    @Test("An editor states the action's effect on the air in the form; a bad one is named by its field and nothing is saved")
    func airEffect() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let path = "/staff/plans/helsinki-2035/actions/22/edit"
            let form = try await client.execute(uri: path, method: .get, headers: editor.headers)
            #expect(form.text.contains(#"<fieldset id="air-effect">"#) && form.text.contains(#"name="air_concentration_reduction""#))
            for (fields, named) in [([("air_pollutant", "no2"), ("air_emission_reduction", "3")], "air_emission_reduction"),
                                    ([("air_pollutant", "pm25"), ("air_concentration_reduction", "NaN")], "air_concentration_reduction"),
                                    ([("air_concentration_reduction", "2")], "air_pollutant"),
                                    ([("air_pollutant", "pm25"), ("air_district", "Atlantis"), ("air_concentration_reduction", "1")], "air_district"),
                                    ([("air_pollutant", "pm25"), ("air_concentration_reduction", "0x10")], "air_concentration_reduction")] {
                let response = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(), body: actionForm(editor, intent: "save", fields))
                #expect(response.status == .badRequest && response.text.contains(named), "\(named)")
            }
            #expect(try ActionDraftRepository(database).draft(plan: "helsinki-2035", action: "22") == nil)
            let save = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(),
                                                body: actionForm(editor, intent: "save", [("air_pollutant", "pm25"), ("air_district", "Old Town"),
                                                                                          ("air_concentration_reduction", "0.8"), ("air_source", "bus study")]))
            #expect(save.status == .seeOther)
            let draft = try #require(try ActionDraftRepository(database).draft(plan: "helsinki-2035", action: "22"))
            #expect(draft.action.airEffect == AirEffect(pollutant: .pm25, district: "Old Town", concentrationReduction: 0.8, source: "bus study"))
            let again = try await client.execute(uri: path, method: .get, headers: editor.headers)
            #expect(again.text.contains(#"value="Old Town""#) && again.text.contains(#"<option value="pm25" selected>"#))
        }
    }

    @Test("An editor cannot hand its action to another organisation, and a misspelt organisation is caught")
    func responsibleOrganisations() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let path = "/staff/plans/helsinki-2035/actions/22/edit"
            let away = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(),
                                                body: actionForm(editor, intent: "save", [("primary", "Urban Environment Division")]))
            #expect(away.status == .badRequest && away.text.contains("which would lose the action"))
            let typo = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(),
                                                body: actionForm(editor, intent: "save", [("collaborators", "Urban Envirnment Division")]))
            #expect(typo.status == .badRequest && typo.text.contains("did you mean &#39;Urban Environment Division&#39;?") || typo.text.contains("did you mean 'Urban Environment Division'?"))
            #expect(try ActionDraftRepository(database).draft(plan: "helsinki-2035", action: "22") == nil)
            // A new partner with a name unlike any other is welcome.
            let partner = try await client.execute(uri: path, method: .post, headers: editor.formHeaders(),
                                                   body: actionForm(editor, intent: "save", [("collaborators", "Finnish Transport Infrastructure Agency")]))
            #expect(partner.status == .seeOther)
        }
    }

    @Test("A form with bad fields comes back with the errors named and the values kept; nothing is stored")
    func badForm() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let response = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/22/edit", method: .post, headers: editor.formHeaders(),
                                                    body: actionForm(editor, intent: "submit", [("task_name", "Tender"), ("task_due", "31.3.2027"),
                                                                                                ("cost_year", "2026"), ("cost_kind", "capital"), ("cost_amount", "2500000"), ("cost_currency", "EUR"),
                                                                                                ("depends_on", "22, 148")]))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("31.3.2027") && response.text.contains("tasks[1].due"))
            // Every value comes back as typed, the unreadable date in its row.
            #expect(response.text.contains(#"value="2500000""#) && response.text.contains(#"<input name="task_due" type="date" value="31.3.2027""#))
            #expect(try ActionDraftRepository(database).drafts().isEmpty)
        }
    }

    @Test("An editor may not open another organisation's action; the climate office returns a draft with a note the editor then sees")
    func scopeAndReturn() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "hsl")
            let other = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/24/edit", method: .get, headers: editor.headers)
            #expect(other.status == .forbidden)
            let worklist = try await client.execute(uri: "/staff/plans/helsinki-2035", method: .get, headers: editor.headers)
            #expect(worklist.text.contains("Your organisation&#39;s actions (2)"))
            _ = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/23/edit", method: .post, headers: editor.formHeaders(),
                                         body: actionForm(editor, intent: "submit", [("name_en", "Bus charging infrastructure"), ("status", "completed")]))
            let admin = try await signIn(client, "admin")
            let returned = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/23/review", method: .post, headers: admin.formHeaders(),
                                                    body: admin.form([("decision", "return"), ("note", "The tender is still open")]))
            #expect(returned.status == .seeOther)
            let page = try await client.execute(uri: "/staff/plans/helsinki-2035/actions/23/edit", method: .get, headers: editor.headers)
            #expect(page.text.contains("Returned by admin: The tender is still open"))
            #expect(page.text.contains(#"value="completed" selected"#))
        }
    }
}
