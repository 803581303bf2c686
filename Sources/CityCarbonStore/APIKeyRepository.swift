import CarbonKit
import Foundation

/// A key an integration client sends as `Authorization: Bearer …`, scoped to a role.
public struct APIKey: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// The first characters of the key, so people can tell keys apart; the rest is never stored.
    public var prefix: String
    public var role: Role
    public var organisation: String?
    public var jurisdictions: [String]
    /// Monitoring sites an integration key is limited to (empty: all of its organisation's).
    public var sites: [String] = []
    public var createdBy: String
    public var createdAt: String
    public var revokedAt: String?

    public var principal: Principal {
        Principal(actor: "api-key:\(name)", role: role, organisation: organisation, jurisdictions: jurisdictions, sites: sites)
    }

    var json: JSONValue {
        .object([("name", .string(name)), ("prefix", .string(prefix)), ("role", .string(role.rawValue)),
                 ("organisation", organisation.map(JSONValue.string) ?? .null), ("jurisdictions", .array(jurisdictions.map(JSONValue.string))),
                 ("sites", .array(sites.map(JSONValue.string))), ("revoked_at", revokedAt.map(JSONValue.string) ?? .null)])
    }
}

/// API keys, stored as SHA-256 digests: a key is 256 random bits, so a fast digest is as
/// safe as a slow hash and lets every request be checked cheaply.
public struct APIKeyRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let keyPrefix = "cck_"

    /// Creates a key; the secret is returned once and cannot be read again.
    public func create(name: String, role: Role, organisation: String? = nil, jurisdictions: [String] = [], sites: [String] = [],
                       actor: String) throws -> (key: APIKey, secret: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        let organisation = organisation?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let secret = Self.keyPrefix + Secret.make()
        return try database.write { db in
            var issues = try AccountRepository.scopeIssues(db, role: role, organisation: organisation, jurisdictions: jurisdictions)
                + DisplayText.issues(name, field: "name", maximum: .max) + DisplayText.issues(organisation, field: "organisation", maximum: 200)
            if name.isEmpty || name.count > 64 {
                issues.append(InputIssue(InputLocation(field: "name"), value: name, reason: "must be 1 to 64 characters"))
            } else if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_key WHERE name = ? AND revoked_at IS NULL", arguments: [name]) ?? 0 > 0 {
                issues.append(InputIssue(InputLocation(field: "name"), value: name, reason: "is already the name of a live key"))
            }
            for site in sites {
                guard let owner = try String.fetchOne(db, sql: "SELECT organisation FROM monitor_site WHERE key = ?", arguments: [site]) else {
                    issues.append(InputIssue(InputLocation(field: "sites"), value: site, reason: "is not a monitoring site of this workspace"))
                    continue
                }
                if role != .integration {
                    issues.append(InputIssue(InputLocation(field: "sites"), value: site, reason: "only integration keys are limited to sites"))
                } else if owner.lowercased() != organisation?.lowercased() {
                    issues.append(InputIssue(InputLocation(field: "sites"), value: site, reason: "belongs to \(owner), not to the key's organisation"))
                }
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            let now = CityCarbonDatabase.now()
            let prefix = String(secret.prefix(Self.keyPrefix.count + 6))
            let id = try db.insertReturningID(sql: """
                INSERT INTO api_key (name, prefix, key_hash, role, organisation, jurisdictions, sites, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, prefix, Secret.digest(secret), role.rawValue, organisation,
                                 JSONValue.array(jurisdictions.map(JSONValue.string)).serialized(),
                                 JSONValue.array(sites.map(JSONValue.string)).serialized(), actor, now])
            let key = APIKey(id: id, name: name, prefix: prefix, role: role, organisation: organisation,
                             jurisdictions: jurisdictions, sites: sites, createdBy: actor, createdAt: now, revokedAt: nil)
            try AuditTrail.append(db, actor: actor, action: "create", entity: "api_key", entityID: String(key.id), after: key.json)
            return (key, secret)
        }
    }

    /// Revokes a key; returns false when it was already revoked or never existed.
    @discardableResult
    public func revoke(id: Int64, actor: String) throws -> Bool {
        try database.write { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM api_key WHERE id = ? AND revoked_at IS NULL", arguments: [id]) else { return false }
            let before = Self.key(row)
            var after = before
            after.revokedAt = CityCarbonDatabase.now()
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ?", arguments: [after.revokedAt, id])
            try AuditTrail.append(db, actor: actor, action: "revoke", entity: "api_key", entityID: String(id), before: before.json, after: after.json)
            return true
        }
    }

    /// The live key with this secret, or nil.
    public func authenticate(_ secret: String) throws -> APIKey? {
        guard secret.hasPrefix(Self.keyPrefix) else { return nil }
        return try database.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM api_key WHERE key_hash = ? AND revoked_at IS NULL", arguments: [Secret.digest(secret)]).map(Self.key)
        }
    }

    public func all() throws -> [APIKey] {
        try database.read { db in try SQLRow.fetchAll(db, sql: "SELECT * FROM api_key ORDER BY id").map(Self.key) }
    }

    static func key(_ row: SQLRow) -> APIKey {
        APIKey(id: row["id"], name: row["name"], prefix: row["prefix"], role: Role(rawValue: row["role"]) ?? .viewer,
               organisation: row["organisation"], jurisdictions: AccountRepository.names(row["jurisdictions"]),
               sites: AccountRepository.names(row["sites"]), createdBy: row["created_by"], createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }
}
