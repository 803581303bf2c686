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
            #expect(single.status == .conflict && single.text.contains("at least 2 authorised representatives"))
            #expect(try AllowanceRegistry(database).account("DESK-3") == nil)
        }
    }
}
