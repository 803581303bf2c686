import CarbonKit
import Foundation

/// Brings a PostgreSQL database to the current schema (`Resources/postgres-schema.sql`).
///
/// An empty database gets the whole script in one transaction; a database that has it is left
/// as it is; one with another version is refused rather than guessed at.
enum PostgresSchema {
    static let version = "v11: pilot goals keep their sheet's order"

    static func prepare(_ store: PostgresStore) throws {
        let present = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'") ?? 0
        }
        if present == 0 {
            let statements = statements(of: try script())
            try store.write { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        let found = try store.read { db in try String.fetchOne(db, sql: "SELECT version FROM schema_version") }
        guard found == version else {
            throw InputErrors([InputIssue(InputLocation(field: "database"), value: found ?? "none",
                                          reason: "this PostgreSQL database has schema \(found ?? "none"); this version of CityCarbon uses \(version)")])
        }
    }

    static func script() throws -> String {
        guard let url = Bundle.module.url(forResource: "postgres-schema", withExtension: "sql", subdirectory: "Resources")
                ?? Bundle.module.resourceURL?.appendingPathComponent("Resources/postgres-schema.sql"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw InputErrors([InputIssue(InputLocation(file: "postgres-schema.sql"), reason: "missing from the store's resources")])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The script's statements: split at semicolons outside quotes and `$$` bodies, comments dropped.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuote = false, inBody = false
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines where inBody || inQuote || !line.trimmingCharacters(in: .whitespaces).hasPrefix("--") {
            var previous: Character = " "
            for c in line {
                current.append(c)
                if c == "'" && !inBody { inQuote.toggle() }
                if c == "$" && previous == "$" && !inQuote { inBody.toggle() }
                if c == ";" && !inQuote && !inBody {
                    statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                    current = ""
                }
                previous = c
            }
            current.append("\n")
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }

    /// The first second of each month (UTC) from `from` to `to`, as partition bounds.
    static func monthBounds(from: Int64, to: Int64) -> [(name: String, lower: Int64, upper: Int64)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var bounds: [(String, Int64, Int64)] = []
        var components = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(from)))
        while true {
            let start = calendar.date(from: components)!
            let lower = Int64(start.timeIntervalSince1970)
            if lower > to { break }
            let next = calendar.date(byAdding: .month, value: 1, to: start)!
            bounds.append((String(format: "monitor_reading_%04d_%02d", components.year!, components.month!), lower, Int64(next.timeIntervalSince1970)))
            components = calendar.dateComponents([.year, .month], from: next)
        }
        return bounds
    }
}
