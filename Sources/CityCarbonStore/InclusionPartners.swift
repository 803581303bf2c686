import CarbonInclusion
import CarbonKit
import Foundation

/// A platform that posts residents' behaviour: a map app, a transit card, a bike share, or the
/// city's own app (`Self`). It posts into one scheme, only the scenarios in its scope.
public struct InclusionPartner: Sendable, Equatable {
    public var code: String
    public var name: String
    public var scheme: String
    public var scenarios: [String]
    public var createdBy: String
    public var createdAt: String
    public var revokedAt: String?

    var json: JSONValue {
        .object([("code", .string(code)), ("name", .string(name)), ("scheme", .string(scheme)),
                 ("scenarios", .array(scenarios.map(JSONValue.string))), ("revoked_at", revokedAt.map(JSONValue.string) ?? .null)])
    }
}

/// Partners, their credentials and the nonces they have used. A partner authenticates either by
/// signing each request with its signing secret (``PartnerSignature``) or by trading its client
/// id and secret for an hour's bearer token (OAuth 2.0 client credentials, RFC 6749 §4.4).
/// The signing secret must be readable to check signatures; the client secret and tokens are
/// kept only as digests.
public struct InclusionPartners: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    public static let tokenLifetimeSeconds: Int64 = 3600
    /// Nonces older than this can no longer be replayed (their timestamp is refused), so they are forgotten.
    static let nonceMemorySeconds = PartnerSignature.toleranceSeconds * 2

    public struct Credentials: Sendable {
        public var partner: InclusionPartner
        public var signingSecret: String
        public var clientSecret: String
    }

    /// Registers a partner; its two secrets are returned once.
    public func register(code: String, name: String, scheme: String, scenarios: [String], by actor: String,
                         catalogue: MethodologyCatalogue = .shipped) throws -> Credentials {
        var issues: [InputIssue] = []
        if !(code == "Self" || (code.utf8.count >= 2 && code.utf8.count <= 32 && code.utf8.allSatisfy { b in
            (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 })) {
            issues.append(InputIssue(InputLocation(field: "code"), value: code, reason: "must be 2–32 lower-case letters, digits or hyphens, or Self"))
        }
        issues += DisplayText.issues(name, field: "name", maximum: 120)
        if name.trimmingCharacters(in: .whitespaces).isEmpty { issues.append(InputIssue(InputLocation(field: "name"), reason: "is required")) }
        if let known = catalogue.scheme(scheme) {
            for scenario in scenarios where known.scenarios[scenario] == nil {
                issues.append(InputIssue(InputLocation(field: "scenarios"), value: scenario, reason: "is not a scenario of scheme \(scheme)"))
            }
            if scenarios.isEmpty { issues.append(InputIssue(InputLocation(field: "scenarios"), reason: "must name at least one scenario")) }
        } else {
            issues.append(InputIssue(InputLocation(field: "scheme"), value: scheme, reason: "is not a scheme; schemes: "
                                     + catalogue.schemes.map(\.code).joined(separator: ", ")))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        let signing = "ccs_" + Secret.make(), client = "ccc_" + Secret.make()
        let partner = InclusionPartner(code: code, name: name.trimmingCharacters(in: .whitespaces), scheme: scheme,
                                       scenarios: Array(Set(scenarios)).sorted(), createdBy: actor, createdAt: CityCarbonDatabase.now())
        try database.write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_partner WHERE lower(code) = lower(?)", arguments: [code]) ?? 0 > 0 {
                throw InputErrors([InputIssue(InputLocation(field: "code"), value: code, reason: "is already a partner")])
            }
            try db.execute(sql: """
                INSERT INTO inclusion_partner (code, name, scheme, scenarios, signing_secret, client_secret_hash, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [partner.code, partner.name, scheme, JSONValue.array(partner.scenarios.map(JSONValue.string)).serialized(),
                                 signing, Secret.digest(client), actor, partner.createdAt])
            try AuditTrail.append(db, actor: actor, action: "create", entity: "inclusion_partner", entityID: code, after: partner.json)
        }
        return Credentials(partner: partner, signingSecret: signing, clientSecret: client)
    }

    /// Revokes a partner: its signatures and tokens stop working; what it posted stays.
    @discardableResult
    public func revoke(_ code: String, by actor: String) throws -> Bool {
        try database.write { db in
            guard let before = try Self.partner(db, code), before.revokedAt == nil else { return false }
            var after = before
            after.revokedAt = CityCarbonDatabase.now()
            try db.execute(sql: "UPDATE inclusion_partner SET revoked_at = ? WHERE code = ?", arguments: [after.revokedAt, code])
            try db.execute(sql: "DELETE FROM inclusion_token WHERE partner = ?", arguments: [code])
            try AuditTrail.append(db, actor: actor, action: "revoke", entity: "inclusion_partner", entityID: code, before: before.json, after: after.json)
            return true
        }
    }

    public func all() throws -> [InclusionPartner] {
        try database.read { db in try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_partner ORDER BY code").map(Self.partner) }
    }

    public func partner(_ code: String) throws -> InclusionPartner? { try database.read { db in try Self.partner(db, code) } }

    /// The live partner `code` and its signing secret, to check a signature with.
    public func signingSecret(of code: String) throws -> (InclusionPartner, String)? {
        try database.read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_partner WHERE code = ? AND revoked_at IS NULL",
                                                arguments: [code]) else { return nil }
            return (Self.partner(row), row["signing_secret"])
        }
    }

    /// Uses `nonce` once for `partner`; false when it was used already (a replay).
    /// A nonce a post being screened has taken (``InclusionState``) is used already too.
    public func useNonce(_ nonce: String, partner: String, now: Int64) throws -> Bool {
        let state = database.inclusion
        return try state.nonceLock.withLock {
            guard !state.pendingNonces.contains(partner + "\u{0}" + nonce) else { return false }
            return try database.write { db in try Self.useNonce(db, nonce, partner: partner, now: now) }
        }
    }

    static func useNonce(_ db: any SQLConnection, _ nonce: String, partner: String, now: Int64) throws -> Bool {
        try db.execute(sql: "INSERT INTO inclusion_nonce (partner, nonce, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       arguments: [partner, nonce, now])
        guard db.changesCount == 1 else { return false }
        if now % 64 == 0 { try db.execute(sql: "DELETE FROM inclusion_nonce WHERE at < ?", arguments: [now - nonceMemorySeconds]) }
        return true
    }

    /// OAuth client credentials: a bearer token for an hour, or nil when the id or secret is wrong.
    public func issueToken(clientID: String, clientSecret: String, now: Int64) throws -> (token: String, expiresIn: Int64)? {
        try database.write { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT client_secret_hash FROM inclusion_partner WHERE code = ? AND revoked_at IS NULL",
                                                arguments: [clientID]),
                  Secret.equal(row["client_secret_hash"], Secret.digest(clientSecret)) else { return nil }
            let token = "cct_" + Secret.make()
            try db.execute(sql: "DELETE FROM inclusion_token WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "INSERT INTO inclusion_token (token_hash, partner, expires_at) VALUES (?, ?, ?)",
                           arguments: [Secret.digest(token), clientID, now + Self.tokenLifetimeSeconds])
            return (token, Self.tokenLifetimeSeconds)
        }
    }

    /// The live partner a bearer token was issued to, while it lasts.
    public func authenticate(token: String, now: Int64) throws -> InclusionPartner? {
        guard token.hasPrefix("cct_") else { return nil }
        return try database.read { db in
            guard let code = try String.fetchOne(db, sql: "SELECT partner FROM inclusion_token WHERE token_hash = ? AND expires_at > ?",
                                                 arguments: [Secret.digest(token), now]) else { return nil }
            return try Self.partner(db, code).flatMap { $0.revokedAt == nil ? $0 : nil }
        }
    }

    static func partner(_ db: any SQLConnection, _ code: String) throws -> InclusionPartner? {
        try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_partner WHERE code = ?", arguments: [code]).map(partner)
    }

    static func partner(_ row: SQLRow) -> InclusionPartner {
        InclusionPartner(code: row["code"], name: row["name"], scheme: row["scheme"], scenarios: AccountRepository.names(row["scenarios"]),
                         createdBy: row["created_by"], createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }
}
