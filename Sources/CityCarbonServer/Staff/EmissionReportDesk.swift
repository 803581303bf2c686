import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// The MRV desk: an enterprise deposits its months and submits its annual report; the verifier
/// assigned to a report verifies it with findings on lines; the regulator assigns verifiers,
/// asks for corrections and accepts. Who is which is decided per report by ``EmissionReports/party(of:enterprise:year:)``;
/// anyone else gets 403 and sees nothing of the enterprise.
struct EmissionReportDesk: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/reports", .handleReports) { _, _, call in try list(call) }
        routes.staff(.get, "staff/reports/:code/:year", .handleReports) { _, context, call in
            let (code, year, party) = try resolve(context, call)
            return try page(call, code: code, year: year, party: party)
        }
        routes.staff(.post, "staff/reports/:code/:year/months", .handleReports, bodyLimit: EmissionReports.fileLimit + 64 * 1024) { _, context, call in
            let (code, year, party) = try resolve(context, call, as: [.enterprise])
            return try attempt(call, code, year, party) {
                let (evidence, files) = try Self.month(call.form, year: year)
                try EmissionReports(database).deposit(evidence, enterprise: code, files: files, by: call.actor)
                return call.t("mrv.deposited", ["facility": evidence.facility, "month": String(evidence.month)])
            }
        }
        for (action, parties) in [("submit", [ReportParty.enterprise]), ("assign", [.regulator]), ("start", [.verifier]),
                                  ("verify", [.verifier]), ("correction", [.regulator, .verifier]), ("accept", [.regulator])] {
            routes.staff(.post, "staff/reports/:code/:year/\(action)", .handleReports) { _, context, call in
                let (code, year, party) = try resolve(context, call, as: parties)
                return try attempt(call, code, year, party) { try perform(action, call, code, year, party) }
            }
        }
        routes.staff(.get, "staff/reports/:code/:year/versions/:version", .handleReports) { _, context, call in
            let (code, year, party) = try resolve(context, call)
            let number = try context.parameters.require("version", as: Int.self)
            guard let version = try EmissionReports(database).version(code, year: year, version: number) else {
                throw ProblemDetails(.notFound, "the report has no version \(number)")
            }
            return try versionPage(call, code: code, year: year, party: party, version: version)
        }
        routes.staff(.get, "staff/reports/:code/files/:sha", .handleReports) { _, context, call in
            let code = try context.parameters.require("code")
            guard try EnterpriseRepository(database).all().contains(where: { $0.creditCode == code }) else {
            throw ProblemDetails(.notFound, "no enterprise with the credit code \(code)")
        }
            let principal = call.principal
            // The file of an enterprise: itself, the regulator, or a verifier assigned to any of its reports.
            let assignedCases = principal.role == .verifier ? try EmissionReports(database).cases(verifier: call.actor, enterprise: code) : []
            let assigned = !assignedCases.isEmpty
            let allowed = principal.may(.manageRegistry) || (principal.role == .reporter && principal.organisation == code) || assigned
            guard allowed else { throw AccessDenied("this file belongs to another enterprise") }
            guard let file = try EmissionReports(database).file(try context.parameters.require("sha"), enterprise: code) else {
                throw ProblemDetails(.notFound, "no such evidence file")
            }
            let name = file.name.unicodeScalars.filter { $0.isASCII && $0.value >= 32 && $0 != "\"" && $0 != "\\" }.map(String.init).joined()
            return Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store",
                                                   .contentDisposition: "attachment; filename=\"\(name.isEmpty ? "evidence" : name)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.content)))
        }
    }

    /// The enterprise and year of the path, and the caller's part in them; 403 for anyone with none
    /// (or not one of `parties`), 404 for an enterprise that does not exist.
    private func resolve(_ context: CityCarbonContext, _ call: StaffCall, as parties: [ReportParty]? = nil) throws -> (String, Int, ReportParty) {
        let code = try context.parameters.require("code")
        let year = try context.parameters.require("year", as: Int.self)
        guard (2000...2100).contains(year) else { throw ProblemDetails(.notFound, "no report year \(year)") }
        // Which enterprises are registered is public (the disclosure pages list them): 404 first.
        guard try EnterpriseRepository(database).all().contains(where: { $0.creditCode == code }) else {
            throw ProblemDetails(.notFound, "no enterprise with the credit code \(code)")
        }
        guard let party = try EmissionReports(database).party(of: call.principal, enterprise: code, year: year),
              parties.map({ $0.contains(party) }) ?? true else { throw AccessDenied("this report is not yours to act on") }
        return (code, year, party)
    }

    private func perform(_ action: String, _ call: StaffCall, _ code: String, _ year: Int, _ party: ReportParty) throws -> String {
        let reports = EmissionReports(database), form = call.form, t = call.t
        switch action {
        case "submit":
            let version = try reports.submit(code, year: year, by: call.actor)
            return t("mrv.submitted", ["version": String(version.version)])
        case "assign":
            try reports.assign(code, year: year, verifier: form["verifier"] ?? "", by: call.actor)
            return t("mrv.assigned", ["verifier": form["verifier"] ?? ""])
        case "start":
            try reports.startVerification(code, year: year, by: call.actor)
            return t("mrv.started")
        case "verify":
            try reports.verify(code, year: year, findings: try Self.findings(form), by: call.actor)
            return t("mrv.verified")
        case "correction":
            let sections = (form["sections"] ?? "").split(whereSeparator: { $0 == "," || $0 == "\n" }).map(String.init)
            try reports.requestCorrection(code, year: year, try CorrectionRequest(sections: sections, comment: form["comment"] ?? ""),
                                          party: party, by: call.actor)
            return t("mrv.correctionRequested")
        default:
            try reports.accept(code, year: year, by: call.actor)
            return t("mrv.accepted")
        }
    }

    /// Runs a change and shows the report with its outcome; a refusal is the page with its reason (409),
    /// an impossible field a 400 naming it.
    private func attempt(_ call: StaffCall, _ code: String, _ year: Int, _ party: ReportParty, _ change: () throws -> String) throws -> Response {
        do {
            return try page(call, code: code, year: year, party: party, notice: try change())
        } catch let refusal as EmissionReports.Refusal {
            if case let .invalid(problems) = refusal {
                throw InputErrors(problems.map { InputIssue(InputLocation(field: $0.field), value: String($0.value.prefix(64)), reason: $0.reason) })
            }
            if case let .unknownFacility(key) = refusal {
                throw InputErrors([InputIssue(InputLocation(field: "facility"), value: String(key.prefix(64)), reason: refusal.description)])
            }
            return try page(call, code: code, year: year, party: party, notice: call.t("mrv.refused", ["reason": refusal.description]), status: .conflict)
        } catch let refusal as ReportWorkflowError {
            throw InputErrors([InputIssue(InputLocation(field: "sections"), value: "", reason: refusal.description)])
        }
    }

    // MARK: Forms

    /// A month from the deposit form: the facility's sources as rows (`amount.<source>`,
    /// `ncv.<source>`, `cc.<source>`, `ef.<source>`), the operating data, and up to three files.
    static func month(_ form: FormData, year: Int) throws -> (MonthlyEvidence, [(name: String, content: [UInt8])]) {
        var issues: [InputIssue] = []
        func number(_ field: String) -> Double? {
            guard let text = form[field]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite else {
                issues.append(InputIssue(InputLocation(field: field), value: String(text.prefix(64)), reason: "is not a number"))
                return nil
            }
            return value
        }
        let month = form["month"].flatMap { Int($0) } ?? 0
        var batches: [MonthlyEvidence.Batch] = []
        for source in form.all("source") {
            guard let amount = number("amount.\(source)") else { continue }
            batches.append(.init(source: source, amount: amount, ncv: number("ncv.\(source)"), carbonContent: number("cc.\(source)"),
                                 emissionFactor: number("ef.\(source)")))
        }
        let evidence = MonthlyEvidence(facility: form["facility"] ?? "", year: year, month: month, batches: batches,
                                       generation: number("generation"), supply: number("supply"), heatSupplied: number("heat_supplied"),
                                       operatingHours: number("operating_hours"), loadFactor: number("load_factor"))
        if !issues.isEmpty { throw InputErrors(issues) }
        let files = ["file1", "file2", "file3"].compactMap { form.files[$0] }.filter { !$0.bytes.isEmpty }
            .map { (name: String($0.filename.prefix(200)), content: $0.bytes) }
        return (evidence, files)
    }

    /// Findings from the verification form: `line`, `comment` and `adjusted` repeated.
    static func findings(_ form: FormData) throws -> [VerificationFinding] {
        let lines = form.all("line"), comments = form.all("comment"), adjusted = form.all("adjusted")
        var result: [VerificationFinding] = []
        for (index, line) in lines.enumerated() {
            let comment = index < comments.count ? comments[index].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            let tonnes = index < adjusted.count ? adjusted[index].trimmingCharacters(in: .whitespaces) : ""
            if comment.isEmpty && tonnes.isEmpty { continue }
            var value: Double?
            if !tonnes.isEmpty {
                guard let parsed = Double(tonnes), parsed.isFinite, parsed >= 0 else {
                    throw InputErrors([InputIssue(InputLocation(field: "adjusted"), value: String(tonnes.prefix(64)), reason: "is not a number of tonnes from 0")])
                }
                value = parsed
            }
            result.append(VerificationFinding(line: line, comment: String(comment.prefix(2000)), adjustedTonnes: value))
        }
        return result
    }

    // MARK: Pages

    private func list(_ call: StaffCall) throws -> Response {
        let t = call.t, principal = call.principal, reports = EmissionReports(database)
        let enterprises = try EnterpriseRepository(database).all()
        let names = Dictionary(enterprises.map { ($0.creditCode, $0.name) }, uniquingKeysWith: { a, _ in a })
        let year = Day.today.year - 1
        var html: HTML = "<section><p>\(t("mrv.intro"))</p></section>"
        let visible: [Enterprise] = principal.may(.manageRegistry) ? enterprises
            : principal.role == .reporter ? enterprises.filter { $0.creditCode == principal.organisation } : []
        if !visible.isEmpty {
            html += "<section><table id=\"enterprises\"><caption>\(t("mrv.enterprises"))</caption><thead><tr>"
            html += Table.headings(["mrv.enterprise", "mrv.industry", "mrv.jurisdiction", "mrv.year", "mrv.status"], t) + "</tr></thead><tbody>"
            for enterprise in visible {
                let current = try reports.reportCase(enterprise.creditCode, year: year)
                html += "<tr><td><a href=\"/staff/reports/\(segment: enterprise.creditCode)/\(year)\">\(enterprise.name)</a> <small>\(enterprise.creditCode)</small></td>"
                html += "<td>\(enterprise.industry)</td><td>\(enterprise.jurisdiction)</td><td class=\"n\">\(year)</td>"
                html += "<td>\(t("mrv.status.\((current?.status ?? .draft).rawValue)"))</td></tr>"
            }
            html += "</tbody></table></section>"
        }
        if !visible.isEmpty, principal.may(.depositEvidence) {
            html += "<section><h2>\(t("mrv.bulk.title"))</h2><p>\(t("mrv.bulk.help", ["columns": EvidenceSheet.columns.joined(separator: ", ")]))</p>"
            html += "<form method=\"post\" action=\"/staff/reports/evidence\" enctype=\"multipart/form-data\">\(StaffLayout.csrfField(call))"
            html += "<label for=\"ev-file\">evidence.csv</label> <input id=\"ev-file\" type=\"file\" name=\"file\" accept=\".csv,.xlsx,text/csv\" required> "
            html += "<button type=\"submit\">\(t("mrv.bulk.load"))</button></form></section>"
        }
        let cases = principal.may(.manageRegistry) ? try reports.cases()
            : principal.role == .verifier ? try reports.cases(verifier: call.actor)
            : try reports.cases(enterprise: principal.organisation ?? "\u{0}")
        html += "<section><table id=\"cases\"><caption>\(t(principal.role == .verifier ? "mrv.assignedToYou" : "mrv.cases"))</caption><thead><tr>"
        html += Table.headings(["mrv.enterprise", "mrv.year", "mrv.version", "mrv.status", "mrv.verifier"], t) + "</tr></thead><tbody>"
        for item in cases {
            html += "<tr><td><a href=\"/staff/reports/\(segment: item.enterprise)/\(item.year)\">\(names[item.enterprise] ?? item.enterprise)</a></td>"
            html += "<td class=\"n\">\(item.year)</td><td class=\"n\">\(item.version)</td><td>\(t("mrv.status.\(item.status.rawValue)"))</td>"
            html += "<td>\(item.verifier ?? "—")</td></tr>"
        }
        if cases.isEmpty { html += "<tr><td colspan=\"5\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table></section>"
        if !visible.isEmpty {
            let today = Day.today
            // Only enterprises with facilities report months; the others are registered for grading and disclosure.
            let late = EvidenceCalendar.standard.overdueMonths(enterprises: visible.filter { !$0.facilities.isEmpty }.map(\.creditCode),
                                                                 from: (year, 1), today: today,
                                                                 level: .enterprise, done: try reports.deposited())
            html += "<section><h2>\(t("mrv.overdue"))</h2><p>\(t("mrv.overdueRule"))</p><table id=\"overdue\"><thead><tr>"
            html += Table.headings(["mrv.enterprise", "mrv.month", "mrv.deadline"], t) + "</tr></thead><tbody>"
            for key in late.prefix(200) {
                let deadline = EvidenceCalendar.standard.monthlyDeadline(year: key.year, month: key.month, level: .enterprise)
                html += "<tr><td>\(names[key.enterprise] ?? key.enterprise)</td><td>\(key.year)-\(key.month < 10 ? "0" : "")\(key.month)</td>"
                html += "<td>\(deadline.map { t.date($0) } ?? "")</td></tr>"
            }
            if late.isEmpty { html += "<tr><td colspan=\"3\">\(t("mrv.noneOverdue"))</td></tr>" }
            html += "</tbody></table></section>"
        }
        return StaffLayout.page(t, call, title: t("mrv.title"), body: html)
    }

    private func page(_ call: StaffCall, code: String, year: Int, party: ReportParty, notice: String? = nil,
                      status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t, csrf = StaffLayout.csrfField(call), reports = EmissionReports(database)
        guard let enterprise = try EnterpriseRepository(database).all().first(where: { $0.creditCode == code }) else {
            throw ProblemDetails(.notFound, "no enterprise with the credit code \(code)")
        }
        let current = try reports.reportCase(code, year: year)
        let state = current?.status ?? .draft
        let draft = try reports.draft(code, year: year)
        let base = "/staff/reports/\(code)/\(year)"
        var html: HTML = "<section><p class=\"lead\">\(t("mrv.summary", ["name": enterprise.name, "code": code, "year": String(year), "status": t("mrv.status.\(state.rawValue)")]))</p>"
        if let current, let verifier = current.verifier { html += "<p>\(t("mrv.verifierIs", ["verifier": verifier]))</p>" }
        html += "</section>"
        let editable = state == .draft || state == .correctionRequested
        // The lines: the draft while it can change, the submitted version once it cannot.
        let shown: ReportVersion? = editable ? nil : try current.flatMap { try reports.version(code, year: year, version: $0.version) }
        html += Self.lines(shown?.report ?? draft.report, findings: shown?.findings ?? [], t)
        html += Self.checks(shown?.checks ?? draft.checks, t)
        html += Self.months(enterprise, months: shown?.months ?? draft.months, year: year, code: code, t)
        if party == .enterprise && editable {
            html += Self.depositForms(enterprise, year: year, base: base, csrf: csrf, t)
            let blocked = ReportChecks.blocksSubmission(draft.checks)
            html += "<section><h2>\(t("mrv.submitTitle"))</h2><form method=\"post\" action=\"\(base)/submit\">\(csrf)"
            html += "<p>\(t(blocked ? "mrv.submitBlocked" : "mrv.submitReady"))</p><button type=\"submit\">\(t("mrv.submit"))</button></form></section>"
        }
        if party == .regulator && (state == .submitted || state == .underVerification) {
            html += "<section><h2>\(t("mrv.assign"))</h2><form method=\"post\" action=\"\(base)/assign\">\(csrf)<label for=\"v-login\">\(t("mrv.verifier"))</label>"
            html += "<input id=\"v-login\" name=\"verifier\" required maxlength=\"64\"><p><button type=\"submit\">\(t("mrv.assignSubmit"))</button></p></form></section>"
        }
        if party == .verifier && state == .submitted {
            html += "<section><form method=\"post\" action=\"\(base)/start\">\(csrf)<button type=\"submit\">\(t("mrv.start"))</button></form></section>"
        }
        if party == .verifier && state == .underVerification, let shown {
            html += "<section><h2>\(t("mrv.findings"))</h2><form method=\"post\" action=\"\(base)/verify\">\(csrf)<table><thead><tr>"
            html += Table.headings(["mrv.line", "mrv.comment", "mrv.adjusted"], t) + "</tr></thead><tbody>"
            for (index, line) in shown.report.lines.enumerated() {
                html += "<tr><td>\(line.key)<input type=\"hidden\" name=\"line\" value=\"\(line.key)\"></td>"
                html += "<td><label class=\"visually-hidden\" for=\"f-c\(index)\">\(t("mrv.comment"))</label><input id=\"f-c\(index)\" name=\"comment\" maxlength=\"2000\"></td>"
                html += "<td><label class=\"visually-hidden\" for=\"f-a\(index)\">\(t("mrv.adjusted"))</label><input id=\"f-a\(index)\" name=\"adjusted\" inputmode=\"decimal\"></td></tr>"
            }
            html += "</tbody></table><p><button type=\"submit\">\(t("mrv.verify"))</button></p></form></section>"
        }
        if (party == .regulator && [.submitted, .underVerification, .verified].contains(state)) || (party == .verifier && state == .underVerification) {
            html += "<section><h2>\(t("mrv.correction"))</h2><form method=\"post\" action=\"\(base)/correction\">\(csrf)"
            html += "<label for=\"c-sections\">\(t("mrv.sections"))</label><input id=\"c-sections\" name=\"sections\" required placeholder=\"unit-1/coal, 2025-03\">"
            html += "<label for=\"c-comment\">\(t("mrv.comment"))</label><textarea id=\"c-comment\" name=\"comment\" required maxlength=\"4000\"></textarea>"
            html += "<p><button type=\"submit\" class=\"secondary\">\(t("mrv.requestCorrection"))</button></p></form></section>"
        }
        if party == .regulator && state == .verified {
            html += "<section><form method=\"post\" action=\"\(base)/accept\">\(csrf)<button type=\"submit\">\(t("mrv.accept"))</button></form></section>"
        }
        html += try history(code: code, year: year, base: base, t)
        return StaffLayout.page(t, call, title: t("mrv.reportTitle", ["name": enterprise.name, "year": String(year)]), status: status,
                                notice: notice, body: html)
    }

    private func versionPage(_ call: StaffCall, code: String, year: Int, party: ReportParty, version: ReportVersion) throws -> Response {
        let t = call.t, base = "/staff/reports/\(code)/\(year)"
        var html: HTML = "<section><p>\(t("mrv.versionIntro", ["version": String(version.version), "by": version.submittedBy, "at": t.dateTime(version.submittedAt)]))</p>"
        html += "<p><small>SHA-256 \(version.digest)</small></p></section>"
        if version.version > 1, let previous = try EmissionReports(database).version(code, year: year, version: version.version - 1) {
            let diff = ReportDiff(from: previous.report, to: version.report, oldMonths: previous.months, newMonths: version.months)
            html += "<section><table id=\"diff\"><caption>\(t("mrv.diff", ["from": String(previous.version), "to": String(version.version)]))</caption><thead><tr>"
            html += Table.headings(["mrv.section", "mrv.field", "mrv.before", "mrv.after"], t) + "</tr></thead><tbody>"
            for change in diff.changes {
                html += "<tr><td>\(change.subject)</td><td>\(change.field)</td><td class=\"n\">\(change.before.map { t.number($0, decimals: 3) } ?? "—")</td>"
                html += "<td class=\"n\">\(change.after.map { t.number($0, decimals: 3) } ?? "—")</td></tr>"
            }
            if diff.changes.isEmpty { html += "<tr><td colspan=\"4\">\(t("mrv.noChanges"))</td></tr>" }
            html += "</tbody></table></section>"
        }
        html += Self.lines(version.report, findings: version.findings, t)
        html += Self.checks(version.checks, t)
        html += "<p><a href=\"\(base)\">\(t("mrv.back"))</a></p>"
        return StaffLayout.page(t, call, title: t("mrv.versionTitle", ["version": String(version.version), "year": String(year)]), body: html)
    }

    private func history(code: String, year: Int, base: String, _ t: Localizer) throws -> HTML {
        let events = try EmissionReports(database).events(code, year: year)
        var html: HTML = "<section><table id=\"history\"><caption>\(t("mrv.history"))</caption><thead><tr>"
        html += Table.headings(["mrv.when", "mrv.who", "mrv.action", "mrv.version", "mrv.comment"], t) + "</tr></thead><tbody>"
        for event in events {
            let version: HTML = event.version > 0 ? "<a href=\"\(base)/versions/\(event.version)\">\(event.version)</a>" : "—"
            let said = ([event.comment].compactMap { $0 } + (event.sections.isEmpty ? [] : ["(\(event.sections.joined(separator: ", ")))"])).joined(separator: " ")
            html += "<tr><td>\(t.dateTime(event.at))</td><td>\(event.actor)</td><td>\(t("mrv.action.\(event.action)"))</td><td class=\"n\">\(version)</td><td>\(said)</td></tr>"
        }
        if events.isEmpty { html += "<tr><td colspan=\"5\">\(t("mrv.none"))</td></tr>" }
        return html + "</tbody></table></section>"
    }

    static func lines(_ report: AnnualReport, findings: [VerificationFinding], _ t: Localizer) -> HTML {
        let found = Dictionary(findings.map { ($0.line, $0) }, uniquingKeysWith: { _, last in last })
        var html: HTML = "<section><table id=\"lines\"><caption>\(t("mrv.lines"))</caption><thead><tr>"
        html += Table.headings(["mrv.line", "mrv.activity", "mrv.ncv", "mrv.carbon", "mrv.factor", "mrv.basis", "mrv.tonnes", "mrv.finding"], t)
        html += "</tr></thead><tbody>"
        for line in report.lines {
            let basis = line.carbonBasis.map { t("mrv.basis.\($0.rawValue)") } ?? "—"
            let factor = line.kind == .combustion ? line.oxidation.map { t.number($0, decimals: 2) } : line.factor.map { t.number($0, decimals: 4) }
            var finding: HTML = "—"
            if let f = found[line.key] {
                finding = "\(f.comment)\(f.adjustedTonnes.map { " → \(t.number($0, decimals: 2)) t" } ?? "")"
            }
            html += "<tr data-line=\"\(line.key)\"><td>\(line.key) <small>\(t("mrv.kind.\(line.kind.rawValue)"))\(line.fuel.map { " · \($0)" } ?? "")</small></td>"
            let unit = line.unit == "10^4 m3" ? "10⁴ m³" : line.unit
            html += "<td class=\"n\">\(t.number(line.activity, decimals: 2)) \(unit)</td>"
            html += "<td class=\"n\">\(line.ncv.map { t.number($0, decimals: 3) } ?? "—")</td>"
            html += "<td class=\"n\">\(line.carbonContent.map { t.number($0, decimals: 5) } ?? "—")</td>"
            html += "<td class=\"n\">\(factor ?? "—")</td><td>\(basis)</td><td class=\"n\">\(t.number(line.tonnes, decimals: 2))</td><td>\(finding)</td></tr>"
        }
        html += "</tbody><tfoot><tr><th scope=\"row\">\(t("mrv.direct"))</th><td colspan=\"5\"></td><td class=\"n\">\(t.number(report.direct, decimals: 2))</td><td></td></tr>"
        html += "<tr><th scope=\"row\">\(t("mrv.indirect"))</th><td colspan=\"5\"></td><td class=\"n\">\(t.number(report.indirectTonnes, decimals: 2))</td><td></td></tr>"
        if !findings.isEmpty {
            let verified = VerificationFinding.verifiedTonnes(report, findings: findings).total
            html += "<tr><th scope=\"row\">\(t("mrv.verifiedTotal"))</th><td colspan=\"5\"></td><td class=\"n\">\(t.number(verified, decimals: 2))</td><td></td></tr>"
        }
        html += "</tfoot></table><p class=\"note\">\(t("mrv.method", ["grid": report.indirect.electricitySet ?? "—"]))</p></section>"
        return html
    }

    static func checks(_ checks: [ReportCheck], _ t: Localizer) -> HTML {
        var html: HTML = "<section><table id=\"checks\"><caption>\(t("mrv.checks"))</caption><thead><tr>"
        html += Table.headings(["mrv.severity", "mrv.section", "mrv.check"], t) + "</tr></thead><tbody>"
        for check in checks {
            var values: [String: String] = [:]
            for (index, value) in check.values.enumerated() {
                // The conservative check's second figure is a share of the heat.
                values["v\(index)"] = check.code == "carbon_conservative" && index == 1 ? t.number(value * 100, decimals: 0) + " %"
                    : t.number(value, decimals: value.magnitude < 1 ? 4 : 2)
            }
            let subject = check.month.map { "\(check.subject) · \($0)" } ?? check.subject
            html += "<tr class=\"check-\(check.severity.rawValue)\"><td>\(t("mrv.severity.\(check.severity.rawValue)"))</td><td>\(subject)</td>"
            html += "<td>\(t("mrv.check.\(check.code)", values))</td></tr>"
        }
        if checks.isEmpty { html += "<tr><td colspan=\"3\">\(t("mrv.noChecks"))</td></tr>" }
        return html + "</tbody></table></section>"
    }

    static func months(_ enterprise: Enterprise, months: [MonthlyEvidence], year: Int, code: String, _ t: Localizer) -> HTML {
        var html: HTML = "<section><table id=\"months\"><caption>\(t("mrv.months"))</caption><thead><tr><th scope=\"col\">\(t("mrv.facility"))</th>"
        for month in 1...12 { html += "<th scope=\"col\" class=\"n\">\(month)</th>" }
        html += "</tr></thead><tbody>"
        for facility in enterprise.facilities {
            html += "<tr><th scope=\"row\">\(facility.name) <small>\(facility.key)</small></th>"
            for month in 1...12 {
                if let deposit = months.first(where: { $0.facility == facility.key && $0.month == month }) {
                    // The tick links the month's first file; more files follow as numbers.
                    let files = deposit.files.enumerated().html { index, file in
                        "<a download href=\"/staff/reports/\(segment: code)/files/\(segment: file.sha256)\" title=\"\(file.name)\">\(index == 0 ? "✓" : " \(index + 1)")</a>"
                    }
                    html += deposit.files.isEmpty ? "<td class=\"n\">✓</td>" : "<td class=\"n\">\(files)</td>"
                } else {
                    html += "<td class=\"n\"><span aria-label=\"\(t("mrv.notDeposited"))\">·</span></td>"
                }
            }
            html += "</tr>"
        }
        return html + "</tbody></table></section>"
    }

    static func depositForms(_ enterprise: Enterprise, year: Int, base: String, csrf: HTML, _ t: Localizer) -> HTML {
        var html: HTML = ""
        for facility in enterprise.facilities {
            let id = facility.key.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
            let months = (1...12).html { "<option value=\"\($0)\">\($0)</option>" }
            html += "<section><h2>\(t("mrv.deposit", ["facility": facility.name]))</h2>"
            html += "<form method=\"post\" action=\"\(base)/months\" enctype=\"multipart/form-data\">\(csrf)"
            html += "<input type=\"hidden\" name=\"facility\" value=\"\(facility.key)\">"
            html += "<label for=\"m-\(id)\">\(t("mrv.month"))</label><select id=\"m-\(id)\" name=\"month\">\(months)</select>"
            html += "<table><thead><tr>" + Table.headings(["mrv.source", "mrv.amount", "mrv.ncvMeasured", "mrv.carbonMeasured", "mrv.efDeclared"], t) + "</tr></thead><tbody>"
            for source in facility.sources {
                let field = "\(id)-\(source.key.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined())"
                let combustion = source.kind == .combustion, process = source.kind == .process
                html += "<tr><td>\(source.key) <small>\(t("mrv.kind.\(source.kind.rawValue)"))\(source.fuel.map { " · \($0)" } ?? "")</small>"
                html += "<input type=\"hidden\" name=\"source\" value=\"\(source.key)\"></td>"
                html += "<td><label class=\"visually-hidden\" for=\"a-\(field)\">\(t("mrv.amount"))</label><input id=\"a-\(field)\" name=\"amount.\(source.key)\" inputmode=\"decimal\"></td>"
                html += combustion ? "<td><label class=\"visually-hidden\" for=\"n-\(field)\">\(t("mrv.ncvMeasured"))</label><input id=\"n-\(field)\" name=\"ncv.\(source.key)\" inputmode=\"decimal\"></td>"
                    + "<td><label class=\"visually-hidden\" for=\"c-\(field)\">\(t("mrv.carbonMeasured"))</label><input id=\"c-\(field)\" name=\"cc.\(source.key)\" inputmode=\"decimal\"></td>" : "<td></td><td></td>"
                html += process ? "<td><label class=\"visually-hidden\" for=\"e-\(field)\">\(t("mrv.efDeclared"))</label><input id=\"e-\(field)\" name=\"ef.\(source.key)\" inputmode=\"decimal\"></td>" : "<td></td>"
                html += "</tr>"
            }
            html += "</tbody></table>"
            for (name, key) in [("generation", "mrv.generation"), ("supply", "mrv.supply"), ("heat_supplied", "mrv.heatSupplied"),
                                ("operating_hours", "mrv.operatingHours"), ("load_factor", "mrv.loadFactor")] {
                html += "<label for=\"\(name)-\(id)\">\(t(key))</label><input id=\"\(name)-\(id)\" name=\"\(name)\" inputmode=\"decimal\">"
            }
            html += "<label for=\"f-\(id)\">\(t("mrv.files"))</label><input id=\"f-\(id)\" type=\"file\" name=\"file1\">"
            html += "<p><button type=\"submit\">\(t("mrv.depositSubmit"))</button></p></form></section>"
        }
        return html
    }
}
