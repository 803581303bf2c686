import CityCarbonPages
import CityCarbonStore
import Synchronization

/// Who may call a route.
public enum Access: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, signed in or not: the public pages and the read API.
    case everyone
    /// A signed-in account (session cookie) whose role has the permission; forms also need the session's CSRF token.
    case staff(Permission)
    /// An integration client (`Authorization: Bearer` API key) whose role has the permission.
    case client(Permission)
    /// A carbon-inclusion partner: a request signed with its signing secret, or its OAuth bearer token.
    case partner

    public var description: String {
        switch self {
        case .partner: "partner"
        case .everyone: "everyone"
        case .staff(let p): "staff:\(p.rawValue)"
        case .client(let p): "client:\(p.rawValue)"
        }
    }
}

/// Every route with the access it was registered with. Routes are added only through
/// ``RouteRegistrar``, so the table and the router cannot disagree; the tests walk it with
/// every role.
public final class RouteTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public var method: String
        public var path: String
        public var access: Access
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    func record(method: String, path: String, access: Access) {
        entries.withLock { $0.append(Entry(method: method, path: path, access: access)) }
    }

    public var all: [Entry] { entries.withLock { $0 } }

    public func access(method: String, path: String) -> Access? {
        entries.withLock { list in list.first { $0.method == method && $0.path == path }?.access }
    }

    /// The methods registered for a concrete request path, for 405 answers.
    func methods(matching path: String) -> [String] {
        let methods = entries.withLock { list in list.filter { Self.matches(pattern: $0.path, path: path) }.map(\.method) }
        return methods.contains("GET") ? methods + ["HEAD"] : methods
    }

    static func matches(pattern: String, path: String) -> Bool {
        let want = pattern.split(separator: "/"), have = path.split(separator: "/")
        guard want.count == have.count else { return false }
        return zip(want, have).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }
}
