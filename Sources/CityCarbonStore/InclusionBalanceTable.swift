/// Schema v26: SQLite keeps carbon-inclusion balances in one b-tree, ordered by account.
///
/// A rowid table with a text primary key is two b-trees, the rows by rowid and an index from
/// the key to the rowid, so every commit's balance upserts searched and dirtied pages in both.
/// Intake changes about one balance per event it credits, in random order of account, and the
/// pages those upserts dirty are written to the log at every commit and again at the next
/// checkpoint. `WITHOUT ROWID` stores each row in its key's place: one search, one page.
/// PostgreSQL has no rowid tables; its step only moves the version.
enum InclusionBalanceTable {
    static let version = "v26: carbon-inclusion balances in one b-tree keyed by account"

    static func statements(_ dialect: SQLDialect) -> [String] {
        guard dialect == .sqlite else { return [] }
        return [
            """
            CREATE TABLE inclusion_balance_keyed (
              account_key TEXT PRIMARY KEY, pending INTEGER NOT NULL, available INTEGER NOT NULL, held INTEGER NOT NULL) WITHOUT ROWID
            """,
            "INSERT INTO inclusion_balance_keyed SELECT account_key, pending, available, held FROM inclusion_balance",
            "DROP TABLE inclusion_balance",
            "ALTER TABLE inclusion_balance_keyed RENAME TO inclusion_balance",
        ]
    }
}
