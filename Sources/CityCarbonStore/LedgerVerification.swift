import CarbonMarkets
import Foundation

/// Whether the allowance ledger is what was written: every hash recomputed in order, the head
/// at the chain's end, every account's blocks adding up to its movements, every block held by
/// the account its last entry moved it to, and no serial held twice. Run by `citycarbon registry verify`, after the concurrency tests and by an auditor.
public struct LedgerVerification: Sendable, Equatable {
    public var entries: Int
    /// The first entry that does not hold, and why; nil when the chain is intact.
    public var brokenAt: Int64?
    public var reason: String?
    /// Accounts whose held blocks do not add up to what the ledger moved in and out.
    public var unbalancedAccounts: [String]
    /// Serials found in two blocks (unit and serial).
    public var overlappingSerials: [String]
    /// Blocks (`unit-vintage-first-last`) held elsewhere than where their last entry put them.
    public var misplacedBlocks: [String]

    public var isIntact: Bool { brokenAt == nil && unbalancedAccounts.isEmpty && overlappingSerials.isEmpty && misplacedBlocks.isEmpty }
}

extension AllowanceRegistry {
    public func verify() throws -> LedgerVerification {
        try database.read { db in
            var previous = LedgerEntry.genesis
            var expected: Int64 = 1
            var brokenAt: Int64?
            var reason: String?
            // Per account and unit: one unit's serials never exceed its serial space, so these sums cannot overflow.
            var net: [String: Int64] = [:]
            var destination: [Int64: String] = [:]
            try db.forEachRow(sql: "SELECT * FROM ledger_entry ORDER BY sequence", arguments: []) { row in
                guard brokenAt == nil else { return }
                let entry = Self.entry(row)
                if entry.sequence != expected {
                    (brokenAt, reason) = (expected, "entry \(expected) is missing (the next one is \(entry.sequence))")
                } else if entry.previousHash != previous {
                    (brokenAt, reason) = (entry.sequence, "its link to the previous entry does not match")
                } else if !entry.verifies(after: previous) {
                    (brokenAt, reason) = (entry.sequence, "its content does not match its hash (altered)")
                } else {
                    if entry.blocks.reduce(0, { $0 + $1.count }) != (entry.blocks.isEmpty ? 0 : entry.amount) {
                        (brokenAt, reason) = (entry.sequence, "its blocks do not add up to its amount")
                    }
                    if !entry.blocks.isEmpty {
                        destination[entry.sequence] = entry.to
                        let unit = entry.blocks[0].unit
                        net["\(entry.to) \(unit)", default: 0] += entry.amount
                        if let from = entry.from { net["\(from) \(unit)", default: 0] -= entry.amount }
                    }
                    previous = entry.hash
                    expected += 1
                }
            }
            let count = Int(expected - 1)
            if brokenAt == nil {
                let head = try SQLRow.fetchOne(db, sql: "SELECT sequence, hash FROM ledger_head WHERE singleton = 1")
                if (head?["sequence"] ?? 0) != Int64(count) || (head?["hash"] ?? LedgerEntry.genesis) != previous {
                    (brokenAt, reason) = (Int64(count) + 1, "the chain ends at entry \(count) but its head says otherwise: entries were removed")
                }
            }
            var held: [String: Int64] = [:]
            var overlaps: [String] = []
            var misplaced: [String] = []
            var last: (unit: String, end: Int64)?
            try db.forEachRow(sql: "SELECT unit, vintage, start_serial, end_serial, account_id, history FROM allowance_block ORDER BY unit, start_serial",
                              arguments: []) { row in
                let block = Self.block(row)
                let holder: String = row["account_id"]
                held["\(holder) \(block.unit)", default: 0] += block.count
                let history: String = row["history"]
                let lastEntry = history.split(separator: ",").last.flatMap { Int64($0) }
                if brokenAt == nil, lastEntry.flatMap({ destination[$0] }) != holder, misplaced.count < 20 { misplaced.append(block.description) }
                if let last, last.unit == block.unit, block.start <= last.end, overlaps.count < 20 { overlaps.append("\(block.unit) \(block.start)") }
                last = (block.unit, max(block.end, last?.unit == block.unit ? last!.end : 0))
            }
            let accounts = Set(net.keys).union(held.keys)
            let unbalanced = Set(accounts.filter { (net[$0] ?? 0) != (held[$0] ?? 0) }.map { String($0.split(separator: " ")[0]) }).sorted()
            return LedgerVerification(entries: count, brokenAt: brokenAt, reason: reason, unbalancedAccounts: unbalanced, overlappingSerials: overlaps,
                                      misplacedBlocks: misplaced)
        }
    }
}
