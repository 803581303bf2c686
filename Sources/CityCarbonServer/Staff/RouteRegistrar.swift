import CarbonInclusion
import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird

/// A request of a signed-in account that passed its route's checks.
struct StaffCall: Sendable {
    let session: StaffSession
    /// The query of a GET, the body of a POST.
    let form: FormData
    let t: Localizer
    var principal: Principal { session.account.principal }
    var actor: String { session.account.username }
}

/// Adds every route with its access, checked before the handler runs: the one place where
/// sessions, CSRF tokens, API keys and the role matrix are enforced.
struct RouteRegistrar {
    let router: Router<CityCarbonContext>
    let table: RouteTable
    let gate: Gatekeeper
    var partnerClockTolerance: Int64 = PartnerSignature.toleranceSeconds

    func open(_ method: HTTPRequest.Method, _ path: String,
              _ handler: @escaping @Sendable (Request, CityCarbonContext) async throws -> Response) {
        table.record(method: method.rawValue, path: "/" + path, access: .everyone)
        on(path, method, handler)
    }

    /// Registers `handler`, and for a GET the same handler for HEAD (RFC 9110 §9.3.2), whose
    /// body ``EdgeMiddleware`` drops.
    private func on(_ path: String, _ method: HTTPRequest.Method,
                    _ handler: @escaping @Sendable (Request, CityCarbonContext) async throws -> Response) {
        router.on(RouterPath(path), method: method, use: handler)
        if method == .get { router.on(RouterPath(path), method: .head, use: handler) }
    }

    /// A staff page or form. Without a session a GET goes to the sign-in page and a POST is
    /// refused; a POST must carry the session's CSRF token in its `csrf` field.
    func staff(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission, bodyLimit: Int = BodyLimit.form,
               _ handler: @escaping @Sendable (Request, CityCarbonContext, StaffCall) async throws -> Response) {
        table.record(method: method.rawValue, path: "/" + path, access: .staff(permission))
        let gate = gate
        on(path, method) { request, context in
            let t = Localizer(Language.of(request))
            guard let session = try gate.session(request) else {
                if method == .get || request.method == .head {
                    let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                    return StaffLayout.redirect("/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/staff"))
                }
                return StaffLayout.message(t, status: .unauthorized, title: t("staff.signedout.title"), text: t("staff.signedout.text"), link: "/login")
            }
            guard session.account.principal.may(permission) else {
                return StaffLayout.message(t, status: .forbidden, title: t("staff.forbidden.title"),
                                           text: t("staff.forbidden.text", ["role": session.account.role.rawValue]), link: "/staff")
            }
            var form = FormData()
            if method == .get || request.method == .head {
                for item in request.uri.queryParameters { form.fields[String(item.key), default: []].append(String(item.value)) }
            } else {
                form = try await FormData.read(request, limit: bodyLimit)
                guard let token = form["csrf"], Secret.equal(token, session.csrfToken) else {
                    return StaffLayout.message(t, status: .forbidden, title: t("staff.csrf.title"), text: t("staff.csrf.text"), link: request.uri.path)
                }
            }
            let call = StaffCall(session: session, form: form, t: t)
            do {
                return try await handler(request, context, call)
            } catch let errors as InputErrors {
                return StaffLayout.page(t, call, title: t("staff.invalid.title"), status: .badRequest,
                                        body: "<p>\(t("staff.invalid.text"))</p>" + StaffLayout.issueTable(t, errors.issues))
            } catch let denied as AccessDenied {
                return StaffLayout.page(t, call, title: t("staff.forbidden.title"), status: .forbidden, body: "<p>\(denied.reason)</p>")
            } catch let problem as ProblemDetails {
                return StaffLayout.page(t, call, title: problem.title, status: problem.status, body: "<p>\(problem.detail)</p>")
            }
        }
    }

    /// An API write for integration clients, authorised by an API key in `Authorization: Bearer`.
    func client(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission,
                _ handler: @escaping @Sendable (Request, CityCarbonContext, Principal) async throws -> Response) {
        table.record(method: method.rawValue, path: "/" + path, access: .client(permission))
        let gate = gate
        on(path, method) { request, context in
            guard let key = try gate.apiKey(request) else {
                var response = ProblemDetails(.unauthorized, "this route needs an API key: Authorization: Bearer cck_…").json.httpResponse(status: .unauthorized)
                response.headers[.contentType] = "application/problem+json"
                response.headers[.wwwAuthenticate] = "Bearer realm=\"citycarbon\""
                return response
            }
            guard key.principal.may(permission) else {
                throw ProblemDetails(.forbidden, "the key \(key.name) has the role \(key.role.rawValue), which may not \(permission.rawValue.replacingOccurrences(of: "_", with: " "))")
            }
            return try await handler(request, context, key.principal)
        }
    }

    /// A carbon-inclusion partner's call, by signature (`X-CityCarbon-Partner`, `-Timestamp`,
    /// `-Nonce`, `-Signature`: ``PartnerSignature``) or by a bearer token from
    /// `/api/v1/inclusion/token`. A signed request's nonce is used here, once, unless the route
    /// takes it into its own transaction (`ownsNonce`: intake uses it in the commit that stores
    /// the events, so a post and its nonce are kept or lost together).
    func partner(_ method: HTTPRequest.Method, _ path: String, bodyLimit: Int = BodyLimit.form, ownsNonce: Bool = false,
                 _ handler: @escaping @Sendable (Request, CityCarbonContext, PartnerCall) async throws -> Response) {
        table.record(method: method.rawValue, path: "/" + path, access: .partner)
        let database = gate.database, tolerance = partnerClockTolerance
        on(path, method) { request, context in
            let partners = InclusionPartners(database)
            let now = Int64(Date().timeIntervalSince1970)
            let body = Data(buffer: try await FormData.body(of: request, limit: bodyLimit))
            if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
                guard let partner = try partners.authenticate(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), now: now) else {
                    return Self.unauthorized("the bearer token is not a live partner token: get one from POST /api/v1/inclusion/token")
                }
                return try await handler(request, context, PartnerCall(partner: partner, body: body, nonce: nil))
            }
            guard let code = request.headers[.partnerCode], let timestamp = request.headers[.partnerTimestamp],
                  let nonce = request.headers[.partnerNonce], let signature = request.headers[.partnerSignature] else {
                return Self.unauthorized("this route needs a partner's signature (X-CityCarbon-Partner, -Timestamp, -Nonce, -Signature) or bearer token")
            }
            // An unknown partner gets the answer a wrong signature gets: which codes exist is not told.
            guard let (partner, secret) = try partners.signingSecret(of: code) else {
                return Self.unauthorized(PartnerSignature.Refusal.badSignature.description)
            }
            let signedPath = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            if let refusal = PartnerSignature.verify(secret: secret, timestamp: timestamp, nonce: nonce, signature: signature,
                                                     method: method.rawValue, path: signedPath, body: body, now: now, tolerance: tolerance) {
                return Self.unauthorized(refusal.description)
            }
            if !ownsNonce, try !partners.useNonce(nonce, partner: partner.code, now: now) {
                return Self.unauthorized(InclusionRefusal.replay(nonce: nonce).description)
            }
            return try await handler(request, context, PartnerCall(partner: partner, body: body, nonce: ownsNonce ? nonce : nil))
        }
    }

    static func unauthorized(_ detail: String) -> Response {
        var response = ProblemDetails(.unauthorized, detail).json.httpResponse(status: .unauthorized)
        response.headers[.contentType] = "application/problem+json"
        response.headers[.wwwAuthenticate] = "Bearer realm=\"citycarbon-inclusion\""
        return response
    }
}

/// A partner's call that passed its route's checks.
struct PartnerCall: Sendable {
    let partner: InclusionPartner
    let body: Data
    /// The signed request's nonce, for a route that uses it in its own transaction.
    let nonce: String?
}

extension HTTPField.Name {
    static let partnerCode = HTTPField.Name("X-CityCarbon-Partner")!
    static let partnerTimestamp = HTTPField.Name("X-CityCarbon-Timestamp")!
    static let partnerNonce = HTTPField.Name("X-CityCarbon-Nonce")!
    static let partnerSignature = HTTPField.Name("X-CityCarbon-Signature")!
}
