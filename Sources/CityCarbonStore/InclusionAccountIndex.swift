/// Schema v28: a resident's events are found through a two-level index instead of an index on
/// the events table, so intake's commits stop rewriting pages all over a growing index.
///
/// Every event gets an entry in `inclusion_event_recent` (account key, event id), a table small
/// enough that the pages a commit's random keys land on are few and already in memory. When it
/// holds ``mergeAt`` entries they move, in key order, into `inclusion_event_by_account` in one
/// pass, which touches each of that table's pages once rather than once per commit. Measured on
/// `citycarbon bench inclusion` (1 M events): the events table's own account index cost the
/// intake writer about a third of its time. A resident's events are those whose ids either table
/// lists (``accountEvents``).
enum InclusionAccountIndex {
    static let version = "v28: carbon inclusion — events found by account through a recent and a merged index"

    /// Entries the recent level holds before it is merged.
    static let mergeAt = 100_000

    static func statements(_ dialect: SQLDialect) -> [String] {
        let big = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let keyed = dialect == .sqlite ? " WITHOUT ROWID" : ""
        return [
            "CREATE TABLE inclusion_event_recent (account_key TEXT NOT NULL, id \(big) NOT NULL, PRIMARY KEY (account_key, id))\(keyed)",
            "CREATE TABLE inclusion_event_by_account (account_key TEXT NOT NULL, id \(big) NOT NULL, PRIMARY KEY (account_key, id))\(keyed)",
            "INSERT INTO inclusion_event_by_account (account_key, id) SELECT account_key, id FROM inclusion_event ORDER BY account_key, id",
            "DROP INDEX inclusion_event_account",
        ]
    }

    /// `WHERE` text selecting one account's events (one argument: the account key, twice).
    static let accountEvents = """
        id IN (SELECT id FROM inclusion_event_by_account WHERE account_key = ? UNION ALL SELECT id FROM inclusion_event_recent WHERE account_key = ?)
        """

    /// Lists new events in the recent level, and merges it once it is full; in the writer's transaction.
    static func add(accounts: [String], ids: [Int64], _ db: any SQLConnection, mergeAt: Int = mergeAt) throws {
        guard !ids.isEmpty else { return }
        try db.bulkInsert(into: "inclusion_event_recent", columns: [SQLColumn("account_key", .text(accounts)), SQLColumn("id", .integer(ids))],
                          onConflict: nil)
        let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_event_recent") ?? 0
        if held >= mergeAt { try merge(db) }
    }

    /// Moves the recent level into the merged one, in key order.
    static func merge(_ db: any SQLConnection) throws {
        try db.execute(sql: """
            INSERT INTO inclusion_event_by_account (account_key, id) SELECT account_key, id FROM inclusion_event_recent ORDER BY account_key, id
            """)
        try db.execute(sql: "DELETE FROM inclusion_event_recent")
    }
}
