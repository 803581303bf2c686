import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// The review calendar's upper levels (`/staff/evidence`): district staff check the months their
/// districts' enterprises deposited (due by day 25), the climate office closes checked months
/// for the city (by day 40), and each level sees its own overdue list.
struct EvidenceReviewPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/evidence", .checkEvidence) { _, _, call in try page(call) }
        routes.staff(.post, "staff/evidence/check", .checkEvidence) { _, _, call in try review(call, level: .district) }
        routes.staff(.post, "staff/evidence/close", .manageRegistry) { _, _, call in try review(call, level: .city) }
    }

    /// The reporting enterprises (those with facilities) `call`'s principal reviews: all for the
    /// office, those in its districts for district staff.
    private func scope(_ call: StaffCall) throws -> [Enterprise] {
        let tree = try JurisdictionRepository(database).tree()
        return try EnterpriseRepository(database).all().filter { !$0.facilities.isEmpty && call.principal.mayWrite($0.jurisdiction, in: tree) }
    }

    private func review(_ call: StaffCall, level: EvidenceCalendar.Level) throws -> Response {
        let form = call.form, code = form["enterprise"] ?? ""
        guard let year = form["year"].flatMap({ Int($0) }), (2000...2100).contains(year) else {
            throw InputErrors([InputIssue(InputLocation(field: "year"), value: String((form["year"] ?? "").prefix(16)), reason: "must be a year from 2000 to 2100")])
        }
        guard let month = form["month"].flatMap({ Int($0) }), (0...12).contains(month) else {
            throw InputErrors([InputIssue(InputLocation(field: "month"), value: String((form["month"] ?? "").prefix(16)),
                                          reason: "must be a month from 1 to 12, or 0 for the annual report")])
        }
        guard let enterprise = try EnterpriseRepository(database).all().first(where: { $0.creditCode == code }) else {
            throw ProblemDetails(.notFound, "no enterprise with the credit code \(code.prefix(40))")
        }
        guard try scope(call).contains(where: { $0.creditCode == code }) else {
            throw AccessDenied(EvidenceReviews.Refusal.outsideJurisdiction(enterprise.jurisdiction).description)
        }
        do {
            try EvidenceReviews(database).review(code, year: year, month: month, level: level, by: call.actor)
            let key = level == .district ? "review.checked" : "review.closed"
            let what = month == 0 ? call.t("review.annual", ["year": String(year)]) : "\(year)-\(month < 10 ? "0" : "")\(month)"
            return try page(call, notice: call.t(key, ["name": enterprise.name, "month": what]))
        } catch let refusal as EvidenceReviews.Refusal {
            return try page(call, notice: call.t("mrv.refused", ["reason": refusal.description]), status: .conflict)
        }
    }

    private func page(_ call: StaffCall, notice: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t, csrf = StaffLayout.csrfField(call)
        let enterprises = try scope(call)
        let names = Dictionary(enterprises.map { ($0.creditCode, $0.name) }, uniquingKeysWith: { a, _ in a })
        let codes = Set(enterprises.map(\.creditCode))
        let reviews = EvidenceReviews(database)
        let deposited = try EmissionReports(database).deposited().filter { codes.contains($0.enterprise) }
        let checked = try reviews.reviewed(.district), closed = try reviews.reviewed(.city)
        let today = Day.today
        let calendar = EvidenceCalendar.standard
        func label(_ key: EvidenceCalendar.MonthKey) -> String {
            key.month == 0 ? t("review.annual", ["year": String(key.year)]) : "\(key.year)-\(key.month < 10 ? "0" : "")\(key.month)"
        }
        func deadline(_ key: EvidenceCalendar.MonthKey, _ level: EvidenceCalendar.Level) -> Day? {
            key.month == 0 ? calendar.annualDeadline(year: key.year, level: level) : calendar.monthlyDeadline(year: key.year, month: key.month, level: level)
        }
        func button(_ key: EvidenceCalendar.MonthKey, _ action: String, _ text: String) -> HTML {
            """
            <form method="post" action="/staff/evidence/\(action)" class="inline">\(csrf)<input type="hidden" name="enterprise" value="\(key.enterprise)">\
            <input type="hidden" name="year" value="\(key.year)"><input type="hidden" name="month" value="\(key.month)">\
            <button type="submit" class="secondary">\(text)</button></form>
            """
        }
        func queue(_ id: String, _ caption: String, _ keys: [EvidenceCalendar.MonthKey], level: EvidenceCalendar.Level, action: String,
                   button text: String) -> HTML {
            var html: HTML = "<table id=\"\(id)\"><caption>\(caption)</caption><thead><tr>"
            html += Table.headings(["mrv.enterprise", "mrv.month", "mrv.deadline", "review.action"], t) + "</tr></thead><tbody>"
            for key in keys.prefix(200) {
                let deadline = deadline(key, level)
                let late = deadline.map { $0 < today } ?? false
                let rowClass: HTML = late ? " class=\"check-error\"" : ""
                html += "<tr\(rowClass)><td>\(names[key.enterprise] ?? key.enterprise)</td><td>\(label(key))</td>"
                html += "<td>\(deadline.map { t.date($0) } ?? "")\(late ? " · \(t("review.late"))" : "")</td><td>\(button(key, action, text))</td></tr>"
            }
            if keys.isEmpty { html += "<tr><td colspan=\"4\">\(t("mrv.none"))</td></tr>" }
            return html + "</tbody></table>"
        }
        let order: (EvidenceCalendar.MonthKey, EvidenceCalendar.MonthKey) -> Bool = {
            ($0.year, $0.month, names[$0.enterprise] ?? "") < ($1.year, $1.month, names[$1.enterprise] ?? "")
        }
        var html: HTML = "<section><p>\(t("review.intro"))</p></section>"
        let submitted = try reviews.submitted().filter { codes.contains($0.enterprise) }
        let toCheck = deposited.union(submitted).filter { !checked.contains($0) }.sorted(by: order)
        html += "<section><h2>\(t("review.toCheck"))</h2>" + queue("to-check", t("review.toCheck.caption"), toCheck, level: .district,
                                                                       action: "check", button: t("review.check")) + "</section>"
        if call.principal.may(.manageRegistry) {
            let toClose = checked.filter { codes.contains($0.enterprise) && !closed.contains($0) }.sorted(by: order)
            html += "<section><h2>\(t("review.toClose"))</h2>" + queue("to-close", t("review.toClose.caption"), toClose, level: .city,
                                                                           action: "close", button: t("review.close")) + "</section>"
        }
        // Each level's overdue list, from January of last year.
        let overdue = try reviews.overdue(enterprises: enterprises.map(\.creditCode), from: today.year - 1, today: today)
        let levels: [EvidenceCalendar.Level] = call.principal.may(.manageRegistry) ? [.enterprise, .district, .city] : [.enterprise, .district]
        html += "<section><h2>\(t("review.overdue"))</h2><p>\(t("review.overdueRule"))</p>"
        for level in levels {
            let late = overdue[level] ?? []
            html += "<table id=\"overdue-\(level.rawValue)\"><caption>\(t("review.overdue.\(level.rawValue)", ["count": String(late.count)]))</caption><thead><tr>"
            html += Table.headings(["mrv.enterprise", "mrv.month", "mrv.deadline"], t) + "</tr></thead><tbody>"
            for key in late.prefix(100) {
                html += "<tr><td>\(names[key.enterprise] ?? key.enterprise)</td><td>\(label(key))</td><td>\(deadline(key, level).map { t.date($0) } ?? "")</td></tr>"
            }
            if late.isEmpty { html += "<tr><td colspan=\"3\">\(t("mrv.noneOverdue"))</td></tr>" }
            html += "</tbody></table>"
        }
        html += "</section>"
        return StaffLayout.page(t, call, title: t("review.title"), status: status, notice: notice, body: html)
    }
}
