import CarbonKit
import Foundation
import GRDB
import Testing
@testable import CityCarbonStore

/// Schema v26: balances move into one b-tree keyed by account, unchanged.
@Suite("Balances keyed by account")
struct InclusionBalanceTableTests {
    @Test func aVersion25WorkspacesBalancesMoveUnchangedIntoATableWithoutRowids() throws {
        let path = try ScratchDirectory.make("v25").appendingPathComponent("workspace.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: AirNetwork.version)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO inclusion_balance VALUES ('acct_b', 10, 467, 0), ('acct_a', 0, 0, 145)")
        }
        try queue.close()

        let database = try CityCarbonDatabase(path: path)
        let (rows, definition) = try database.read { db in
            (try SQLRow.fetchAll(db, sql: "SELECT account_key, pending, available, held FROM inclusion_balance ORDER BY account_key"),
             try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'inclusion_balance'"))
        }
        #expect(rows.map { [$0["account_key"] as String, "\($0["pending"] as Int64)", "\($0["available"] as Int64)", "\($0["held"] as Int64)"] }
                == [["acct_a", "0", "0", "145"], ["acct_b", "10", "467", "0"]])
        #expect(definition?.hasSuffix("WITHOUT ROWID") == true)
    }

    @Test func aSecondRowForAnAccountIsRefused() throws {
        let database = try temporaryWorkspace()
        try database.write { db in try db.execute(sql: "INSERT INTO inclusion_balance VALUES ('acct_a', 0, 1, 0)") }
        #expect(throws: (any Error).self) {
            try database.write { db in try db.execute(sql: "INSERT INTO inclusion_balance VALUES ('acct_a', 0, 2, 0)") }
        }
    }
}
