import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// An admin's API keys for integration clients: create one for a role (its secret shown once),
/// see who made each, revoke.
struct APIKeysPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/api-keys", .manageAccounts) { _, _, call in try render(call) }
        routes.staff(.post, "staff/api-keys", .manageAccounts) { _, _, call in
            let (key, secret) = try APIKeyRepository(database).create(name: call.form["name"] ?? "", role: try AccountsPage.role(call.form["role"]),
                                                                      organisation: call.form["organisation"], jurisdictions: AccountsPage.names(call.form),
                                                                      sites: (call.form["sites"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                                                                      actor: call.actor)
            let shown: HTML = "<p class=\"notice\" role=\"status\">\(call.t("keys.created", ["name": key.name]))</p>" +
                "<p><code class=\"secret\" id=\"secret\">\(secret)</code></p>"
            return try render(call, created: shown)
        }
        routes.staff(.post, "staff/api-keys/:id/revoke", .manageAccounts) { _, context, call in
            let id = try context.parameters.require("id", as: Int64.self)
            guard try APIKeyRepository(database).revoke(id: id, actor: call.actor) else {
                throw ProblemDetails(.notFound, call.t("keys.unknown", ["id": String(id)]))
            }
            return StaffLayout.redirect("/staff/api-keys")
        }
    }

    func render(_ call: StaffCall, created: HTML? = nil) throws -> Response {
        let t = call.t
        let csrf = StaffLayout.csrfField(call)
        var html: HTML = created.map { "<section>\($0)</section>" } ?? ""
        html += "<section><table id=\"keys\"><thead><tr>"
        for key in ["keys.name", "keys.prefix", "keys.role", "keys.scope", "keys.createdAt", "keys.state", ""] {
            html += "<th scope=\"col\">\(key.isEmpty ? "" : t(key))</th>"
        }
        html += "</tr></thead><tbody>"
        for key in try APIKeyRepository(database).all().reversed() {
            let scope = ([key.organisation].compactMap { $0 } + key.jurisdictions + key.sites).joined(separator: ", ")
            let state = key.revokedAt.map { t("keys.revoked", ["date": t.date($0)]) } ?? t("keys.live")
            let revoke: HTML = key.revokedAt == nil ? "<form class=\"inline\" method=\"post\" action=\"/staff/api-keys/\(key.id)/revoke\">\(csrf)<button type=\"submit\" class=\"secondary\">\(t("keys.revoke"))</button></form>" : ""
            html += """
                <tr><th scope="row">\(key.name)</th><td><code>\(key.prefix)…</code></td><td>\(t("role.\(key.role.rawValue)"))</td>\
                <td>\(scope)</td><td>\(key.createdBy) \(t.date(key.createdAt))</td><td>\(state)</td><td>\(revoke)</td></tr>
                """
        }
        html += "</tbody></table></section><section><h2>\(t("keys.new"))</h2><form method=\"post\" action=\"/staff/api-keys\">\(csrf)"
        html += "<label for=\"key-name\">\(t("keys.name"))</label><input id=\"key-name\" name=\"name\" required maxlength=\"64\">"
        let roles = Role.allCases.html { "<option value=\"\($0.rawValue)\">\(t("role.\($0.rawValue)"))</option>" }
        html += "<label for=\"key-role\">\(t("keys.role"))</label><select id=\"key-role\" name=\"role\">\(roles)</select>"
        html += "<label for=\"key-organisation\">\(t("accounts.organisation"))</label><input id=\"key-organisation\" name=\"organisation\">"
        html += "<label for=\"key-jurisdictions\">\(t("accounts.jurisdictions"))</label><input id=\"key-jurisdictions\" name=\"jurisdictions\" placeholder=\"\(t("accounts.jurisdictions.hint"))\">"
        html += "<label for=\"key-sites\">\(t("keys.sites"))</label><input id=\"key-sites\" name=\"sites\" placeholder=\"\(t("keys.sites.hint"))\">"
        html += "<p><button type=\"submit\">\(t("keys.create"))</button></p></form><p>\(t("keys.help"))</p></section>"
        return StaffLayout.page(t, call, title: t("keys.title"), body: html)
    }
}
