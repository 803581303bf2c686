import Crypto
import Foundation

/// SHA-256 over the rows a query returns, every column in order, each value tagged with its
/// kind: what a publication event records of what it published, so that a later change of
/// the published rows in the database, made behind the platform's back, no longer matches.
///
/// Both engines give the same digest for the same rows: a whole number stored as a real (as
/// PostgreSQL may return it) hashes as the integer it is.
struct RowDigest: Sendable, Equatable {
    var rows: Int
    var sha256: String

    init(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws {
        var hasher = SHA256()
        var rows = 0
        try db.forEachRow(sql: sql, arguments: arguments) { row in
            rows += 1
            for value in row.values {
                let text: String
                switch value {
                case .null: text = "n"
                case let .integer(i): text = "i\(i)"
                case let .real(d): text = d == d.rounded() && abs(d) < 1e15 ? "i\(Int64(d))" : "r\(d)"
                case let .text(t): text = "t\(t.utf8.count):\(t)"
                case let .blob(b): text = "b\(Hex.string(b))"
                }
                hasher.update(data: Data((text + "\u{1f}").utf8))
            }
            hasher.update(data: Data("\u{1e}".utf8))
        }
        self.rows = rows
        self.sha256 = Hex.string(hasher.finalize())
    }
}
