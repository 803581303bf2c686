import CarbonInclusion
import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird

/// The partner-facing carbon-inclusion API: behaviour events in, a resident's account, claims,
/// redemptions, export and erasure; a token for OAuth clients; and the public figures. Every
/// refusal a resident meets (an event's rule, a claim's window, a redemption's stock) comes
/// back with its reason for the partner's app to show.
struct InclusionAPI: Sendable {
    let database: CityCarbonDatabase
    /// Posts arriving together share a durable commit.
    let intake: InclusionCommitQueue

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.post, "api/v1/inclusion/token") { request, _ in
            try await token(request)
        }
        routes.partner(.post, "api/v1/inclusion/events", bodyLimit: 8 * 1024 * 1024, ownsNonce: true) { _, _, call in
            let events: [BehaviourEvent]
            switch PartnerBatch.decode(call.body, partner: call.partner.code, scheme: call.partner.scheme) {
            case let .success(decoded): events = decoded
            case let .failure(errors): throw errors
            }
            try InclusionIntake(database).checkDistricts(events)
            let posted: [PostedEvent]
            do {
                posted = try await intake.submit(.init(events: events, partner: call.partner, nonce: call.nonce))
            } catch let refusal as InclusionRefusal {
                throw ProblemDetails(refusal.isReplayOrRevoked ? .unauthorized : .conflict, refusal.description)
            } catch let conflict as IntakeConflict {
                // Nothing was stored: the partner may send the same post again.
                throw ProblemDetails(.serviceUnavailable, conflict.description, retryAfter: 1)
            }
            return JSONValue.object([("results", .array(posted.map(Self.json)))]).httpResponse()
        }
        routes.partner(.get, "api/v1/inclusion/accounts/:account") { _, context, call in
            let did = try account(context)
            let view = try refusing { try InclusionAccounts(database).account(scheme: call.partner.scheme, did: did, partner: call.partner.code) }
            return JSONValue.object([
                ("scheme", .string(view.scheme)), ("account", .string(view.did)),
                ("points", .object([("pending", .integer(Int(view.balance.pending))), ("available", .integer(Int(view.balance.available))),
                                    ("held", .integer(Int(view.balance.held)))])),
                ("gramsCredited", .string(view.grams.description)),
                ("credits", .array(view.credits.map { credit in
                    // Another partner's serials are its own business.
                    .object([("id", .integer(Int(credit.id))), ("partner", .string(credit.partner)),
                             ("serial", credit.partner == call.partner.code ? .string(credit.serial) : .null),
                             ("scenario", .string(credit.scenario)), ("status", .string(credit.status))] + Self.outcomeFields(credit.outcome))
                })),
            ]).httpResponse()
        }
        routes.partner(.post, "api/v1/inclusion/accounts/:account/claims") { _, context, call in
            let did = try account(context)
            let ids = try Self.claimIDs(call.body)
            let results = try refusing {
                try InclusionAccounts(database).claim(scheme: call.partner.scheme, did: did, ids: ids, partner: call.partner.code)
            }
            return JSONValue.object([("results", .array(results.map { item in
                switch item.result {
                case let .success(points): .object([("id", .integer(Int(item.id))), ("claimed", .bool(true)), ("points", .integer(Int(points)))])
                case let .failure(refusal): .object([("id", .integer(Int(item.id))), ("claimed", .bool(false)), ("reason", .string(refusal.description))])
                }
            }))]).httpResponse()
        }
        routes.partner(.post, "api/v1/inclusion/accounts/:account/redemptions") { _, context, call in
            let did = try account(context)
            let (serial, item, quantity) = try Self.redemption(call.body)
            let result = try refusing {
                try InclusionAccounts(database).redeem(scheme: call.partner.scheme, did: did, item: item, quantity: quantity, serial: serial,
                                                       partner: call.partner.code)
            }
            return JSONValue.object([("id", .integer(Int(result.id))), ("points", .integer(Int(result.points))), ("repeated", .bool(result.repeated))])
                .httpResponse(status: result.repeated ? .ok : .created)
        }
        routes.partner(.get, "api/v1/inclusion/accounts/:account/export") { _, context, call in
            let did = try account(context)
            return try refusing { try InclusionAccounts(database).export(scheme: call.partner.scheme, did: did, partner: call.partner.code) }.httpResponse()
        }
        routes.partner(.delete, "api/v1/inclusion/accounts/:account") { _, context, call in
            let did = try account(context)
            try refusing { try InclusionAccounts(database).erase(scheme: call.partner.scheme, did: did, partner: call.partner.code,
                                                                 by: "partner:\(call.partner.code)") }
            return Response(status: .noContent)
        }
        routes.partner(.get, "api/v1/inclusion/catalogue") { _, _, call in
            let items = try InclusionAccounts(database).items(scheme: call.partner.scheme)
            return JSONValue.object([("items", .array(items.map { item in
                .object([("code", .string(item.code)), ("merchant", .string(item.merchant)), ("name", .string(item.name)),
                         ("pricePoints", .integer(Int(item.pricePoints))), ("faceValueCNY", .string(item.faceValueCNY.description)),
                         ("stockPerMonth", item.stockPerMonth.map { .integer(Int($0)) } ?? .null),
                         ("perAccountPerMonth", item.perAccountPerMonth.map { .integer(Int($0)) } ?? .null)])
            }))]).httpResponse()
        }
    }

    /// The account path parameter: a partner's pseudonym, at most 128 printable ASCII characters.
    private func account(_ context: CityCarbonContext) throws -> String {
        let did = try context.parameters.decoded("account")
        guard !did.isEmpty, did.utf8.count <= 128, did.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw InputErrors([InputIssue(InputLocation(field: "account"), value: String(did.prefix(80)),
                                          reason: "must be 1 to 128 printable ASCII characters without spaces")])
        }
        return did
    }

    /// Runs a store call, turning its refusals into problem responses.
    private func refusing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let refusal as InclusionRefusal {
            switch refusal {
            case .unknownAccount, .unknownCredit, .unknownItem: throw ProblemDetails(.notFound, refusal.description)
            case _ where refusal.isReplayOrRevoked: throw ProblemDetails(.unauthorized, refusal.description)
            default: throw ProblemDetails(.conflict, refusal.description)
            }
        }
    }

    /// OAuth 2.0 client credentials (RFC 6749 §4.4): the client id and secret in HTTP Basic or
    /// the form; errors as §5.2 says.
    private func token(_ request: Request) async throws -> Response {
        let body = try await FormData.body(of: request, limit: BodyLimit.form)
        let form = FormData.urlEncoded(String(buffer: body))
        func failure(_ status: HTTPResponse.Status, _ error: String, _ description: String) -> Response {
            var response = JSONValue.object([("error", .string(error)), ("error_description", .string(description))]).httpResponse(status: status)
            response.headers[.cacheControl] = "no-store"
            if status == .unauthorized { response.headers[.wwwAuthenticate] = "Basic realm=\"citycarbon-inclusion\"" }
            return response
        }
        guard form["grant_type"] == "client_credentials" else {
            return failure(.badRequest, form["grant_type"] == nil ? "invalid_request" : "unsupported_grant_type",
                           "grant_type must be client_credentials")
        }
        var id = form["client_id"], secret = form["client_secret"]
        // RFC 6749 §2.3: a client uses one authentication method per request.
        if request.headers[.authorization] != nil, id != nil || secret != nil {
            return failure(.badRequest, "invalid_request", "send the client credentials either in the Authorization header or in the form, not both")
        }
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
           let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)).flatMap({ String(data: $0, encoding: .utf8) }),
           let colon = decoded.firstIndex(of: ":") {
            id = String(decoded[..<colon]).removingPercentEncoding
            secret = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding
        }
        guard let id, let secret else { return failure(.badRequest, "invalid_request", "client_id and client_secret are required") }
        guard let issued = try InclusionPartners(database).issueToken(clientID: id, clientSecret: secret, now: Int64(Date().timeIntervalSince1970)) else {
            return failure(.unauthorized, "invalid_client", "the client id or secret is wrong, or the partner is revoked")
        }
        var response = JSONValue.object([("access_token", .string(issued.token)), ("token_type", .string("Bearer")),
                                         ("expires_in", .integer(Int(issued.expiresIn)))]).httpResponse()
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Pragma")!] = "no-cache"
        return response
    }

    static func outcomeFields(_ outcome: ScreeningOutcome) -> [(String, JSONValue)] {
        [("decision", .string(outcome.decision.rawValue)), ("day", .string(outcome.day.description)),
         ("methodology", outcome.methodology.map(JSONValue.string) ?? .null), ("grams", .string(outcome.grams.description)),
         ("points", .integer(Int(outcome.points))), ("rule", outcome.rule.map(JSONValue.string) ?? .null),
         ("reason", outcome.reason.map(JSONValue.string) ?? .null),
         ("claimableFrom", outcome.claimableFrom.map { .string($0.description) } ?? .null),
         ("claimableUntil", outcome.claimableUntil.map { .string($0.description) } ?? .null)]
    }

    static func json(_ posted: PostedEvent) -> JSONValue {
        .object([("serial", .string(posted.serial)), ("id", posted.id.map { .integer(Int($0)) } ?? .null), ("status", .string(posted.status)),
                 ("repeated", .bool(posted.repeated))] + outcomeFields(posted.outcome))
    }

    /// `{"credits": [1, 2]}` claims those; `{}` or no body claims every open one.
    static func claimIDs(_ body: Data) throws -> [Int64]? {
        guard !body.isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw InputErrors([InputIssue(InputLocation(field: "body"), reason: "must be a JSON object, like {\"credits\": [12, 13]}")])
        }
        guard let list = object["credits"] else { return nil }
        guard let numbers = list as? [Any], numbers.count <= 1_000 else {
            throw InputErrors([InputIssue(InputLocation(field: "credits"), reason: "must be an array of at most 1,000 credit ids")])
        }
        return try numbers.enumerated().map { index, item in
            guard let number = item as? NSNumber, let id = Int64(number.stringValue), id >= 1 else {
                throw InputErrors([InputIssue(InputLocation(field: "credits[\(index)]"), value: "\(item)", reason: "must be a credit id")])
            }
            return id
        }
    }

    static func redemption(_ body: Data) throws -> (serial: String, item: String, quantity: Int64) {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw InputErrors([InputIssue(InputLocation(field: "body"), reason: "must be a JSON object, like {\"serial\": \"r-1\", \"item\": \"voucher-5\", \"quantity\": 1}")])
        }
        var issues: [InputIssue] = []
        func code(_ field: String) -> String? {
            guard let text = object[field] as? String, !text.isEmpty, text.utf8.count <= 64, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                issues.append(InputIssue(InputLocation(field: field), value: object[field].map { "\($0)".prefix(80).description },
                                         reason: "must be 1 to 64 printable ASCII characters"))
                return nil
            }
            return text
        }
        let serial = code("serial"), item = code("item")
        var quantity: Int64 = 1
        if let raw = object["quantity"] {
            if let number = raw as? NSNumber, !String(describing: type(of: number)).contains("Boolean"), let value = Int64(number.stringValue),
               (1...100).contains(value) { quantity = value } else {
                issues.append(InputIssue(InputLocation(field: "quantity"), value: "\(raw)".prefix(80).description, reason: "must be a whole number 1 to 100"))
            }
        }
        guard issues.isEmpty, let serial, let item else { throw InputErrors(issues) }
        return (serial, item, quantity)
    }
}

extension InclusionRefusal {
    /// Refusals of who is asking rather than of what is asked: 401.
    var isReplayOrRevoked: Bool {
        switch self {
        case .replay, .revokedPartner: true
        default: false
        }
    }
}
