import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// The audit trail for admins and verifiers: every write with who, when, what and the state
/// before and after, filtered by entity, actor, action and dates, and the chain checked on demand.
struct AuditPage: Sendable {
    let database: CityCarbonDatabase
    static let pageSize = 50

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/audit", .readAudit) { _, _, call in try render(call) }
    }

    func render(_ call: StaffCall) throws -> Response {
        let t = call.t, form = call.form
        func value(_ name: String) -> String? { form[name].flatMap { $0.isEmpty ? nil : $0 } }
        let filter = AuditTrail.Filter(entity: value("entity"), actor: value("actor"), action: value("action"), since: value("since"), until: value("until"))
        var offset = 0
        if let text = value("offset") {
            do { offset = try InputNumber.integer(text, field: "offset", in: 0...Int(Int32.max)) } catch { throw InputErrors([error]) }
        }
        let trail = AuditTrail(database)
        let (events, total) = try trail.events(filter, limit: Self.pageSize, offset: offset)
        let facets = try trail.facets()
        var html: HTML = "<section><form class=\"filters\" method=\"get\" action=\"/staff/audit\">"
        func select(_ name: String, _ options: [String]) -> HTML {
            "<div><label for=\"f-\(name)\">\(t("audit.\(name)"))</label><select id=\"f-\(name)\" name=\"\(name)\"><option value=\"\">\(t("audit.any"))</option>" +
            options.html { "<option\($0 == value(name) ? " selected" : "")>\($0)</option>" } + "</select></div>"
        }
        html += select("entity", facets.entities) + select("actor", facets.actors) + select("action", facets.actions)
        html += "<div><label for=\"f-since\">\(t("audit.since"))</label><input id=\"f-since\" name=\"since\" type=\"date\" value=\"\(value("since") ?? "")\"></div>"
        html += "<div><label for=\"f-until\">\(t("audit.until"))</label><input id=\"f-until\" name=\"until\" type=\"date\" value=\"\(value("until") ?? "")\"></div>"
        html += "<div><button type=\"submit\">\(t("audit.filter"))</button></div>"
        html += "<div><button type=\"submit\" name=\"verify\" value=\"1\" class=\"secondary\">\(t("audit.verify"))</button></div></form>"
        if form["verify"] == "1" {
            let check = try trail.verify()
            if let bad = check.firstBad {
                html += "<p class=\"problem\" role=\"alert\" id=\"verification\">\(t("audit.broken", ["id": String(bad.id), "reason": bad.reason]))</p>"
            } else {
                html += "<p class=\"notice\" role=\"status\" id=\"verification\">\(t("audit.intact", ["count": String(check.events)]))</p>"
            }
        }
        html += "<table id=\"audit\"><caption>\(t("audit.caption", ["total": String(total)]))</caption><thead><tr>"
        html += Table.headings(["audit.id", "audit.at", "audit.actor", "audit.action", "audit.entity", "audit.before", "audit.after"], t)
        html += "</tr></thead><tbody>"
        for event in events {
            let entity = event.entity + (event.entityID.map { " " + $0 } ?? "")
            html += "<tr><td class=\"n\">\(event.id)</td><td>\(event.at)</td><td>\(event.actor)</td><td>\(event.action)</td>" +
                "<td>\(entity)</td><td><code>\(event.before ?? "")</code></td><td><code>\(event.after ?? "")</code></td></tr>"
        }
        html += "</tbody></table>"
        var keep: [(String, String)] = []
        for name in ["entity", "actor", "action", "since", "until"] { if let v = value(name) { keep.append((name, v)) } }
        func link(_ offset: Int, _ label: String) -> HTML {
            let query = (keep + [("offset", String(offset))]).map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            return "<a href=\"/staff/audit?\(query)\">\(label)</a> "
        }
        html += "<p>"
        if offset > 0 { html += link(max(0, offset - Self.pageSize), t("audit.newer")) }
        if offset + Self.pageSize < total { html += link(offset + Self.pageSize, t("audit.older")) }
        html += "</p></section>"
        return StaffLayout.page(t, call, title: t("audit.title"), body: html)
    }
}
