import CarbonKit
import Crypto
import Foundation
import Testing
@testable import CityCarbonStore

/// The digest a publication event records is a definition: the same rows must give the same
/// digest in every version, or every publication made before would stop verifying.
@Suite("Digest of published rows")
struct RowDigestTests {
    /// The definition as published events were made with it: each value tagged by kind and
    /// ended by U+001F, each row ended by U+001E, SHA-256 over all of it.
    static func definition(_ rows: [[SQLValue]]) -> String {
        var text = ""
        for row in rows {
            for value in row {
                switch value {
                case .null: text += "n"
                case let .integer(i): text += "i\(i)"
                case let .real(d): text += d == d.rounded() && abs(d) < 1e15 ? "i\(Int64(d))" : "r\(d)"
                case let .text(t): text += "t\(t.utf8.count):\(t)"
                case let .blob(b): text += "b\(Hex.string(b))"
                }
                text += "\u{1f}"
            }
            text += "\u{1e}"
        }
        return Hex.string(SHA256.hash(data: Data(text.utf8)))
    }

    static func convertible(_ value: SQLValue) -> any SQLValueConvertible {
        switch value {
        case .null: String?.none
        case let .integer(i): i
        case let .real(d): d
        case let .text(t): t
        case let .blob(b): Data(b)
        }
    }

    /// SQLite keeps each value's own kind whatever the column, so one table holds them all.
    static let rows: [[SQLValue]] = [
        [.integer(0), .null, .text("I.1.1"), .real(12.5), .real(3), .text("中心区 ➜ \u{1f}"), .blob([0, 255, 16])],
        [.integer(-9_223_372_036_854_775_807), .real(1e308), .real(-0.1), .real(1e15), .text(""), .null, .blob([])],
    ]

    @Test func aDigestOfStoredRowsFollowsItsDefinitionByteForByte() throws {
        let db = try sqliteWorkspace()
        let digest = try db.write { db in
            try db.execute(sql: "CREATE TEMP TABLE digest_rows (k INTEGER, a, b, c, d, e, f)")
            for (k, row) in Self.rows.enumerated() {
                try db.execute(sql: "INSERT INTO digest_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: SQLArguments([Int64(k)] + row.dropFirst().map(Self.convertible)))
            }
            return try RowDigest(db, sql: "SELECT a, b, c, d, e, f FROM digest_rows ORDER BY k")
        }
        #expect(digest.rows == 2)
        #expect(digest.sha256 == Self.definition(Self.rows.map { Array($0.dropFirst()) }))
    }

    @Test func oneChangedValueChangesTheDigest() throws {
        let db = try sqliteWorkspace()
        let (before, after) = try db.write { db in
            try db.execute(sql: "CREATE TEMP TABLE digest_rows (a, b)")
            try db.execute(sql: "INSERT INTO digest_rows VALUES (1, 'North'), (2, 'South')")
            let before = try RowDigest(db, sql: "SELECT a, b FROM digest_rows ORDER BY a")
            try db.execute(sql: "UPDATE digest_rows SET b = 'south' WHERE a = 2")
            return (before, try RowDigest(db, sql: "SELECT a, b FROM digest_rows ORDER BY a"))
        }
        #expect(before.sha256 != after.sha256)
    }
}
