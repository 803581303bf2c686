/// The SQL engine a store runs on. Repositories write one SQL text for both; the few places
/// that differ (schema, bulk paths, change counters) ask the connection which it is.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// A connection inside one read or write transaction of the store, on either engine.
///
/// Statements use `?` placeholders; PostgreSQL connections number them. Write SQL both engines
/// read alike: `ON CONFLICT … DO UPDATE` rather than `INSERT OR REPLACE`, `COALESCE` rather
/// than `IFNULL`, and `INSERT … RETURNING id` for a new row's id.
public protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }
    func execute(sql: String, arguments: SQLArguments) throws
    func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow]
    /// Reads rows one at a time, for results too large to hold as ``SQLRow``s.
    func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws
    /// Rows inserted, changed or deleted by the last `execute`.
    var changesCount: Int { get }
    /// Inserts many rows at once: a prepared statement stepped per row on SQLite, one
    /// `INSERT … SELECT FROM unnest(…)` on PostgreSQL. `onConflict` follows `ON CONFLICT`.
    func bulkInsert(into table: String, columns: [SQLColumn], onConflict: String?) throws
    /// Sets `columns` on the rows whose `key` matches, row by row: an `UPDATE` stepped per row
    /// on SQLite, one `UPDATE … FROM unnest(…)` on PostgreSQL.
    func bulkUpdate(_ table: String, key: SQLColumn, set columns: [SQLColumn]) throws
}

extension SQLConnection {
    public func execute(sql: String) throws { try execute(sql: sql, arguments: []) }
}

/// One column of a ``SQLConnection/bulkInsert(into:columns:onConflict:)``: a name and every row's value.
public struct SQLColumn: Sendable {
    public enum Values: Sendable {
        case integer([Int64])
        case real([Double])
        case optionalReal([Double?])
        case text([String])
        case optionalText([String?])
        /// Integers where nil is NULL; `Int64.min` cannot be stored (PostgreSQL's bulk path uses it for NULL).
        case optionalInteger([Int64?])
    }

    public let name: String
    public let values: Values

    public init(_ name: String, _ values: Values) {
        self.name = name
        self.values = values
    }

    public var count: Int {
        switch values {
        case let .integer(v): v.count
        case let .real(v): v.count
        case let .optionalReal(v): v.count
        case let .text(v): v.count
        case let .optionalText(v): v.count
        case let .optionalInteger(v): v.count
        }
    }
}

// The shapes GRDB taught the repositories: `Int.fetchOne(db, sql:arguments:)`, `SQLRow.fetchAll(…)`.

extension SQLRow {
    public static func fetchAll(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try db.fetchAll(sql: sql, arguments: arguments)
    }

    public static func fetchOne(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try db.fetchAll(sql: sql, arguments: arguments).first
    }
}

extension SQLValueConvertible {
    /// The first column of the first row; nil when there is no row or the value is NULL.
    public static func fetchOne(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> Self? {
        guard let value = try db.fetchAll(sql: sql, arguments: arguments).first?.values.first else { return nil }
        if case .null = value { return nil }
        guard let converted = Self.fromSQL(value) else { preconditionFailure("\(value) is not \(Self.self): \(sql)") }
        return converted
    }

    /// The first column of every row whose value is not NULL.
    public static func fetchAll(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try db.fetchAll(sql: sql, arguments: arguments).compactMap { row in
            guard let value = row.values.first else { return nil }
            if case .null = value { return nil }
            return Self.fromSQL(value)
        }
    }
}

extension SQLConnection {
    /// Runs an `INSERT` and returns the new row's id (`RETURNING id` on both engines).
    public func insertReturningID(sql: String, arguments: SQLArguments = []) throws -> Int64 {
        guard let id = try Int64.fetchOne(self, sql: sql + " RETURNING id", arguments: arguments) else { preconditionFailure("no id returned: \(sql)") }
        return id
    }

    /// A statement run many times: SQLite prepares it once per connection.
    public func makeStatement(sql: String) -> SQLStatement { SQLStatement(connection: self, sql: sql) }
}

/// A statement with its SQL fixed, run with different arguments.
public struct SQLStatement {
    let connection: any SQLConnection
    public let sql: String

    public func execute(arguments: SQLArguments = []) throws { try connection.execute(sql: sql, arguments: arguments) }
}
