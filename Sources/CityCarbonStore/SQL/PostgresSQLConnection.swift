import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A ``SQLConnection`` over one PostgresNIO connection, used from a blocking caller.
///
/// Arguments travel as untyped text (type OID 0), so PostgreSQL infers each parameter's type
/// from where it stands, as SQLite's loose typing lets the same SQL bind an integer to a real
/// column; the text forms are exact (integers, shortest round-trip doubles).
final class PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    let logger: Logger
    private(set) var changesCount = 0

    init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    var dialect: SQLDialect { .postgres }

    func execute(sql: String, arguments: SQLArguments) throws {
        _ = try run(sql, arguments)
    }

    func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try forEachRow(sql: sql, arguments: arguments) { rows.append($0) }
        return rows
    }

    /// Rows are handed to `body` as they arrive rather than after the whole result is held in
    /// memory (a million activity rows took 26 s and 500 MB that way). `body` runs on the
    /// connection's event loop while this thread waits for the end, so it never runs
    /// concurrently with its caller.
    func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws {
        let query = Self.query(sql, arguments)
        try withoutActuallyEscaping(body) { body in
            // The stream may keep its row callback after the end; it holds the sink, and the
            // sink lets go of `body` before this returns, so `body` never outlives the call.
            let sink = RowSink(body)
            defer { sink.body = nil }
            let future = connection.query(query, logger: logger) { row in try sink.take(row) }
            do {
                changesCount = try future.wait().rows ?? 0
            } catch let error as PSQLError {
                throw PostgresStoreError(error, sql: query.sql)
            }
        }
    }

    /// Hands each arriving row to the caller's closure, decoded once by position.
    private final class RowSink: @unchecked Sendable {
        var body: ((SQLRow) throws -> Void)?
        var columns: [String]?

        init(_ body: @escaping (SQLRow) throws -> Void) { self.body = body }

        func take(_ row: PostgresRow) throws {
            let cells = row.makeRandomAccess()
            if columns == nil { columns = cells.map(\.columnName) }
            var values: [SQLValue] = []
            values.reserveCapacity(cells.count)
            for index in cells.indices { values.append(PostgresSQLConnection.value(cells[index])) }
            try body?(SQLRow(columns: columns!, values: values))
        }
    }

    /// One `INSERT … SELECT FROM unnest(…)` with every column sent as a binary array.
    func bulkInsert(into table: String, columns: [SQLColumn], onConflict: String?) throws {
        guard let count = columns.first?.count, count > 0 else { return }
        let (binds, relation) = Self.unnest(columns)
        let sql = "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) SELECT \(Self.projections(columns).joined(separator: ", ")) FROM \(relation)"
            + (onConflict.map { " ON CONFLICT \($0)" } ?? "")
        changesCount = try wait(PostgresQuery(unsafeSQL: sql, binds: binds)).metadata.rows ?? 0
    }

    func bulkUpdate(_ table: String, key: SQLColumn, set columns: [SQLColumn]) throws {
        guard key.count > 0 else { return }
        let (binds, relation) = Self.unnest([key] + columns)
        let assignments = zip(columns, Self.projections(columns)).map { "\($0.name) = \($1)" }.joined(separator: ", ")
        let sql = "UPDATE \(table) SET \(assignments) FROM \(relation) WHERE \(table).\(key.name) = u.\(key.name)"
        changesCount = try wait(PostgresQuery(unsafeSQL: sql, binds: binds)).metadata.rows ?? 0
    }

    /// The columns as typed binary arrays and the relation `unnest($1::int8[], …) AS u(…)`.
    /// PostgresNIO's arrays have no optional elements, so NULLs travel as values never stored
    /// (NaN, the smallest integer) and come back through `NULLIF` (see ``projections``); an
    /// optional text, where the empty text is a value, carries a second array saying which are NULL.
    private static func unnest(_ columns: [SQLColumn]) -> (PostgresBindings, String) {
        var binds = PostgresBindings(capacity: columns.count)
        var arrays: [String] = [], names: [String] = []
        func add(_ type: String, _ name: String) {
            arrays.append("$\(arrays.count + 1)::\(type)[]")
            names.append(name)
        }
        for column in columns {
            switch column.values {
            case let .integer(v): binds.append(v); add("int8", column.name)
            case let .real(v): binds.append(v); add("float8", column.name)
            case let .optionalReal(v): binds.append(v.map { $0 ?? .nan }); add("float8", column.name)
            case let .text(v): binds.append(v); add("text", column.name)
            case let .optionalText(v):
                binds.append(v.map { $0 ?? "" }); add("text", column.name)
                binds.append(v.map { $0 == nil }); add("bool", nullFlag(column.name))
            case let .optionalInteger(v): binds.append(v.map { $0 ?? .min }); add("int8", column.name)
            }
        }
        return (binds, "unnest(\(arrays.joined(separator: ", "))) AS u(\(names.joined(separator: ", ")))")
    }

    private static func nullFlag(_ name: String) -> String { name + "_is_null" }

    private static func projections(_ columns: [SQLColumn]) -> [String] {
        columns.map { column -> String in
            switch column.values {
            case .optionalReal: "NULLIF(u.\(column.name), 'NaN'::float8)"
            case .optionalText: "CASE WHEN u.\(nullFlag(column.name)) THEN NULL ELSE u.\(column.name) END"
            case .optionalInteger: "NULLIF(u.\(column.name), -9223372036854775808)"
            default: "u.\(column.name)"
            }
        }
    }

    @discardableResult
    func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        let result = try wait(Self.query(sql, arguments))
        changesCount = result.metadata.rows ?? 0
        return result
    }

    static func query(_ sql: String, _ arguments: SQLArguments) -> PostgresQuery {
        var binds = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values {
            switch value {
            case .null: binds.appendNull()
            case let .integer(i): binds.append(UntypedText(String(i)))
            case let .real(d): binds.append(UntypedText(Self.text(d)))
            case let .text(s): binds.append(UntypedText(s))
            case let .blob(b): binds.append(BinaryBytes(b))
            }
        }
        return PostgresQuery(unsafeSQL: PostgresPlaceholders.numbered(sql), binds: binds)
    }

    private func wait(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch let error as PSQLError {
            throw PostgresStoreError(error, sql: query.sql)
        }
    }

    static func text(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return "\(d)"
    }

    static func value(_ cell: PostgresCell) -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        let data = PostgresData(type: cell.dataType, formatCode: cell.format, value: bytes)
        switch cell.dataType {
        case .bool: return .integer(data.bool == true ? 1 : 0)
        case .int2, .int4, .int8, .oid: return data.int64.map(SQLValue.integer) ?? .null
        case .float4, .float8: return data.double.map(SQLValue.real) ?? .null
        case .numeric:
            guard let text = data.string else { return .null }
            if let i = Int64(text) { return .integer(i) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case .bytea: return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
        default: return data.string.map(SQLValue.text) ?? .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
        }
    }
}

/// A parameter PostgreSQL types from its context (OID 0, text format).
struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String
    init(_ text: String) { self.text = text }
    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }
    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(text)
    }
}

/// A `bytea` parameter sent as its bytes (binary format): megabytes without a hex string.
struct BinaryBytes: PostgresDynamicTypeEncodable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var psqlType: PostgresDataType { .bytea }
    var psqlFormat: PostgresFormat { .binary }
    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeBytes(bytes)
    }
}

/// `?` placeholders become `$1`, `$2` …, outside quoted strings and identifiers; each SQL text
/// is translated once.
enum PostgresPlaceholders {
    // NSCache is thread-safe.
    nonisolated(unsafe) private static let cache = NSCache<NSString, NSString>()

    static func numbered(_ sql: String) -> String {
        if let known = cache.object(forKey: sql as NSString) { return known as String }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quote: Character?
        for c in sql {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        cache.setObject(out as NSString, forKey: sql as NSString)
        return out
    }
}

/// A PostgreSQL error with the server's message and the statement it refused.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let message: String
    public let sqlState: String?
    public let sql: String

    init(_ error: PSQLError, sql: String) {
        // Without a server message (no connection at all) the network error says why.
        message = error.serverInfo?[.message] ?? error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        sqlState = error.serverInfo?[.sqlState]
        self.sql = sql
    }

    public var description: String { "PostgreSQL: \(message)\(sqlState.map { " (\($0))" } ?? "") in \(sql)" }

    /// Unique and foreign-key violations: what the repositories treat as constraint errors.
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") == true }
}
