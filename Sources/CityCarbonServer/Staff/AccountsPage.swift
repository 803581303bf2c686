import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// An admin's management of accounts: create, change role and scope, disable, set a password.
struct AccountsPage: Sendable {
    let database: CityCarbonDatabase
    let passwordCost: UInt8

    var accounts: AccountRepository { AccountRepository(database, passwordCost: passwordCost) }

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/accounts", .manageAccounts) { _, _, call in try render(call) }
        routes.staff(.post, "staff/accounts", .manageAccounts) { _, _, call in
            let form = call.form
            let account = try accounts.create(username: form["username"] ?? "", displayName: form["display_name"], password: form["password"] ?? "",
                                              role: try Self.role(form["role"]), organisation: form["organisation"],
                                              jurisdictions: Self.names(form), actor: call.actor)
            return try render(call, notice: call.t("accounts.created", ["name": account.username]))
        }
        routes.staff(.post, "staff/accounts/:username", .manageAccounts) { _, context, call in
            let username = try context.parameters.decoded("username")
            let form = call.form
            try accounts.update(username: username, role: try Self.role(form["role"]), organisation: form["organisation"],
                                jurisdictions: Self.names(form), disabled: form["disabled"] == "on", actor: call.actor)
            return try render(call, notice: call.t("accounts.updated", ["name": username]))
        }
        routes.staff(.post, "staff/accounts/:username/password", .manageAccounts) { _, context, call in
            let username = try context.parameters.decoded("username")
            try accounts.setPassword(username: username, password: call.form["password"] ?? "", actor: call.actor)
            return try render(call, notice: call.t("accounts.password.set", ["name": username]))
        }
    }

    static func role(_ value: String?) throws -> Role {
        guard let value, let role = Role(rawValue: value) else {
            throw InputErrors([InputIssue(InputLocation(field: "role"), value: value, reason: "is not a role",
                                          suggestion: Role.allCases.map(\.rawValue).joined(separator: ", "))])
        }
        return role
    }

    /// Jurisdictions come as a comma-separated field.
    static func names(_ form: FormData) -> [String] {
        (form["jurisdictions"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func render(_ call: StaffCall, notice: String? = nil) throws -> Response {
        let t = call.t
        let csrf = StaffLayout.csrfField(call)
        func roleSelect(_ selected: Role, id: String, form: String? = nil) -> HTML {
            let options = Role.allCases.filter { $0.permissions.contains(.signIn) }.html {
                "<option value=\"\($0.rawValue)\"\($0 == selected ? " selected" : "")>\(t("role.\($0.rawValue)"))</option>"
            }
            let owner: HTML? = form.map { " form=\"\($0)\"" }
            return "<select\(owner) id=\"\(id)\" name=\"role\" aria-label=\"\(t("accounts.role"))\">\(options)</select>"
        }
        var html: HTML = "<section><h2>\(t("accounts.list"))</h2><table id=\"accounts\"><thead><tr>"
        html += Table.headings(["accounts.username", "accounts.name", "accounts.role", "accounts.organisation", "accounts.jurisdictions", "accounts.disabled", "accounts.change", "accounts.password"], t)
        html += "</tr></thead><tbody>"
        for account in try accounts.all() {
            let name = account.username
            let formID = "account-\(name)"
            html += "<tr><th scope=\"row\">\(name)</th><td>\(account.displayName)</td>"
            html += "<td>\(roleSelect(account.role, id: "role-\(name)", form: formID))</td>"
            html += "<td><input form=\"\(formID)\" name=\"organisation\" value=\"\(account.organisation ?? "")\" aria-label=\"\(t("accounts.organisation"))\"></td>"
            html += "<td><input form=\"\(formID)\" name=\"jurisdictions\" value=\"\(account.jurisdictions.joined(separator: ", "))\" aria-label=\"\(t("accounts.jurisdictions"))\"></td>"
            html += "<td><input form=\"\(formID)\" type=\"checkbox\" name=\"disabled\"\(account.disabled ? " checked" : "") aria-label=\"\(t("accounts.disabled"))\"></td>"
            html += "<td><form id=\"\(formID)\" class=\"inline\" method=\"post\" action=\"/staff/accounts/\(segment: name)\">\(csrf)<button type=\"submit\">\(t("accounts.save"))</button></form></td>"
            html += "<td><form class=\"inline\" method=\"post\" action=\"/staff/accounts/\(segment: name)/password\">\(csrf)<input type=\"password\" name=\"password\" autocomplete=\"new-password\" aria-label=\"\(t("accounts.password"))\" minlength=\"\(AccountRepository.minimumPasswordLength)\"> <button type=\"submit\" class=\"secondary\">\(t("accounts.password.set.button"))</button></form></td></tr>"
        }
        html += "</tbody></table></section>"
        html += "<section><h2>\(t("accounts.new"))</h2><form method=\"post\" action=\"/staff/accounts\">\(csrf)"
        html += "<label for=\"new-username\">\(t("accounts.username"))</label><input id=\"new-username\" name=\"username\" required>"
        html += "<label for=\"new-name\">\(t("accounts.name"))</label><input id=\"new-name\" name=\"display_name\">"
        html += "<label for=\"new-password\">\(t("accounts.password"))</label><input id=\"new-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"\(AccountRepository.minimumPasswordLength)\">"
        html += "<label for=\"new-role\">\(t("accounts.role"))</label>\(roleSelect(.viewer, id: "new-role"))"
        html += "<label for=\"new-organisation\">\(t("accounts.organisation"))</label><input id=\"new-organisation\" name=\"organisation\">"
        html += "<label for=\"new-jurisdictions\">\(t("accounts.jurisdictions"))</label><input id=\"new-jurisdictions\" name=\"jurisdictions\" placeholder=\"\(t("accounts.jurisdictions.hint"))\">"
        html += "<p><button type=\"submit\">\(t("accounts.create"))</button></p></form></section>"
        return StaffLayout.page(t, call, title: t("accounts.title"), notice: notice, body: html)
    }
}
