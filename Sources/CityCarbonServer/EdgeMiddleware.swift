import CityCarbonPages
import HTTPTypes
import Hummingbird
import Logging

/// What every request goes through, in one step rather than a chain: errors become problem
/// responses, the security headers are added, the request is timed, counted under its route
/// pattern and logged as one structured line (writes and failures at info, 5xx at error,
/// the rest at debug, so a busy public site does not flood the log).
///
/// One concrete middleware instead of three generic ones: the dashboard is served from
/// memory, so the chain itself was a fair share of each request's cost.
struct EdgeMiddleware: RouterMiddleware {
    typealias Context = CityCarbonContext
    let metrics: RequestMetrics
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ProblemDetails.response(for: error, request: request, context: context, routes: routes)
        }
        response.headers.append(contentsOf: securityHeaders)
        Self.rememberLanguage(of: request, in: &response)
        // HEAD (RFC 9110 §9.3.2): GET's headers and the length of its body, and no body, errors included.
        if request.method == .head {
            if let length = response.body.contentLength { response.headers[.contentLength] = String(length) }
            response.body = .init()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let status = Int(response.status.code)
        metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status, seconds: seconds)
        let level: Logger.Level = status >= 500 ? .error : (request.method != .get && request.method != .head) || status >= 400 ? .info : .debug
        if context.logger.logLevel <= level {
            context.logger.log(level: level, "request", metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .stringConvertible(status),
                "ms": .string(String(format: "%.2f", seconds * 1000)),
            ])
        }
        return response
    }
}

extension EdgeMiddleware {
    /// A language chosen with `?lang=` on any page is kept in a cookie, so the next page, reached
    /// by a link without it, is in the same language.
    static func rememberLanguage(of request: Request, in response: inout Response) {
        guard let chosen = request.uri.queryParameters.get("lang"), let language = Language(rawValue: String(chosen)),
              response.headers[.contentType]?.hasPrefix("text/html") == true else { return }
        response.setCookie(Cookie(name: "lang", value: language.rawValue, maxAge: 31_536_000, path: "/", httpOnly: true, sameSite: .lax))
    }
}

/// Headers every response carries: no sniffing, no framing, no referrer leaks, and a content
/// security policy that allows nothing from outside this server and no inline script.
private let securityHeaders: HTTPFields = [
    .xContentTypeOptions: "nosniff",
    HTTPField.Name("X-Frame-Options")!: "DENY",
    HTTPField.Name("Referrer-Policy")!: "same-origin",
    .contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
]
