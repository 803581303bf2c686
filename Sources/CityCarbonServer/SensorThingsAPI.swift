import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird

/// The OGC SensorThings API 1.1 for integration keys: every sensing entity set, entities by id,
/// navigation, properties and `$value`, `$ref`, the query options; Things and Observations
/// created, changed and removed; `$batch`. Links are absolute, as clients follow `@iot.nextLink`
/// as given. The rules live in ``STAService``, ``STAUpdate`` and ``STABatch``; the entities come
/// from ``SensorThingsSource`` within the key's scope. A request alone and the same request inside
/// a batch go through one ``perform(_:)``.
struct SensorThingsAPI: Sendable {
    let database: CityCarbonDatabase
    let routes: RouteTable

    static let root = MonitoringAPI.staRoot

    /// What this server conforms to (SensorThings 1.1 requirement classes), on the service document.
    static let conformance = [
        "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/create-entity",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/update-entity",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/delete-entity",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/batch-request/batch-request",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
    ]

    /// One request as the service sees it, whether it came alone or inside a `$batch`.
    struct Call: Sendable {
        var method: HTTPRequest.Method
        /// Below the service root, as sent (percent-encoded).
        var path: String
        var query: String
        var contentType: String?
        var body: [UInt8]
        /// The service root as the client reached it.
        var base: String
        var principal: Principal
    }

    /// What the service answers to one call.
    struct Reply: Sendable {
        enum Body: Sendable { case json(JSONValue), text(String), empty }
        var status: HTTPResponse.Status = .ok
        var location: String?
        var body: Body

        var response: Response {
            var response: Response
            switch body {
            case let .json(value): response = value.httpResponse(status: status)
            case let .text(text):
                response = Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
            case .empty: response = Response(status: status)
            }
            if let location { response.headers[.location] = location }
            return response
        }
    }

    func addRoutes(to registrar: RouteRegistrar) {
        registrar.client(.get, Self.root, .ingestReadings) { request, _, _ in
            let base = Self.base(request)
            return JSONValue.object([
                ("value", .array(STAEntityType.allCases.map { .object([("name", .string($0.setName)), ("url", .string("\(base)/\($0.setName)"))]) })),
                ("serverSettings", .object([("conformance", .array(Self.conformance.map(JSONValue.string)))])),
            ]).httpResponse()
        }
        // A set's own address has routes of its own, so any other method there is answered 405 with what it takes;
        // its GET is registered beside them, as such a path is not matched by the wildcard.
        for (method, path) in [(HTTPRequest.Method.post, "Things"), (.post, "Observations"), (.post, "CreateObservations"),
                               (.get, "Things"), (.get, "Observations"), (.get, "**"), (.post, "**"), (.patch, "**"), (.put, "**"), (.delete, "**")] {
            registrar.client(method, "\(Self.root)/\(path)", .ingestReadings) { request, _, principal in
                try await perform(Self.call(request, principal, limit: path == "CreateObservations" ? BodyLimit.upload : BodyLimit.form)).response
            }
        }
        registrar.client(.post, "\(Self.root)/$batch", .ingestReadings) { request, context, principal in
            try await batch(Self.call(request, principal, limit: BodyLimit.upload), context: context).response
        }
    }

    static func call(_ request: Request, _ principal: Principal, limit: Int) async throws -> Call {
        let prefix = "/\(root)/"
        let path = request.uri.path.hasPrefix(prefix) ? String(request.uri.path.dropFirst(prefix.count)) : ""
        let body = request.method == .get || request.method == .delete || request.method == .head ? [] :
            [UInt8](try await FormData.body(of: request, limit: limit).readableBytesView)
        return Call(method: request.method, path: path, query: request.uri.query ?? "", contentType: request.headers[.contentType], body: body,
                    base: base(request), principal: principal)
    }

    func perform(_ call: Call) async throws -> Reply {
        let scope = call.principal.monitoringScope
        switch (call.method, call.path) {
        case (.get, _): return try answer(call)
        case (.post, "Things"):
            let draft = try SensorThings.thing(call.body)
            let id = try SensorThingsIntake(database).createThing(draft, scope: scope, organisation: call.principal.organisation, actor: call.principal.actor)
            guard case let .json(entity) = try service(call).get(STAPath(segments: [.entities(.thing, name: "Things", id: id, many: true)]),
                                                                STAQueryOptions(), query: "") else {
                throw ProblemDetails(.internalServerError, "the sensor was registered but cannot be read back")
            }
            return Reply(status: .created, location: "\(call.base)/Things(\(id))", body: .json(entity))
        case (.post, "Observations"):
            let observation = try SensorThings.observation(call.body)
            let id = try SensorThingsIntake(database).create([observation], scope: scope, actor: call.principal.actor)[0]
            let link = call.base + Self.selfLink(id)
            return Reply(status: .created, location: link, body: .json(.object([
                ("@iot.id", STAService.idJSON(id)), ("@iot.selfLink", .string(link)),
                ("phenomenonTime", .string(Timestamp.iso(observation.time))), ("result", .number(observation.result)),
            ])))
        case (.post, "CreateObservations"):
            let groups = try SensorThings.createObservations(call.body)
            let ids = try SensorThingsIntake(database).create(groups.flatMap { $0 }, scope: scope, actor: call.principal.actor)
            // The extension answers one self link per observation, in the order sent.
            return Reply(status: .created, body: .json(.array(ids.map { .string(call.base + Self.selfLink($0)) })))
        case (.post, _):
            // One entity's own address answers what its type takes; any other path only GET.
            let path = try Self.resource(call.path)
            var allow = ["GET", "HEAD"]
            if path.segments.count == 1, case let .entities(type, _, _?, _) = path.segments[0] { allow = STAUpdate.allowed(type) }
            throw STAUpdate.Refusal(allow: allow, "POST creates Things, Observations and CreateObservations at their sets' own addresses")
        default:
            guard let method = STAUpdate.Method(rawValue: call.method.rawValue) else {
                throw STAUpdate.Refusal(allow: ["GET", "HEAD"], "\(call.method.rawValue) is not a SensorThings method")
            }
            return try write(method, call)
        }
    }

    /// Below the service root: `/Observations('5-1764000000')`.
    static func selfLink(_ id: STAID) -> String { "/Observations(\(id))" }

    func service(_ call: Call) throws -> STAService {
        STAService(source: try SensorThingsSource(database, scope: call.principal.monitoringScope), root: call.base, now: Date().timeIntervalSince1970)
    }

    /// `PATCH` and `PUT` answer with the entity as it now is; `DELETE` with 200 and no body (SensorThings 1.1 §10.3–10.4).
    func write(_ method: STAUpdate.Method, _ call: Call) throws -> Reply {
        let (type, id) = try STAUpdate.target(try Self.resource(call.path), method)
        let intake = SensorThingsIntake(database)
        let scope = call.principal.monitoringScope
        let missing = ProblemDetails(.notFound, "no \(type.singular) \(id) that this key may see")
        if method == .delete {
            guard try intake.delete(type, id: id, scope: scope, actor: call.principal.actor) else { throw missing }
            return Reply(body: .empty)
        }
        let form = try STAUpdate.form(method, contentType: call.contentType)
        guard try intake.update(type, id: id, form: form, body: call.body, scope: scope, organisation: call.principal.organisation,
                                actor: call.principal.actor) else { throw missing }
        guard case let .json(entity) = try service(call).get(STAPath(segments: [.entities(type, name: type.setName, id: id, many: true)]),
                                                            STAQueryOptions(), query: "") else { throw missing }
        return Reply(body: .json(entity))
    }

    /// The resource path below the service root, decoded.
    static func resource(_ path: String) throws -> STAPath {
        guard let decoded = path.removingPercentEncoding else { throw ProblemDetails(.badRequest, "the path '\(path.prefix(80))' is not percent-encoded text") }
        return try STAPath.parse(decoded)
    }

    func answer(_ call: Call) throws -> Reply {
        let options = try STAQueryOptions.parse(Self.pairs(call.query))
        switch try service(call).get(try Self.resource(call.path), options, query: call.query) {
        case let .json(value): return Reply(body: .json(value))
        case let .text(text): return Reply(body: .text(text))
        case let .notFound(link): throw ProblemDetails(.notFound, "no entity at \(link) that this key may see")
        }
    }

    /// The service root as this client reached it: the `Host` it asked, over HTTPS when a proxy says so.
    static func base(_ request: Request) -> String {
        let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? "localhost"
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" ? "https" : "http"
        return "\(scheme)://\(host)/\(root)"
    }

    /// A query's `name=value` pairs, decoded; `+` is a space, as form-encoding clients send it.
    static func pairs(_ query: String) throws -> [(String, String)] {
        try query.split(separator: "&").map { part in
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) throws -> String {
                guard let value = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw ProblemDetails(.badRequest, "the query part '\(part.prefix(60))' is not percent-encoded text")
                }
                return value
            }
            return (try decoded(halves[0]), halves.count > 1 ? try decoded(halves[1]) : "")
        }
    }
}
