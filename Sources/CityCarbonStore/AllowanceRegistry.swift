import CarbonKit
import CarbonMarkets
import Foundation

/// The allowance registry of a workspace: its accounts, the serial blocks they hold, and the
/// append-only, hash-chained ledger of every change.
///
/// Writes go through ``apply(_:at:)``, which checks each operation against the rules in
/// ``AllowanceLedger`` and stores its entry, the blocks it moved, the account it changed and an
/// audit event in one transaction: a refused operation changes nothing and a committed one is
/// on disk when the call returns. Many operations in one call share that commit, which is how a
/// registry answers thousands of transfers a second (see ``LedgerCommitQueue``).
public struct AllowanceRegistry: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Applies `operations` in order in one transaction. Each gives its entry or why it was
    /// refused; refusals do not stop the others.
    public func apply(_ operations: [LedgerOperation], at date: Date = Date()) throws -> [Result<LedgerEntry, LedgerError>] {
        try database.allowances.withLedger { cached in
            try database.write { db in try Self.apply(operations, at: date, db, cached: &cached) }
        }
    }

    /// Applies one operation; a refusal is thrown as its ``LedgerError``.
    @discardableResult
    public func apply(_ operation: LedgerOperation, at date: Date = Date()) throws -> LedgerEntry {
        try apply([operation], at: date)[0].get()
    }

    /// The heart of every write, inside the caller's transaction: brings the cached ledger up to
    /// the stored head, applies, and persists what succeeded.
    static func apply(_ operations: [LedgerOperation], at date: Date, _ db: any SQLConnection,
                      cached: inout AllowanceLedger?) throws -> [Result<LedgerEntry, LedgerError>] {
        let head = try SQLRow.fetchOne(db, sql: "SELECT sequence, hash FROM ledger_head WHERE singleton = 1"
                                       + (db.dialect == .postgres ? " FOR UPDATE" : ""))
        let sequence: Int64 = head?["sequence"] ?? 0
        let hash: String = head?["hash"] ?? LedgerEntry.genesis
        if cached?.sequence != sequence || cached?.headHash != hash { cached = try load(db, sequence: sequence, hash: hash) }
        var results: [Result<LedgerEntry, LedgerError>] = []
        var applied: [AllowanceLedger.Applied] = []
        results.reserveCapacity(operations.count)
        for operation in operations {
            let result = Result { () throws(LedgerError) in try cached!.apply(operation, at: date) }
            switch result {
            case let .success(change): applied.append(change); results.append(.success(change.entry))
            case let .failure(error): results.append(.failure(error))
            }
        }
        if !applied.isEmpty { try persist(applied, db, head: cached!) }
        return results
    }

    private static func persist(_ applied: [AllowanceLedger.Applied], _ db: any SQLConnection, head: AllowanceLedger) throws {
        let entries = applied.map { $0.entry }
        try db.bulkInsert(into: "ledger_entry", columns: [
            SQLColumn("sequence", .integer(entries.map { $0.sequence })),
            SQLColumn("at_ms", .integer(entries.map { $0.atMillis })),
            SQLColumn("kind", .text(entries.map { $0.kind.rawValue })),
            SQLColumn("from_account", .optionalText(entries.map { $0.from })),
            SQLColumn("to_account", .text(entries.map { $0.to })),
            SQLColumn("amount", .integer(entries.map { $0.amount })),
            SQLColumn("blocks", .text(entries.map { $0.blocks.map { $0.description }.joined(separator: ",") })),
            SQLColumn("actor", .text(entries.map { $0.actor })),
            SQLColumn("approved_by", .optionalText(entries.map { $0.approvedBy })),
            SQLColumn("reference", .text(entries.map { $0.reference })),
            SQLColumn("detail", .optionalText(entries.map { $0.detail })),
            SQLColumn("previous_hash", .text(entries.map { $0.previousHash })),
            SQLColumn("hash", .text(entries.map { $0.hash })),
        ], onConflict: nil)
        try persistBlocks(applied, db)
        var accounts: [String: RegistryAccount] = [:]
        for change in applied { if let account = change.account { accounts[account.id] = account } }
        for account in accounts.values.sorted(by: { $0.id < $1.id }) {
            try db.execute(sql: """
                INSERT INTO registry_account (id, kind, holder, name, status, document) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, name = excluded.name, document = excluded.document
                """, arguments: [account.id, account.kind.rawValue, account.holder, account.name, account.status.rawValue, try encode(account)])
        }
        // The entries are their own hash-chained record of who did what; the platform's audit
        // trail seals each commit's range and the ledger's new head, so the two chains vouch for each other.
        let actors = Array(Set(entries.map { $0.actor })).sorted()
        try AuditTrail.append(db, events: [AuditTrail.NewEvent(
            actor: actors.count == 1 ? actors[0] : "ledger", action: "ledger.commit", entity: "ledger", entityID: "\(entries[0].sequence)-\(head.sequence)",
            after: .object([("first", .integer(Int(entries[0].sequence))), ("last", .integer(Int(head.sequence))),
                            ("entries", .integer(entries.count)), ("head", .string(head.headHash)),
                            ("actors", .array(actors.prefix(20).map(JSONValue.string)))]))])
        try db.execute(sql: """
            INSERT INTO ledger_head (singleton, sequence, hash) VALUES (1, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
            """, arguments: [head.sequence, head.headHash])
    }

    /// A block as this commit leaves it: where it is, and its history as the stored history of
    /// the block it came from (`root`, nil for a new issuance) followed by this commit's entries.
    private struct BlockKey: Hashable { var unit: String; var start: Int64 }
    private struct PendingBlock { var block: SerialBlock; var account: String; var root: Int64?; var appended: [Int64] }

    /// Writes every block the commit touched once, in one statement: the stored histories the
    /// new rows start from are read first, so a split's rest keeps its parent's history even
    /// when the parent moves again in the same commit.
    private static func persistBlocks(_ applied: [AllowanceLedger.Applied], _ db: any SQLConnection) throws {
        var pending: [BlockKey: PendingBlock] = [:]
        var order: [BlockKey] = []
        func put(_ key: BlockKey, _ block: PendingBlock) {
            if pending.updateValue(block, forKey: key) == nil { order.append(key) }
        }
        for change in applied where !change.entry.blocks.isEmpty {
            let entry = change.entry
            for block in entry.blocks {
                let key = BlockKey(unit: block.unit, start: block.start)
                if entry.kind == .issue {
                    put(key, PendingBlock(block: block, account: entry.to, root: nil, appended: [entry.sequence]))
                    continue
                }
                let parent = pending[key] ?? PendingBlock(block: block, account: entry.from ?? entry.to, root: block.start, appended: [])
                if let rest = change.rest, rest.unit == block.unit, rest.start == block.end + 1 {
                    put(BlockKey(unit: rest.unit, start: rest.start), PendingBlock(block: rest, account: entry.from ?? entry.to,
                                                                                    root: parent.root, appended: parent.appended))
                }
                put(key, PendingBlock(block: block, account: entry.to, root: parent.root, appended: parent.appended + [entry.sequence]))
            }
        }
        guard !order.isEmpty else { return }
        var stored: [BlockKey: String] = [:]
        let roots = Dictionary(grouping: Set(order.compactMap { key in pending[key]!.root.map { BlockKey(unit: key.unit, start: $0) } }), by: \.unit)
        for (unit, keys) in roots {
            for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min(keys.count, $0 + 500)]) }) {
                let marks = chunk.map { _ in "?" }.joined(separator: ", ")
                let rows = try SQLRow.fetchAll(db, sql: "SELECT start_serial, history FROM allowance_block WHERE unit = ? AND start_serial IN (\(marks))",
                                               arguments: SQLArguments([unit] + chunk.map { $0.start }))
                for row in rows { stored[BlockKey(unit: unit, start: row["start_serial"])] = row["history"] }
            }
        }
        let rows = order.map { pending[$0]! }
        let histories = rows.map { row -> String in
            let own = row.appended.map(String.init).joined(separator: ",")
            guard let root = row.root, let before = stored[BlockKey(unit: row.block.unit, start: root)] else { return own }
            return own.isEmpty ? before : before + "," + own
        }
        try db.bulkInsert(into: "allowance_block", columns: [
            SQLColumn("unit", .text(rows.map { $0.block.unit })),
            SQLColumn("start_serial", .integer(rows.map { $0.block.start })),
            SQLColumn("end_serial", .integer(rows.map { $0.block.end })),
            SQLColumn("vintage", .integer(rows.map { Int64($0.block.vintage) })),
            SQLColumn("account_id", .text(rows.map { $0.account })),
            SQLColumn("history", .text(histories)),
        ], onConflict: "(unit, start_serial) DO UPDATE SET end_serial = excluded.end_serial, account_id = excluded.account_id, history = excluded.history")
    }

    // MARK: - Loading

    private static func load(_ db: any SQLConnection, sequence: Int64, hash: String) throws -> AllowanceLedger {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        let accounts = try String.fetchAll(db, sql: "SELECT document FROM registry_account").map {
            try decoder.decode(RegistryAccount.self, from: Data($0.utf8))
        }
        var holdings: [(block: SerialBlock, account: String)] = []
        try db.forEachRow(sql: "SELECT unit, vintage, start_serial, end_serial, account_id FROM allowance_block", arguments: []) { row in
            holdings.append((block(row), row["account_id"]))
        }
        let references = Set(try String.fetchAll(db, sql: "SELECT reference FROM ledger_entry"))
        var ledger = AllowanceLedger()
        ledger.restore(accounts: accounts, holdings: holdings, references: references, sequence: sequence, headHash: hash)
        return ledger
    }

    static func encode(_ account: RegistryAccount) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(account), as: UTF8.self)
    }

    static func block(_ row: SQLRow) -> SerialBlock {
        SerialBlock(unit: row["unit"], vintage: Int(row["vintage"] as Int64), start: row["start_serial"], end: row["end_serial"])
    }

    static func entry(_ row: SQLRow) -> LedgerEntry {
        let blocks: String = row["blocks"], kind: String = row["kind"]
        let from: String? = row["from_account"], approvedBy: String? = row["approved_by"], detail: String? = row["detail"]
        let sequence: Int64 = row["sequence"], at: Int64 = row["at_ms"], amount: Int64 = row["amount"]
        return LedgerEntry(sequence: sequence, atMillis: at, kind: LedgerEntry.Kind(rawValue: kind) ?? .transfer, from: from,
                           to: row["to_account"], amount: amount, blocks: blocks.split(separator: ",").compactMap { SerialBlock(identifier: String($0)) },
                           actor: row["actor"], approvedBy: approvedBy, reference: row["reference"], detail: detail,
                           previousHash: row["previous_hash"], hash: row["hash"])
    }
}

/// The ledger as this process last saw it, reused while the stored head has not moved.
final class AllowanceLedgerState: @unchecked Sendable {
    private let lock = NSLock()
    private var ledger: AllowanceLedger?

    /// Runs `body` with the cached ledger, alone; a body that throws leaves no cache, so the
    /// next write reloads from the tables rather than trusting a ledger its rollback undid.
    func withLedger<T>(_ body: (inout AllowanceLedger?) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do { return try body(&ledger) } catch {
            ledger = nil
            throw error
        }
    }
}
