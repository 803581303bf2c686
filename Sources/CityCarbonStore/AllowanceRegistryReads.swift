import CarbonKit
import CarbonMarkets
import Foundation

/// What the registry shows: accounts, holdings, statements and a serial's whole history.
/// Reads go to the tables, so they see what any process committed.
extension AllowanceRegistry {
    public func accounts(kind: AccountKind? = nil) throws -> [RegistryAccount] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM registry_account" + (kind == nil ? "" : " WHERE kind = ?") + " ORDER BY id",
                                arguments: kind.map { [$0.rawValue] } ?? []).map(Self.decode)
        }
    }

    public func account(_ id: String) throws -> RegistryAccount? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT document FROM registry_account WHERE id = ?", arguments: [id]).map(Self.decode)
        }
    }

    /// The accounts `login` represents.
    public func accounts(representedBy login: String) throws -> [RegistryAccount] {
        try accounts().filter { $0.representative(login) != nil }
    }

    /// The blocks `account` holds, oldest vintage and lowest serial first.
    public func holdings(of account: String) throws -> [SerialBlock] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT unit, vintage, start_serial, end_serial FROM allowance_block WHERE account_id = ?",
                                arguments: [account]).map(Self.block).sorted()
        }
    }

    /// Units held per unit type and vintage: the sum of the blocks, never a stored balance.
    public struct Balance: Sendable, Equatable {
        public var unit: String
        public var vintage: Int
        public var units: Int64
    }

    public func balances(of account: String) throws -> [Balance] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT unit, vintage, SUM(end_serial - start_serial + 1) AS units FROM allowance_block
                WHERE account_id = ? GROUP BY unit, vintage ORDER BY unit, vintage
                """, arguments: [account]).map { Balance(unit: $0["unit"], vintage: Int($0["vintage"] as Int64), units: $0["units"]) }
        }
    }

    /// Units of each unit type and vintage by the kind of account holding them: what was issued
    /// and where it is now (in holding accounts, surrendered, cancelled, retired).
    public struct Total: Sendable, Equatable {
        public var unit: String
        public var vintage: Int
        public var kind: AccountKind
        public var units: Int64
    }

    public func totals() throws -> [Total] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT b.unit, b.vintage, a.kind, SUM(b.end_serial - b.start_serial + 1) AS units
                FROM allowance_block b JOIN registry_account a ON a.id = b.account_id
                GROUP BY b.unit, b.vintage, a.kind ORDER BY b.unit, b.vintage, a.kind
                """).map { Total(unit: $0["unit"], vintage: Int($0["vintage"] as Int64), kind: AccountKind(rawValue: $0["kind"]) ?? .trading,
                                 units: $0["units"]) }
        }
    }

    /// The chain's end: how many entries, and the hash that seals them all.
    public func head() throws -> (sequence: Int64, hash: String) {
        try database.read { db in
            let row = try SQLRow.fetchOne(db, sql: "SELECT sequence, hash FROM ledger_head WHERE singleton = 1")
            return (row?["sequence"] ?? 0, row?["hash"] ?? LedgerEntry.genesis)
        }
    }

    /// Entries after `sequence`, oldest first: the feed a replica or an auditor follows.
    public func entries(after sequence: Int64, limit: Int) throws -> [LedgerEntry] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM ledger_entry WHERE sequence > ? ORDER BY sequence LIMIT ?",
                                arguments: [max(0, sequence), max(1, min(limit, 1000))]).map(Self.entry)
        }
    }

    /// Entries touching `account` (all entries when nil), newest first, with how many there are.
    public func entries(account: String? = nil, limit: Int = 50, offset: Int = 0) throws -> (entries: [LedgerEntry], total: Int) {
        try database.read { db in
            let clause = account == nil ? "" : " WHERE from_account = ? OR to_account = ?"
            let arguments: SQLArguments = account.map { [$0, $0] } ?? []
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger_entry" + clause, arguments: arguments) ?? 0
            let rows = try SQLRow.fetchAll(db, sql: "SELECT * FROM ledger_entry\(clause) ORDER BY sequence DESC LIMIT ? OFFSET ?",
                                           arguments: arguments + [max(0, min(limit, 1000)), max(0, offset)])
            return (rows.map(Self.entry), total)
        }
    }

    /// One serial number's story: the block that holds it now, where, and every entry that moved it.
    public struct SerialHistory: Sendable, Equatable {
        public var unit: String
        public var serial: Int64
        public var block: SerialBlock
        public var holder: RegistryAccount
        /// Oldest first: its issuance, then each transfer, surrender, cancellation or retirement.
        public var entries: [LedgerEntry]
    }

    /// Nil when no such serial was issued.
    public func history(unit: String, serial: Int64) throws -> SerialHistory? {
        guard UnitName.isValid(unit), serial >= 1 else { return nil }
        return try database.read { db in
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT unit, vintage, start_serial, end_serial, account_id, history FROM allowance_block
                WHERE unit = ? AND start_serial <= ? ORDER BY start_serial DESC LIMIT 1
                """, arguments: [unit, serial]) else { return nil }
            let block = Self.block(row)
            guard block.contains(serial: serial),
                  let document = try String.fetchOne(db, sql: "SELECT document FROM registry_account WHERE id = ?", arguments: [row["account_id"] as String])
            else { return nil }
            let sequences = (row["history"] as String).split(separator: ",").compactMap { Int64($0) }
            let entries = try sequences.compactMap { sequence in
                try SQLRow.fetchOne(db, sql: "SELECT * FROM ledger_entry WHERE sequence = ?", arguments: [sequence]).map(Self.entry)
            }
            return SerialHistory(unit: unit, serial: serial, block: block, holder: Self.decode(document), entries: entries)
        }
    }

    static func decode(_ document: String) -> RegistryAccount {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        guard let account = try? decoder.decode(RegistryAccount.self, from: Data(document.utf8)) else {
            preconditionFailure("registry_account.document is written by AllowanceRegistry and must decode: \(document)")
        }
        return account
    }
}
