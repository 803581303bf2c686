import CarbonKit
import Foundation

/// A signed-in browser: the account and the token every form of the session must carry.
public struct StaffSession: Sendable, Equatable {
    public var account: Account
    public var csrfToken: String
    public var expiresAt: Date
}

/// Sessions of signed-in accounts. The browser holds a random token; the database holds only
/// its SHA-256, so reading the database opens no session.
public struct SessionRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Opens a session for `account`; returns the token for the cookie. Expired sessions are
    /// swept at the same time.
    public func open(for account: Account, lifetime: TimeInterval, now: Date = Date()) throws -> (token: String, session: StaffSession) {
        let token = Secret.make(), csrf = Secret.make()
        let expires = now.addingTimeInterval(lifetime)
        try database.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires_at <= ?", arguments: [now.timeIntervalSince1970])
            try db.execute(sql: "INSERT INTO session (token_hash, account_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Secret.digest(token), account.id, csrf, CityCarbonDatabase.now(), expires.timeIntervalSince1970])
            try AuditTrail.append(db, actor: account.username, action: "sign_in", entity: "session", entityID: account.username)
        }
        return (token, StaffSession(account: account, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session of `token`, or nil when it is unknown, expired, or its account disabled.
    public func session(token: String, now: Date = Date()) throws -> StaffSession? {
        try database.read { db in
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT a.*, s.csrf_token, s.expires_at FROM session s JOIN account a ON a.id = s.account_id
                WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0
                """, arguments: [Secret.digest(token), now.timeIntervalSince1970]) else { return nil }
            return StaffSession(account: try AccountRepository.account(row), csrfToken: row["csrf_token"],
                                expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
        }
    }

    /// Ends the session of `token`; signing out twice is harmless.
    public func close(token: String) throws {
        try database.write { db in
            guard let username = try String.fetchOne(db, sql: """
                SELECT a.username FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = ?
                """, arguments: [Secret.digest(token)]) else { return }
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [Secret.digest(token)])
            try AuditTrail.append(db, actor: username, action: "sign_out", entity: "session", entityID: username)
        }
    }
}
