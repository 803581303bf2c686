import CityCarbonPages
import CarbonKit
import CarbonPathways
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// The staff pages of the pathways: the list with an upload, a scenario with its review steps,
/// and the lever form with what it writes back to the scenario.
extension PathwayPages {
    func staffList(_ call: StaffCall, errors: InputErrors? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t
        var body: HTML = ""
        if let errors { body += Self.problems(errors, t) }
        body += "<table id=\"staff-scenarios\"><thead><tr>" + Table.headings(["pathways.scenario", "pathways.kind", "pathways.jurisdiction", "pathways.state", "pathways.updated"], t) + "</tr></thead><tbody>"
        for stored in try PathwayRepository(database).scenarios() {
            let s = stored.scenario
            body += "<tr data-scenario=\"\(s.identifier)\"><th scope=\"row\"><a href=\"/staff/pathways/\(Markup.percentEncoded(s.identifier))\">\(s.name(t.language.rawValue))</a></th>"
            body += "<td>\(t("pathways.kind.\(s.kind.rawValue)"))</td><td>\(s.jurisdiction)</td>"
            let state = stored.submittedBy != nil ? "pathways.inReview" : stored.isPublished ? "pathways.published" : "pathways.draft"
            body += "<td>\(t(state))</td><td>\(t.date(stored.updatedAt)) · \(stored.updatedBy)</td></tr>"
        }
        body += "</tbody></table>"
        if call.principal.may(.editPlans) {
            body += "<form method=\"post\" action=\"/staff/pathways\" enctype=\"multipart/form-data\" id=\"new-scenario\">\(StaffLayout.csrfField(call))"
            body += "<h2>\(t("pathways.new"))</h2><p>\(t("pathways.newHelp"))</p>"
            body += "<label>\(t("pathways.file")) <input type=\"file\" name=\"file\" accept=\"application/json,.json\"></label>"
            body += "<button type=\"submit\">\(t("pathways.save"))</button></form>"
        }
        return StaffLayout.page(t, call, title: t("pathways.title"), status: status, body: body)
    }

    func staffScenario(_ call: StaffCall, id: String, notice: String? = nil, errors: InputErrors? = nil, submitted: FormData? = nil,
                       status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t
        guard let stored = try PathwayRepository(database).scenario(id) else { throw ProblemDetails(.notFound, "no scenario '\(id)'") }
        let s = stored.scenario
        var body: HTML = "<p>\(t(stored.isPublished ? "pathways.published" : "pathways.draft"))"
        if stored.isPublished { body += " · <a href=\"/pathways/\(Markup.percentEncoded(id))\">\(t("pathways.publicPage"))</a>" }
        if stored.hasUnpublishedChanges { body += " · " + HTML(text: t("pathways.unpublishedChanges")) }
        if let by = stored.submittedBy { body += " · " + HTML(text: t("pathways.submitted", ["who": by])) }
        body += "</p>"
        func button(_ step: String, digest: String? = nil) -> HTML {
            "<form method=\"post\" action=\"/staff/pathways/\(Markup.percentEncoded(id))/\(step)\">\(StaffLayout.csrfField(call))"
                + (digest.map { "<input type=\"hidden\" name=\"digest\" value=\"\($0)\">" } ?? "")
                + "<button type=\"submit\" data-action=\"\(step)\">\(t("pathways.\(step)"))</button></form>"
        }
        // The version shown below is the one a submission or a publication is of.
        if stored.hasDraft, stored.submittedBy == nil, call.principal.may(.editPlans) { body += button("submit") }
        if call.principal.may(.managePlans) {
            if stored.submittedBy != nil {
                body += StaffLayout.confirmLink("/staff/pathways/\(Markup.percentEncoded(id))/publish", dataAction: "publish", label: t("pathways.publish"))
            }
            if stored.isPublished {
                body += StaffLayout.confirmLink("/staff/pathways/\(Markup.percentEncoded(id))/withdraw", dataAction: "withdraw", label: t("pathways.withdraw"), secondary: true)
            }
        }
        if let errors { body += Self.problems(errors, t) }
        if call.principal.may(.editPlans) {
            // A lever that names a plan action without a name of its own is shown by the action's name.
            let resolved = (try? PathwayInputs(database).model(s, file: id, saved: true))?.scenario.measures ?? []
            let names = Dictionary(resolved.map { ($0.id, $0.name(t.language.rawValue)) }, uniquingKeysWith: { a, _ in a })
            body += Self.editForm(s, call: call, submitted: submitted, names: names)
        }
        if let computed = try? compute(id, publishedOnly: false, language: t.language) {
            body += "<section id=\"preview\"><h2>\(t("pathways.preview"))</h2>" + detail(computed, t: t, district: nil, base: "/staff/pathways") + "</section>"
        }
        return StaffLayout.page(t, call, title: s.name(t.language.rawValue), status: status, notice: notice, body: body)
    }

    static func problems(_ errors: InputErrors, _ t: Localizer) -> HTML {
        "<div class=\"problem\" role=\"alert\"><p>\(t("pathways.problems", ["count": String(errors.issues.count)]))</p><ul>"
            + errors.issues.html { "<li>\($0.description)</li>" } + "</ul></div>"
    }

    /// The scenario's levers as fields (share or reduction, ramp years), its end year, and the
    /// whole document for anything else.
    static func editForm(_ s: Scenario, call: StaffCall, submitted: FormData?, names: [String: String] = [:]) -> HTML {
        let t = call.t
        func value(_ name: String, _ current: String) -> String { submitted?[name] ?? current }
        func number(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        var form: HTML = "<form method=\"post\" action=\"/staff/pathways/\(Markup.percentEncoded(s.identifier))\" id=\"edit-scenario\">\(StaffLayout.csrfField(call))"
        form += "<h2>\(t("pathways.edit"))</h2>"
        form += "<label>\(t("pathways.endYear")) <input name=\"endYear\" inputmode=\"numeric\" value=\"\(value("endYear", String(s.endYear)))\"></label>"
        form += "<table id=\"levers\"><thead><tr>" + Table.headings(["pathways.measure", "pathways.kind", "pathways.amount", "pathways.rampStart", "pathways.rampFull"], t) + "</tr></thead><tbody>"
        for (i, m) in s.measures.enumerated() {
            let amount = m.kind == .action ? nil : (m.share ?? m.reduction)
            form += "<tr data-measure=\"\(m.id)\"><th scope=\"row\">\(m.name == nil ? names[m.id] ?? m.id : m.name(t.language.rawValue))</th><td>\(t("pathways.measureKind.\(m.kind.rawValue)"))</td>"
            form += amount == nil && m.kind == .action ? "<td>\(t("pathways.fromPlan"))</td>" : "<td><input name=\"amount.\(i)\" inputmode=\"decimal\" size=\"6\" value=\"\(value("amount.\(i)", number(amount)))\" aria-label=\"\(t("pathways.amount"))\"></td>"
            form += "<td><input name=\"start.\(i)\" inputmode=\"numeric\" size=\"5\" value=\"\(value("start.\(i)", m.ramp.map { String($0.start) } ?? ""))\" aria-label=\"\(t("pathways.rampStart"))\"></td>"
            form += "<td><input name=\"full.\(i)\" inputmode=\"numeric\" size=\"5\" value=\"\(value("full.\(i)", m.ramp.map { String($0.full) } ?? ""))\" aria-label=\"\(t("pathways.rampFull"))\"></td></tr>"
        }
        form += "</tbody></table>"
        let document = String(decoding: ScenarioFile.encode(s), as: UTF8.self)
        form += "<details><summary>\(t("pathways.document"))</summary><textarea name=\"document\" rows=\"24\" cols=\"100\" spellcheck=\"false\">\(submitted?["document"] ?? document)</textarea>"
        form += "<input type=\"hidden\" name=\"original\" value=\"\(document)\"></details>"
        form += "<button type=\"submit\">\(t("pathways.save"))</button></form>"
        return form
    }

    /// The scenario after a staff form: the JSON document when it was changed, else the
    /// lever fields applied to the saved scenario. Every bad field is reported together.
    static func apply(_ form: FormData, to stored: Scenario) throws -> Scenario {
        if let document = form["document"], let original = form["original"], document != original {
            return try ScenarioFile.decode(Array(document.utf8), file: nil)
        }
        var s = stored
        var issues: [InputIssue] = []
        if let text = form["endYear"] {
            if let year = Int(text.trimmingCharacters(in: .whitespaces)) { s.endYear = year } else {
                issues.append(InputIssue(InputLocation(field: "endYear"), value: text, reason: "is not a year"))
            }
        }
        for i in s.measures.indices {
            let m = s.measures[i]
            if let text = form["amount.\(i)"], m.kind != .action, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                let isShare = m.share != nil || m.kind == .renewables || m.kind == .fuelSwitch || m.kind == .electrification || m.kind == .coalPhaseOut
                do throws(InputIssue) {
                    let x = try InputNumber.decimal(text, field: "measures[\(i)].\(isShare ? "share" : "reduction")")
                    if isShare { s.measures[i].share = x } else { s.measures[i].reduction = x }
                } catch {
                    issues.append(error)
                }
            }
            let start = form["start.\(i)"]?.trimmingCharacters(in: .whitespaces) ?? "", full = form["full.\(i)"]?.trimmingCharacters(in: .whitespaces) ?? ""
            if start.isEmpty && full.isEmpty { continue }
            guard let a = Int(start), let b = Int(full.isEmpty ? start : full) else {
                issues.append(InputIssue(InputLocation(field: "measures[\(i)].ramp"), value: "\(start)–\(full)", reason: "give the start and full years as numbers"))
                continue
            }
            s.measures[i].ramp = Ramp(start: a, full: b, shape: m.ramp?.shape ?? .linear)
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return s
    }
}
