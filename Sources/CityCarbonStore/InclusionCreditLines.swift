import CarbonInclusion
import CarbonKit

/// Schema v24: an event's credit line lives in the event's own row.
///
/// Every credited event used to write two rows, the event and its ledger line, and the line's
/// index by account. Under a city's intake the random pages those indexes touch are what each
/// commit writes and syncs, so the line's fields (sequence, time, the place its points went,
/// hash) now sit beside the event, which carries the rest of them already (account, points,
/// grams, partner and serial for the reference). `inclusion_ledger` keeps the other lines:
/// claims, expiries, reviews, redemptions and lots. A line's previous hash is the line before
/// it in the sequence, so it is not stored twice; ``InclusionReads/reconcile()`` walks both.
/// The ledger's head also counts erasures (``InclusionState``).
enum InclusionCreditLines {
    static let version = "v24: carbon inclusion — an event's credit line in the event's row"

    static func statements(_ dialect: SQLDialect) -> [String] {
        let big = dialect == .sqlite ? "INTEGER" : "BIGINT"
        return [
            "ALTER TABLE inclusion_event ADD COLUMN sequence \(big)",
            "ALTER TABLE inclusion_event ADD COLUMN at_ms \(big)",
            "ALTER TABLE inclusion_event ADD COLUMN credited_to TEXT",
            "ALTER TABLE inclusion_event ADD COLUMN hash TEXT",
            """
            UPDATE inclusion_event SET sequence = l.sequence, at_ms = l.at_ms, hash = l.hash,
              credited_to = CASE WHEN l.pending <> 0 THEN 'pending' WHEN l.held <> 0 THEN 'held' ELSE 'available' END
            FROM inclusion_ledger l WHERE l.kind = 'credit' AND l.reference = 'event:' || inclusion_event.partner || ':' || inclusion_event.serial
            """,
            "DELETE FROM inclusion_ledger WHERE kind = 'credit'",
            // By account alone: a resident's events are read in id order, which the index keeps for
            // free, and without the day each entry is a third smaller, so intake dirties fewer pages.
            "DROP INDEX inclusion_event_account",
            "CREATE INDEX inclusion_event_account ON inclusion_event (account_key)",
            // Counts erasures, so a writer that keeps pseudonyms' keys in memory drops them after one.
            "ALTER TABLE inclusion_head ADD COLUMN erasures \(big) NOT NULL DEFAULT 0",
        ]
    }

    /// The credit line an event row holds, or nil for an event that credited nothing.
    /// `previousHash` is the hash of the line before it in the ledger.
    static func entry(_ row: SQLRow, previousHash: String) -> CreditEntry? {
        guard let sequence: Int64 = row["sequence"], let place: String = row["credited_to"] else { return nil }
        let points: Int64 = row["points"]
        return CreditEntry(sequence: sequence, atMillis: row["at_ms"], kind: .credit, account: row["account_key"],
                           reference: reference(partner: row["partner"], serial: row["serial"]),
                           pending: place == "pending" ? points : 0, available: place == "available" ? points : 0,
                           held: place == "held" ? points : 0, grams: Micro(millionths: row["grams_micro"]),
                           previousHash: previousHash, hash: row["hash"])
    }

    static func reference(partner: String, serial: String) -> String { "event:\(partner):\(serial)" }

    /// The place a credit line put its points.
    static func place(of entry: CreditEntry) -> String {
        entry.pending != 0 ? "pending" : entry.held != 0 ? "held" : "available"
    }
}
