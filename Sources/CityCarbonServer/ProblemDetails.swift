import CityCarbonPages
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation
import Hummingbird
import Logging

/// An API error as RFC 9457 `application/problem+json`: a type, a title, the HTTP status and
/// a detail a person can act on; input problems also list every issue with its place.
public struct ProblemDetails: HTTPResponseError {
    public let status: HTTPResponse.Status
    public let title: String
    public let detail: String
    public let issues: [InputIssue]
    /// Seconds after which the same request may succeed (`Retry-After`), for a refusal that is not the request's fault.
    public let retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ detail: String, issues: [InputIssue] = [], retryAfter: Int? = nil) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.issues = issues
        self.retryAfter = retryAfter
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("about:blank")), ("title", .string(title)), ("status", .integer(Int(status.code))), ("detail", .string(detail)),
        ]
        if !issues.isEmpty {
            // The first 500 problems, each value cut to 200 characters: a sheet of bad cells does not come back whole.
            if issues.count > 500 { members.append(("errorsNotShown", .integer(issues.count - 500))) }
            members.append(("errors", .array(issues.prefix(500).map { issue in
                var fields: [(String, JSONValue)] = [("reason", .string(issue.reason))]
                if let row = issue.location.row { fields.append(("row", .integer(row))) }
                if let column = issue.location.column { fields.append(("column", .integer(column))) }
                if let field = issue.location.field { fields.append(("field", .string(field))) }
                if let value = issue.value { fields.append(("value", .string(String(value.prefix(200))))) }
                if let suggestion = issue.suggestion { fields.append(("suggestion", .string(suggestion))) }
                return .object(fields)
            })))
        }
        return .object(members)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response(status: status, headers: [.contentType: "application/problem+json"],
                                body: .init(byteBuffer: ByteBuffer(string: json.serialized())))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

extension ProblemDetails {
    /// The problem response for whatever a handler threw, so a client never sees a bare 500
    /// or an HTML error page from the API. A known path asked with another method is 405.
    static func response(for error: any Error, request: Request, context: CityCarbonContext, routes: RouteTable) -> Response {
        let (problem, allow) = Self.problem(for: error, path: request.uri.path, routes: routes, logger: context.logger)
        var response: Response
        if wantsPage(request) {
            let page = ErrorPage.html(Localizer(Language.of(request)), status: Int(problem.status.code), path: request.uri.path, detail: problem.detail,
                                     problems: problem.issues)
            response = Response(status: problem.status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page.markup)))
        } else {
            response = problem.json.httpResponse(status: problem.status)
            response.headers[.contentType] = "application/problem+json"
        }
        if let allow { response.headers[.allow] = allow }
        if let seconds = problem.retryAfter { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    /// The problem a handler's error is, with the methods a 405 names: one mapping for requests
    /// and for the requests of a SensorThings batch. An error nobody expected is logged and is a 500.
    static func problem(for error: any Error, path: String, routes: RouteTable, logger: Logger) -> (ProblemDetails, allow: String?) {
        let problem: ProblemDetails
        var allow: String?
        switch error {
        case let error as ProblemDetails:
            problem = error
        case let refusal as STAUpdate.Refusal:
            allow = refusal.allow.joined(separator: ", ")
            problem = ProblemDetails(.methodNotAllowed, refusal.reason)
        case let held as SensorHasHours:
            problem = ProblemDetails(.conflict, held.description)
        case let errors as InputErrors:
            problem = ProblemDetails(.badRequest, "the request has \(errors.issues.count) problem(s)", issues: errors.issues)
        case let denied as AccessDenied:
            problem = ProblemDetails(.forbidden, denied.reason)
        case let exists as ThingExists:
            problem = ProblemDetails(.conflict, exists.description)
        case let error as STAQueryError:
            problem = ProblemDetails(error.unsupported ? .notImplemented : .badRequest, error.description)
        case let error as MonitoringError:
            if case .outOfScope = error { problem = ProblemDetails(.forbidden, error.description) } else { problem = ProblemDetails(.unprocessableContent, error.description) }
        case let error as HTTPError where error.status == .notFound && !routes.methods(matching: path).isEmpty:
            allow = routes.methods(matching: path).sorted().joined(separator: ", ")
            problem = ProblemDetails(.methodNotAllowed, "\(path) answers \(allow!) only")
        case let error as HTTPError:
            problem = ProblemDetails(error.status, error.status == .notFound ? "no resource at \(path)" : (error.body ?? error.status.reasonPhrase))
        default:
            logger.error("request failed", metadata: ["path": .string(path), "error": .string("\(error)")])
            problem = ProblemDetails(.internalServerError, "the server could not answer this request")
        }
        return (problem, allow)
    }

    /// A browser asking for a page (it accepts HTML, and the address is not the API's) gets an
    /// error page of the site; API clients and everything else get problem JSON.
    static func wantsPage(_ request: Request) -> Bool {
        guard !request.uri.path.hasPrefix("/api/"), let accept = request.headers[.accept] else { return false }
        return accept.contains("text/html")
    }
}

extension JSONValue: ResponseGenerator {
    public func response(from request: Request, context: some RequestContext) throws -> Response { httpResponse() }

    func httpResponse(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: serialized())))
    }
}
