import CarbonInclusion
import CarbonKit
import Foundation
import GRDB
import Testing
@testable import CityCarbonStore

/// Schema v24: a credited event's ledger line lives in the event's row; a v23 workspace's credit
/// lines move there on open, and the chain still catches any change to them.
@Suite("Credit lines in event rows")
struct InclusionCreditLinesTests {
    @Test func aVersion23WorkspacesCreditLinesMoveIntoTheirEventsAndStillReconcile() throws {
        let path = try ScratchDirectory.make("v23").appendingPathComponent("workspace.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: InclusionSchema.version)
        // As v23 wrote them: an event, its credit line, a claim line after it, the balance and the head.
        let credit = CreditEntry(sequence: 1, atMillis: 1_000, kind: .credit, account: "acct_1", reference: "event:amap:m1", pending: 467,
                                 available: 0, held: 0, grams: Micro("467")!, previousHash: CreditEntry.genesis,
                                 hash: CreditEntry.hash(sequence: 1, atMillis: 1_000, kind: .credit, account: "acct_1", reference: "event:amap:m1",
                                                        pending: 467, available: 0, held: 0, grams: Micro("467")!, previousHash: CreditEntry.genesis))
        let claim = CreditEntry(sequence: 2, atMillis: 2_000, kind: .claim, account: "acct_1", reference: "credit:1", pending: -467,
                                available: 467, held: 0, grams: .zero, previousHash: credit.hash,
                                hash: CreditEntry.hash(sequence: 2, atMillis: 2_000, kind: .claim, account: "acct_1", reference: "credit:1",
                                                       pending: -467, available: 467, held: 0, grams: .zero, previousHash: credit.hash))
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO inclusion_event (id, partner, serial, digest, scheme, account_key, scenario, started_at, evidence, received_at,
                  decision, day, grams_micro, points, status) VALUES (1, 'amap', 'm1', 'd', 'city', 'acct_1', 'metro', 0, 'operator', 0,
                  'credited', '2026-03-10', 467000000, 467, 'available')
                """)
            for line in [credit, claim] {
                try db.execute(sql: "INSERT INTO inclusion_ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
                    line.sequence, line.atMillis, line.kind.rawValue, line.account, line.reference, line.pending, line.available, line.held,
                    line.grams.millionths, line.previousHash, line.hash])
            }
            try db.execute(sql: "INSERT INTO inclusion_balance VALUES ('acct_1', 0, 467, 0)")
            try db.execute(sql: "UPDATE inclusion_head SET sequence = 2, hash = ?", arguments: [claim.hash])
        }
        try queue.close()

        let database = try CityCarbonDatabase(path: path)
        let reconciliation = try InclusionReads(database).reconcile()
        #expect(reconciliation.balanced && reconciliation.entries == 2)
        let (left, moved) = try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_ledger WHERE kind = 'credit'"),
             try SQLRow.fetchOne(db, sql: "SELECT sequence, credited_to, hash FROM inclusion_event WHERE id = 1"))
        }
        #expect(left == 0)
        #expect(moved?["sequence"] == Int64(1) && moved?["credited_to"] == "pending" && moved?["hash"] == credit.hash)
    }

    @Test func aChangedPointsValueInAnEventRowBreaksTheChainAtItsLine() throws {
        let database = try temporaryWorkspace()
        let amap = try InclusionStoreTests.partner(database)
        let intake = InclusionIntake(database)
        _ = try intake.post([InclusionStoreTests.steps("w1", "7250"), InclusionStoreTests.metro("m1"),
                             InclusionStoreTests.steps("w2", "3000", account: "did:bo")], from: amap,
                            now: InclusionStoreTests.morning.addingTimeInterval(3600))
        #expect(try InclusionReads(database).reconcile().balanced)
        try database.write { db in try db.execute(sql: "UPDATE inclusion_event SET points = points + 1 WHERE serial = 'm1'") }
        let found = try InclusionReads(database).reconcile()
        #expect(found.brokenAt == 2)
    }

    @Test func aDeletedCreditedEventBreaksTheChainAtTheLineAfterIt() throws {
        let database = try temporaryWorkspace()
        let amap = try InclusionStoreTests.partner(database)
        _ = try InclusionIntake(database).post([InclusionStoreTests.steps("w1", "7250"), InclusionStoreTests.metro("m1"),
                                                InclusionStoreTests.steps("w2", "3000", account: "did:bo")], from: amap,
                                               now: InclusionStoreTests.morning.addingTimeInterval(3600))
        try database.write { db in try db.execute(sql: "DELETE FROM inclusion_event WHERE serial = 'm1'") }
        let found = try InclusionReads(database).reconcile()
        #expect(found.brokenAt == 3 && found.entries == 2)
    }

    @Test func aNewResidentsLedgerKeyIsShortRandomAndNotTheirPseudonym() throws {
        let database = try temporaryWorkspace()
        let amap = try InclusionStoreTests.partner(database)
        _ = try InclusionIntake(database).post([InclusionStoreTests.steps("w1", "7250"), InclusionStoreTests.steps("w2", "3000", account: "did:bo")],
                                               from: amap, now: InclusionStoreTests.morning.addingTimeInterval(3600))
        let keys = try database.read { db in try SQLRow.fetchAll(db, sql: "SELECT did, account_key FROM inclusion_account ORDER BY did") }
        #expect(keys.count == 2)
        for row in keys {
            let key: String = row["account_key"]
            #expect(key.count == 13 && key.hasPrefix("a") && key != row["did"] as String)
            #expect(key.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains($0) })
        }
        #expect(Set(keys.map { $0["account_key"] as String }).count == 2)
    }
}
