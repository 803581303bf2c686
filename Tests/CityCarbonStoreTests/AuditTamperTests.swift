import CarbonAccounting
import CarbonKit
import Foundation
import GRDB
import Testing
@testable import CityCarbonStore

/// Someone with the database's own credentials goes around the platform: every way they
/// could hide it — cut the tail and move the head back, rewrite an event and re-hash all after
/// it, change a published inventory's numbers or its pinned rows — is found, on SQLite and
/// (with a server given) on PostgreSQL.
@Suite("Tampering with the audit trail and the published inventories")
struct AuditTamperTests {
    /// A workspace with 2022 published and its head signed, then more work after it; and the
    /// head as someone outside saved it at the end (from `/api/v1/audit/head`).
    static func signedWorkspace() throws -> (CityCarbonDatabase, AuditKey, saved: AuditCheckpoint) {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        try ActivityRepository(db).importCSV(bytes(activities), file: "activities.csv")
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        _ = try InventoryRepository(db).compute(year: 2022, gwp: gwp)
        let key = AuditKey.generate()
        try PublicationRepository(db).publish(year: 2022, by: "office", key: key)
        _ = try InventoryRepository(db).compute(year: 2021, gwp: gwp)
        let head = try AuditTrail(db).head()
        return (db, key, key.sign(event: head.event, hash: head.hash, at: CityCarbonDatabase.now()))
    }

    static func bypass(_ trigger: String, _ db: any SQLConnection) throws {
        try db.execute(sql: db.dialect == .postgres ? "DROP TRIGGER \(trigger) ON audit_event" : "DROP TRIGGER \(trigger)")
    }

    @Test func anUntouchedWorkspaceHoldsEverywhere() throws {
        let (db, key, saved) = try Self.signedWorkspace()
        #expect(try AuditTrail(db).verify().firstBad == nil)
        #expect(try AuditTrail(db).problems(against: AuditTrail(db).checkpoints() + [saved], trusting: key.publicKeyHex).isEmpty)
        #expect(try PublicationRepository(db).problems().isEmpty)
        #expect(try AuditTrail(db).checkpoints(subject: "publication 2022").count == 1)
    }

    @Test func cuttingTheTailAndMovingTheHeadBackIsFoundByASavedCheckpoint() throws {
        let (db, key, saved) = try Self.signedWorkspace()
        try db.write { db in
            try Self.bypass("audit_event_no_delete", db)
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM audit_event")!
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_event WHERE id = ?", arguments: [last - 1])!
            try db.execute(sql: "DELETE FROM audit_event WHERE id = ?", arguments: [last])
            try db.execute(sql: "UPDATE audit_head SET last_id = ?, last_hash = ?", arguments: [last - 1, previous])
        }
        // The chain alone cannot tell: it is a shorter chain that holds together…
        #expect(try AuditTrail(db).verify().firstBad == nil)
        // …but the head someone kept says there was more.
        let problems = try AuditTrail(db).problems(against: [saved], trusting: key.publicKeyHex)
        #expect(problems.count == 1 && problems[0].contains("no longer in the chain"))
    }

    @Test func rewritingAnEventAndRehashingTheRestIsFoundByThePublicationsCheckpoint() throws {
        let (db, key, _) = try Self.signedWorkspace()
        try db.write { db in
            try Self.bypass("audit_event_no_update", db)
            var previous = AuditTrail.genesis
            for row in try SQLRow.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY id") {
                var event = AuditTrail.event(row)
                if event.id == 2 { event.actor = "somebody else" }
                let hash = AuditEvent.hash(id: event.id, at: event.at, actor: event.actor, action: event.action, entity: event.entity,
                                           entityID: event.entityID, before: event.before, after: event.after, previousHash: previous)
                try db.execute(sql: "UPDATE audit_event SET actor = ?, previous_hash = ?, hash = ? WHERE id = ?", arguments: [event.actor, previous, hash, event.id])
                previous = hash
            }
            try db.execute(sql: "UPDATE audit_head SET last_hash = ?", arguments: [previous])
        }
        #expect(try AuditTrail(db).verify().firstBad == nil)
        let problems = try AuditTrail(db).problems(against: AuditTrail(db).checkpoints(), trusting: key.publicKeyHex)
        #expect(problems.count == 1 && problems[0].contains("rewritten"))
    }

    @Test func aCheckpointSignedByAnotherKeyIsNotTrusted() throws {
        let (db, key, _) = try Self.signedWorkspace()
        let head = try AuditTrail(db).head()
        let forged = AuditKey.generate().sign(event: head.event, hash: head.hash, at: CityCarbonDatabase.now())
        let problems = try AuditTrail(db).problems(against: [forged], trusting: key.publicKeyHex)
        #expect(problems.count == 1 && problems[0].contains("not signed by the trusted key"))
        var altered = try #require(try AuditTrail(db).checkpoints().first)
        altered.hash = String(repeating: "f", count: 64)
        #expect(try AuditTrail(db).problems(against: [altered], trusting: key.publicKeyHex).count == 1)
    }

    @Test func changingAPublishedInventorysNumbersIsFound() throws {
        let (db, _, _) = try Self.signedWorkspace()
        try db.write { db in
            try db.execute(sql: "UPDATE inventory SET basic_t = basic_t / 2, basic_plus_t = basic_plus_t / 2 WHERE id = (SELECT inventory_id FROM inventory_publication WHERE year = 2022)")
        }
        let problems = try PublicationRepository(db).problems()
        #expect(problems.contains { $0.hasPrefix("2022: its pinned rows give") })
        #expect(problems.contains { $0.contains("published as") })
    }

    @Test func changingThePinnedRowsIsFoundEvenWithTheNumbersChangedToMatch() throws {
        let (db, _, _) = try Self.signedWorkspace()
        try db.write { db in
            try db.execute(sql: "UPDATE published_activity_record SET amount = amount * 2 WHERE year = 2022 AND fuel = 'natural_gas'")
        }
        #expect(try PublicationRepository(db).problems().contains { $0.hasPrefix("2022: its pinned rows give") })
        // The forger also makes the stored totals agree with the doubled rows: the publication event still says otherwise.
        let table = try ActivityRepository(db).load(year: 2022, rows: .published)
        let doubled = try InventoryRepository(db).totals(of: table, year: 2022, gwp: "AR5")
        try db.write { db in
            try db.execute(sql: "UPDATE inventory SET basic_t = ?, basic_plus_t = ? WHERE id = (SELECT inventory_id FROM inventory_publication WHERE year = 2022)",
                           arguments: [doubled.basic, doubled.basicPlus])
        }
        let problems = try PublicationRepository(db).problems()
        #expect(problems.contains { $0.contains("pinned activity rows changed since they were published") })
        #expect(problems.contains { $0.contains("published as") })
    }

    @Test func aKeyFileRoundTripsAndIsNeverOverwritten() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).key").path
        let key = AuditKey.generate()
        try key.write(to: path)
        #expect(try AuditKey.load(path).publicKeyHex == key.publicKeyHex)
        #expect(throws: InputErrors.self) { try AuditKey.generate().write(to: path) }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(key.sign(event: 3, hash: "ab", at: "now").isSigned(by: key.publicKeyHex))
    }
}

/// A workspace published before publications pinned their rows is upgraded without showing a draft.
@Suite("Upgrading a workspace to pinned publications")
struct PinnedRowsMigrationTests {
    @Test func onlyYearsWhosePublishedComputationIsTheLatestArePinned() throws {
        let db = try sqliteWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        try ActivityRepository(db).importCSV(bytes(activities), file: "activities.csv")
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        _ = try InventoryRepository(db).compute(year: nil, gwp: gwp)
        try PublicationRepository(db).publish(year: 2022, by: "office")
        try PublicationRepository(db).publish(year: 2021, by: "office")
        // A draft of 2021 after its publication: new rows, recomputed, not published.
        try ActivityRepository(db).importCSV(bytes("year,jurisdiction,gpc_ref,fuel,amount,unit\n2021,North,I.1.1,natural_gas,9,TJ\n"), file: "draft.csv",
                                             existing: .replace, actor: "editor")
        _ = try InventoryRepository(db).compute(year: 2021, gwp: gwp)
        // Back to the schema before v12, as a workspace in the field has it.
        let path = db.path
        try storeActivityRowsAsBeforeBlocks(db)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TABLE published_activity_record; DROP TABLE audit_checkpoint")
            try db.execute(sql: "ALTER TABLE monitor_config DROP COLUMN earliest_reading; ALTER TABLE monitor_config DROP COLUMN max_ahead_s")
            try db.execute(sql: "ALTER TABLE pathway_scenario DROP COLUMN published_document")
            try db.execute(sql: "ALTER TABLE pathway_scenario DROP COLUMN submitted_by; ALTER TABLE pathway_scenario DROP COLUMN submitted_at")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [PostgresSchema.v12])
        }
        try queue.close()
        let upgraded = try CityCarbonDatabase(path: path)
        #expect(try ActivityRepository(upgraded).page(year: 2022, jurisdictions: nil, gpcPrefix: nil, offset: 0, limit: 50, rows: .published).total == 4)
        #expect(try ActivityRepository(upgraded).page(year: 2021, jurisdictions: nil, gpcPrefix: nil, offset: 0, limit: 50, rows: .published).total == 0)
        let problems = try PublicationRepository(upgraded).problems()
        #expect(problems.count == 1 && problems[0].hasPrefix("2021: published before publications pinned their rows"), "\(problems)")
    }
}

/// A workspace from before v16 keeps every activity row, in import order, when its table is
/// rebuilt without per-row bookkeeping and then moved into blocks; its publications still verify.
@Suite("Upgrading a workspace to lean activity rows")
struct LeanActivityRowsMigrationTests {
    @Test func everyRowAndItsOrderSurviveAndPublicationsStillVerify() throws {
        let db = try sqliteWorkspace()
        try DemoCity.seed(db)
        let before = try ActivityRepository(db).load().records
        let path = db.path
        try storeActivityRowsAsBeforeBlocks(db)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            // The table as v1 made it: AUTOINCREMENT, foreign keys, an index on the file.
            try db.execute(sql: """
                CREATE TABLE old (id INTEGER PRIMARY KEY AUTOINCREMENT, jurisdiction_id INTEGER NOT NULL REFERENCES jurisdiction(id) ON DELETE RESTRICT,
                  year INTEGER NOT NULL, source_file_id INTEGER NOT NULL REFERENCES source_file(id) ON DELETE CASCADE, line INTEGER, gpc_ref TEXT NOT NULL,
                  fuel TEXT, technology TEXT, amount DOUBLE, unit TEXT, factor_set TEXT, co2_kg_per_unit DOUBLE, ch4_kg_per_unit DOUBLE,
                  n2o_kg_per_unit DOUBLE, gas TEXT, td_loss_rate DOUBLE, notation_key TEXT, ie_ref TEXT, ad_quality TEXT, ef_quality TEXT, source TEXT, note TEXT);
                INSERT INTO old SELECT * FROM activity_record;
                DROP TABLE activity_record;
                ALTER TABLE old RENAME TO activity_record;
                CREATE INDEX activity_record_on_source_file_id ON activity_record(source_file_id);
                CREATE INDEX activity_record_on_year_jurisdiction ON activity_record(year, jurisdiction_id);
                """)
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [SQLiteSchema.v16])
        }
        try queue.close()
        let upgraded = try CityCarbonDatabase(path: path)
        #expect(try ActivityRepository(upgraded).load().records == before)
        #expect(try PublicationRepository(upgraded).problems().isEmpty)
        let tables = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(!tables.contains("activity_record") && tables.contains("activity_chunk"))
    }

    @Test func aYearOfSeveralFilesKeepsEachRowsFileWhenMovedIntoBlocks() throws {
        let db = try sqliteWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        try ActivityRepository(db).importCSV(bytes(activities), file: "first.csv")
        try ActivityRepository(db).importCSV(bytes("year,jurisdiction,gpc_ref,fuel,amount,unit\n2022,South,I.1.1,natural_gas,9,TJ\n"),
                                             file: "second.csv", existing: .append)
        let before = try ActivityRepository(db).load().records
        try storeActivityRowsAsBeforeBlocks(db)
        let upgraded = try CityCarbonDatabase(path: db.path)
        #expect(try ActivityRepository(upgraded).load().records == before)
        let files = try upgraded.read { db in
            try ActivityChunkStore.sourceFiles(db, year: 2022, jurisdictionID: try JurisdictionRepository.ids(db)["South"]!)
        }
        #expect(files == ["first.csv", "second.csv"])
    }
}

/// Puts a workspace's activity rows back as v16 stored them, a row each in `activity_record`
/// with ids in import order, and forgets the move into blocks, as a workspace in the field has it.
func storeActivityRowsAsBeforeBlocks(_ database: CityCarbonDatabase) throws {
    let (table, files, ids) = try database.read { db in
        var table = ActivityTable()
        var files: [(id: Int64, rows: Range<Int>)] = []
        try ActivityChunkStore.load(db, year: nil, into: &table) { files.append(($0, $1)) }
        return (table, files, try JurisdictionRepository.ids(db))
    }
    let queue = try DatabaseQueue(path: database.path)
    defer { try? queue.close() }
    try queue.write { db in
        try db.execute(sql: """
            CREATE TABLE activity_record (
              id INTEGER PRIMARY KEY, jurisdiction_id INTEGER NOT NULL, year INTEGER NOT NULL, source_file_id INTEGER NOT NULL,
              line INTEGER, gpc_ref TEXT NOT NULL, fuel TEXT, technology TEXT, amount DOUBLE, unit TEXT, factor_set TEXT,
              co2_kg_per_unit DOUBLE, ch4_kg_per_unit DOUBLE, n2o_kg_per_unit DOUBLE, gas TEXT, td_loss_rate DOUBLE, notation_key TEXT,
              ie_ref TEXT, ad_quality TEXT, ef_quality TEXT, source TEXT, note TEXT);
            CREATE INDEX activity_record_on_year_jurisdiction ON activity_record(year, jurisdiction_id);
            """)
        for (file, rows) in files {
            for i in rows {
                let r = table[i]
                try db.execute(sql: """
                    INSERT INTO activity_record (jurisdiction_id, year, source_file_id, line, gpc_ref, fuel, technology, amount, unit, factor_set,
                      co2_kg_per_unit, ch4_kg_per_unit, n2o_kg_per_unit, gas, td_loss_rate, notation_key, ie_ref, ad_quality, ef_quality, source, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [ids[r.jurisdiction], r.year, file, r.line, r.gpcRef, r.fuel, r.technology, r.amount, r.unit, r.factorSet,
                                     r.co2KgPerUnit, r.ch4KgPerUnit, r.n2oKgPerUnit, r.gas, r.tdLossRate, r.notationKey?.rawValue, r.ieRef,
                                     r.adQuality?.rawValue, r.efQuality?.rawValue, r.source, r.note])
            }
        }
        try db.execute(sql: "DROP TABLE activity_chunk_jurisdiction; DROP TABLE activity_chunk")
        try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [SQLiteSchema.v17])
    }
}
