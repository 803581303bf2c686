import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The CityCarbon server: the open API, health and metrics, on one workspace database.
public enum CityCarbonApplication {
    /// The router with every route and middleware; tests drive it directly.
    /// - Parameter freshness: how long a rendered page may be served before checking whether the data changed.
    public static func router(database: CityCarbonDatabase, metrics: RequestMetrics = RequestMetrics(),
                              freshness: Duration = .milliseconds(250)) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ProblemMiddleware(readOnlyRoutes: [
            "/", "/inventory/:year", "/assets/site.css", "/healthz", "/metrics", "/api/v1/openapi.json", "/api/v1/jurisdictions", "/api/v1/jurisdictions/:name/statistics", "/api/v1/boundaries", "/api/v1/factor-sets", "/api/v1/factor-sets/:name/factors",
            "/api/v1/activities", "/api/v1/inventories", "/api/v1/inventories/:year",
        ]))
        router.get("healthz") { _, _ in
            do {
                let published = try PublicationRepository(database).publishedYears()
                return JSONValue.object([("status", .string("ok")), ("database", .string("ok")), ("published_years", .integer(published.count))]).httpResponse()
            } catch {
                return JSONValue.object([("status", .string("unavailable")), ("database", .string("\(error)"))]).httpResponse(status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in
            let published = (try? PublicationRepository(database).publishedYears().count) ?? 0
            let rows = (try? ActivityRepository(database).count()) ?? 0
            let text = metrics.exposition(extra: [
                ("citycarbon_published_inventory_years", "Inventory years the public can see.", Double(published)),
                ("citycarbon_activity_rows", "Activity rows in the workspace.", Double(rows)),
            ])
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.bytes())))
        }
        let cache = InventoryCache(database)
        let pages = PageCache(database, freshness: freshness)
        PublicAPI(database: database, cache: cache, pages: pages).addRoutes(to: router)
        let dashboard = DashboardPage(database: database, cache: cache, pages: pages)
        router.get("/") { request, _ in try dashboard.response(request) }
        let inventoryPage = InventoryPage(database: database, cache: cache, pages: pages)
        router.get("inventory/:year") { request, context in
            try inventoryPage.response(request, year: context.parameters.require("year", as: Int.self))
        }
        router.get("assets/site.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try Asset.bytes("site.css"))))
        }
        return router
    }

    /// The application listening on `host:port`; `runService()` serves until SIGTERM or SIGINT,
    /// letting requests in flight finish.
    public static func application(database: CityCarbonDatabase, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        Application(router: router(database: database),
                    configuration: .init(address: .hostname(host, port: port), serverName: "CityCarbon"),
                    logger: logger)
    }
}

/// Static files of the web pages, shipped as resources.
enum Asset {
    static func bytes(_ name: String) throws -> [UInt8] {
        let file = name as NSString
        guard let url = Bundle.module.url(forResource: file.deletingPathExtension, withExtension: file.pathExtension, subdirectory: "Resources/assets"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw ProblemDetails(.notFound, "no asset \(name)")
        }
        return [UInt8](data)
    }
}

/// The document at `/api/v1/openapi.json`, shipped as a resource and checked against real
/// responses by the tests.
public enum OpenAPIDocument {
    public static func bytes() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.resourceURL?.appendingPathComponent("Resources/openapi.json"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw ProblemDetails(.internalServerError, "the OpenAPI document is missing from the server's resources")
        }
        return [UInt8](data)
    }
}

/// Headers every response carries: no sniffing, no framing, no referrer leaks, and a content
/// security policy that allows nothing from outside this server.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        return response
    }
}
