import CarbonKit
import Foundation
import HummingbirdBcrypt

/// A person who signs in to the staff side.
public struct Account: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var organisation: String?
    public var jurisdictions: [String]
    public var disabled: Bool
    public var createdAt: String

    public var principal: Principal {
        Principal(actor: username, role: role, organisation: organisation, jurisdictions: jurisdictions)
    }

    var json: JSONValue {
        .object([("username", .string(username)), ("display_name", .string(displayName)), ("role", .string(role.rawValue)),
                 ("organisation", organisation.map(JSONValue.string) ?? .null), ("jurisdictions", .array(jurisdictions.map(JSONValue.string))),
                 ("disabled", .bool(disabled))])
    }
}

/// Accounts and their passwords. Passwords are kept only as bcrypt hashes; every change is
/// audited (the hash itself never enters the trail).
public struct AccountRepository: Sendable {
    let database: CityCarbonDatabase
    /// bcrypt's cost: 2^cost rounds. 12 takes a few hundred milliseconds here, which is the point.
    let passwordCost: UInt8

    public init(_ database: CityCarbonDatabase, passwordCost: UInt8 = 12) {
        self.database = database
        self.passwordCost = passwordCost
    }

    public static let minimumPasswordLength = 10
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut.
    public static let maximumPasswordBytes = 72

    /// Creates an account, or throws every problem with the fields it names.
    @discardableResult
    public func create(username: String, displayName: String? = nil, password: String, role: Role, organisation: String? = nil,
                       jurisdictions: [String] = [], actor: String) throws -> Account {
        let username = Self.normalized(username)
        let organisation = organisation?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        var issues = Self.usernameIssues(username) + Self.passwordIssues(password)
            + DisplayText.issues(displayName, field: "display_name", maximum: 100) + DisplayText.issues(organisation, field: "organisation", maximum: 200)
        if !role.permissions.contains(.signIn) {
            issues.append(InputIssue(InputLocation(field: "role"), value: role.rawValue, reason: "is a role for API keys, not for people who sign in",
                                     suggestion: "create a key: citycarbon key create NAME --role \(role.rawValue)"))
        }
        let hash = issues.isEmpty ? Bcrypt.hash(password, cost: passwordCost) : ""
        return try database.write { db in
            issues += try Self.scopeIssues(db, role: role, organisation: organisation, jurisdictions: jurisdictions)
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account WHERE username = ?", arguments: [username]) ?? 0 > 0 {
                issues.append(InputIssue(InputLocation(field: "username"), value: username, reason: "is already taken"))
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            let now = CityCarbonDatabase.now()
            let id = try db.insertReturningID(sql: """
                INSERT INTO account (username, display_name, password_hash, role, organisation, jurisdictions, disabled, created_at, password_changed_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
                """, arguments: [username, displayName?.nilIfEmpty ?? username, hash, role.rawValue, organisation,
                                 JSONValue.array(jurisdictions.map(JSONValue.string)).serialized(), now, now])
            let account = Account(id: id, username: username, displayName: displayName?.nilIfEmpty ?? username, role: role,
                                  organisation: organisation, jurisdictions: jurisdictions, disabled: false, createdAt: now)
            try AuditTrail.append(db, actor: actor, action: "create", entity: "account", entityID: username, after: account.json)
            return account
        }
    }

    /// Changes an account's role, scope or state; disabling it also ends its sessions.
    @discardableResult
    public func update(username: String, role: Role, organisation: String?, jurisdictions: [String], disabled: Bool, actor: String) throws -> Account {
        let organisation = organisation?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        return try database.write { db in
            guard let before = try Self.account(db, username: username) else { throw Self.noSuchAccount(username) }
            let issues = try Self.scopeIssues(db, role: role, organisation: organisation, jurisdictions: jurisdictions)
                + DisplayText.issues(organisation, field: "organisation", maximum: 200)
            if !issues.isEmpty { throw InputErrors(issues) }
            if before.role == .admin, role != .admin || disabled, try Self.activeAdmins(db) <= 1 {
                throw InputErrors([InputIssue(InputLocation(field: "role"), value: username, reason: "is the last active admin",
                                              suggestion: "make another account admin first")])
            }
            try db.execute(sql: "UPDATE account SET role = ?, organisation = ?, jurisdictions = ?, disabled = ? WHERE id = ?",
                           arguments: [role.rawValue, organisation, JSONValue.array(jurisdictions.map(JSONValue.string)).serialized(), disabled, before.id])
            if disabled { try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [before.id]) }
            var after = before
            (after.role, after.organisation, after.jurisdictions, after.disabled) = (role, organisation, jurisdictions, disabled)
            try AuditTrail.append(db, actor: actor, action: "update", entity: "account", entityID: username, before: before.json, after: after.json)
            return after
        }
    }

    /// Sets a new password and ends every session of the account.
    public func setPassword(username: String, password: String, actor: String) throws {
        let issues = Self.passwordIssues(password)
        if !issues.isEmpty { throw InputErrors(issues) }
        let hash = Bcrypt.hash(password, cost: passwordCost)
        try database.write { db in
            guard let account = try Self.account(db, username: username) else { throw Self.noSuchAccount(username) }
            let now = CityCarbonDatabase.now()
            try db.execute(sql: "UPDATE account SET password_hash = ?, password_changed_at = ? WHERE id = ?", arguments: [hash, now, account.id])
            try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [account.id])
            try AuditTrail.append(db, actor: actor, action: "set_password", entity: "account", entityID: account.username,
                                  after: .object([("password_changed_at", .string(now))]))
        }
    }

    /// The account whose password this is, or nil. An unknown name costs as much as a wrong
    /// password, so timing does not tell which names exist.
    public func authenticate(username: String, password: String) throws -> Account? {
        let name = Self.normalized(username)
        let found = try database.read { db -> (Account, String)? in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM account WHERE username = ?", arguments: [name]) else { return nil }
            return (try Self.account(row), row["password_hash"])
        }
        guard password.utf8.count <= Self.maximumPasswordBytes else { return nil }
        guard let (account, hash) = found else {
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        guard Bcrypt.verify(password, hash: hash), !account.disabled else { return nil }
        return account
    }

    public func all() throws -> [Account] {
        try database.read { db in try SQLRow.fetchAll(db, sql: "SELECT * FROM account ORDER BY username").map(Self.account) }
    }

    public func account(username: String) throws -> Account? {
        try database.read { db in try Self.account(db, username: username) }
    }

    public func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0 }
    }

    /// A hash of a secret nobody knows, at the default cost, checked against unknown names.
    static let decoyHash = Bcrypt.hash(Secret.make(), cost: 12)

    static func account(_ db: any SQLConnection, username: String) throws -> Account? {
        try SQLRow.fetchOne(db, sql: "SELECT * FROM account WHERE username = ?", arguments: [normalized(username)]).map(account)
    }

    static func account(_ row: SQLRow) throws -> Account {
        Account(id: row["id"], username: row["username"], displayName: row["display_name"], role: Role(rawValue: row["role"]) ?? .viewer,
                organisation: row["organisation"], jurisdictions: names(row["jurisdictions"]), disabled: row["disabled"], createdAt: row["created_at"])
    }

    static func names(_ json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8), let names = try? JSONDecoder().decode([String].self, from: data) else { return [] }
        return names
    }

    static func activeAdmins(_ db: any SQLConnection) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabled = 0") ?? 0
    }

    static func noSuchAccount(_ username: String) -> InputErrors {
        InputErrors([InputIssue(InputLocation(field: "username"), value: username, reason: "is not an account")])
    }

    /// An account name as it is stored, looked up and throttled: Unicode NFKC (a full-width
    /// or no-break-space variant is the same name), trimmed of any Unicode space, case-folded.
    /// One function, so that no variant of a name is a different name anywhere.
    public static func normalized(_ name: String) -> String {
        name.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
            .folding(options: [.caseInsensitive], locale: nil)
    }

    static func usernameIssues(_ username: String) -> [InputIssue] {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...64).contains(username.count), username.allSatisfy(allowed.contains) else {
            return [InputIssue(InputLocation(field: "username"), value: username,
                               reason: "must be 2 to 64 characters of a–z, 0–9, '.', '_' or '-'")]
        }
        return []
    }

    static func passwordIssues(_ password: String) -> [InputIssue] {
        if password.count < minimumPasswordLength {
            return [InputIssue(InputLocation(field: "password"), value: nil, reason: "must have at least \(minimumPasswordLength) characters")]
        }
        if password.utf8.count > maximumPasswordBytes {
            return [InputIssue(InputLocation(field: "password"), value: nil, reason: "must be at most \(maximumPasswordBytes) bytes (bcrypt ignores the rest)")]
        }
        return []
    }

    /// Scoped roles name an organisation and jurisdictions of the tree; the others need neither.
    static func scopeIssues(_ db: any SQLConnection, role: Role, organisation: String?, jurisdictions: [String]) throws -> [InputIssue] {
        var issues: [InputIssue] = []
        let tree = try JurisdictionRepository.tree(db)
        for name in jurisdictions where !tree.contains(name) {
            issues.append(InputIssue(InputLocation(field: "jurisdictions"), value: name, reason: "is not a jurisdiction of this workspace",
                                     suggestion: Suggestion.didYouMean(name, among: tree.order)))
        }
        if role.isScoped {
            if organisation == nil {
                issues.append(InputIssue(InputLocation(field: "organisation"), value: nil, reason: "is required for the \(role.rawValue) role"))
            }
            // An integration key is bounded by its organisation's sites, not by districts.
            if jurisdictions.isEmpty, role != .integration {
                issues.append(InputIssue(InputLocation(field: "jurisdictions"), value: nil, reason: "must name at least one jurisdiction for the \(role.rawValue) role"))
            }
        }
        return issues
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
