import Foundation
import Testing
@testable import CityCarbonStore

/// Values go into a bulk insert and come back through a query unchanged, on both engines: the
/// SQLite path binds and reads through SQLite directly, so every kind of value is tried.
@Suite("Bulk inserts and queries bind every kind of value faithfully")
struct SQLConnectionBindingTests {
    func engines() throws -> [CityCarbonDatabase] {
        var list = [try sqliteWorkspace()]
        if let server = TestPostgres.server { list.append(try CityCarbonDatabase(postgres: try TestPostgres.createDatabase(on: server))) }
        return list
    }

    static let texts: [String?] = ["plain", "", nil, "碳普惠 · 杭州", "quote ' and \" and \\", "e\u{301}", String(repeating: "x", count: 70_000)]

    @Test func textsEmptyNullUnicodeAndLongComeBackAsWritten() throws {
        for database in try engines() {
            try database.write { db in
                try db.execute(sql: "CREATE TABLE bind_probe (n BIGINT NOT NULL, t TEXT, i BIGINT, r DOUBLE PRECISION)")
                let count = Self.texts.count
                try db.bulkInsert(into: "bind_probe", columns: [
                    SQLColumn("n", .integer((0..<count).map(Int64.init))), SQLColumn("t", .optionalText(Self.texts)),
                    SQLColumn("i", .optionalInteger((0..<count).map { $0 % 2 == 0 ? Int64.max - Int64($0) : nil })),
                    SQLColumn("r", .optionalReal((0..<count).map { $0 % 3 == 0 ? nil : -1.5e300 * Double($0) })),
                ], onConflict: nil)
                let rows = try SQLRow.fetchAll(db, sql: "SELECT n, t, i, r FROM bind_probe ORDER BY n")
                #expect(rows.count == count)
                for (index, row) in rows.enumerated() {
                    #expect(row["t"] as String? == Self.texts[index], "row \(index) on \(database.dialect)")
                    #expect(row["i"] as Int64? == (index % 2 == 0 ? Int64.max - Int64(index) : nil))
                    #expect(row["r"] as Double? == (index % 3 == 0 ? nil : -1.5e300 * Double(index)))
                }
                // The empty text is a text, not NULL, when it is an argument too.
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bind_probe WHERE t = ?", arguments: [""]) == 1)
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bind_probe WHERE t IS NULL") == 1)
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bind_probe WHERE t = ?", arguments: ["碳普惠 · 杭州"]) == 1)
            }
        }
    }

    @Test func aBulkInsertWhoseColumnsDifferInLengthIsRefusedAndWritesNothing() throws {
        let database = try sqliteWorkspace()
        try database.write { db in try db.execute(sql: "CREATE TABLE bind_probe (a BIGINT, b TEXT)") }
        #expect(throws: (any Error).self) {
            try database.write { db in
                try db.bulkInsert(into: "bind_probe", columns: [SQLColumn("a", .integer([1, 2, 3])), SQLColumn("b", .text(["one"]))],
                                  onConflict: nil)
            }
        }
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM bind_probe") } == 0)
    }

    @Test func aQueryGivenTheWrongNumberOfArgumentsIsRefused() throws {
        let database = try sqliteWorkspace()
        #expect(throws: (any Error).self) {
            try database.read { try SQLRow.fetchAll($0, sql: "SELECT ? + ?", arguments: [1]) }
        }
    }

    @Test func emptyAndNullBlobsStayApart() throws {
        let database = try sqliteWorkspace()
        try database.read { db in
            let row = try SQLRow.fetchOne(db, sql: "SELECT ? AS empty, ? AS absent, length(?) AS size", arguments: [Data(), nil, Data([0, 1, 2])])
            #expect(row?["empty"] as Data? == Data())
            #expect(row?["absent"] as Data? == nil)
            #expect(row?["size"] as Int? == 3)
        }
    }
}
