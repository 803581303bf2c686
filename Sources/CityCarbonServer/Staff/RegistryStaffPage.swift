import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// A representative's registry desk: the accounts one represents (by sign-in name), their
/// requests waiting for a second representative, and a form to propose a transfer, surrender,
/// cancellation or retirement. The registry officer (an admin) also opens accounts and issues
/// units. The ledger decides: what it refuses comes back as the page with its reason.
struct RegistryStaffPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/registry", .representAccounts) { _, _, call in try render(call) }
        routes.staff(.post, "staff/registry/requests", .representAccounts) { _, _, call in
            try attempt(call) {
                let form = call.form
                let request = try TransferRequests(database).propose(
                    from: form["from"] ?? "", to: form["to"] ?? "", amount: try Self.amount(form["amount"]), unit: form["unit"] ?? "",
                    vintage: try Self.vintage(form["vintage"]), purpose: try Self.purpose(form["purpose"], year: form["year"]), by: call.actor)
                return call.t("registry.staff.proposed", ["id": String(request.id)])
            }
        }
        routes.staff(.post, "staff/registry/requests/:id/approve", .representAccounts) { _, context, call in
            let id = try context.parameters.require("id", as: Int64.self)
            return try attempt(call) {
                let request = try TransferRequests(database).approve(id, by: call.actor)
                return Self.outcome(request, call.t)
            }
        }
        routes.staff(.post, "staff/registry/requests/:id/decline", .representAccounts) { _, context, call in
            let id = try context.parameters.require("id", as: Int64.self)
            return try attempt(call) { Self.outcome(try TransferRequests(database).decline(id, by: call.actor), call.t) }
        }
        // The trusted list: one representative proposes, another approves (Union Registry Art. 39).
        routes.staff(.post, "staff/registry/trust", .representAccounts) { _, _, call in
            try attempt(call) {
                let request = try TrustRequests(database).propose(account: call.form["account"] ?? "", trusted: call.form["trusted"] ?? "", by: call.actor)
                return call.t("registry.trust.proposed", ["trusted": request.trusted, "account": request.account])
            }
        }
        routes.staff(.post, "staff/registry/trust/:id/approve", .representAccounts) { _, context, call in
            let id = try context.parameters.require("id", as: Int64.self)
            return try attempt(call) {
                let request = try TrustRequests(database).approve(id, by: call.actor)
                let active = try AllowanceRegistry(database).account(request.account)?.trusted.first { $0.account == request.trusted }?.activeFrom
                return call.t("registry.trust.approved", ["trusted": request.trusted, "account": request.account,
                                                          "when": active.map { call.t.dateTime(ISO8601DateFormatter().string(from: $0)) } ?? ""])
            }
        }
        routes.staff(.post, "staff/registry/trust/:id/decline", .representAccounts) { _, context, call in
            let id = try context.parameters.require("id", as: Int64.self)
            return try attempt(call) {
                let request = try TrustRequests(database).decline(id, by: call.actor)
                return call.t("registry.trust.\(request.status.rawValue)", ["trusted": request.trusted, "account": request.account])
            }
        }
        routes.staff(.post, "staff/registry/accounts", .manageRegistry) { _, _, call in
            try attempt(call) {
                let form = call.form
                guard let kind = AccountKind(rawValue: form["kind"] ?? "") else {
                    throw InputErrors([InputIssue(InputLocation(field: "kind"), value: form["kind"] ?? "", reason: "is no kind of account")])
                }
                let logins = (form["representatives"] ?? "").split(whereSeparator: { $0 == "," || $0 == "\n" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let known = Set(try AccountRepository(database).all().map(\.username))
                let unknown = logins.filter { !known.contains($0) }
                if !unknown.isEmpty {
                    throw InputErrors(unknown.map { InputIssue(InputLocation(field: "representatives"), value: String($0.prefix(64)), reason: "is no sign-in account",
                                                               suggestion: "create the account first, under Accounts") })
                }
                let account = RegistryAccount(id: form["id"] ?? "", kind: kind, holder: (form["holder"] ?? "").isEmpty ? nil : form["holder"],
                                              name: form["name"] ?? "", representatives: logins.map { .init(login: $0, role: .authorised) })
                try AllowanceRegistry(database).apply(.openAccount(account))
                return call.t("registry.staff.opened", ["id": account.id])
            }
        }
        routes.staff(.post, "staff/registry/issue", .manageRegistry) { _, _, call in
            try attempt(call) {
                let form = call.form
                guard let vintage = try Self.vintage(form["vintage"]) else {
                    throw InputErrors([InputIssue(InputLocation(field: "vintage"), value: "", reason: "is required")])
                }
                let entry = try AllowanceRegistry(database).apply(.issue(to: form["to"] ?? "", unit: form["unit"] ?? "", vintage: vintage,
                                                                         amount: try Self.amount(form["amount"]), by: call.actor,
                                                                         reference: "issue:\(call.actor):\(form["reference"] ?? "")"))
                return call.t("registry.staff.issued", ["blocks": entry.blocks.map(\.description).joined(separator: ", ")])
            }
        }
    }

    /// Runs a change and shows the desk with its outcome, or with the ledger's reason (409).
    private func attempt(_ call: StaffCall, _ change: () throws -> String) throws -> Response {
        do {
            return try render(call, notice: try change())
        } catch let refusal as LedgerError {
            switch refusal {
            case let .invalidAccount(field, value, reason):
                throw InputErrors([InputIssue(InputLocation(field: field == "id" ? "id" : field), value: String(value.prefix(64)), reason: reason)])
            case let .invalidUnit(unit): throw InputErrors([InputIssue(InputLocation(field: "unit"), value: String(unit.prefix(64)), reason: refusal.description)])
            case let .invalidAmount(amount): throw InputErrors([InputIssue(InputLocation(field: "amount"), value: String(amount), reason: refusal.description)])
            case let .invalidVintage(year): throw InputErrors([InputIssue(InputLocation(field: "vintage"), value: String(year), reason: refusal.description)])
            default: break
            }
            return try render(call, notice: call.t("registry.staff.refused", ["reason": refusal.description]), status: .conflict)
        } catch let refusal as TransferRequests.RequestError {
            return try render(call, notice: call.t("registry.staff.refused", ["reason": refusal.description]), status: .conflict)
        } catch let refusal as TrustRequests.Refusal {
            if case .unknownRequest = refusal { throw ProblemDetails(.notFound, refusal.description) }
            return try render(call, notice: call.t("registry.staff.refused", ["reason": refusal.description]), status: .conflict)
        }
    }

    static func amount(_ text: String?) throws -> Int64 {
        guard let text, !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }), let amount = Int64(text), amount >= 1 else {
            throw InputErrors([InputIssue(InputLocation(field: "amount"), value: String((text ?? "").prefix(64)), reason: "must be a whole number of units from 1")])
        }
        return amount
    }

    static func vintage(_ text: String?) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ (48...57).contains($0) }), let year = Int(text), (1900...9999).contains(year) else {
            throw InputErrors([InputIssue(InputLocation(field: "vintage"), value: String(text.prefix(64)), reason: "must be a year 1900–9999")])
        }
        return year
    }

    static func purpose(_ text: String?, year: String?) throws -> Transfer.Purpose {
        switch text ?? "transfer" {
        case "transfer": return .transfer
        case "cancellation": return .cancellation
        case "retirement": return .retirement
        case "surrender":
            guard let year = year.flatMap({ Int($0) }), (1900...9999).contains(year) else {
                throw InputErrors([InputIssue(InputLocation(field: "year"), value: String((year ?? "").prefix(64)), reason: "a surrender names its compliance year")])
            }
            return .surrender(complianceYear: year)
        default:
            throw InputErrors([InputIssue(InputLocation(field: "purpose"), value: String((text ?? "").prefix(64)), reason: "is not transfer, surrender, cancellation or retirement")])
        }
    }

    static func outcome(_ request: TransferRequest, _ t: Localizer) -> String {
        switch request.status {
        case .completed: t("registry.staff.ran", ["id": String(request.id), "sequence": String(request.ledgerSequence ?? 0)])
        case .scheduled: t("registry.staff.scheduled", ["id": String(request.id), "when": t.dateTime(ISO8601DateFormatter().string(from: request.runsAt ?? Date()))])
        case .failed: t("registry.staff.refused", ["reason": request.reason ?? ""])
        default: t("registry.staff.status", ["id": String(request.id), "status": t("registry.request.\(request.status.rawValue)")])
        }
    }

    /// Each represented account's trusted list, the proposals waiting for a second representative, and the form to propose one.
    private func trustSection(_ call: StaffCall, accounts: [RegistryAccount]) throws -> HTML {
        let t = call.t, csrf = StaffLayout.csrfField(call)
        let holding = accounts.filter { ![.surrender, .cancellation, .retirement].contains($0.kind) }
        guard !holding.isEmpty else { return "" }
        var html: HTML = "<section><h2>\(t("registry.trust.title"))</h2><p>\(t("registry.trust.intro"))</p>"
        html += "<table id=\"trusted\"><caption>\(t("registry.trust.caption"))</caption><thead><tr>"
        html += Table.headings(["registry.account", "registry.trust.trusted", "registry.trust.activeFrom"], t) + "</tr></thead><tbody>"
        var rows = 0
        for account in holding {
            for entry in account.trusted {
                rows += 1
                let active = entry.activeFrom <= Date()
                html += "<tr><td>\(account.id)</td><td>\(entry.account)</td><td>\(t.dateTime(ISO8601DateFormatter().string(from: entry.activeFrom)))"
                html += "\(active ? "" : " · \(t("registry.trust.notYet"))")</td></tr>"
            }
        }
        if rows == 0 { html += "<tr><td colspan=\"3\">\(t("registry.staff.none"))</td></tr>" }
        html += "</tbody></table>"
        let requests = try TrustRequests(database).list(accounts: holding.map(\.id))
        html += "<table id=\"trust-requests\"><caption>\(t("registry.trust.requests"))</caption><thead><tr>"
        html += Table.headings(["registry.sequence", "registry.account", "registry.trust.trusted", "registry.staff.proposedBy", "registry.status", ""], t)
        html += "</tr></thead><tbody>"
        for request in requests.prefix(50) {
            var actions: HTML = ""
            if request.status == .proposed, request.proposedBy != call.actor {
                actions += "<form class=\"inline\" method=\"post\" action=\"/staff/registry/trust/\(Int(request.id))/approve\">\(csrf)<button type=\"submit\">\(t("registry.staff.approve"))</button></form> "
            }
            if request.status == .proposed {
                let label = t(request.proposedBy == call.actor ? "registry.staff.withdraw" : "registry.staff.decline")
                actions += "<form class=\"inline\" method=\"post\" action=\"/staff/registry/trust/\(Int(request.id))/decline\">\(csrf)<button type=\"submit\" class=\"secondary\">\(label)</button></form>"
            }
            html += "<tr data-trust-request=\"\(Int(request.id))\"><td class=\"n\">\(Int(request.id))</td><td>\(request.account)</td><td>\(request.trusted)</td>"
            html += "<td>\(request.proposedBy)</td><td>\(t("registry.trust.status.\(request.status.rawValue)"))</td><td>\(actions)</td></tr>"
        }
        if requests.isEmpty { html += "<tr><td colspan=\"6\">\(t("registry.staff.none"))</td></tr>" }
        html += "</tbody></table>"
        let proposers = holding.filter { $0.representative(call.actor)?.role == .authorised }
        if !proposers.isEmpty {
            let options = proposers.html { "<option value=\"\($0.id)\">\($0.name) (\($0.id))</option>" }
            html += """
                <form method="post" action="/staff/registry/trust">\(csrf)\
                <label for="t-account">\(t("registry.account"))</label><select id="t-account" name="account">\(options)</select>\
                <label for="t-trusted">\(t("registry.trust.trusted"))</label><input id="t-trusted" name="trusted" required maxlength="40" pattern="[A-Za-z0-9_-]{3,40}">\
                <p><button type="submit">\(t("registry.trust.propose"))</button></p></form>
                """
        }
        return html + "</section>"
    }

    func render(_ call: StaffCall, notice: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t
        let csrf = StaffLayout.csrfField(call)
        let registry = AllowanceRegistry(database)
        let officer = call.principal.may(.manageRegistry)
        let accounts = officer ? try registry.accounts() : try registry.accounts(representedBy: call.actor)
        var html: HTML = "<section><p>\(t(officer ? "registry.staff.officer" : "registry.staff.intro"))</p>"
        html += "<table id=\"my-accounts\"><caption>\(t("registry.staff.accounts"))</caption><thead><tr>"
        html += Table.headings(["registry.account", "registry.kind", "registry.status", "registry.units"], t) + "</tr></thead><tbody>"
        for account in accounts {
            html += "<tr><td><a href=\"/registry/accounts/\(segment: account.id)\">\(account.name)</a> <small>\(account.id)</small></td>"
            html += "<td>\(t("registry.kind.\(account.kind.rawValue)"))</td><td>\(t("registry.status.\(account.status.rawValue)"))</td>"
            html += "<td class=\"n\">\(RegistryPages.held(try registry.balances(of: account.id), t))</td></tr>"
        }
        html += "</tbody></table></section>"
        let mine = Set(accounts.map(\.id))
        let requests = try TransferRequests(database).list(limit: 200).filter { mine.contains($0.from) }
        html += "<section><table id=\"requests\"><caption>\(t("registry.staff.requests"))</caption><thead><tr>"
        html += Table.headings(["registry.sequence", "registry.from", "registry.to", "registry.units", "registry.entry", "registry.staff.proposedBy",
                                "registry.status", ""], t) + "</tr></thead><tbody>"
        for request in requests.prefix(50) {
            var actions: HTML = ""
            if request.status == .proposed, request.proposedBy != call.actor {
                actions += "<form class=\"inline\" method=\"post\" action=\"/staff/registry/requests/\(Int(request.id))/approve\">\(csrf)<button type=\"submit\">\(t("registry.staff.approve"))</button></form> "
            }
            if request.status == .proposed || request.status == .scheduled {
                actions += "<form class=\"inline\" method=\"post\" action=\"/staff/registry/requests/\(Int(request.id))/decline\">\(csrf)<button type=\"submit\" class=\"secondary\">\(t(request.proposedBy == call.actor ? "registry.staff.withdraw" : "registry.staff.decline"))</button></form>"
            }
            let (purpose, year) = TransferRequests.columns(request.purpose)
            html += "<tr data-request=\"\(Int(request.id))\"><td class=\"n\">\(Int(request.id))</td><td>\(request.from)</td><td>\(request.to)</td>"
            html += "<td class=\"n\">\(t.whole(request.amount)) \(request.unit)</td><td>\(t("registry.entry.\(purpose)"))\(year.map { " \($0)" } ?? "")</td>"
            html += "<td>\(request.proposedBy)</td><td>\(t("registry.request.\(request.status.rawValue)"))\(request.reason.map { ": \($0)" } ?? "")</td><td>\(actions)</td></tr>"
        }
        if requests.isEmpty { html += "<tr><td colspan=\"8\">\(t("registry.staff.none"))</td></tr>" }
        html += "</tbody></table></section>"
        html += try trustSection(call, accounts: accounts)
        let senders = accounts.filter { account in account.kind != .surrender && account.kind != .cancellation && account.kind != .retirement
            && account.representative(call.actor)?.role == .authorised }
        if !senders.isEmpty {
            let options = senders.html { "<option value=\"\($0.id)\">\($0.name) (\($0.id))</option>" }
            let purposes = ["transfer", "surrender", "cancellation", "retirement"].html { "<option value=\"\($0)\">\(t("registry.entry.\($0)"))</option>" }
            html += """
                <section><h2>\(t("registry.staff.propose"))</h2><form method="post" action="/staff/registry/requests">\(csrf)\
                <label for="r-from">\(t("registry.from"))</label><select id="r-from" name="from">\(options)</select>\
                <label for="r-purpose">\(t("registry.entry"))</label><select id="r-purpose" name="purpose">\(purposes)</select>\
                <label for="r-to">\(t("registry.to"))</label><input id="r-to" name="to" required maxlength="40" placeholder="SURRENDER">\
                <label for="r-amount">\(t("registry.units"))</label><input id="r-amount" name="amount" required inputmode="numeric" pattern="[0-9]+">\
                <label for="r-unit">\(t("registry.unit"))</label><input id="r-unit" name="unit" required value="CEA" pattern="[A-Z0-9]{2,12}">\
                <label for="r-vintage">\(t("registry.vintage"))</label><input id="r-vintage" name="vintage" inputmode="numeric" pattern="[0-9]{4}">\
                <label for="r-year">\(t("registry.staff.year"))</label><input id="r-year" name="year" inputmode="numeric" pattern="[0-9]{4}">\
                <p><button type="submit">\(t("registry.staff.submit"))</button></p><p>\(t("registry.staff.fourEyes"))</p></form></section>
                """
        }
        if officer {
            let kinds = AccountKind.allCases.html { "<option value=\"\($0.rawValue)\">\(t("registry.kind.\($0.rawValue)"))</option>" }
            html += """
                <section><h2>\(t("registry.staff.open"))</h2><form method="post" action="/staff/registry/accounts">\(csrf)\
                <label for="a-id">\(t("registry.account"))</label><input id="a-id" name="id" required maxlength="40" pattern="[A-Za-z0-9_-]{3,40}">\
                <label for="a-name">\(t("registry.staff.name"))</label><input id="a-name" name="name" required maxlength="200">\
                <label for="a-holder">\(t("registry.holder"))</label><input id="a-holder" name="holder" maxlength="200">\
                <label for="a-kind">\(t("registry.kind"))</label><select id="a-kind" name="kind">\(kinds)</select>\
                <label for="a-reps">\(t("registry.staff.representatives"))</label><input id="a-reps" name="representatives" placeholder="ann, bo">\
                <p><button type="submit">\(t("registry.staff.openSubmit"))</button></p></form></section>\
                <section><h2>\(t("registry.staff.issueTitle"))</h2><form method="post" action="/staff/registry/issue">\(csrf)\
                <label for="i-to">\(t("registry.to"))</label><input id="i-to" name="to" required maxlength="40">\
                <label for="i-unit">\(t("registry.unit"))</label><input id="i-unit" name="unit" required value="CEA" pattern="[A-Z0-9]{2,12}">\
                <label for="i-vintage">\(t("registry.vintage"))</label><input id="i-vintage" name="vintage" required inputmode="numeric" pattern="[0-9]{4}">\
                <label for="i-amount">\(t("registry.units"))</label><input id="i-amount" name="amount" required inputmode="numeric" pattern="[0-9]+">\
                <label for="i-reference">\(t("registry.staff.reference"))</label><input id="i-reference" name="reference" required maxlength="80">\
                <p><button type="submit">\(t("registry.staff.issueSubmit"))</button></p></form></section>
                """
        }
        return StaffLayout.page(t, call, title: t("registry.staff.title"), status: status, notice: notice, body: html)
    }
}
