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
        var rows: [SQLRow] = []
        try forEachRow(sql: sql, arguments: arguments) { rows.append($0) }
        return rows
    }

    /// A query binds its arguments and reads its columns through SQLite directly: intake looks
    /// up a thousand serials per post, and going through GRDB's arguments and rows cost more than
    /// the lookups. Statements that write (`RETURNING`) go through GRDB, which tracks changes.
    func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnNames
        guard statement.isReadonly else {
            let rows = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
            while let row = try rows.next() { try body(SQLRow(columns: columns, values: row.databaseValues.map(Self.value))) }
            return
        }
        let handle = statement.sqliteStatement
        // Texts are bound in place from one buffer that outlives the statement's use.
        let texts = TextArguments(arguments.values)
        defer { texts.deallocate() }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        guard Int(sqlite3_bind_parameter_count(handle)) == arguments.values.count else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(arguments.values.count) arguments for \(sqlite3_bind_parameter_count(handle)) parameters",
                                sql: sql)
        }
        for (offset, value) in arguments.values.enumerated() {
            let bound = texts.bind(value, argument: offset, to: handle, at: Int32(offset + 1))
            guard bound == SQLITE_OK else { throw error(bound, sql, "binding argument \(offset + 1)") }
        }
        let width = Int32(columns.count)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code, sql, nil) }
            var values: [SQLValue] = []
            values.reserveCapacity(columns.count)
            for column in 0..<width { values.append(Self.value(handle, column)) }
            try body(SQLRow(columns: columns, values: values))
        }
    }

    private static func value(_ handle: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    func bulkInsert(into table: String, columns: [SQLColumn], onConflict: String?) throws {
        let sql = "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
            + (onConflict.map { " ON CONFLICT \($0)" } ?? "")
        try step(sql, columns)
    }

    func bulkUpdate(_ table: String, key: SQLColumn, set columns: [SQLColumn]) throws {
        try step("UPDATE \(table) SET \(columns.map { "\($0.name) = ?" }.joined(separator: ", ")) WHERE \(key.name) = ?", columns + [key])
    }

    /// Steps one cached statement per row, binding from the columns laid out flat beforehand
    /// (``BindingColumns``): a commit binds millions of values, and reading them out of the
    /// Swift arrays one by one cost more than SQLite's own work on the rows.
    ///
    /// The statement is GRDB's cached one for this SQL text, which another path may have run
    /// with its own arguments and left stepped: it is reset and its bindings cleared first (a bind
    /// on a statement that is not reset fails, and the step would then run with stale or NULL
    /// values), and every bind's result is checked.
    private func step(_ sql: String, _ columns: [SQLColumn]) throws {
        guard let count = columns.first?.count, count > 0 else { return }
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        guard Int(sqlite3_bind_parameter_count(handle)) == columns.count else {
            throw DatabaseError(resultCode: .SQLITE_RANGE, message: "\(columns.count) columns for \(sqlite3_bind_parameter_count(handle)) parameters", sql: sql)
        }
        if let uneven = columns.first(where: { $0.count != count }) {
            throw DatabaseError(resultCode: .SQLITE_RANGE, message: "column \(uneven.name) has \(uneven.count) values, not \(count)", sql: sql)
        }
        let flat = try BindingColumns(columns)
        defer { flat.deallocate() }
        for row in 0..<count {
            for index in 0..<flat.columns.count {
                let bound = flat.columns[index].bind(row: row, to: handle, at: Int32(index + 1))
                guard bound == SQLITE_OK else { throw error(bound, sql, "binding \(columns[index].name) of row \(row)") }
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
