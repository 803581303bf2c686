import CarbonMarkets
import CityCarbonStore
import Foundation
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// A representative's registry desk: four eyes through the real forms, each sees only the
/// accounts it represents, and only the registry officer opens accounts and issues units.
@Suite("Registry desk")
struct RegistryStaffTests {
    /// The staff workspace, a second reporter, and account DESK-1 represented by the two reporters, holding 1,000 CEA.
    static func workspace() throws -> CityCarbonDatabase {
        let (database, district, _) = try staffWorkspace()
        try AccountRepository(database, passwordCost: 4).create(username: "reporter2", password: staffPassword, role: .reporter,
                                                                organisation: "\(district) office", jurisdictions: [district], actor: "test")
        let registry = AllowanceRegistry(database)
        try registry.apply(.openAccount(RegistryAccount(id: "DESK-1", kind: .trading, holder: "Desk Co.", name: "Desk trading account",
                                                        representatives: [.init(login: "reporter", role: .authorised),
                                                                          .init(login: "reporter2", role: .authorised)])))
        try registry.apply(.issue(to: "DESK-1", unit: "CEA", vintage: 2025, amount: 1_000, by: "registrar", reference: "desk"))
        return database
    }

    @Test("A reporter proposes a retirement; it runs only when the second representative approves it")
    func fourEyesThroughTheForms() async throws {
        let database = try Self.workspace()
        try await application(database).test(.router) { client in
            let first = try await signIn(client, "reporter")
            let desk = try await client.execute(uri: "/staff/registry", method: .get, headers: first.headers)
            #expect(desk.status == .ok && desk.text.contains("DESK-1") && !desk.text.contains("NB-POWER"))
            let proposed = try await client.execute(uri: "/staff/registry/requests", method: .post, headers: first.formHeaders(),
                                                    body: first.form([("from", "DESK-1"), ("to", "RETIREMENT"), ("amount", "10"), ("unit", "CEA"),
                                                                      ("purpose", "retirement")]))
            #expect(proposed.status == .ok && proposed.text.contains("proposed"))
            let id = try #require(try TransferRequests(database).list(account: "DESK-1").first?.id)
            #expect(!proposed.text.contains("/staff/registry/requests/\(id)/approve"), "no approve button for one's own proposal")
            let own = try await client.execute(uri: "/staff/registry/requests/\(id)/approve", method: .post, headers: first.formHeaders(), body: first.form())
            #expect(own.status == .conflict && own.text.contains("another representative must approve"))
            let second = try await signIn(client, "reporter2")
            let approved = try await client.execute(uri: "/staff/registry/requests/\(id)/approve", method: .post, headers: second.formHeaders(), body: second.form())
            #expect(approved.status == .ok && approved.text.contains("ran"))
            #expect(try AllowanceRegistry(database).balances(of: "DESK-1").first?.units == 990)
        }
    }

    @Test("The trusted list through the forms: one representative proposes, the other approves, the ledger records it; a stranger cannot")
    func trustedListFourEyes() async throws {
        let database = try Self.workspace()
        try await application(database).test(.router) { client in
            let first = try await signIn(client, "reporter")
            let proposed = try await client.execute(uri: "/staff/registry/trust", method: .post, headers: first.formHeaders(),
                                                    body: first.form([("account", "DESK-1"), ("trusted", "GREEN-TRADE")]))
            #expect(proposed.status == .ok && proposed.text.contains("Another representative must approve"))
            let again = try await client.execute(uri: "/staff/registry/trust", method: .post, headers: first.formHeaders(),
                                                 body: first.form([("account", "DESK-1"), ("trusted", "GREEN-TRADE")]))
            #expect(again.status == .conflict && again.text.contains("proposed already"))
            let id = try #require(try TrustRequests(database).list(accounts: ["DESK-1"]).first?.id)
            let own = try await client.execute(uri: "/staff/registry/trust/\(id)/approve", method: .post, headers: first.formHeaders(), body: first.form())
            #expect(own.status == .conflict && own.text.contains("another representative must approve"))
            let admin = try await signIn(client, "admin")
            let stranger = try await client.execute(uri: "/staff/registry/trust/\(id)/approve", method: .post, headers: admin.formHeaders(), body: admin.form())
            #expect(stranger.status == .conflict && stranger.text.contains("does not represent"))
            let second = try await signIn(client, "reporter2")
            let approved = try await client.execute(uri: "/staff/registry/trust/\(id)/approve", method: .post, headers: second.formHeaders(), body: second.form())
            #expect(approved.status == .ok && approved.text.contains("trusted list, active from"))
            let unknown = try await client.execute(uri: "/staff/registry/trust/99999/approve", method: .post, headers: second.formHeaders(), body: second.form())
            #expect(unknown.status == .notFound)
        }
        let account = try #require(try AllowanceRegistry(database).account("DESK-1"))
        #expect(account.trusted.map(\.account) == ["GREEN-TRADE"])
        #expect(try AllowanceRegistry(database).entries(account: "DESK-1").entries.first?.kind == .trust)
        #expect(try TrustRequests(database).list(accounts: ["DESK-1"]).first?.status == .approved)
    }

    @Test("Two units near the serial limit in one account: every registry page and the ledger's check still answer, with exact figures")
    func hugeHoldingsAcrossUnits() async throws {
        let database = try Self.workspace()
        let registry = AllowanceRegistry(database)
        for unit in ["ZZZ", "YYY"] {
            try registry.apply(.issue(to: "DESK-1", unit: unit, vintage: 2025, amount: 5_000_000_000_000_000_000, by: "registrar", reference: unit))
        }
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            for uri in ["/registry", "/registry/accounts/DESK-1", "/staff/registry", "/api/v1/registry/accounts"] {
                let response = try await client.execute(uri: uri, method: .get, headers: admin.headers)
                #expect(response.status == .ok, "\(uri)")
                if !uri.hasPrefix("/api") { #expect(response.text.contains("5,000,000,000,000,000,000"), "\(uri)") }
            }
        }
        #expect(try registry.verify().isIntact)
    }

    @Test("Proposals that could never run are refused at once: to itself, a transfer into a final account, more than held, a unit not held")
    func impossibleProposals() throws {
        let database = try Self.workspace()
        let requests = TransferRequests(database)
        #expect(throws: LedgerError.sameAccount("DESK-1")) { try requests.propose(from: "DESK-1", to: "DESK-1", amount: 1, unit: "CEA", by: "reporter") }
        #expect(throws: LedgerError.wrongDestination(account: "SURRENDER", kind: .surrender, purpose: "transfer")) {
            try requests.propose(from: "DESK-1", to: "SURRENDER", amount: 1, unit: "CEA", by: "reporter")
        }
        #expect(throws: LedgerError.insufficientUnits(account: "DESK-1", unit: "CEA", vintage: nil, held: 1_000, asked: 1_001)) {
            try requests.propose(from: "DESK-1", to: "RETIREMENT", amount: 1_001, unit: "CEA", purpose: .retirement, by: "reporter")
        }
        #expect(throws: LedgerError.self) { try requests.propose(from: "DESK-1", to: "RETIREMENT", amount: 1, unit: "CCER", purpose: .retirement, by: "reporter") }
        #expect(try requests.list(account: "DESK-1").isEmpty)
    }

    @Test("Only the registry officer opens accounts and issues; others are refused, bad amounts are named")
    func officerOnly() async throws {
        let database = try Self.workspace()
        try await application(database).test(.router) { client in
            let reporter = try await signIn(client, "reporter")
            let issue = try await client.execute(uri: "/staff/registry/issue", method: .post, headers: reporter.formHeaders(),
                                                 body: reporter.form([("to", "DESK-1"), ("unit", "CEA"), ("vintage", "2025"), ("amount", "5"), ("reference", "x")]))
            #expect(issue.status == .forbidden)
            let editor = try await signIn(client, "editor")
            #expect(try await client.execute(uri: "/staff/registry", method: .get, headers: editor.headers).status == .forbidden)
            let admin = try await signIn(client, "admin")
            let opened = try await client.execute(uri: "/staff/registry/accounts", method: .post, headers: admin.formHeaders(),
                                                  body: admin.form([("id", "DESK-2"), ("name", "Second desk"), ("kind", "trading"),
                                                                    ("representatives", "reporter, reporter2")]))
            #expect(opened.status == .ok && opened.text.contains("DESK-2"))
            let bad = try await client.execute(uri: "/staff/registry/issue", method: .post, headers: admin.formHeaders(),
                                               body: admin.form([("to", "DESK-2"), ("unit", "CEA"), ("vintage", "2025"), ("amount", "1e308"), ("reference", "y")]))
            #expect(bad.status == .badRequest && bad.text.contains("amount"))
            let single = try await client.execute(uri: "/staff/registry/accounts", method: .post, headers: admin.formHeaders(),
                                                  body: admin.form([("id", "DESK-3"), ("name", "One"), ("kind", "trading"), ("representatives", "reporter")]))
            #expect(single.status == .badRequest && single.text.contains("at least 2 authorised representatives"))
            #expect(try AllowanceRegistry(database).account("DESK-3") == nil)
            let lookAlike = try await client.execute(uri: "/staff/registry/accounts", method: .post, headers: admin.formHeaders(),
                                                     body: admin.form([("id", "desk-1"), ("name", "Lower case"), ("kind", "trading"), ("representatives", "reporter, reporter2")]))
            #expect(lookAlike.status == .conflict && lookAlike.text.contains("upper and lower case"))
            let stranger = try await client.execute(uri: "/staff/registry/accounts", method: .post, headers: admin.formHeaders(),
                                                    body: admin.form([("id", "DESK-4"), ("name", "Four"), ("kind", "trading"), ("representatives", "reporter, nobody-here")]))
            #expect(stranger.status == .badRequest && stranger.text.contains("nobody-here"))
            let plus = try await client.execute(uri: "/staff/registry/issue", method: .post, headers: admin.formHeaders(),
                                                body: admin.form([("to", "DESK-2"), ("unit", "CEA"), ("vintage", "2025"), ("amount", "+1"), ("reference", "p")]))
            #expect(plus.status == .badRequest)
            let badUnit = try await client.execute(uri: "/staff/registry/issue", method: .post, headers: admin.formHeaders(),
                                                   body: admin.form([("to", "DESK-2"), ("unit", "cea"), ("vintage", "2025"), ("amount", "1"), ("reference", "u")]))
            #expect(badUnit.status == .badRequest && badUnit.text.contains("unit"))
        }
    }
}
