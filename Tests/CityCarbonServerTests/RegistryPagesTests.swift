import CarbonMarkets
import CityCarbonStore
import Foundation
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// The public face of the allowance registry: its pages and API agree with the ledger, follow
/// the OpenAPI document, name bad input, and never show a representative's sign-in name.
@Suite("Allowance registry pages and API")
struct RegistryPagesTests {
    @Test("Each unit's issuance on the page is the sum of every account's holdings in the API, and both follow the document")
    func totalsAgree() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let list = try await client.execute(uri: "/api/v1/registry/accounts", method: .get)
            expectConforms(list, path: "/api/v1/registry/accounts")
            var issued: [String: Double] = [:]
            for account in list.json["items"]?.array ?? [] {
                for balance in account["balances"]?.array ?? [] { issued[balance["unit"]?.string ?? "", default: 0] += balance["units"]?.number ?? 0 }
            }
            // The demo registry's issuance, and the power plant's settled year: its pre-allocation and true-up.
            let allocated = try CarbonAccounts(database).allocations(year: DemoEnterprises.settledYear).reduce(0) { $0 + Double($1.issued) }
            #expect(allocated > 0 && issued == ["CEA": 2_400_000 + allocated, "CCER": 60_000])
            let page = try await client.execute(uri: "/registry", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("<td>CEA</td><td>2024</td><td class=\"n\">2,400,000</td>"))
            #expect(page.text.contains("<td>CCER</td><td>2024</td><td class=\"n\">60,000</td>"))
            // An operator account's holder is its enterprise's credit code, shown with the enterprise's name.
            #expect(page.text.contains("<td>Northbank Energy Co. (\(DemoEnterprises.power))</td>"))
        }
    }

    @Test("Serial CEA 1 was issued, allocated, sold twice and surrendered: the page and the API tell the same history")
    func serialHistory() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let api = try await client.execute(uri: "/api/v1/registry/serials/CEA/1", method: .get)
            expectConforms(api, path: "/api/v1/registry/serials/{unit}/{serial}")
            #expect(api.json["holder"]?.string == "SURRENDER")
            #expect(api.json["entries"]?.array?.compactMap { $0["kind"]?.string } == ["issue", "transfer", "transfer", "transfer", "surrender"])
            let page = try await client.execute(uri: "/registry/serials?unit=CEA&serial=1&lang=zh-Hans", method: .get)
            #expect(page.status == .ok && page.text.contains("CEA-2024-1-28000") && page.text.contains("清缴"))
        }
    }

    @Test("A statement and the ledger feed follow the document; the feed pages by sequence")
    func statementAndFeed() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let statement = try await client.execute(uri: "/api/v1/registry/accounts/EH-STEEL?per_page=2", method: .get)
            expectConforms(statement, path: "/api/v1/registry/accounts/{id}")
            #expect(statement.json["entries"]?["items"]?.array?.count == 2)
            let feed = try await client.execute(uri: "/api/v1/registry/ledger?after=20&limit=2", method: .get)
            expectConforms(feed, path: "/api/v1/registry/ledger")
            #expect(feed.json["items"]?.array?.compactMap { $0["sequence"]?.number } == [21, 22])
            // 24 entries of the demo registry, then the settled year's pre-allocation, true-up and surrender.
            #expect(feed.json["head"]?["sequence"]?.number == 27)
            #expect(try await client.execute(uri: "/registry/accounts/NB-POWER", method: .get).text.contains("1,643,600"))
        }
    }

    @Test("Bad input is a 400 naming the field; what does not exist is a 404")
    func badInput() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let bad = try await client.execute(uri: "/api/v1/registry/serials/cea/x1", method: .get)
            #expect(bad.status == .badRequest && bad.text.contains("unit") && bad.text.contains("serial"))
            #expect(try await client.execute(uri: "/registry/serials?unit=CEA&serial=-3", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/registry/serials?unit=CEA&serial=99999999999999999999", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/registry/serials/CEA/99999999", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/registry/ledger?limit=0", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/registry/ledger?after=1e308", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/registry/accounts/NOPE", method: .get).status == .notFound)
        }
    }

    @Test("No public registry page or API shows a representative's sign-in name")
    func noSignInNames() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            for uri in ["/registry", "/registry/accounts/NB-POWER", "/registry/serials?unit=CEA&serial=1", "/api/v1/registry/accounts",
                        "/api/v1/registry/accounts/NB-POWER", "/api/v1/registry/serials/CEA/1", "/api/v1/registry/ledger?limit=1000"] {
                let text = try await client.execute(uri: uri, method: .get).text
                #expect(!text.contains("-officer") && !text.contains("-manager") && !text.contains("registrar"), "\(uri)")
            }
        }
    }
}
