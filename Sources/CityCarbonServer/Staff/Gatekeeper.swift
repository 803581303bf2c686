import CityCarbonPages
import CityCarbonStore
import Foundation
import HTTPTypes
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

    /// The key of `Authorization: Bearer cck_…`, or of HTTP Basic with the key as the password (any
    /// user name): SensorThings clients such as FROST's and QGIS's offer only Basic.
    func apiKey(_ request: Request) throws -> APIKey? {
        guard let header = request.headers[.authorization] else { return nil }
        let lowered = header.lowercased()
        if lowered.hasPrefix("bearer ") {
            return try APIKeyRepository(database).authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        }
        guard lowered.hasPrefix("basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return nil }
        return try APIKeyRepository(database).authenticate(String(pair[pair.index(after: colon)...]))
    }

    func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }
}

/// Holds back sign-in after repeated failures without letting anyone lock a person out.
///
/// Failures count three ways in a window (fifteen minutes): per name *from one address* (five,
/// then each further try waits for the oldest failure to age out), per address (twenty, across
/// every name it tries), and per name from all addresses together (fifty, which slows a guess
/// spread over many machines). A stranger who fails five times as `alice` holds back only
/// their own address; alice signing in from hers is not blocked. Names are counted normalised
/// (``AccountRepository/normalized(_:)``), so a variant of a name is the same name.
final class LoginThrottle: Sendable {
    let window: Duration
    let perName: Int
    let perAddress: Int
    let perNameEverywhere: Int
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(window: Duration = .seconds(15 * 60), perName: Int = 5, perAddress: Int = 20, perNameEverywhere: Int = 50) {
        self.window = window
        self.perName = perName
        self.perAddress = perAddress
        self.perNameEverywhere = perNameEverywhere
    }

    /// How long to wait before trying again, or nil when a try is allowed now.
    func wait(name: String, address: String?) -> Duration? {
        let now = ContinuousClock.now
        return failures.withLock { table in
            var longest: Duration?
            for (key, limit) in keys(name: name, address: address) {
                let recent = (table[key] ?? []).filter { now - $0 < window }
                table[key] = recent.isEmpty ? nil : recent
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
            for (key, limit) in keys(name: name, address: address) {
                var list = table[key, default: []]
                list.append(now)
                // Only the newest `limit` matter for the wait; a flood keeps no more.
                if list.count > limit { list.removeFirst(list.count - limit) }
                table[key] = list
            }
        }
    }

    func succeeded(name: String, address: String?) {
        _ = failures.withLock { $0.removeValue(forKey: "pair:" + AccountRepository.normalized(name) + "|" + (address ?? "-")) }
    }

    private func keys(name: String, address: String?) -> [(String, Int)] {
        let name = AccountRepository.normalized(name)
        return [("pair:\(name)|\(address ?? "-")", perName), ("name:" + name, perNameEverywhere)]
            + (address.map { [("address:" + $0, perAddress)] } ?? [])
    }
}

/// The address a request came from. Behind a reverse proxy every connection is the proxy's, so
/// `X-Forwarded-For` is believed only when the connection comes from a proxy the operator named
/// (`serve --trusted-proxy`), and then its right-most address that is not itself such a proxy.
struct ClientAddress: Sendable {
    let trustedProxies: Set<String>

    func of(_ request: Request, peer: String?) -> String? {
        guard let peer, trustedProxies.contains(peer), let header = request.headers[.xForwardedFor] else { return peer }
        let hops = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? peer
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
