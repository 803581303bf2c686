import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// A workspace holding the demo city, every year computed and published.
/// The demo city in a workspace of the test's own: a copy of one seeded once per test process.
/// Seeding takes seconds on the debug build and most server tests start from it; the seeding
/// itself is tested in the store's tests.
func demoWorkspace() throws -> CityCarbonDatabase {
    let directory = try ScratchDirectory.make("server")
    let file = directory.appendingPathComponent("workspace.sqlite")
    try FileManager.default.copyItem(at: try demoTemplate.get(), to: file)
    return try CityCarbonDatabase(path: file.path)
}

private let demoTemplate = Result { () throws -> URL in
    let directory = try ScratchDirectory.make("demo-template")
    let seeded = try CityCarbonDatabase(path: directory.appendingPathComponent("seeded.sqlite").path)
    try DemoCity.seed(seeded)
    let template = directory.appendingPathComponent("template.sqlite")
    try seeded.copy(to: template.path)
    return template
}

/// The application with pages never served stale and a cheap password hash, so tests run fast.
func application(_ database: CityCarbonDatabase, routeTable: RouteTable = RouteTable(), signInAttempts: Int = 5) -> some ApplicationProtocol {
    var options = ServerOptions(freshness: .zero, passwordCost: 4, signInAttempts: signInAttempts)
    options.liveFreshness = .zero
    options.monteCarloInBackground = false
    return Application(router: CityCarbonApplication.router(database: database, options: options,
                                                     routeTable: routeTable))
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: AnyJSON { (try? AnyJSON.parse(Data(text.utf8))) ?? .null }
}

let openAPI: SchemaValidator = {
    let bytes = (try? OpenAPIDocument.bytes()) ?? []
    return SchemaValidator(document: (try? AnyJSON.parse(Data(bytes))) ?? .null)
}()

/// Fails the test when a response breaks the documented schema of its path and status.
func expectConforms(_ response: TestResponse, path: String, method: String = "get", status: String = "200", media: String = "application/json") {
    guard let schema = openAPI.responseSchema(path: path, method: method, status: status, media: media) else {
        Issue.record("\(method) \(path) \(status) \(media) is not documented")
        return
    }
    let problems = openAPI.violations(of: response.json, against: schema)
    #expect(problems.isEmpty, "\(path): \(problems.prefix(5))")
}

@Suite("Open API")
struct APITests {
    @Test("/healthz answers ok with the database")
    func health() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"]?.string == "ok")
                expectConforms(response, path: "/healthz")
            }
        }
    }

    @Test("The published inventory of a year matches the engine's numbers and the documented schema")
    func inventory() async throws {
        let database = try demoWorkspace()
        let stored = try #require(try InventoryRepository(database).latest(year: 2022))
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/api/v1/inventories/2022", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(response.json["totals"]?["basic"]?.number == stored.totals(year: 2022).basic)
                #expect(response.json["year"]?.number == 2022)
                expectConforms(response, path: "/api/v1/inventories/{year}")
            }
            try await client.execute(uri: "/api/v1/inventories/2022?jurisdiction=Harbour", method: .get) { response in
                #expect(response.json["totals"]?["basic"]?.number == stored.totals(year: 2022, jurisdiction: "Harbour").basic)
                #expect(response.json["by_jurisdiction"]?.object?.keys.sorted() == ["Harbour"])
                expectConforms(response, path: "/api/v1/inventories/{year}")
            }
            try await client.execute(uri: "/api/v1/inventories/2022?format=csv", method: .get) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.text.hasPrefix("year,jurisdiction,gpc_ref"))
            }
        }
    }

    @Test("The inventory comes in the CIRIS and CDP layouts and as XLSX; an unknown layout is refused naming it")
    func inventoryLayouts() async throws {
        let database = try demoWorkspace()
        let stored = try #require(try InventoryRepository(database).latest(year: 2022))
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/api/v1/inventories/2022?format=csv&layout=ciris", method: .get) { response in
                #expect(response.status == .ok)
                let table = try ReferenceTable(name: "ciris.csv", text: response.text)
                let total = table.rows.reduce(0.0) { $0 + (Double($1["GHGs (metric tonnes CO2e) - Total CO2e"]) ?? 0) }
                // Every source of the city's whole area, BASIC+ and beyond, adds up to the inventory's scope 1 + 2 + 3.
                let t = stored.totals(year: 2022)
                #expect(abs(total - (t.scope1 + t.scope2 + t.scope3)) < 1e-6 * total)
            }
            try await client.execute(uri: "/api/v1/inventories/2022?format=csv&layout=cdp", method: .get) { response in
                #expect(response.status == .ok && response.text.hasPrefix("Inventory year,City,GPC sub-sector,Sector,Sub-sector,Direct emissions"))
            }
            try await client.execute(uri: "/api/v1/inventories/2022?format=xlsx&layout=cdp", method: .get) { response in
                #expect(response.status == .ok && Array(response.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            }
            try await client.execute(uri: "/api/v1/inventories/2022?format=csv&layout=crf", method: .get) { response in
                #expect(response.status == .badRequest && response.text.contains("crf"))
            }
            try await client.execute(uri: "/api/v1/inventories/2022?layout=crf", method: .get) { response in
                #expect(response.status == .badRequest, "an unknown layout is refused with the JSON format too")
            }
        }
    }

    @Test("Unpublished years never appear: withdrawing 2022 hides it from the list, the inventory and the activity data")
    func unpublished() async throws {
        let database = try demoWorkspace()
        try PublicationRepository(database).withdraw(year: 2022)
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/api/v1/inventories", method: .get) { response in
                #expect(response.json["items"]?.array?.compactMap { $0["year"]?.number } == [2015, 2018, 2020, 2021, 2023])
                expectConforms(response, path: "/api/v1/inventories")
            }
            try await client.execute(uri: "/api/v1/inventories/2022", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                expectConforms(response, path: "/api/v1/inventories/{year}", status: "404", media: "application/problem+json")
            }
            try await client.execute(uri: "/api/v1/activities?year=2022", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("Activity data pages, filtered by jurisdiction subtree and GPC prefix")
    func activities() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/activities?year=2022&per_page=10", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["items"]?.array?.count == 10)
                #expect((response.json["total"]?.number ?? 0) > 10)
                expectConforms(response, path: "/api/v1/activities")
            }
            try await client.execute(uri: "/api/v1/activities?year=2022&jurisdiction=Harbour&gpc_ref=I.4", method: .get) { response in
                let items = response.json["items"]?.array ?? []
                #expect(items.count == 1)
                #expect(items.first?["gpc_ref"]?.string == "I.4.4")
            }
            try await client.execute(uri: "/api/v1/activities", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["errors"]?.array?.first?["field"]?.string == "year")
            }
        }
    }

    @Test("Jurisdictions and factor sets page; bad paging is a 400 problem that names the parameter")
    func listsAndPaging() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/jurisdictions?level=district", method: .get) { response in
                #expect(response.json["total"]?.number == 8)
                expectConforms(response, path: "/api/v1/jurisdictions")
            }
            try await client.execute(uri: "/api/v1/jurisdictions?per_page=501", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["errors"]?.array?.first?["field"]?.string == "per_page")
                expectConforms(response, path: "/api/v1/jurisdictions", status: "400", media: "application/problem+json")
            }
            try await client.execute(uri: "/api/v1/factor-sets?kind=library", method: .get) { response in
                #expect(response.json["items"]?.array?.compactMap { $0["name"]?.string } == ["CN2011", "IPCC2006"])
                expectConforms(response, path: "/api/v1/factor-sets")
            }
        }
    }

    @Test("Factors of a set with their sources: natural gas is 56,100 kg CO2/TJ in IPCC2006; an unknown set is 404")
    func factors() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/factor-sets/IPCC2006/factors?fuel=natural_gas&quantity=CO2", method: .get) { response in
                let item = response.json["items"]?.array?.first
                #expect(item?["value"]?.number == 56_100)
                #expect(item?["unit"]?.string == "kg/TJ")
                #expect(item?["source"]?.string?.contains("Table 1.4") == true)
                expectConforms(response, path: "/api/v1/factor-sets/{name}/factors")
            }
            try await client.execute(uri: "/api/v1/factor-sets/IPCC2007/factors", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.json["detail"]?.string?.contains("IPCC2006") == true)
            }
        }
    }

    @Test("Statistics and boundaries of the demo city: population by year, eight district polygons")
    func statisticsAndBoundaries() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/jurisdictions/Harbour/statistics", method: .get) { response in
                let items = response.json["items"]?.array ?? []
                #expect(items.compactMap { $0["year"]?.number } == (2015...2023).map(Double.init))
                #expect((items.first?["population"]?.number ?? 0) > 0)
                expectConforms(response, path: "/api/v1/jurisdictions/{name}/statistics")
            }
            try await client.execute(uri: "/api/v1/jurisdictions/Atlantis/statistics", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/boundaries", method: .get) { response in
                #expect(response.headers[.contentType] == "application/geo+json")
                #expect(response.json["features"]?.array?.count == 8)
                expectConforms(response, path: "/api/v1/boundaries", media: "application/geo+json")
            }
        }
    }

    @Test("An unknown route is a problem+json 404, and every response carries the security headers")
    func unknownRouteAndHeaders() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            }
        }
    }

    @Test("/metrics counts requests by route and status in the Prometheus text format")
    func metrics() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/inventories", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(response.text.contains(#"citycarbon_http_requests_total{method="GET",route="/api/v1/inventories",status="200"} 1"#))
                #expect(response.text.contains("citycarbon_published_inventory_years 6"))
            }
        }
    }

    @Test("The OpenAPI document is served, is OpenAPI 3.1, and documents every API route")
    func openAPIDocument() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.json["openapi"]?.string == "3.1.0")
                let paths = Set(response.json["paths"]?.object?.keys.map { $0 } ?? [])
                for path in ["/api/v1/jurisdictions", "/api/v1/factor-sets", "/api/v1/factor-sets/{name}/factors", "/api/v1/activities",
                             "/api/v1/inventories", "/api/v1/inventories/{year}", "/healthz", "/metrics"] {
                    #expect(paths.contains(path), "\(path)")
                }
            }
        }
    }
}

@Suite("Schema checks")
struct SchemaValidatorTests {
    @Test("A response missing a required field, with a wrong type or an undocumented property, is caught")
    func catchesViolations() throws {
        let schema = try #require(openAPI.responseSchema(path: "/api/v1/inventories"))
        let bad = try AnyJSON.parse(Data(#"{"items":[{"year":"2022","gwp":"AR5","unit":"tCO2e","basic":1,"input_fingerprint":"x","computed_at":"t","extra":1}]}"#.utf8))
        let problems = openAPI.violations(of: bad, against: schema)
        #expect(problems.contains { $0.contains("year") && $0.contains("integer") })
        #expect(problems.contains { $0.contains("missing required basic_plus") })
        #expect(problems.contains { $0.contains("unexpected property extra") })
    }
}

@Suite("Methods")
struct MethodTests {
    @Test("A method a read-only route does not answer is 405 with Allow: GET")
    func methodNotAllowed() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api/v1/inventories/2022", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
