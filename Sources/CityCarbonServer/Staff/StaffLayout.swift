import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// The frame of the staff pages: the account, the sections its role may open, sign-out, and
/// the language switch. Staff pages are never cached by the browser or a proxy.
enum StaffLayout {
    /// A publish or withdraw "button" that opens its confirmation page (``PublishConfirmation``).
    static func confirmLink(_ href: String, dataAction: String, label: String, secondary: Bool = false) -> HTML {
        "<a class=\"button\(secondary ? " secondary" : "")\" href=\"\(href)\" data-action=\"\(dataAction)\">\(label)…</a> "
    }

    static func page(_ t: Localizer, _ call: StaffCall, title: String, status: HTTPResponse.Status = .ok, notice: String? = nil, body: HTML) -> Response {
        let principal = call.principal
        var links = [("/staff", t("staff.nav.home"))]
        if principal.may(.importActivities) { links.append(("/staff/upload", t("staff.nav.upload"))) }
        if principal.may(.readDrafts) { links.append(("/staff/plans", t("staff.nav.plans"))) }
        if principal.may(.editPlans) { links.append(("/staff/indicators", t("staff.nav.indicators"))) }
        if principal.may(.managePlans) { links.append(("/staff/reviews", t("staff.nav.reviews"))) }
        if principal.may(.readDrafts) { links.append(("/staff/assessments", t("nav.assessments"))) }
        if principal.may(.readDrafts) { links.append(("/staff/pathways", t("nav.pathways"))) }
        links.append(("/staff/monitoring", t("staff.nav.monitoring")))
        links.append(("/staff/air", t("airqa.nav")))
        if principal.may(.manageAccounts) {
            links.append(("/staff/accounts", t("staff.nav.accounts")))
            links.append(("/staff/api-keys", t("staff.nav.keys")))
        }
        if principal.may(.importStatistics) { links.append(("/staff/city-data", t("staff.nav.cityData"))) }
        if principal.may(.representAccounts) { links.append(("/staff/registry", t("nav.registry"))) }
        if principal.may(.handleReports) { links.append(("/staff/reports", t("mrv.nav"))) }
        if principal.may(.checkEvidence) { links.append(("/staff/evidence", t("review.nav"))) }
        if principal.may(.manageRegistry) {
            links.append(("/staff/compliance", t("emitters.nav.compliance")))
            links.append(("/staff/efficiency", t("emitters.nav.efficiency")))
        }
        if principal.may(.manageInclusion) {
            links.append(("/staff/inclusion", t("inclusion.nav")))
        } else if principal.may(.reviewInclusion) {
            links.append(("/staff/inclusion/review", t("inclusion.review.nav")))
        }
        if principal.may(.manageSettings) { links.append(("/staff/city", t("staff.nav.city"))) }
        if principal.may(.readAudit) { links.append(("/staff/audit", t("staff.nav.audit"))) }
        links.append(("/", t("staff.nav.public")))
        let nav = links.html { "<a href=\"\($0.0)\">\($0.1)</a>" }
        let account = call.session.account
        let who = "\(account.displayName) (\(t("role.\(account.role.rawValue)")))"
        let notice: HTML? = notice.map { #"<p class="notice" role="status">\#($0)</p>"# }
        let text: HTML = """
            \(Layout.head(t, title: "\(title) — CityCarbon"))<body class="staff">\
            <a class="skip" href="#main">\(t("nav.skip"))</a><header><h1>\(title)</h1><nav>\(nav)<span class="who"> · \(who)</span>\
            <form class="inline" method="post" action="/logout">\(csrfField(call))<button class="secondary" type="submit">\(t("staff.signout"))</button></form>\
            \(Layout.languageSwitch(t, query: []))</nav></header>\
            <main id="main">\(notice)\(ScrollingTables.wrap(body, unnamed: t("table.region")))</main></body></html>
            """
        return html(text, status: status)
    }

    /// A page for someone without a usable session: signed out, refused, or a stale form.
    static func message(_ t: Localizer, status: HTTPResponse.Status, title: String, text: String, link: String) -> Response {
        html("""
            \(Layout.head(t, title: "\(title) — CityCarbon"))<body class="staff">\
            <a class="skip" href="#main">\(t("nav.skip"))</a><header><h1>\(title)</h1></header>\
            <main id="main"><p class="problem" role="alert">\(text)</p><p><a href="\(link)">\(t("staff.continue"))</a></p></main></body></html>
            """, status: status)
    }

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.markup)))
    }

    /// 303 See Other: after a form, the browser loads the next page with GET.
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    static func csrfField(_ call: StaffCall) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(call.session.csrfToken)\">"
    }

    /// Input problems as the CLI reports them: file, row, column, field, value, reason, suggestion.
    static func issueTable(_ t: Localizer, _ issues: [InputIssue]) -> HTML {
        var html: HTML = "<table class=\"issues\"><caption>\(t("issues.caption", ["count": String(issues.count)]))</caption><thead><tr>"
        html += Table.headings(["issues.row", "issues.column", "issues.field", "issues.value", "issues.reason", "issues.suggestion"], t)
        html += "</tr></thead><tbody>"
        // A sheet of a million bad cells is answered with its first 500, each value cut to 200 characters.
        for issue in issues.prefix(500) {
            let cells = [issue.location.row.map(String.init), issue.location.column.map(String.init), issue.location.field,
                         issue.value.map { String($0.prefix(200)) }, issue.reason, issue.suggestion]
            html += "<tr>" + cells.html { "<td>\($0 ?? "")</td>" } + "</tr>"
        }
        if issues.count > 500 { html += "<tr><td colspan=\"6\">\(t("issues.more", ["count": String(issues.count - 500)]))</td></tr>" }
        return html + "</tbody></table>"
    }
}
