import CarbonKit
import Foundation
import Hummingbird

/// An API error as RFC 9457 `application/problem+json`: a type, a title, the HTTP status and
/// a detail a person can act on; input problems also list every issue with its place.
public struct ProblemDetails: HTTPResponseError {
    public let status: HTTPResponse.Status
    public let title: String
    public let detail: String
    public let issues: [InputIssue]

    public init(_ status: HTTPResponse.Status, _ detail: String, issues: [InputIssue] = []) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.issues = issues
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("about:blank")), ("title", .string(title)), ("status", .integer(Int(status.code))), ("detail", .string(detail)),
        ]
        if !issues.isEmpty {
            members.append(("errors", .array(issues.map { issue in
                var fields: [(String, JSONValue)] = [("reason", .string(issue.reason))]
                if let row = issue.location.row { fields.append(("row", .integer(row))) }
                if let column = issue.location.column { fields.append(("column", .integer(column))) }
                if let field = issue.location.field { fields.append(("field", .string(field))) }
                if let value = issue.value { fields.append(("value", .string(value))) }
                if let suggestion = issue.suggestion { fields.append(("suggestion", .string(suggestion))) }
                return .object(fields)
            })))
        }
        return .object(members)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/problem+json"],
                 body: .init(byteBuffer: ByteBuffer(string: json.serialized())))
    }
}

/// Turns every error a handler throws into a problem response, so a client never sees a
/// bare 500 or an HTML error page from the API.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route, to answer a known path asked with another method by 405 and its Allow list.
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            return try problem.response(from: request, context: context)
        } catch let errors as InputErrors {
            return try ProblemDetails(.badRequest, "the request has \(errors.issues.count) problem(s)", issues: errors.issues)
                .response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound && !routes.methods(matching: request.uri.path).isEmpty {
            // The path exists with other methods: 405 and the list of those.
            let allow = routes.methods(matching: request.uri.path).sorted().joined(separator: ", ")
            var response = try ProblemDetails(.methodNotAllowed, "\(request.uri.path) answers \(allow) only").response(from: request, context: context)
            response.headers[.allow] = allow
            return response
        } catch let error as HTTPError {
            let detail = error.status == .notFound ? "no resource at \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            return try ProblemDetails(error.status, detail).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string("\(error)")])
            return try ProblemDetails(.internalServerError, "the server could not answer this request").response(from: request, context: context)
        }
    }
}

extension JSONValue: ResponseGenerator {
    public func response(from request: Request, context: some RequestContext) throws -> Response { httpResponse() }

    func httpResponse(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: serialized())))
    }
}
