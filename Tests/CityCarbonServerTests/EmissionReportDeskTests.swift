import CarbonMarkets
import CityCarbonStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// The MRV desk through its forms: an enterprise deposits and submits, the assigned verifier
/// verifies, the office accepts or asks for a correction; nobody sees another enterprise's report.
@Suite("MRV desk")
struct EmissionReportDeskTests {
    static let year = Calendar(identifier: .gregorian).component(.year, from: Date()) - 1

    /// The staff workspace with a reporter for each demo enterprise and a second verifier.
    static func workspace() throws -> CityCarbonDatabase {
        let (database, _, _) = try staffWorkspace()
        let accounts = AccountRepository(database, passwordCost: 4)
        try accounts.create(username: "power", password: staffPassword, role: .reporter, organisation: DemoEnterprises.power, jurisdictions: ["Northbank"], actor: "test")
        try accounts.create(username: "steel", password: staffPassword, role: .reporter, organisation: DemoEnterprises.steel, jurisdictions: ["Eastgate"], actor: "test")
        try accounts.create(username: "verifier2", password: staffPassword, role: .verifier, actor: "test")
        return database
    }

    func post(_ client: some TestClientProtocol, _ browser: Browser, _ path: String, _ fields: [(String, String)] = []) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: browser.formHeaders(), body: browser.form(fields))
    }

    @Test("The steel works cannot submit without November; it deposits November with a file through the form and submits version 1")
    func depositAndSubmit() async throws {
        let database = try Self.workspace()
        let base = "/staff/reports/\(DemoEnterprises.steel)/\(Self.year)"
        try await application(database).test(.router) { client in
            let steel = try await signIn(client, "steel")
            let page = try await client.execute(uri: base, method: .get, headers: steel.headers)
            #expect(page.status == .ok && page.text.contains("No evidence deposited for this month."))
            let blocked = try await post(client, steel, base + "/submit")
            #expect(blocked.status == .conflict && blocked.text.contains("error(s)"))
            let form = multipart([("csrf", steel.csrf), ("facility", "bf-1"), ("month", "11"), ("source", "coke"), ("amount.coke", "12000"),
                                  ("source", "limestone"), ("amount.limestone", "8000"), ("ef.limestone", "0.405"), ("source", "grid"),
                                  ("amount.grid", "9000"), ("operating_hours", "660")],
                                 file: (name: "file1", filename: "coke-nov.pdf", content: "weighbridge tickets"))
            let deposited = try await client.execute(uri: base + "/months", method: .post,
                                                     headers: [.cookie: steel.cookie, .contentType: form.contentType], body: form.body)
            #expect(deposited.status == .ok && deposited.text.contains("Deposited bf-1, month 11."))
            let submitted = try await post(client, steel, base + "/submit")
            #expect(submitted.status == .ok && submitted.text.contains("Submitted as version 1."))
            let file = try #require(try EmissionReports(database).months(DemoEnterprises.steel, year: Self.year).first { $0.month == 11 }?.files.first)
            let download = try await client.execute(uri: "/staff/reports/\(DemoEnterprises.steel)/files/\(file.sha256)", method: .get, headers: steel.headers)
            #expect(download.status == .ok && String(buffer: download.body) == "weighbridge tickets")
            let power = try await signIn(client, "power")
            let theirs = try await client.execute(uri: "/staff/reports/\(DemoEnterprises.steel)/files/\(file.sha256)", method: .get, headers: power.headers)
            #expect(theirs.status == .forbidden)
        }
    }

    @Test("Another enterprise, an unassigned verifier and an editor get 403 and see nothing of the report")
    func nobodyElse() async throws {
        let database = try Self.workspace()
        let base = "/staff/reports/\(DemoEnterprises.steel)/\(Self.year)"
        try await application(database).test(.router) { client in
            for login in ["power", "verifier2"] {
                let browser = try await signIn(client, login)
                let page = try await client.execute(uri: base, method: .get, headers: browser.headers)
                #expect(page.status == .forbidden && !page.text.contains("East Harbour") && !page.text.contains("bf-1"), "\(login)")
                let list = try await client.execute(uri: "/staff/reports", method: .get, headers: browser.headers)
                #expect(list.status == .ok && !list.text.contains("East Harbour Steel"), "\(login)")
                let deposit = try await post(client, browser, base + "/submit")
                #expect(deposit.status == .forbidden, "\(login)")
            }
            let editor = try await signIn(client, "editor")
            #expect(try await client.execute(uri: base, method: .get, headers: editor.headers).status == .forbidden)
            let admin = try await signIn(client, "admin")
            #expect(try await client.execute(uri: "/staff/reports/91000000000000000X/\(Self.year)", method: .get, headers: admin.headers).status == .notFound)
        }
    }

    @Test("Assigned, verified with an adjustment, accepted: each party's button appears only in its turn, and every step is in the history")
    func verification() async throws {
        let database = try Self.workspace()
        let base = "/staff/reports/\(DemoEnterprises.power)/\(Self.year)"
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            #expect(try await post(client, admin, base + "/assign", [("verifier", "editor")]).status == .conflict, "an editor is no verifier")
            #expect(try await post(client, admin, base + "/assign", [("verifier", "verifier")]).status == .ok)
            let verifier = try await signIn(client, "verifier")
            let list = try await client.execute(uri: "/staff/reports", method: .get, headers: verifier.headers)
            #expect(list.text.contains("Northbank Energy Co."))
            #expect(try await post(client, verifier, base + "/accept").status == .forbidden, "a verifier cannot accept")
            #expect(try await post(client, verifier, base + "/start").status == .ok)
            let verified = try await post(client, verifier, base + "/verify", [("line", "unit-1/coal"), ("comment", "weighbridge recount"),
                                                                             ("adjusted", "1000000"), ("line", "unit-1/gas"), ("comment", ""), ("adjusted", "")])
            #expect(verified.status == .ok && verified.text.contains("weighbridge recount"))
            let accepted = try await post(client, admin, base + "/accept")
            #expect(accepted.status == .ok && accepted.text.contains("accepted"))
            let version = try #require(try EmissionReports(database).version(DemoEnterprises.power, year: Self.year, version: 1))
            let expected = 1_000_000 + version.report.lines.filter { $0.source != "coal" }.reduce(0) { $0 + $1.tonnes }
            #expect(abs((try EmissionReports(database).verifiedEmissions(DemoEnterprises.power, year: Self.year) ?? 0) - expected) < 1e-6)
            #expect(accepted.text.contains("verifier assigned") && accepted.text.contains("verification started"))
        }
    }

    @Test("A correction request reopens the months; the corrected version 2 shows what changed from version 1")
    func correction() async throws {
        let database = try Self.workspace()
        let base = "/staff/reports/\(DemoEnterprises.power)/\(Self.year)"
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let missing = try await post(client, admin, base + "/correction", [("sections", ""), ("comment", "x")])
            #expect(missing.status == .badRequest)
            let asked = try await post(client, admin, base + "/correction", [("sections", "unit-1/coal, 03"), ("comment", "March coal: use the weighbridge")])
            #expect(asked.status == .ok)
            let power = try await signIn(client, "power")
            let form = multipart([("csrf", power.csrf), ("facility", "unit-1"), ("month", "3"), ("source", "coal"), ("amount.coal", "31000"),
                                  ("ncv.coal", "21.5"), ("cc.coal", "0.0262"), ("source", "gas"), ("amount.gas", "5"), ("source", "grid"),
                                  ("amount.grid", "1500"), ("generation", "75000"), ("supply", "70000"), ("operating_hours", "700"), ("load_factor", "0.78")],
                                 file: (name: "file1", filename: "", content: ""))
            let deposited = try await client.execute(uri: base + "/months", method: .post, headers: [.cookie: power.cookie, .contentType: form.contentType], body: form.body)
            #expect(deposited.status == .ok)
            #expect(try await post(client, power, base + "/submit").status == .ok)
            let second = try await client.execute(uri: base + "/versions/2", method: .get, headers: admin.headers)
            #expect(second.status == .ok && second.text.contains("What changed from version 1 to 2"))
            #expect(second.text.contains("<td>unit-1/coal</td><td>activity</td>"))
            let history = try await client.execute(uri: base, method: .get, headers: admin.headers)
            #expect(history.text.contains("March coal: use the weighbridge") && history.text.contains("/versions/2"))
        }
    }

    @Test("Impossible figures are a 400 naming the field and change nothing: NaN, 1e999, a load factor of 7, a month 13")
    func badInput() async throws {
        let database = try Self.workspace()
        let base = "/staff/reports/\(DemoEnterprises.steel)/\(Self.year)"
        let before = try EmissionReports(database).months(DemoEnterprises.steel, year: Self.year)
        try await application(database).test(.router) { client in
            let steel = try await signIn(client, "steel")
            for (field, value, named) in [("amount.coke", "NaN", "amount.coke"), ("amount.coke", "1e999", "amount.coke"),
                                          ("load_factor", "7", "load_factor"), ("month", "13", "month"), ("facility", "bf-9", "facility")] {
                var fields = [("csrf", steel.csrf), ("facility", "bf-1"), ("month", "11"), ("source", "coke"), ("amount.coke", "100")]
                fields.removeAll { $0.0 == field }
                fields.append((field, value))
                let form = multipart(fields, file: (name: "file1", filename: "", content: ""))
                let response = try await client.execute(uri: base + "/months", method: .post, headers: [.cookie: steel.cookie, .contentType: form.contentType], body: form.body)
                #expect(response.status == .badRequest && response.text.contains(named), "\(field)=\(value): \(response.status)")
            }
        }
        #expect(try EmissionReports(database).months(DemoEnterprises.steel, year: Self.year) == before)
    }
}
