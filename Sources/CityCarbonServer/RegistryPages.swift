import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// The allowance registry for the public: what was issued and where it is now, every account
/// with its holdings and entries, and any serial number's whole history; also as
/// `/api/v1/registry/…`. Representatives' sign-in names are never shown here: entries name the
/// accounts, and the hash that chains them.
struct RegistryPages: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    var registry: AllowanceRegistry { AllowanceRegistry(database) }

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "registry") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("registry/\(language.rawValue)") { try overview(Localizer(language)) })
        }
        routes.open(.get, "registry/accounts/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let account = try registry.account(id) else { throw ProblemDetails(.notFound, "no account \(id.prefix(64))") }
            let language = Language.of(request)
            return Layout.response(try pages.page("registry/account/\(language.rawValue)/\(account.id)") { try statement(account, Localizer(language)) })
        }
        routes.open(.get, "registry/serials") { request, _ in
            let query = request.uri.queryParameters
            let (unit, serial) = try Self.serialQuery(query.get("unit").map { String($0) }, query.get("serial").map { String($0) })
            let language = Language.of(request)
            return Layout.response(try pages.page("registry/serial/\(language.rawValue)/\(unit)/\(serial)") {
                guard let history = try registry.history(unit: unit, serial: serial) else { throw ProblemDetails(.notFound, "no \(unit) serial \(serial) was issued") }
                return serialPage(history, Localizer(language))
            })
        }
        routes.open(.get, "api/v1/registry/accounts") { _, _ in
            let items = try registry.accounts().map { account in Self.json(account, balances: try registry.balances(of: account.id)) }
            return JSONValue.object([("items", .array(items))]).httpResponse()
        }
        routes.open(.get, "api/v1/registry/accounts/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let account = try registry.account(id) else { throw ProblemDetails(.notFound, "no account \(id.prefix(64))") }
            let paging = try Paging(request)
            let (entries, total) = try registry.entries(account: account.id, limit: paging.perPage, offset: paging.offset)
            return JSONValue.object([("account", Self.json(account, balances: try registry.balances(of: account.id))),
                                     ("blocks", .array(try registry.holdings(of: account.id).map { .string($0.description) })),
                                     ("entries", paging.envelope(entries.map(Self.json), total: total))]).httpResponse()
        }
        routes.open(.get, "api/v1/registry/serials/:unit/:serial") { _, context in
            let (unit, serial) = try Self.serialQuery(context.parameters.get("unit"), context.parameters.get("serial"))
            guard let history = try registry.history(unit: unit, serial: serial) else { throw ProblemDetails(.notFound, "no \(unit) serial \(serial) was issued") }
            return JSONValue.object([("unit", .string(unit)), ("serial", .integer(Int(serial))), ("block", .string(history.block.description)),
                                     ("vintage", .integer(history.block.vintage)), ("holder", .string(history.holder.id)),
                                     ("entries", .array(history.entries.map(Self.json)))]).httpResponse()
        }
        routes.open(.get, "api/v1/registry/ledger") { request, _ in
            let after = try Self.integer(request, "after", default: 0, range: 0...Int(Int64.max))
            let limit = try Self.integer(request, "limit", default: 100, range: 1...1000)
            let head = try registry.head()
            return JSONValue.object([("head", .object([("sequence", .integer(Int(head.sequence))), ("hash", .string(head.hash))])),
                                     ("items", .array(try registry.entries(after: Int64(after), limit: limit).map(Self.json)))]).httpResponse()
        }
    }

    /// A whole-number query parameter, or a 400 naming it.
    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw InputErrors([InputIssue(InputLocation(field: name), value: String(text.prefix(64)),
                                          reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")])
        }
        return number
    }

    /// A unit and a serial from a query or a path, or a 400 naming the field that is wrong.
    static func serialQuery(_ unit: String?, _ serial: String?) throws -> (String, Int64) {
        var issues: [InputIssue] = []
        let unit = unit ?? ""
        if !UnitName.isValid(unit) {
            issues.append(InputIssue(InputLocation(field: "unit"), value: String(unit.prefix(64)), reason: "is no unit type",
                                     suggestion: "2–12 capital letters or digits, such as CEA or CCER"))
        }
        let number = serial.flatMap { Int64($0) }
        if number == nil || number! < 1 {
            issues.append(InputIssue(InputLocation(field: "serial"), value: String((serial ?? "").prefix(64)), reason: "is no serial number",
                                     suggestion: "a whole number from 1"))
        }
        guard issues.isEmpty, let number else { throw InputErrors(issues) }
        return (unit, number)
    }

    static func json(_ account: RegistryAccount, balances: [AllowanceRegistry.Balance]) -> JSONValue {
        .object([("id", .string(account.id)), ("kind", .string(account.kind.rawValue)), ("holder", account.holder.map(JSONValue.string) ?? .null),
                 ("name", .string(account.name)), ("status", .string(account.status.rawValue)),
                 ("balances", .array(balances.map { .object([("unit", .string($0.unit)), ("vintage", .integer($0.vintage)), ("units", .integer(Int($0.units)))]) }))])
    }

    /// An entry as the public sees it: accounts, units, blocks and the chain, no sign-in names.
    static func json(_ entry: LedgerEntry) -> JSONValue {
        .object([("sequence", .integer(Int(entry.sequence))), ("at", .string(ISO8601DateFormatter().string(from: entry.at))),
                 ("kind", .string(entry.kind.rawValue)), ("from", entry.from.map(JSONValue.string) ?? .null), ("to", .string(entry.to)),
                 ("amount", .integer(Int(entry.amount))), ("blocks", .array(entry.blocks.map { .string($0.description) })),
                 ("previous_hash", .string(entry.previousHash)), ("hash", .string(entry.hash))])
    }

    // MARK: - Pages

    /// An account's holdings unit by unit ("18,400 CEA · 5,000 CCER"): units of different kinds are never added.
    static func held(_ balances: [AllowanceRegistry.Balance], _ t: Localizer) -> String {
        var units: [(String, Int64)] = []
        for balance in balances {
            if let index = units.firstIndex(where: { $0.0 == balance.unit }) { units[index].1 += balance.units } else { units.append((balance.unit, balance.units)) }
        }
        return units.isEmpty ? "0" : units.map { "\(t.whole($0.1)) \($0.0)" }.joined(separator: " · ")
    }

    func overview(_ t: Localizer) throws -> HTML {
        let head = try registry.head()
        let accounts = try registry.accounts()
        var body: HTML = "<main id=\"main\"><p>\(t("registry.intro"))</p>"
        body += "<p id=\"ledger-head\">\(t("registry.head", ["count": t.whole(head.sequence), "hash": String(head.hash.prefix(16))]))</p>"
        body += lookupForm(t)
        let totals = try registry.totals()
        let finals: [AccountKind] = [.surrender, .cancellation, .retirement]
        let vintages = Dictionary(grouping: totals) { "\($0.unit) \($0.vintage)" }.sorted { $0.key < $1.key }
        body += "<table id=\"registry-totals\"><caption>\(t("registry.totals"))</caption><thead><tr>"
        body += Table.headings(["registry.unit", "registry.vintage", "registry.issued", "registry.held", "registry.surrendered",
                                "registry.cancelled", "registry.retired"], t) + "</tr></thead><tbody>"
        for (_, rows) in vintages {
            // One unit's serials never exceed its serial space, so these sums stay within Int64.
            let issued = rows.reduce(Int64(0)) { $0 + $1.units }
            let held = rows.filter { !finals.contains($0.kind) }.reduce(Int64(0)) { $0 + $1.units }
            let cells = finals.html { kind in "<td class=\"n\">\(t.whole(rows.filter { $0.kind == kind }.reduce(Int64(0)) { $0 + $1.units }))</td>" }
            body += "<tr><td>\(rows[0].unit)</td><td>\(rows[0].vintage)</td><td class=\"n\">\(t.whole(issued))</td>"
            body += "<td class=\"n\">\(t.whole(held))</td>\(cells)</tr>"
        }
        body += "</tbody></table>"
        body += "<table id=\"registry-accounts\"><caption>\(t("registry.accounts", ["count": String(accounts.count)]))</caption><thead><tr>"
        body += Table.headings(["registry.account", "registry.holder", "registry.kind", "registry.status", "registry.units"], t) + "</tr></thead><tbody>"
        let names = Dictionary(try EnterpriseRepository(database).all().map { ($0.creditCode, $0.name) }, uniquingKeysWith: { a, _ in a })
        for account in accounts {
            body += "<tr data-account=\"\(account.id)\"><td><a href=\"/registry/accounts/\(segment: account.id)\">\(account.name)</a> <small>\(account.id)</small></td>"
            body += "<td>\(Self.holderName(account.holder, names))</td><td>\(t("registry.kind.\(account.kind.rawValue)"))</td>"
            body += "<td class=\"status\">\(t("registry.status.\(account.status.rawValue)"))</td><td class=\"n\">\(Self.held(try registry.balances(of: account.id), t))</td></tr>"
        }
        body += "</tbody></table>"
        body += entryTable(try registry.entries(limit: 20).entries, caption: t("registry.latest"), t)
        body += "<p>\(t.html("plans.download", ["json": "<a href=\"/api/v1/registry/ledger\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("registry.title"), body: body, query: [], footer: t("registry.footer"))
    }

    /// An operator account's holder is an enterprise's credit code: shown with the enterprise's name.
    static func holderName(_ holder: String?, _ names: [String: String]) -> String {
        guard let holder else { return "—" }
        return names[holder].map { "\($0) (\(holder))" } ?? holder
    }

    func statement(_ account: RegistryAccount, _ t: Localizer) throws -> HTML {
        let names = Dictionary(try EnterpriseRepository(database).all().map { ($0.creditCode, $0.name) }, uniquingKeysWith: { a, _ in a })
        let holder = Self.holderName(account.holder, names)
        var body: HTML = "<main id=\"main\"><p>\(t("registry.statement.intro", ["kind": t("registry.kind.\(account.kind.rawValue)"), "holder": holder, "status": t("registry.status.\(account.status.rawValue)")]))</p>"
        body += "<table id=\"holdings\"><caption>\(t("registry.holdings"))</caption><thead><tr>"
        body += Table.headings(["registry.unit", "registry.vintage", "registry.units"], t) + "</tr></thead><tbody>"
        body += try registry.balances(of: account.id).html { "<tr><td>\($0.unit)</td><td>\($0.vintage)</td><td class=\"n\">\(t.whole($0.units))</td></tr>" }
        body += "</tbody></table>"
        let blocks = try registry.holdings(of: account.id)
        body += "<details><summary>\(t("registry.blocks.count", ["count": t.whole(Int64(blocks.count))]))</summary><p class=\"blocks\">"
        body += blocks.prefix(500).html { "<code>\($0.description)</code> " } + "</p></details>"
        let (entries, total) = try registry.entries(account: account.id, limit: 50)
        body += entryTable(entries, caption: t("registry.entries", ["shown": String(entries.count), "total": String(total)]), t)
        body += "<p>\(t.html("plans.download", ["json": "<a href=\"/api/v1/registry/accounts/\(segment: account.id)\">JSON</a>"]))</p>"
        body += "<p><a href=\"/registry\">← \(t("registry.title"))</a></p></main>"
        return Layout.page(t, title: t("registry.statement.title", ["name": account.name, "id": account.id]), body: body, query: [],
                           footer: t("registry.footer"))
    }

    func serialPage(_ history: AllowanceRegistry.SerialHistory, _ t: Localizer) -> HTML {
        let holder: HTML = "<a href=\"/registry/accounts/\(segment: history.holder.id)\">\(history.holder.name)</a>"
        var body: HTML = "<main id=\"main\"><p id=\"serial-holder\">\(t.html("registry.serial.where", ["block": "<code>\(history.block.description)</code>", "account": holder]))</p>"
        body += entryTable(history.entries, caption: t("registry.history"), t)
        body += lookupForm(t) + "<p><a href=\"/registry\">← \(t("registry.title"))</a></p></main>"
        return Layout.page(t, title: t("registry.serial.title", ["unit": history.unit, "serial": String(history.serial)]), body: body,
                           query: [("unit", history.unit), ("serial", String(history.serial))], footer: t("registry.footer"))
    }

    func lookupForm(_ t: Localizer) -> HTML {
        """
        <form class="lookup" method="get" action="/registry/serials"><fieldset><legend>\(t("registry.lookup"))</legend>\
        <label>\(t("registry.unit")) <input name="unit" value="CEA" size="6" required pattern="[A-Z0-9]{2,12}"></label> \
        <label>\(t("registry.serial")) <input name="serial" inputmode="numeric" size="12" required pattern="[0-9]+"></label> \
        <input type="hidden" name="lang" value="\(t.language.rawValue)"><button>\(t("registry.find"))</button></fieldset></form>
        """
    }

    func entryTable(_ entries: [LedgerEntry], caption: String, _ t: Localizer) -> HTML {
        var body: HTML = "<table class=\"ledger\"><caption>\(caption)</caption><thead><tr>"
        body += Table.headings(["registry.sequence", "registry.when", "registry.entry", "registry.from", "registry.to", "registry.units",
                                "registry.blocks", "registry.hash"], t) + "</tr></thead><tbody>"
        body += entries.html { entry in
            let from: HTML = entry.from.map { "<a href=\"/registry/accounts/\(segment: $0)\">\($0)</a>" } ?? "—"
            let amount = entry.blocks.isEmpty ? "—" : t.whole(entry.amount)
            return """
                <tr><td class="n">\(Int(entry.sequence))</td><td>\(t.dateTime(ISO8601DateFormatter().string(from: entry.at)))</td>\
                <td>\(t("registry.entry.\(entry.kind.rawValue)"))</td><td>\(from)</td>\
                <td><a href="/registry/accounts/\(segment: entry.to)">\(entry.to)</a></td><td class="n">\(amount)</td>\
                <td>\(entry.blocks.html { "<code>\($0.description)</code> " })</td><td><code title="\(entry.hash)">\(String(entry.hash.prefix(12)))…</code></td></tr>
                """
        }
        return body + "</tbody></table>"
    }
}
