import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird

/// `POST $batch` (SensorThings 1.1 §11.2) in OData's JSON batch format: each request runs in order
/// through the same ``SensorThingsAPI/perform(_:)`` as alone, and answers in `responses` with its
/// id, status, headers and body. Atomicity groups would need the writes of several requests in
/// one transaction, which the stores do not offer: their requests are not run (501), so nothing
/// of a group is half applied.
extension SensorThingsAPI {
    /// The most a batch's answers may hold: a small batch of large reads would otherwise make one
    /// request cost the server what a thousand would. Requests after it are not run (the client sends them again).
    static let batchAnswerBudget = 16 * 1024 * 1024

    func batch(_ call: Call, context: CityCarbonContext) async throws -> Reply {
        if let type = call.contentType?.lowercased(), type.hasPrefix("multipart/") {
            throw ProblemDetails(.unsupportedMediaType, "batches are read in the JSON format (application/json, OData JSON Format 4.01 §19), not as multipart")
        }
        let path = "/" + Self.root
        let batch = try STABatch.read(call.body, roots: [call.base, path])
        var responses: [JSONValue] = []
        var failed = Set<String>()
        var created: [String: String] = [:]
        var answered = 0
        for request in batch.requests {
            var headers: [(String, JSONValue)] = []
            let reply: Reply
            if answered > Self.batchAnswerBudget {
                reply = Self.problemReply(ProblemDetails(.contentTooLarge, "the batch's answers passed 16 MiB before this request; send it in another batch"))
            } else if request.atomicityGroup != nil {
                reply = Self.problemReply(ProblemDetails(.notImplemented, "atomicity groups are not run: send the requests without atomicityGroup, each applied on its own"))
            } else if request.url == "$batch" || request.url.hasPrefix("$batch?") {
                reply = Self.problemReply(ProblemDetails(.badRequest, "a batch does not hold another batch"))
            } else if let blocker = request.dependsOn.first(where: failed.contains) {
                reply = Self.problemReply(ProblemDetails(HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency"), "request \(blocker), which this one depends on, failed"))
            } else if let url = STABatch.resolve(request.url, created: created) {
                let parts = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                let inner = Call(method: HTTPRequest.Method(request.method)!, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "",
                                 contentType: request.contentType ?? (request.body.isEmpty ? nil : "application/json"), body: request.body, base: call.base,
                                 principal: call.principal)
                do {
                    reply = inner.path == "$batch" ? Self.problemReply(ProblemDetails(.badRequest, "a batch does not hold another batch"))
                        : try await perform(inner)
                } catch {
                    let (problem, allow) = ProblemDetails.problem(for: error, path: path + "/" + inner.path, routes: routes, logger: context.logger)
                    reply = Self.problemReply(problem)
                    if let allow { headers.append(("allow", .string(allow))) }
                }
            } else {
                reply = Self.problemReply(ProblemDetails(.badRequest, "\(request.url.prefix(80)) names a request of this batch that created nothing"))
            }
            if reply.status.code >= 400 { failed.insert(request.id) }
            if let location = reply.location {
                headers.append(("location", .string(location)))
                if location.hasPrefix(call.base + "/") { created[request.id] = String(location.dropFirst(call.base.count + 1)) }
            }
            var members: [(String, JSONValue)] = [("id", .string(request.id)), ("status", .integer(Int(reply.status.code)))]
            switch reply.body {
            case let .json(value):
                answered += value.serialized().utf8.count
                headers.append(("content-type", .string(reply.status.code >= 400 ? "application/problem+json" : "application/json")))
                members += [("headers", .object(headers)), ("body", value)]
            case let .text(text):
                headers.append(("content-type", .string("text/plain; charset=utf-8")))
                members += [("headers", .object(headers)), ("body", .string(text))]
            case .empty:
                if !headers.isEmpty { members.append(("headers", .object(headers))) }
            }
            responses.append(.object(members))
        }
        return Reply(body: .json(.object([("responses", .array(responses))])))
    }

    static func problemReply(_ problem: ProblemDetails) -> Reply { Reply(status: problem.status, body: .json(problem.json)) }
}
