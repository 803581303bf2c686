import CityCarbonStore
import Foundation
import Hummingbird
import Synchronization

/// Finds who is asking: the session behind the `cc_session` cookie, or the API key in
/// `Authorization: Bearer`. Cookies are HttpOnly and SameSite=Strict, and Secure when the
/// server runs behind HTTPS.
struct Gatekeeper: Sendable {
    let database: CityCarbonDatabase
    let secureCookies: Bool
    var sessionLifetime: TimeInterval = 8 * 3600

    static let sessionCookie = "cc_session"
    /// The sign-in form's own CSRF token, before there is a session (double-submit cookie).
    static let loginCookie = "cc_login"

    func session(_ request: Request) throws -> StaffSession? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else { return nil }
        return try SessionRepository(database).session(token: token)
    }

    func apiKey(_ request: Request) throws -> APIKey? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        return try APIKeyRepository(database).authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
    }

    func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }
}

/// Refuses sign-in after repeated failures: five per account name and twenty per network
/// address in fifteen minutes, so guessing a password is slow even across many names.
final class LoginThrottle: Sendable {
    let window: Duration
    let perName: Int
    let perAddress: Int
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(window: Duration = .seconds(15 * 60), perName: Int = 5, perAddress: Int = 20) {
        self.window = window
        self.perName = perName
        self.perAddress = perAddress
    }

    /// How long to wait before trying again, or nil when a try is allowed now.
    func wait(name: String, address: String?) -> Duration? {
        let now = ContinuousClock.now
        return failures.withLock { table in
            var longest: Duration?
            for (key, limit) in keys(name: name, address: address) {
                let recent = (table[key] ?? []).filter { now - $0 < window }
                table[key] = recent
                if recent.count >= limit, let oldest = recent.first {
                    let wait = window - (now - oldest)
                    longest = max(longest ?? .zero, wait)
                }
            }
            return longest
        }
    }

    func failed(name: String, address: String?) {
        let now = ContinuousClock.now
        failures.withLock { table in
            if table.count > 10_000 { table = table.filter { !$0.value.isEmpty && now - $0.value.last! < window } }
            for (key, _) in keys(name: name, address: address) { table[key, default: []].append(now) }
        }
    }

    func succeeded(name: String) {
        _ = failures.withLock { $0.removeValue(forKey: "name:" + name.lowercased()) }
    }

    private func keys(name: String, address: String?) -> [(String, Int)] {
        [("name:" + name.lowercased(), perName)] + (address.map { [("address:" + $0, perAddress)] } ?? [])
    }
}
