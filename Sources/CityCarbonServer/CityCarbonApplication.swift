import CityCarbonPages
import CarbonAccounting
import CarbonInclusion
import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// How the server behaves beyond its routes.
public struct ServerOptions: Sendable {
    /// How long a rendered page may be served before checking whether the data changed.
    public var freshness: Duration
    /// How long today's figures from the meters (the nowcast) are kept before they are worked
    /// out again; readings come all day, so pages say "so far" and a minute is the default.
    public var liveFreshness: Duration = .seconds(60)
    /// A scenario page whose Monte Carlo runs are not held yet is answered at once without its
    /// uncertainty band, saying so, while the runs go on in the background; off, it waits for them.
    public var monteCarloInBackground = true
    /// bcrypt cost for passwords set through the web pages.
    public var passwordCost: UInt8
    /// Mark cookies Secure: set when the server is reached over HTTPS (behind a proxy).
    public var secureCookies: Bool
    /// Failed sign-ins allowed per account name in fifteen minutes.
    public var signInAttempts: Int
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client; from nobody else.
    public var trustedProxies: Set<String>
    /// How long a client may take to send a request's head (from connecting, or after the last
    /// response) and its body; longer, and the connection is closed.
    public var requestHeadTimeout: Duration = .seconds(30)
    /// The key that signs the audit chain's head after each publication and at `/api/v1/audit/head`.
    public var auditKey: AuditKey?
    public var requestBodyTimeout: Duration = .seconds(300)
    /// How far a partner's signed timestamp may be from the server's clock, in seconds.
    public var partnerClockTolerance: Int64 = PartnerSignature.toleranceSeconds

    public init(freshness: Duration = .milliseconds(250), passwordCost: UInt8 = 12, secureCookies: Bool = false, signInAttempts: Int = 5,
                trustedProxies: Set<String> = [], auditKey: AuditKey? = nil) {
        self.auditKey = auditKey
        self.freshness = freshness
        self.passwordCost = passwordCost
        self.secureCookies = secureCookies
        self.signInAttempts = signInAttempts
        self.trustedProxies = trustedProxies
    }
}

/// The CityCarbon server: public pages, the open API, the staff side, health and metrics, on
/// one workspace database.
public enum CityCarbonApplication {
    /// The router with every route and middleware; tests drive it directly. Every route is
    /// recorded in `routeTable` with who may call it.
    public static func router(database: CityCarbonDatabase, metrics: RequestMetrics = RequestMetrics(), options: ServerOptions = ServerOptions(),
                              routeTable: RouteTable = RouteTable()) -> Router<CityCarbonContext> {
        let router = Router(context: CityCarbonContext.self)
        router.add(middleware: EdgeMiddleware(metrics: metrics, routes: routeTable))
        let gate = Gatekeeper(database: database, secureCookies: options.secureCookies)
        let routes = RouteRegistrar(router: router, table: routeTable, gate: gate, partnerClockTolerance: options.partnerClockTolerance)
        routes.open(.get, "healthz") { _, _ in
            do {
                let published = try PublicationRepository(database).publishedYears()
                return JSONValue.object([("status", .string("ok")), ("database", .string("ok")), ("published_years", .integer(published.count))]).httpResponse()
            } catch {
                return JSONValue.object([("status", .string("unavailable")), ("database", .string("\(error)"))]).httpResponse(status: .serviceUnavailable)
            }
        }
        routes.open(.get, "metrics") { _, _ in
            let published = (try? PublicationRepository(database).publishedYears().count) ?? 0
            let rows = (try? ActivityRepository(database).count(rows: .published)) ?? 0
            let text = metrics.exposition(extra: [
                ("citycarbon_published_inventory_years", "Inventory years the public can see.", Double(published)),
                ("citycarbon_activity_rows", "Activity rows of the published inventory years.", Double(rows)),
            ])
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        routes.open(.get, "api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.bytes())))
        }
        let cache = InventoryCache(database)
        let pages = PageCache(database, freshness: options.freshness)
        routes.open(.get, "api") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("api/\(language.rawValue)") {
                let t = Localizer(language)
                guard let document = JSONValue(parsing: String(decoding: try OpenAPIDocument.bytes(), as: UTF8.self)) else {
                    throw ProblemDetails(.internalServerError, "the OpenAPI document is not JSON")
                }
                return Layout.page(t, title: t("api.title"), body: APIReference.html(t, document: document), query: [], footer: t("api.footer"))
            })
        }
        PublicAPI(database: database, cache: cache, pages: pages).addRoutes(to: routes)
        WriteAPI(database: database, auditKey: options.auditKey).addRoutes(to: routes)
        AuditAPI(database: database, key: options.auditKey).addRoutes(to: routes)
        MonitoringAPI(database: database).addRoutes(to: routes)
        SensorThingsAPI(database: database, routes: routeTable).addRoutes(to: routes)
        let live = LiveFigures(database, freshness: options.liveFreshness)
        let dashboard = DashboardPage(database: database, cache: cache, pages: pages, live: live)
        routes.open(.get, "/") { request, _ in try dashboard.response(request) }
        let controlRoom = ControlRoomPage(database: database, cache: cache, pages: pages, live: live)
        routes.open(.get, "ioc") { request, _ in try controlRoom.response(request) }
        let inventoryPage = InventoryPage(database: database, cache: cache, pages: pages)
        routes.open(.get, "inventory/:year") { request, context in
            try inventoryPage.response(request, year: context.parameters.require("year", as: Int.self))
        }
        FuelBreakdownPage(database: database, pages: pages).addRoutes(to: routes)
        FactorLibraryPage(database: database, pages: pages).addRoutes(to: routes)
        PlanPages(database: database, pages: pages).addRoutes(to: routes)
        IndicatorPages(database: database, cache: cache, pages: pages).addRoutes(to: routes)
        TargetPages(database: database, pages: pages).addRoutes(to: routes)
        AssessmentPages(database: database, pages: pages).addRoutes(to: routes)
        PilotPages(database: database, pages: pages).addRoutes(to: routes)
        RegistryPages(database: database, pages: pages).addRoutes(to: routes)
        DisclosurePages(database: database).addRoutes(to: routes)
        InclusionPages(figures: InclusionFigures(database: database, cache: cache)).addRoutes(to: routes)
        AirPages(figures: AirFigures(database: database)).addRoutes(to: routes)
        AirFeedAPI(database: database).addRoutes(to: routes)
        AirSensorPage(database: database).addRoutes(to: routes)
        AirDistrictPage(database: database).addRoutes(to: routes)
        AirQAPage(database: database).addRoutes(to: routes)
        PathwayPages(database: database, pages: pages, bandsInBackground: options.monteCarloInBackground).addRoutes(to: routes)
        MonitoringPages(database: database, live: live).addRoutes(to: routes)
        DistrictPages(database: database, cache: cache, pages: pages, live: live).addRoutes(to: routes)
        MethodsPage(database: database, pages: pages).addRoutes(to: routes)
        PlanReportPages(database: database, pages: pages, auditKey: options.auditKey).addRoutes(to: routes)
        // Read once: the stylesheet ships with the binary and does not change while it runs.
        let stylesheet = (try? Asset.bytes("site.css")).map { ByteBuffer(bytes: $0) }
        routes.open(.get, "assets/site.css") { _, _ in
            guard let stylesheet else { throw ProblemDetails(.notFound, "the stylesheet is missing from the server's resources") }
            return Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                            body: .init(byteBuffer: stylesheet))
        }
        let throttle = LoginThrottle(perName: options.signInAttempts)
        LoginPage(database: database, gate: gate, throttle: throttle, addresses: ClientAddress(trustedProxies: options.trustedProxies),
                  passwordCost: options.passwordCost).addRoutes(to: routes)
        StaffHomePage(database: database, auditKey: options.auditKey).addRoutes(to: routes)
        PublishConfirmation(database: database).addRoutes(to: routes)
        DraftInventoryPage(database: database).addRoutes(to: routes)
        PlanAttentionPage(database: database).addRoutes(to: routes)
        ActionEditPage(database: database).addRoutes(to: routes)
        ActionReviewPage(database: database).addRoutes(to: routes)
        UploadPage(database: database, staged: StagedImports()).addRoutes(to: routes)
        AccountsPage(database: database, passwordCost: options.passwordCost).addRoutes(to: routes)
        APIKeysPage(database: database).addRoutes(to: routes)
        RegistryStaffPage(database: database).addRoutes(to: routes)
        EmissionReportDesk(database: database).addRoutes(to: routes)
        CarbonAccountsDesk(database: database).addRoutes(to: routes)
        EvidenceReviewPage(database: database).addRoutes(to: routes)
        EnterpriseAPI(database: database).addRoutes(to: routes)
        InclusionAPI(database: database, intake: InclusionCommitQueue(database)).addRoutes(to: routes)
        InclusionDesk(database: database).addRoutes(to: routes)
        CitySettingsPage(database: database).addRoutes(to: routes)
        CityDataPage(database: database).addRoutes(to: routes)
        IndicatorValuesPage(database: database).addRoutes(to: routes)
        AuditPage(database: database).addRoutes(to: routes)
        return router
    }

    /// The application listening on `host:port`; `runService()` serves until SIGTERM or SIGINT,
    /// letting requests in flight finish.
    public static func application(database: CityCarbonDatabase, host: String, port: Int, options: ServerOptions = ServerOptions(),
                                   logger: Logger) -> some ApplicationProtocol {
        Application(router: router(database: database, options: options), server: server(options),
                    configuration: .init(address: .hostname(host, port: port), serverName: "CityCarbon"),
                    logger: logger)
    }

    /// HTTP/1.1 with deadlines for slow clients (``RequestDeadline``).
    public static func server(_ options: ServerOptions) -> HTTPServerBuilder {
        let head = TimeAmount.nanoseconds(Int64(options.requestHeadTimeout.components.seconds) * 1_000_000_000
                                          + options.requestHeadTimeout.components.attoseconds / 1_000_000_000)
        let body = TimeAmount.nanoseconds(Int64(options.requestBodyTimeout.components.seconds) * 1_000_000_000
                                          + options.requestBodyTimeout.components.attoseconds / 1_000_000_000)
        return .http1(configuration: .init(additionalChannelHandlers: [RequestDeadline(head: head, body: body)], idleTimeout: head))
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
