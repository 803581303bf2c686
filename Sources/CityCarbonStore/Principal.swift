import CarbonKit
import ClimatePlans
import Crypto
import Foundation

/// Who is asking: a signed-in account or an integration client's API key. Its ``actor`` is
/// the name the audit trail records.
public struct Principal: Sendable, Equatable {
    public var actor: String
    public var role: Role
    public var organisation: String?
    /// The jurisdictions a scoped role may write to, with everything below them.
    public var jurisdictions: [String]
    /// The monitoring sites an integration key is limited to; empty means all of its organisation's.
    public var sites: [String]

    public init(actor: String, role: Role, organisation: String? = nil, jurisdictions: [String] = [], sites: [String] = []) {
        self.actor = actor
        self.role = role
        self.organisation = organisation
        self.jurisdictions = jurisdictions
        self.sites = sites
    }

    /// The sites whose readings this principal may send and whose alerts it may read.
    public var monitoringScope: IngestScope {
        role.isScoped ? .sites(organisation: organisation, keys: sites) : .everything
    }

    public func may(_ permission: Permission) -> Bool { role.permissions.contains(permission) }

    /// Whether this principal may write data of `jurisdiction`: unscoped roles everywhere,
    /// scoped ones in their own jurisdictions and those below.
    public func mayWrite(_ jurisdiction: String, in tree: JurisdictionTree) -> Bool {
        guard role.isScoped else { return true }
        let allowed = Set(jurisdictions)
        return tree.lineage(of: jurisdiction).contains(where: allowed.contains)
    }

    /// Whether this principal may draft changes to `action`: unscoped roles to any, a scoped
    /// one only where its organisation is among the responsible organisations.
    public func mayEdit(_ action: PlanAction) -> Bool {
        guard may(.editPlans) else { return false }
        guard role.isScoped else { return true }
        guard let organisation = organisation?.lowercased(), !organisation.isEmpty else { return false }
        return action.responsibleParties.contains { $0.organisation.lowercased() == organisation }
    }
}

/// A principal asked for something its role allows only in a narrower scope.
public struct AccessDenied: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Random secrets and their digests, for session tokens, CSRF tokens and API keys.
public enum Secret {
    /// 32 bytes from the system's secure generator, base64url without padding.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Tokens are stored only as this digest, so a copy of the database opens no session.
    public static func digest(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }

    /// Compares without stopping at the first difference.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
