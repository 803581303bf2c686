import CarbonAccounting
import CarbonKit
import Foundation
import Testing
@testable import CityCarbonStore

@Suite("Audit trail")
struct AuditTrailTests {
    /// A workspace after a day's work: jurisdictions, activity data, an inventory, a publication.
    func workspace() throws -> CityCarbonDatabase {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv", actor: "alice")
        try ActivityRepository(db).importCSV(bytes(activities), file: "a.csv", actor: "bob")
        _ = try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR5"), actor: "bob")
        try PublicationRepository(db).publish(year: 2022, by: "carol")
        return db
    }

    @Test("Every write leaves an event with who, what and before → after")
    func everyWriteIsAudited() throws {
        let db = try workspace()
        let events = try AuditTrail(db).events(limit: 100).reversed().map { ($0.actor, $0.action, $0.entity, $0.entityID ?? "") }
        #expect(events.map(\.2) == ["jurisdiction", "jurisdiction", "jurisdiction", "activity_file", "inventory", "publication"])
        #expect(events.first! == ("alice", "create", "jurisdiction", "Demo City"))
        #expect(events.last! == ("carol", "publish", "publication", "2022"))
        let publication = try #require(try AuditTrail(db).events(entity: "publication").first)
        #expect(publication.before == #"{"published":false,"inventory_id":null}"#)
        #expect(publication.after?.contains(#""published":true"#) == true)
        let computed = try #require(try InventoryRepository(db).latestID(year: 2022))
        #expect(publication.after?.contains(#""inventory_id":\#(computed)"#) == true)
        try PublicationRepository(db).withdraw(year: 2022, by: "carol")
        #expect(try AuditTrail(db).events(entity: "publication").first?.action == "withdraw")
    }

    @Test("A refused import writes no event")
    func refusedWritesNothing() throws {
        let db = try workspace()
        let before = try AuditTrail(db).events(limit: 1000).count
        #expect(throws: InputErrors.self) { try ActivityRepository(db).importCSV(bytes("year,jurisdiction,gpc_ref,amount\n2022,North,I.9.9,1\n"), file: "x.csv") }
        #expect(try AuditTrail(db).events(limit: 1000).count == before)
    }

    @Test("An intact chain verifies")
    func intact() throws {
        let db = try workspace()
        #expect(try AuditTrail(db).verify() == .init(events: 6, firstBad: nil))
    }

    @Test("The database refuses to change or delete an event")
    func appendOnly() throws {
        let db = try workspace()
        for change in ["UPDATE audit_event SET actor = 'mallory' WHERE id = 2", "DELETE FROM audit_event WHERE id = 2"] {
            let error = #expect(throws: (any Error).self) { try db.write { try $0.execute(sql: change) } }
            #expect("\(error.map { "\($0)" } ?? "")".contains("append-only"))
        }
        #expect(try AuditTrail(db).verify() == .init(events: 6, firstBad: nil))
    }

    @Test("A row altered behind the database's back is named as the first bad event")
    func alteredRow() throws {
        let db = try workspace()
        try db.write { db in
            try dropTrigger("audit_event_no_update", db)
            try db.execute(sql: "UPDATE audit_event SET after = replace(after, 'true', 'false') WHERE id = 6")
        }
        let result = try AuditTrail(db).verify()
        #expect(result.firstBad?.id == 6)
        #expect(result.firstBad?.reason.contains("altered") == true)
    }

    @Test("A removed event in the middle, or at the end, is found")
    func removedRows() throws {
        let middle = try workspace()
        try middle.write { db in
            try dropTrigger("audit_event_no_delete", db)
            try db.execute(sql: "DELETE FROM audit_event WHERE id = 3")
        }
        #expect(try AuditTrail(middle).verify().firstBad?.id == 3)
        let tail = try workspace()
        try tail.write { db in
            try dropTrigger("audit_event_no_delete", db)
            try db.execute(sql: "DELETE FROM audit_event WHERE id = 6")
        }
        #expect(try AuditTrail(tail).verify().firstBad?.id == 6)
    }
}

/// Plays someone with the database's own credentials going around the application.
private func dropTrigger(_ name: String, _ db: any SQLConnection) throws {
    try db.execute(sql: db.dialect == .postgres ? "DROP TRIGGER \(name) ON audit_event" : "DROP TRIGGER \(name)")
}
