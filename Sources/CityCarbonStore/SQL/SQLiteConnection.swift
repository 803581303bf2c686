import Foundation
import GRDB
import GRDBSQLite

/// A ``SQLConnection`` over a GRDB database connection: every statement is prepared once per
/// connection and cached, as GRDB's `cachedStatement` does.
final class SQLiteConnection: SQLConnection {
    let db: Database

    init(_ db: Database) { self.db = db }

    var dialect: SQLDialect { .sqlite }

    var changesCount: Int { db.changesCount }

    func execute(sql: String, arguments: SQLArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchAll(statement, arguments: Self.arguments(arguments)).map { SQLRow(columns: columns, values: $0.databaseValues.map(Self.value)) }
    }

    func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        let rows = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        while let row = try rows.next() { try body(SQLRow(columns: columns, values: row.databaseValues.map(Self.value))) }
    }

    func bulkInsert(into table: String, columns: [SQLColumn], onConflict: String?) throws {
        let sql = "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
            + (onConflict.map { " ON CONFLICT \($0)" } ?? "")
        try step(sql, columns)
    }

    func bulkUpdate(_ table: String, key: SQLColumn, set columns: [SQLColumn]) throws {
        try step("UPDATE \(table) SET \(columns.map { "\($0.name) = ?" }.joined(separator: ", ")) WHERE \(key.name) = ?", columns + [key])
    }

    /// Steps one cached statement per row, binding straight from the column arrays.
    ///
    /// The statement is GRDB's cached one for this SQL text, which another path may have run
    /// with its own arguments and left stepped: it is reset and its bindings cleared first (a bind
    /// on a statement that is not reset fails, and the step would then run with stale or NULL
    /// values), and every bind's result is checked.
    private func step(_ sql: String, _ columns: [SQLColumn]) throws {
        guard let count = columns.first?.count, count > 0 else { return }
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        guard Int(sqlite3_bind_parameter_count(handle)) == columns.count else {
            throw DatabaseError(resultCode: .SQLITE_RANGE, message: "\(columns.count) columns for \(sqlite3_bind_parameter_count(handle)) parameters", sql: sql)
        }
        for row in 0..<count {
            for (i, column) in columns.enumerated() {
                let index = Int32(i + 1)
                let bound: Int32
                switch column.values {
                case let .integer(v): bound = sqlite3_bind_int64(handle, index, v[row])
                case let .real(v): bound = sqlite3_bind_double(handle, index, v[row])
                case let .optionalReal(v): bound = v[row].map { sqlite3_bind_double(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
                // withCString reads a native string in place; passing the String itself makes a copy first.
                case let .text(v): bound = v[row].withCString { sqlite3_bind_text(handle, index, $0, -1, transient) }
                case let .optionalText(v):
                    bound = v[row].map { $0.withCString { sqlite3_bind_text(handle, index, $0, -1, transient) } } ?? sqlite3_bind_null(handle, index)
                case let .optionalInteger(v): bound = v[row].map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
                }
                guard bound == SQLITE_OK else { throw error(bound, sql, "binding \(column.name) of row \(row)") }
            }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else { throw error(code, sql, nil) }
        }
    }

    private func error(_ code: Int32, _ sql: String, _ context: String?) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: context.map { "\($0): \(message)" } ?? message, sql: sql)
    }

    static func arguments(_ arguments: SQLArguments) -> StatementArguments {
        StatementArguments(arguments.values.map { value -> DatabaseValue in
            switch value {
            case .null: .null
            case let .integer(i): i.databaseValue
            case let .real(d): d.databaseValue
            case let .text(s): s.databaseValue
            case let .blob(b): Data(b).databaseValue
            }
        })
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case let .int64(i): .integer(i)
        case let .double(d): .real(d)
        case let .string(s): .text(s)
        case let .blob(data): .blob([UInt8](data))
        }
    }
}
