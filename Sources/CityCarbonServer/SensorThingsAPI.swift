import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird

/// The read side of the OGC SensorThings API 1.1 for integration keys: every sensing entity set,
/// entities by id, navigation, properties and `$value`, `$ref`, and the query options. Links are
/// absolute, as clients follow `@iot.nextLink` as given. The rules live in ``STAService``; the
/// entities come from ``SensorThingsSource`` within the key's scope.
struct SensorThingsAPI: Sendable {
    let database: CityCarbonDatabase

    static let root = MonitoringAPI.staRoot

    /// What this server conforms to (SensorThings 1.1 requirement classes), on the service document.
    static let conformance = [
        "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/create-entity",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/update-entity",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/delete-entity",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
    ]

    func addRoutes(to routes: RouteRegistrar) {
        routes.client(.get, Self.root, .ingestReadings) { request, _, _ in
            let base = Self.base(request)
            return JSONValue.object([
                ("value", .array(STAEntityType.allCases.map { .object([("name", .string($0.setName)), ("url", .string("\(base)/\($0.setName)"))]) })),
                ("serverSettings", .object([("conformance", .array(Self.conformance.map(JSONValue.string)))])),
            ]).httpResponse()
        }
        routes.client(.post, "\(Self.root)/Things", .ingestReadings) { request, _, principal in
            let body = try await FormData.body(of: request, limit: BodyLimit.form)
            let draft = try SensorThings.thing([UInt8](body.readableBytesView))
            let id = try SensorThingsIntake(database).createThing(draft, scope: principal.monitoringScope, organisation: principal.organisation,
                                                                   actor: principal.actor)
            let service = STAService(source: try SensorThingsSource(database, scope: principal.monitoringScope), root: Self.base(request),
                                     now: Date().timeIntervalSince1970)
            guard case let .json(entity) = try service.get(STAPath(segments: [.entities(.thing, name: "Things", id: id, many: true)]),
                                                           STAQueryOptions(), query: "") else {
                throw ProblemDetails(.internalServerError, "the sensor was registered but cannot be read back")
            }
            var response = entity.httpResponse(status: .created)
            response.headers[.location] = "\(Self.base(request))/Things(\(id))"
            return response
        }
        // The create side has its own routes at these paths; the GET of each is here.
        // A path with a route of another method is matched by that path, not by the wildcard: its GET is registered too.
        for path in ["\(Self.root)/Things", "\(Self.root)/Observations", "\(Self.root)/**"] {
            routes.client(.get, path, .ingestReadings) { request, _, principal in
                try self.answer(request, principal)
            }
        }
        // A set's own address (`/Things`) has routes of its own, so a write to it is answered 405 with what it takes.
        for method in [STAUpdate.Method.patch, .put, .delete] {
            routes.client(HTTPRequest.Method(method.rawValue)!, "\(Self.root)/**", .ingestReadings) { request, _, principal in
                try await self.write(method, request, principal)
            }
        }
    }

    /// `PATCH` and `PUT` answer with the entity as it now is; `DELETE` with 200 and no body (SensorThings 1.1 §10.3–10.4).
    func write(_ method: STAUpdate.Method, _ request: Request, _ principal: Principal) async throws -> Response {
        let (type, id) = try STAUpdate.target(try Self.resource(request), method)
        let intake = SensorThingsIntake(database)
        let missing = ProblemDetails(.notFound, "no \(type.singular) \(id) that this key may see")
        if method == .delete {
            guard try intake.delete(type, id: id, scope: principal.monitoringScope, actor: principal.actor) else { throw missing }
            return Response(status: .ok)
        }
        let form = try STAUpdate.form(method, contentType: request.headers[.contentType])
        let body = try await FormData.body(of: request, limit: BodyLimit.form)
        guard try intake.update(type, id: id, form: form, body: [UInt8](body.readableBytesView), scope: principal.monitoringScope,
                                organisation: principal.organisation, actor: principal.actor) else { throw missing }
        let service = STAService(source: try SensorThingsSource(database, scope: principal.monitoringScope), root: Self.base(request),
                                 now: Date().timeIntervalSince1970)
        guard case let .json(entity) = try service.get(STAPath(segments: [.entities(type, name: type.setName, id: id, many: true)]),
                                                       STAQueryOptions(), query: "") else { throw missing }
        return entity.httpResponse()
    }

    /// The resource path below the service root, decoded.
    static func resource(_ request: Request) throws -> STAPath {
        let prefix = "/\(root)/"
        let raw = request.uri.path
        guard raw.hasPrefix(prefix), let path = String(raw.dropFirst(prefix.count)).removingPercentEncoding else {
            throw ProblemDetails(.notFound, "no resource at \(raw)")
        }
        return try STAPath.parse(path)
    }

    func answer(_ request: Request, _ principal: Principal) throws -> Response {
        let query = request.uri.query ?? ""
        let options = try STAQueryOptions.parse(Self.pairs(query))
        let resource = try Self.resource(request)
        let service = STAService(source: try SensorThingsSource(database, scope: principal.monitoringScope), root: Self.base(request),
                                 now: Date().timeIntervalSince1970)
        switch try service.get(resource, options, query: query) {
        case let .json(value): return value.httpResponse()
        case let .text(text):
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
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
