/// One row of a result, read by column name or position.
///
/// Reading a column as a type it does not hold is a programming error (the schema is ours),
/// reported with the column and the value rather than a bare crash.
public struct SQLRow: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public func value(_ column: String) -> SQLValue {
        guard let index = columns.firstIndex(where: { $0 == column }) ?? columns.firstIndex(where: { $0.lowercased() == column.lowercased() }) else {
            preconditionFailure("no column \(column) in \(columns)")
        }
        return values[index]
    }

    public subscript<T: SQLValueConvertible>(_ column: String) -> T {
        let value = value(column)
        guard let converted = T.fromSQL(value) else { preconditionFailure("column \(column) holds \(value), not \(T.self)") }
        return converted
    }

    public subscript<T: SQLValueConvertible>(_ index: Int) -> T {
        guard let converted = T.fromSQL(values[index]) else { preconditionFailure("column \(index) holds \(values[index]), not \(T.self)") }
        return converted
    }
}

/// The arguments of a statement, bound to its `?` placeholders in order.
public struct SQLArguments: Sendable, ExpressibleByArrayLiteral {
    public var values: [SQLValue]

    public init(_ values: [SQLValue]) { self.values = values }
    public init(_ values: [any SQLValueConvertible]) { self.values = values.map(\.sqlValue) }
    public init(_ values: [(any SQLValueConvertible)?]) { self.values = values.map { $0?.sqlValue ?? .null } }
    public init(arrayLiteral elements: (any SQLValueConvertible)?...) { values = elements.map { $0?.sqlValue ?? .null } }

    public static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments { SQLArguments(lhs.values + rhs.values) }
}

extension SQLArguments {
    public static func += (lhs: inout SQLArguments, rhs: SQLArguments) { lhs.values += rhs.values }
}

extension SQLRow: Equatable {
    /// Same columns and values; an integer equals the real of the same value, as engines
    /// differ in which they return for a sum.
    public static func == (lhs: SQLRow, rhs: SQLRow) -> Bool {
        lhs.columns == rhs.columns && zip(lhs.values, rhs.values).allSatisfy { a, b in
            switch (a, b) {
            case let (.integer(x), .real(y)), let (.real(y), .integer(x)): Double(x) == y
            default: a == b
            }
        }
    }
}
