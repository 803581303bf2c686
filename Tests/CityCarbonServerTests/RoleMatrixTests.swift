import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// Who may call each route: "public", or the roles allowed (signed in for staff routes, by API
/// key for client routes). This table is the specification; the server must match it.
let expectedAccess: [String: (kind: String, roles: Set<Role>)] = {
    let all = Set(Role.allCases)
    // Every role that may sign in: an integration key is for machines only.
    let signedIn = all.subtracting([.integration])
    var table: [String: (String, Set<Role>)] = [:]
    for route in ["GET /healthz", "GET /metrics", "GET /api/v1/openapi.json", "GET /api", "GET /api/v1/jurisdictions", "GET /api/v1/jurisdictions/:name/statistics",
                  "GET /api/v1/boundaries", "GET /api/v1/factor-sets", "GET /api/v1/factor-sets/:name/factors", "GET /api/v1/activities",
                  "GET /api/v1/inventories", "GET /api/v1/inventories/:year", "GET //", "GET /ioc", "GET /districts", "GET /districts/:name", "GET /methods", "GET /inventory/:year", "GET /inventory/:year/fuels", "GET /factors", "GET /factors/:name",
                  "GET /assets/site.css", "GET /login", "POST /login",
                  "GET /plans", "GET /plans/:plan", "GET /plans/:plan/actions/:action", "GET /api/v1/plans", "GET /api/v1/plans/:plan/actions",
                  "GET /api/v1/plans/:plan/actions/:action", "GET /indicators", "GET /indicators/:indicator", "GET /api/v1/indicators",
                  "GET /api/v1/indicators/:indicator", "GET /targets", "GET /api/v1/targets", "GET /assessments", "GET /assessments/:year",
                  "GET /api/v1/assessments", "GET /api/v1/assessments/:year", "GET /pilots", "GET /api/v1/pilots", "GET /registry", "GET /registry/accounts/:id", "GET /registry/serials",
                  "GET /api/v1/registry/accounts", "GET /api/v1/registry/accounts/:id", "GET /api/v1/registry/serials/:unit/:serial", "GET /api/v1/registry/ledger", "GET /plans/:plan/reports",
                  "GET /disclosure", "GET /disclosure/:code", "GET /api/v1/disclosure", "GET /api/v1/disclosure.csv",
                  "GET /plans/:plan/reports/:year", "GET /plans/:plan/reports/:year/actions.csv", "GET /plans/:plan/reports/:year/indicators.csv", "GET /plans/:plan/reports/:year/report.xlsx",
                  "GET /api/v1/plans/:plan/reports/:year", "GET /pathways", "GET /pathways/:scenario", "GET /pathways/:scenario/pathway.csv",
                  "GET /pathways/:scenario/scenario.json", "GET /api/v1/pathways", "GET /api/v1/pathways/:scenario", "GET /api/v1/decomposition",
                  "GET /monitoring", "GET /inclusion", "GET /api/v1/inclusion", "GET /air", "GET /air/sensors/:code", "GET /air/districts/:name", "GET /api/v1/air", "GET /api/v1/air/sensors/:code/aggregates", "POST /api/v1/inclusion/token", "GET /api/v1/monitoring/nowcast", "GET /api/v1/monitoring/rollups", "GET /api/v1/audit/head"] {
        table[route] = ("public", all)
    }
    table["GET /staff"] = ("staff", signedIn)
    table["GET /staff/air"] = ("staff", signedIn)
    table["POST /staff/air/collocations"] = ("staff", [.admin])
    table["POST /staff/air/collocations/:id/calibrate"] = ("staff", [.admin])
    for route in ["GET /staff/monitoring", "GET /staff/monitoring/sites/:site", "GET /staff/monitoring/alerts"] {
        table[route] = ("staff", signedIn)
    }
    // Viewers and verifiers read alerts; the climate office and an organisation's own staff (editor, enterprise) mark them seen.
    table["POST /staff/monitoring/alerts/:id/acknowledge"] = ("staff", [.admin, .editor, .reporter])
    for route in ["POST /api/v1/readings", "POST /sta/v1.1/Observations", "POST /sta/v1.1/CreateObservations", "GET /sta/v1.1", "GET /sta/v1.1/**", "POST /sta/v1.1/Things", "GET /sta/v1.1/Things",
                  "GET /sta/v1.1/Observations", "GET /api/v1/monitoring/alerts", "GET /api/v1/monitoring/rollups/sites",
                  "POST /sta/v1.1/**", "PATCH /sta/v1.1/**", "PUT /sta/v1.1/**", "DELETE /sta/v1.1/**", "POST /sta/v1.1/$batch", "POST /api/v1/air/sensors/:code/feed"] {
        table[route] = ("client", [.admin, .integration])
    }
    table["GET /staff/inventories/:year"] = ("staff", [.admin, .editor, .verifier, .viewer])
    table["GET /staff/plans"] = ("staff", [.admin, .editor, .verifier, .viewer])
    table["GET /staff/plans/:plan"] = ("staff", [.admin, .editor, .verifier, .viewer])
    table["GET /staff/plans/:plan/actions/:action/edit"] = ("staff", [.admin, .editor])
    table["POST /staff/plans/:plan/actions/:action/edit"] = ("staff", [.admin, .editor])
    table["GET /staff/assessments"] = ("staff", [.admin, .editor, .verifier, .viewer])
    table["GET /staff/pathways"] = ("staff", [.admin, .editor, .verifier, .viewer])
    table["GET /staff/pathways/:scenario"] = ("staff", [.admin, .editor, .verifier, .viewer])
    table["POST /staff/pathways"] = ("staff", [.admin, .editor])
    table["POST /staff/pathways/:scenario"] = ("staff", [.admin, .editor])
    table["POST /staff/pathways/:scenario/submit"] = ("staff", [.admin, .editor])
    table["GET /staff/indicators"] = ("staff", [.admin, .editor])
    table["POST /staff/indicators/:indicator/values"] = ("staff", [.admin, .editor])
    for route in ["POST /staff/pathways/:scenario/publish", "POST /staff/pathways/:scenario/withdraw", "GET /staff/pathways/:scenario/publish",
                  "GET /staff/pathways/:scenario/withdraw", "GET /staff/assessments/:year/publish", "POST /staff/assessments/:year/freeze", "POST /staff/assessments/:year/publish", "POST /staff/plans/:plan/reports", "GET /staff/reviews", "GET /staff/plans/:plan/actions/:action/review", "POST /staff/plans/:plan/actions/:action/review"] {
        table[route] = ("staff", [.admin])
    }
    table["POST /logout"] = ("staff", signedIn)
    for route in ["GET /staff/upload", "POST /staff/upload", "POST /staff/upload/:id/commit", "POST /staff/inventories/:year/compute"] {
        table[route] = ("staff", [.admin, .editor])
    }
    for route in ["POST /staff/inventories/:year/publish", "POST /staff/inventories/:year/withdraw", "POST /staff/statistics/publish",
                  "GET /staff/inventories/:year/publish", "GET /staff/inventories/:year/withdraw", "GET /staff/statistics/publish", "GET /staff/indicators/publish",
                  "POST /staff/indicators/publish", "GET /staff/accounts", "POST /staff/accounts",
                  "POST /staff/accounts/:username", "POST /staff/accounts/:username/password", "GET /staff/api-keys", "POST /staff/api-keys",
                  "POST /staff/api-keys/:id/revoke", "GET /staff/city", "POST /staff/city", "GET /staff/city-data", "POST /staff/city-data/jurisdictions", "POST /staff/city-data/statistics",
                  "POST /staff/city-data/boundaries"] {
        table[route] = ("staff", [.admin])
    }
    table["GET /staff/audit"] = ("staff", [.admin, .verifier])
    // Enterprises represent their registry accounts; the registry officer (admin) opens accounts and issues units.
    for route in ["GET /staff/registry", "POST /staff/registry/requests", "POST /staff/registry/requests/:id/approve", "POST /staff/registry/requests/:id/decline",
                  "POST /staff/registry/trust", "POST /staff/registry/trust/:id/approve", "POST /staff/registry/trust/:id/decline"] {
        table[route] = ("staff", [.admin, .reporter])
    }
    for route in ["POST /staff/registry/accounts", "POST /staff/registry/issue"] { table[route] = ("staff", [.admin]) }
    // The MRV desk admits enterprises, verifiers and the office; each report then says who is which (EmissionReportDeskTests).
    for route in ["GET /staff/reports", "GET /staff/reports/:code/:year", "POST /staff/reports/:code/:year/months", "POST /staff/reports/:code/:year/submit",
                  "POST /staff/reports/:code/:year/assign", "POST /staff/reports/:code/:year/start", "POST /staff/reports/:code/:year/verify",
                  "POST /staff/reports/:code/:year/correction", "POST /staff/reports/:code/:year/accept",
                  "GET /staff/reports/:code/:year/versions/:version", "GET /staff/reports/:code/files/:sha"] {
        table[route] = ("staff", [.admin, .reporter, .verifier])
    }
    // Bulk months: the enterprise (for itself only, CarbonAccountsDeskTests) and the office; a verifier deposits nothing.
    table["POST /staff/reports/evidence"] = ("staff", [.admin, .reporter])
    // District staff check months (their districts only, EvidenceReviewTests); the office closes them.
    table["GET /staff/evidence"] = ("staff", [.admin, .editor])
    table["POST /staff/evidence/check"] = ("staff", [.admin, .editor])
    table["POST /staff/evidence/close"] = ("staff", [.admin])
    // Allocation, compliance and grades are the regulator's.
    for route in ["GET /staff/compliance", "POST /staff/compliance/allocate", "POST /staff/compliance/enforce", "GET /staff/efficiency",
                  "POST /staff/efficiency/publish",
                  "POST /staff/efficiency/years"] {
        table[route] = ("staff", [.admin])
    }
    table["POST /api/v1/evidence"] = ("client", [.admin, .reporter])
    table["GET /api/v1/reports/:code/:year"] = ("client", [.admin, .reporter, .verifier])
    table["POST /api/v1/activities"] = ("client", [.admin, .editor])
    table["POST /api/v1/inventories/:year/computation"] = ("client", [.admin, .editor])
    table["PUT /api/v1/inventories/:year/publication"] = ("client", [.admin])
    table["POST /api/v1/statistics"] = ("client", [.admin])
    table["POST /api/v1/boundaries"] = ("client", [.admin])
    table["DELETE /api/v1/inventories/:year/publication"] = ("client", [.admin])
    // Carbon inclusion: the office runs the desk; district staff review held credits; partners
    // sign their calls (no role's session or API key opens them).
    for route in ["GET /staff/inclusion", "POST /staff/inclusion/partners", "POST /staff/inclusion/partners/:code/revoke", "POST /staff/inclusion/items",
                  "POST /staff/inclusion/lots", "POST /staff/inclusion/lots/:id/issue", "GET /staff/inclusion/settlement.csv"] {
        table[route] = ("staff", [.admin])
    }
    for route in ["GET /staff/inclusion/review", "POST /staff/inclusion/review/:id/release", "POST /staff/inclusion/review/:id/reject"] {
        table[route] = ("staff", [.admin, .editor])
    }
    for route in ["POST /api/v1/inclusion/events", "GET /api/v1/inclusion/accounts/:account", "POST /api/v1/inclusion/accounts/:account/claims",
                  "POST /api/v1/inclusion/accounts/:account/redemptions", "GET /api/v1/inclusion/accounts/:account/export",
                  "DELETE /api/v1/inclusion/accounts/:account", "GET /api/v1/inclusion/catalogue"] {
        table[route] = ("partner", [])
    }
    return table
}()

@Suite("Role × route matrix")
struct RoleMatrixTests {
    @Test("Every route of the router is in the access table, and the table is the specification")
    func everyRouteHasItsAccess() throws {
        let (database, _, _) = try staffWorkspace()
        let table = RouteTable()
        let router = CityCarbonApplication.router(database: database, options: ServerOptions(passwordCost: 4), routeTable: table)
        let registered = Set(router.routes.map { "\($0.method) \($0.path)".replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "") })
        let recorded = Set(table.all.map { "\($0.method) \($0.path)" })
        // Every GET also answers HEAD, with the same access (RFC 9110).
        #expect(registered.count == recorded.count + recorded.filter { $0.hasPrefix("GET ") }.count)
        #expect(registered.filter { $0.hasPrefix("HEAD ") }.map { $0.dropFirst(5) } .sorted() == registered.filter { $0.hasPrefix("GET ") }.map { $0.dropFirst(4) }.sorted())
        #expect(Set(recorded) == Set(expectedAccess.keys), "routes without a specified access: \(recorded.symmetricDifference(expectedAccess.keys).sorted())")
        for entry in table.all {
            guard let expected = expectedAccess["\(entry.method) \(entry.path)"] else { continue }
            switch entry.access {
            case .everyone: #expect(expected.kind == "public", "\(entry.method) \(entry.path)")
            case .staff(let permission):
                #expect(expected.kind == "staff", "\(entry.method) \(entry.path)")
                #expect(Set(Role.allCases.filter { $0.permissions.contains(permission) }) == expected.roles, "\(entry.method) \(entry.path)")
            case .client(let permission):
                #expect(expected.kind == "client", "\(entry.method) \(entry.path)")
                #expect(Set(Role.allCases.filter { $0.permissions.contains(permission) }) == expected.roles, "\(entry.method) \(entry.path)")
            case .partner:
                #expect(expected.kind == "partner", "\(entry.method) \(entry.path)")
            }
        }
    }

    @Test("Every route × every caller (anonymous, each role signed in, each role's API key) is allowed or denied as specified")
    func matrix() async throws {
        let (database, district, _) = try staffWorkspace()
        // The scoped roles' organisation is responsible for action 1, so the edit routes answer them.
        _ = try PlanRepository(database).importSheet(Array("kind,identifier,organisation\naction,1,\(district) office\n".utf8), file: "owner.csv",
                                                     plan: "helsinki-2035", today: nil, actor: "test")
        var keys: [Role: String] = [:]
        for role in Role.allCases {
            keys[role] = try APIKeyRepository(database).create(name: "matrix-\(role.rawValue)", role: role, organisation: role.isScoped ? "office" : nil,
                                                              jurisdictions: role.isScoped ? [district] : [], actor: "test").secret
        }
        let table = RouteTable()
        try await application(database, routeTable: table).test(.router) { [keys] client in
            let root = try JurisdictionRepository(database).tree().roots[0]
            var checked = 0
            for entry in table.all.sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
                let path = Self.concrete(entry.path, root: root)
                let method = HTTPRequest.Method(entry.method)!
                let expected = try #require(expectedAccess["\(entry.method) \(entry.path)"])
                // Anonymous.
                let anonymous = try await call(client, method, path, headers: [:], body: nil)
                #expect(isDenied(anonymous) == (expected.kind != "public"), "anonymous \(entry.method) \(path): \(anonymous.status)")
                for role in Role.allCases {
                    // Signed in: a new session each time, since some routes end or change it. A
                    // role that cannot sign in (integration) has no account: it calls as anonymous.
                    let bySession: TestResponse
                    if role.permissions.contains(.signIn) {
                        let browser = try await signIn(client, role.rawValue)
                        bySession = try await call(client, method, path, headers: method == .get ? browser.headers : browser.formHeaders(),
                                                   body: method == .get ? nil : browser.form(path == "/login" ? [("username", "viewer"), ("password", staffPassword)] : []))
                    } else {
                        bySession = anonymous
                    }
                    let sessionAllowed = expected.kind == "public" || (expected.kind == "staff" && expected.roles.contains(role))
                    #expect(isDenied(bySession) == !sessionAllowed, "\(role) session \(entry.method) \(path): \(bySession.status)")
                    // By API key.
                    let byKey = try await call(client, method, path, headers: [.authorization: "Bearer \(keys[role]!)"], body: nil)
                    let keyAllowed = expected.kind == "public" || (expected.kind == "client" && expected.roles.contains(role))
                    #expect(isDenied(byKey) == !keyAllowed, "\(role) key \(entry.method) \(path): \(byKey.status)")
                    checked += 2
                }
            }
            #expect(checked == table.all.count * Role.allCases.count * 2)
        }
    }

    /// A route's pattern with a real value for each parameter.
    static func concrete(_ pattern: String, root: String) -> String {
        pattern == "//" ? "/" : pattern
            .replacingOccurrences(of: ":year", with: "2023").replacingOccurrences(of: ":plan", with: "helsinki-2035").replacingOccurrences(of: ":action", with: "1").replacingOccurrences(of: ":indicator", with: "forest_stock").replacingOccurrences(of: ":username", with: "viewer")
            .replacingOccurrences(of: ":id", with: "999").replacingOccurrences(of: "/api/v1/jurisdictions/:name", with: "/api/v1/jurisdictions/\(root)")
            .replacingOccurrences(of: ":name", with: "IPCC2006").replacingOccurrences(of: ":site", with: "nb-tower")
            .replacingOccurrences(of: ":account", with: "did:city:1").replacingOccurrences(of: ":code", with: "amap")
    }

    @Test("Every GET route answers HEAD with GET's status and headers, and no body")
    func headAnswersLikeGet() async throws {
        let (database, _, _) = try staffWorkspace()
        let table = RouteTable()
        try await application(database, routeTable: table).test(.router) { client in
            let root = try JurisdictionRepository(database).tree().roots[0]
            let browser = try await signIn(client, "admin")
            for entry in table.all where entry.method == "GET" && !entry.path.hasPrefix("/sta/") && entry.path != "/api/v1/monitoring/alerts"
                && entry.path != "/api/v1/monitoring/rollups/sites" {
                let path = Self.concrete(entry.path, root: root) + (entry.path == "/api/v1/activities" ? "?year=2023" : "")
                let headers = entry.access == .everyone ? HTTPFields() : browser.headers
                let get = try await client.execute(uri: path, method: .get, headers: headers)
                let head = try await client.execute(uri: path, method: .head, headers: headers)
                #expect(head.status == get.status, "HEAD \(path)")
                #expect(head.body.readableBytes == 0, "HEAD \(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "HEAD \(path)")
            }
            let unknownMethod = try await client.execute(uri: "/api/v1/inventories", method: .delete)
            #expect(unknownMethod.status == .methodNotAllowed)
            #expect(unknownMethod.headers[.allow]?.contains("HEAD") == true)
        }
    }

    /// Public POST /login is called as a browser would, with its form's cookie and token.
    func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        if path == "/login", method == .post {
            let page = try await client.execute(uri: "/login", method: .get)
            var fields = headers
            fields[.cookie] = [headers[.cookie], "cc_login=\(setCookie(page, "cc_login")!)"].compactMap { $0 }.joined(separator: "; ")
            fields[.contentType] = "application/x-www-form-urlencoded"
            return try await client.execute(uri: path, method: method, headers: fields,
                                            body: urlEncoded([("csrf", csrfToken(in: String(buffer: page.body))!), ("username", "viewer"), ("password", staffPassword)]))
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body)
    }

    /// Denied: sent to sign in, 401, or 403.
    func isDenied(_ response: TestResponse) -> Bool {
        response.status == .unauthorized || response.status == .forbidden
            || (response.status == .seeOther && response.headers[.location]?.hasPrefix("/login") == true)
    }
}
