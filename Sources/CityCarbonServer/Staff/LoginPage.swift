import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird
import Logging

/// Signing in and out. The sign-in form carries a token that must match a cookie set with
/// it (there is no session yet to keep it in); failures are throttled per name and address.
struct LoginPage: Sendable {
    let database: CityCarbonDatabase
    let gate: Gatekeeper
    let throttle: LoginThrottle
    let addresses: ClientAddress
    let passwordCost: UInt8

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "login") { request, _ in
            let t = Localizer(Language.of(request))
            let token = request.cookies[Gatekeeper.loginCookie]?.value ?? Secret.make()
            return form(t, token: token, next: request.uri.queryParameters.get("next").map { String($0) }, name: "", problem: nil, status: .ok)
        }
        routes.open(.post, "login") { request, context in
            let t = Localizer(Language.of(request))
            let fields = try await FormData.read(request, limit: BodyLimit.form)
            let name = fields["username"] ?? "", next = fields["next"]
            guard let cookie = request.cookies[Gatekeeper.loginCookie]?.value, let token = fields["csrf"], Secret.equal(token, cookie) else {
                return form(t, token: Secret.make(), next: next, name: name, problem: t("login.expired"), status: .forbidden)
            }
            let address = addresses.of(request, peer: context.remoteAddress?.ipAddress)
            if let wait = throttle.wait(name: name, address: address) {
                let seconds = Int(wait.components.seconds) + 1
                var response = form(t, token: token, next: next, name: name, problem: t("login.throttled", ["minutes": String((seconds + 59) / 60)]),
                                    status: .tooManyRequests)
                response.headers[.retryAfter] = String(seconds)
                return response
            }
            guard let account = try AccountRepository(database, passwordCost: passwordCost).authenticate(username: name, password: fields["password"] ?? "") else {
                throttle.failed(name: name, address: address)
                context.logger.warning("sign-in refused", metadata: ["username": .string(name), "address": .string(address ?? "-")])
                return form(t, token: token, next: next, name: name, problem: t("login.failed"), status: .unauthorized)
            }
            throttle.succeeded(name: name, address: address)
            let (sessionToken, _) = try SessionRepository(database).open(for: account, lifetime: gate.sessionLifetime)
            context.logger.info("signed in", metadata: ["username": .string(account.username), "role": .string(account.role.rawValue)])
            return StaffLayout.redirect(Self.safeNext(next), headers: [
                .setCookie: gate.cookie(Gatekeeper.sessionCookie, sessionToken, maxAge: Int(gate.sessionLifetime)),
                .setCookie: gate.cookie(Gatekeeper.loginCookie, "", maxAge: 0),
            ])
        }
        routes.staff(.post, "logout", .signIn) { request, _, _ in
            if let token = request.cookies[Gatekeeper.sessionCookie]?.value { try SessionRepository(database).close(token: token) }
            return StaffLayout.redirect("/", headers: [.setCookie: gate.cookie(Gatekeeper.sessionCookie, "", maxAge: 0)])
        }
    }

    /// Only a path on this server: printable ASCII that a browser keeps as it is, starting with
    /// one `/` — never `//host`, `/\\host`, a scheme, or a tab or newline that a browser would
    /// drop to turn `/\t/evil.example` into `//evil.example`. Anything else goes to `/staff`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("/login") else { return "/staff" }
        let bytes = Array(next.utf8)
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return "/staff" }
        let forbidden = Set(" \"<>\\^`{|}".utf8)
        guard bytes.count <= 2048, bytes.allSatisfy({ (0x21...0x7E).contains($0) && !forbidden.contains($0) }) else { return "/staff" }
        return next
    }

    func form(_ t: Localizer, token: String, next: String?, name: String, problem: String?, status: HTTPResponse.Status) -> Response {
        let alert: HTML? = problem.map { "<p class=\"problem\" role=\"alert\">\($0)</p>" }
        let html: HTML = """
            \(Layout.head(t, title: "\(t("login.title")) — CityCarbon"))<body class="staff">\
            <a class="skip" href="#main">\(t("nav.skip"))</a><header><h1>\(t("login.title"))</h1><nav><a href="/">\(t("staff.nav.public"))</a>\
            \(Layout.languageSwitch(t, query: next.map { [("next", $0)] } ?? []))</nav></header><main id="main"><section>\(alert)\
            <form method="post" action="/login"><input type="hidden" name="csrf" value="\(token)">\
            <input type="hidden" name="next" value="\(Self.safeNext(next))">\
            <label for="username">\(t("login.username"))</label><input id="username" name="username" autocomplete="username" required value="\(name)">\
            <label for="password">\(t("login.password"))</label><input id="password" name="password" type="password" autocomplete="current-password" required>\
            <p><button type="submit">\(t("login.submit"))</button></p></form></section></main></body></html>
            """
        return StaffLayout.html(html, status: status, headers: [.setCookie: gate.cookie(Gatekeeper.loginCookie, token, maxAge: 3600)])
    }
}
