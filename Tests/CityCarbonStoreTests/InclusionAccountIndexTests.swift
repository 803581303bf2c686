import CarbonInclusion
import CarbonKit
import Foundation
import GRDB
import Testing
@testable import CityCarbonStore

/// Schema v28: a resident's events are found through a recent and a merged index, whichever
/// holds them, before and after a merge.
@Suite("Events found by account")
struct InclusionAccountIndexTests {
    typealias Fixture = InclusionStoreTests

    func credits(_ database: CityCarbonDatabase, _ did: String = "did:ann") throws -> [String] {
        try InclusionAccounts(database).account(scheme: "city", did: did).credits.map(\.serial).sorted()
    }

    @Test func aResidentsEventsAreFoundOnEitherSideOfAMerge() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let intake = InclusionIntake(database)
        _ = try intake.post([Fixture.steps("w1", "7250"), Fixture.metro("m1"), Fixture.steps("b1", "3000", account: "did:bo")], from: amap,
                            now: Fixture.morning.addingTimeInterval(3600))
        try database.write { db in try InclusionAccountIndex.merge(db) }
        _ = try intake.post([Fixture.metro("m2", at: 7200), Fixture.metro("b2", account: "did:bo", at: 7200)], from: amap,
                            now: Fixture.morning.addingTimeInterval(3 * 3600))
        let levels = try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_event_by_account"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_event_recent"))
        }
        #expect(levels.0 == 3 && levels.1 == 2)
        #expect(try credits(database) == ["m1", "m2", "w1"])
        #expect(try credits(database, "did:bo") == ["b1", "b2"])
        let exported = try InclusionAccounts(database).export(scheme: "city", did: "did:ann")
        guard case let .object(members) = exported, case let .array(events)? = members.first(where: { $0.0 == "events" })?.1 else {
            Issue.record("no events in the export"); return
        }
        #expect(events.count == 3)
    }

    @Test func theRecentLevelMergesInKeyOrderOnceFull() throws {
        let database = try temporaryWorkspace()
        try database.write { db in
            try InclusionAccountIndex.add(accounts: ["b", "a"], ids: [1, 2], db, mergeAt: 3)
            try InclusionAccountIndex.add(accounts: ["a"], ids: [3], db, mergeAt: 3)
            try InclusionAccountIndex.add(accounts: ["c"], ids: [4], db, mergeAt: 3)
        }
        let (merged, recent) = try database.read { db in
            (try SQLRow.fetchAll(db, sql: "SELECT account_key, id FROM inclusion_event_by_account ORDER BY account_key, id").map { "\($0["account_key"] as String)\($0["id"] as Int64)" },
             try Int64.fetchAll(db, sql: "SELECT id FROM inclusion_event_recent"))
        }
        #expect(merged == ["a2", "a3", "b1"] && recent == [4])
    }

    @Test func anErasureReachesEventsInBothLevels() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let intake = InclusionIntake(database)
        _ = try intake.post([Fixture.metro("m1")], from: amap, now: Fixture.morning.addingTimeInterval(3600))
        try database.write { db in try InclusionAccountIndex.merge(db) }
        _ = try intake.post([Fixture.metro("m2", at: 7200)], from: amap, now: Fixture.morning.addingTimeInterval(3 * 3600))
        try InclusionAccounts(database).erase(scheme: "city", did: "did:ann", by: "resident")
        let kept = try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_event WHERE activity IS NOT NULL") }
        #expect(kept == 0)
    }

    @Test func aVersion27WorkspacesEventsAreIndexedByAccountOnOpen() throws {
        let path = try ScratchDirectory.make("v27").appendingPathComponent("workspace.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: AirStreams.version)
        try queue.write { db in
            for (id, account) in [(1, "acct_b"), (2, "acct_a"), (3, "acct_b")] {
                try db.execute(sql: """
                    INSERT INTO inclusion_event (id, partner, serial, digest, scheme, account_key, scenario, started_at, evidence, received_at,
                      decision, day, grams_micro, points, status) VALUES (?, 'amap', ?, 'd', 'city', ?, 'metro', 0, 'operator', 0,
                      'refused', '2026-03-10', 0, 0, 'refused')
                    """, arguments: [id, "s\(id)", account])
            }
        }
        try queue.close()
        let database = try CityCarbonDatabase(path: path)
        let rows = try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT account_key, id FROM inclusion_event_by_account ORDER BY account_key, id").map { "\($0["account_key"] as String):\($0["id"] as Int64)" }
        }
        #expect(rows == ["acct_a:2", "acct_b:1", "acct_b:3"])
        let indexes = try database.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inclusion_event'") }
        #expect(!indexes.contains("inclusion_event_account"))
    }
}
