import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// The regulator's carbon-account desk: each year's allocation and compliance of the key
/// emitters (`/staff/compliance`), their carbon-efficiency grades with the supervision list and
/// the district and industry summaries (`/staff/efficiency`), and the bulk sheets that feed them.
/// Enterprises deposit months in bulk at `/staff/reports/evidence`, for themselves only.
struct CarbonAccountsDesk: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/compliance", .manageRegistry) { _, _, call in try compliance(call, year: try Self.year(call.form)) }
        routes.staff(.post, "staff/compliance/allocate", .manageRegistry) { _, _, call in
            let year = try Self.year(call.form)
            let code = call.form["enterprise"] ?? ""
            guard let stage = EnterpriseAllocation.Stage(rawValue: call.form["stage"] ?? "") else {
                throw InputErrors([InputIssue(InputLocation(field: "stage"), value: call.form["stage"] ?? "", reason: "must be pre or final")])
            }
            do {
                let allocation = try CarbonAccounts(database).allocate(code, year: year, stage: stage, by: call.actor)
                return try compliance(call, year: year, notice: call.t("emitters.allocatedNotice", [
                    "stage": call.t("emitters.stage.\(stage.rawValue)"), "units": call.t.whole(allocation.issued), "account": allocation.account]))
            } catch let refusal as CarbonAccounts.Refusal {
                return try compliance(call, year: year, notice: call.t("mrv.refused", ["reason": refusal.description]), status: .conflict)
            }
        }
        routes.staff(.post, "staff/compliance/enforce", .manageRegistry) { _, _, call in
            let year = try Self.year(call.form)
            let changes = try CarbonAccounts(database).enforceVerifiedDeadline(year: year, on: Day.today, by: call.actor)
            let text = changes.isEmpty ? call.t("emitters.enforce.none")
                : changes.map { call.t("emitters.enforce.changed", ["account": $0.account, "status": call.t("registry.status.\($0.status.rawValue)")]) }
                    .joined(separator: " ")
            return try compliance(call, year: year, notice: text)
        }
        routes.staff(.get, "staff/efficiency", .manageRegistry) { _, _, call in try efficiency(call, year: try Self.year(call.form)) }
        routes.staff(.post, "staff/efficiency/publish", .manageRegistry) { _, _, call in
            let year = try Self.year(call.form)
            let graded = try CarbonAccounts(database).publishGrades(year: year, by: call.actor)
            return try efficiency(call, year: year, notice: call.t("emitters.published", ["year": String(year), "count": String(graded)]))
        }
        routes.staff(.post, "staff/efficiency/years", .manageRegistry, bodyLimit: BodyLimit.upload) { _, _, call in
            let file = try Self.upload(call.form)
            let count = try CarbonAccounts(database).importYears(file.bytes, file: file.name, actor: call.actor)
            return try efficiency(call, year: try Self.year(call.form), notice: call.t("emitters.years.loaded", ["rows": String(count)]))
        }
        routes.staff(.post, "staff/reports/evidence", .depositEvidence, bodyLimit: BodyLimit.upload) { _, _, call in
            let principal = call.principal
            // An enterprise files for itself; the office for any.
            let allowed: Set<String>? = principal.may(.manageRegistry) ? nil : Set([principal.organisation].compactMap { $0 })
            let file = try Self.upload(call.form)
            do {
                let count = try EmissionReports(database).depositSheet(file.bytes, file: file.name, enterprises: allowed, by: call.actor)
                return StaffLayout.page(call.t, call, title: call.t("mrv.bulk.title"),
                                        body: "<p>\(call.t("mrv.bulk.done", ["months": String(count), "file": file.name]))</p><p><a href=\"/staff/reports\">\(call.t("mrv.title"))</a></p>")
            } catch let refusal as EmissionReports.Refusal {
                return StaffLayout.page(call.t, call, title: call.t("mrv.bulk.title"), status: .conflict,
                                        body: "<p>\(call.t("mrv.refused", ["reason": refusal.description]))</p>")
            }
        }
    }

    /// The year asked for: `year` in the form, else last year.
    static func year(_ form: FormData) throws -> Int {
        guard let text = form["year"], !text.isEmpty else { return Day.today.year - 1 }
        guard let year = Int(text), (2000...2100).contains(year) else {
            throw InputErrors([InputIssue(InputLocation(field: "year"), value: String(text.prefix(16)), reason: "must be a year from 2000 to 2100")])
        }
        return year
    }

    static func upload(_ form: FormData) throws -> (name: String, bytes: [UInt8]) {
        guard let file = form.files["file"], !file.bytes.isEmpty else {
            throw InputErrors([InputIssue(InputLocation(field: "file"), reason: "no file was uploaded", suggestion: "choose a CSV file")])
        }
        return ((file.filename as NSString).lastPathComponent, file.bytes)
    }

    static func yearForm(_ action: String, _ year: Int, _ t: Localizer) -> HTML {
        "<form method=\"get\" action=\"\(action)\" class=\"inline\"><label>\(t("mrv.year")) <input name=\"year\" type=\"number\" min=\"2000\" max=\"2100\" value=\"\(year)\"></label> <button type=\"submit\">\(t("emitters.show"))</button></form>"
    }

    // MARK: Compliance

    private func compliance(_ call: StaffCall, year: Int, notice: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t, accounts = CarbonAccounts(database)
        let enterprises = try EnterpriseRepository(database).all()
        let names = Dictionary(enterprises.map { ($0.creditCode, $0.name) }, uniquingKeysWith: { a, _ in a })
        let positions = try accounts.compliance(year: year, on: Day.today)
        let allocations = try accounts.allocations(year: year)
        var html: HTML = "<section><p>\(t("emitters.compliance.intro"))</p>\(Self.yearForm("/staff/compliance", year, t))"
        if let deadline = ComplianceCycle.surrenderDeadline(year: year), let verifiedBy = ComplianceCycle.verifiedEmissionsDeadline(year: year) {
            html += "<p>\(t("emitters.deadlines", ["verified": t.date(verifiedBy), "surrender": t.date(deadline), "cycle": ComplianceCycle.of(year: year)?.name ?? t("emitters.noCycle")]))</p>"
        }
        html += "</section><section><table id=\"compliance\"><caption>\(t("emitters.compliance.caption", ["year": String(year)]))</caption><thead><tr>"
        html += Table.headings(["mrv.enterprise", "emitters.verified", "emitters.allocated", "emitters.returnDue", "emitters.surrendered",
                                "emitters.offsets", "emitters.toSurrender", "emitters.code"], t) + "</tr></thead><tbody>"
        for position in positions {
            let code = position.open ? t("emitters.code.open") : t("emitters.code.\(position.status.code.rawValue)")
            html += "<tr class=\"code-\(position.open ? "open" : position.status.code.rawValue)\"><td>\(names[position.enterprise] ?? position.enterprise) <small>\(position.enterprise)</small></td>"
            html += "<td class=\"n\">\(position.verified.map { t.whole(Int64($0.rounded())) } ?? "—")</td><td class=\"n\">\(t.whole(position.allocated))</td>"
            html += "<td class=\"n\">\(t.whole(position.returnDue))</td><td class=\"n\">\(t.whole(position.surrenderedAllowances))</td>"
            html += "<td class=\"n\">\(t.whole(position.surrenderedOffsets))</td><td class=\"n\">\(position.status.obligation == nil ? "—" : t.whole(Int64(position.toSurrender.rounded(.up))))</td>"
            let overdue: HTML = position.verifiedMissingAfterDeadline ? " <small>\(t("emitters.verifiedMissing"))</small>" : ""
            html += "<td>\(code)\(overdue)</td></tr>"
        }
        if positions.isEmpty { html += "<tr><td colspan=\"8\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table><p><small>\(t("emitters.codes"))</small></p>"
        html += "<form method=\"post\" action=\"/staff/compliance/enforce\">\(StaffLayout.csrfField(call))<input type=\"hidden\" name=\"year\" value=\"\(year)\">"
        html += "<button type=\"submit\">\(t("emitters.enforce"))</button> <small>\(t("emitters.enforce.help"))</small></form></section>"
        // Allocation: what each power enterprise got, and the form for the next stage.
        html += "<section><h2>\(t("emitters.allocation"))</h2><p>\(t("emitters.allocation.intro"))</p>"
        html += "<table id=\"allocations\"><caption>\(t("emitters.allocation.caption", ["year": String(year)]))</caption><thead><tr>"
        html += Table.headings(["mrv.enterprise", "emitters.stage", "emitters.outputYear", "emitters.supplied", "emitters.heat", "emitters.load", "emitters.tonnes",
                                "emitters.issued", "registry.account"], t) + "</tr></thead><tbody>"
        for allocation in allocations {
            let supplied = allocation.detail.lines.reduce(0) { $0 + $1.output.suppliedMWh }
            let heat = allocation.detail.lines.reduce(0) { $0 + $1.output.heatGJ }
            let loads = allocation.detail.lines.compactMap(\.output.loadFactor)
            html += "<tr><td>\(names[allocation.enterprise] ?? allocation.enterprise)</td><td>\(t("emitters.stage.\(allocation.stage.rawValue)"))</td>"
            html += "<td class=\"n\">\(allocation.stage == .pre ? year - 1 : year)</td>"
            html += "<td class=\"n\">\(t.whole(Int64(supplied.rounded())))</td><td class=\"n\">\(t.whole(Int64(heat.rounded())))</td>"
            html += "<td class=\"n\">\(loads.isEmpty ? "—" : loads.map { t.share($0) }.joined(separator: ", "))</td>"
            html += "<td class=\"n\">\(t.whole(allocation.units))</td><td class=\"n\">\(t.whole(allocation.issued))</td>"
            html += "<td><a href=\"/registry/accounts/\(segment: allocation.account)\">\(allocation.account)</a></td></tr>"
        }
        if allocations.isEmpty { html += "<tr><td colspan=\"9\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table>"
        let power = enterprises.filter { $0.facilities.contains { $0.unitClass != nil } }
        if !power.isEmpty {
            html += "<form method=\"post\" action=\"/staff/compliance/allocate\">\(StaffLayout.csrfField(call))<input type=\"hidden\" name=\"year\" value=\"\(year)\">"
            html += "<label for=\"al-enterprise\">\(t("mrv.enterprise"))</label><select id=\"al-enterprise\" name=\"enterprise\">"
            html += power.html { "<option value=\"\($0.creditCode)\">\($0.name)</option>" } + "</select> "
            html += "<label for=\"al-stage\">\(t("emitters.stage"))</label><select id=\"al-stage\" name=\"stage\">"
            html += EnterpriseAllocation.Stage.allCases.html { "<option value=\"\($0.rawValue)\">\(t("emitters.stage.\($0.rawValue)"))</option>" }
            html += "</select> <button type=\"submit\">\(t("emitters.allocate"))</button></form>"
        }
        html += "<p><small>\(t("emitters.allocation.source", ["source": PowerAllocation.standard.rules.source]))</small></p></section>"
        return StaffLayout.page(t, call, title: t("emitters.compliance.title"), status: status, notice: notice, body: html)
    }

    // MARK: Carbon efficiency

    private func efficiency(_ call: StaffCall, year: Int, notice: String? = nil) throws -> Response {
        let t = call.t
        let assessment = try CarbonAccounts(database).efficiency(year: year)
        func ratio(_ value: Double?) -> String { value.map { t.number($0, decimals: 2) } ?? "—" }
        func grade(_ result: CarbonEfficiencyAssessment.Result) -> HTML {
            guard let grade = result.grade else { return "<td>\(t("emitters.notGraded", ["count": String(result.industryEnterprises)]))</td>" }
            return "<td class=\"grade g\(grade)\"><span class=\"badge\">\(grade)</span> \(t("emitters.grade.\(grade)"))</td>"
        }
        func trend(_ result: CarbonEfficiencyAssessment.Result) -> String {
            guard let trend = result.trend else { return "—" }
            let arrow = ["better": "↑ ", "worse": "↓ ", "same": "→ ", "new": ""][trend.rawValue] ?? ""
            return arrow + t("emitters.trend.\(trend.rawValue)", ["grade": result.previousGrade.map(String.init) ?? ""])
        }
        var html: HTML = "<section><p>\(t("emitters.efficiency.intro"))</p>\(Self.yearForm("/staff/efficiency", year, t))"
        // The disclosure shows the grades as last published, not as the figures stand now.
        let published = try CarbonAccounts(database).publishedGrades(year: year)
        let changed = published.map { publication in
            assessment.results.contains { result in publication.grades[result.input.enterprise]?.grade != result.grade }
                || publication.grades.count != assessment.results.filter { $0.grade != nil }.count
        } ?? true
        html += "<p id=\"publication\">\(published.map { t("emitters.publishedOn", ["at": t.dateTime($0.at), "by": $0.by]) } ?? t("emitters.notPublished"))"
        html += changed && published != nil ? " <strong>\(t("emitters.changedSince"))</strong>" : ""
        html += "</p><form method=\"post\" action=\"/staff/efficiency/publish\">\(StaffLayout.csrfField(call))<input type=\"hidden\" name=\"year\" value=\"\(year)\">"
        html += "<button type=\"submit\">\(t("emitters.publish", ["year": String(year)]))</button></form></section>"
        html += "<section><h2>\(t("emitters.supervision"))</h2><p>\(t("emitters.supervision.intro"))</p>"
        html += "<table id=\"supervision\"><caption>\(t("emitters.supervision.caption", ["year": String(year)]))</caption><thead><tr>"
        html += Table.headings(["mrv.enterprise", "mrv.jurisdiction", "mrv.industry", "emitters.ratio", "emitters.grade", "emitters.trend"], t) + "</tr></thead><tbody>"
        for result in assessment.supervisionList {
            html += "<tr><td>\(result.input.name)</td><td>\(result.input.jurisdiction)</td><td>\(result.input.industry)</td>"
            html += "<td class=\"n\">\(ratio(result.ratio))</td>\(grade(result))<td>\(trend(result))</td></tr>"
        }
        if assessment.supervisionList.isEmpty { html += "<tr><td colspan=\"6\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table></section>"
        html += "<section><h2>\(t("emitters.grades"))</h2><table id=\"grades\"><caption>\(t("emitters.grades.caption", ["year": String(year)]))</caption><thead><tr>"
        html += Table.headings(["mrv.enterprise", "mrv.industry", "emitters.basis", "emitters.co2", "emitters.valueAdded", "emitters.intensity",
                                "emitters.industryIntensity", "emitters.ratio", "emitters.grade", "emitters.trend"], t) + "</tr></thead><tbody>"
        for result in assessment.results {
            html += "<tr><td>\(result.input.name) <small>\(result.input.enterprise)</small></td><td>\(result.input.industry)</td>"
            html += "<td>\(t("emitters.basis.\(result.input.basis.rawValue)"))</td><td class=\"n\">\(t.whole(Int64(result.input.co2.rounded())))</td>"
            html += "<td class=\"n\">\(t.whole(Int64(result.input.valueAdded.rounded())))</td><td class=\"n\">\(result.input.intensity.map { t.number($0, decimals: 3) } ?? "—")</td>"
            html += "<td class=\"n\">\(result.industryIntensity.map { t.number($0, decimals: 3) } ?? "—")</td><td class=\"n\">\(ratio(result.ratio))</td>"
            html += "\(grade(result))<td>\(trend(result))</td></tr>"
        }
        if assessment.results.isEmpty { html += "<tr><td colspan=\"10\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table><p><small>\(t("emitters.grades.rule", ["source": CarbonEfficiencyGrade.standard.rules.source]))</small></p></section>"
        for (id, title, summaries) in [("by-district", "emitters.byDistrict", assessment.byDistrict), ("by-industry", "emitters.byIndustry", assessment.byIndustry)] {
            html += "<section><h2>\(t(title))</h2><table id=\"\(id)\"><caption>\(t(title)) · \(year)</caption><thead><tr>"
            html += Table.headings([id == "by-district" ? "mrv.jurisdiction" : "mrv.industry", "emitters.enterprises"], t)
            html += (1...5).html { "<th scope=\"col\" class=\"n\">\(t("emitters.gradeN", ["grade": String($0)]))</th>" }
            html += Table.headings(["emitters.ungraded", "emitters.co2", "emitters.intensity"], t) + "</tr></thead><tbody>"
            for summary in summaries {
                html += "<tr><td>\(summary.key)</td><td class=\"n\">\(summary.enterprises)</td>"
                html += (1...5).html { "<td class=\"n\">\(summary.byGrade[$0])</td>" }
                html += "<td class=\"n\">\(summary.byGrade[0])</td><td class=\"n\">\(t.whole(Int64(summary.co2.rounded())))</td>"
                html += "<td class=\"n\">\(summary.intensity.map { t.number($0, decimals: 3) } ?? "—")</td></tr>"
            }
            html += "</tbody></table></section>"
        }
        html += "<section><h2>\(t("emitters.years.title"))</h2><p>\(t("emitters.years.help"))</p>"
        html += "<form method=\"post\" action=\"/staff/efficiency/years\" enctype=\"multipart/form-data\">\(StaffLayout.csrfField(call))"
        html += "<input type=\"hidden\" name=\"year\" value=\"\(year)\"><label for=\"ey-file\">enterprise-years.csv</label> "
        html += "<input id=\"ey-file\" type=\"file\" name=\"file\" accept=\".csv,.xlsx,text/csv\" required> <button type=\"submit\">\(t("emitters.years.load"))</button></form></section>"
        return StaffLayout.page(t, call, title: t("emitters.efficiency.title"), notice: notice, body: html)
    }
}
