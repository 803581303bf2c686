import Foundation

/// A value bound to or read from a statement: the four storage classes both engines share,
/// so a repository's SQL and its Swift types are the same on SQLite and PostgreSQL.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift type a column can be read as and an argument can be written from.
///
/// Reading converts between integer and real the way SQLite does, because PostgreSQL returns
/// `SUM(bigint)` as numeric (read here as real) where SQLite returns an integer.
public protocol SQLValueConvertible: Sendable {
    var sqlValue: SQLValue { get }
    /// Nil when `value` cannot be read as this type (NULL included, except for optionals).
    static func fromSQL(_ value: SQLValue) -> Self?
}

extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public static func fromSQL(_ value: SQLValue) -> Int64? {
        switch value {
        case let .integer(i): i
        case let .real(d): d.rounded(.towardZero) == d && abs(d) < 9.2e18 ? Int64(d) : nil
        case let .text(s): Int64(s)
        default: nil
        }
    }
}

extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public static func fromSQL(_ value: SQLValue) -> Int? { Int64.fromSQL(value).map(Int.init) }
}

extension Int32: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public static func fromSQL(_ value: SQLValue) -> Int32? { Int64.fromSQL(value).flatMap { Int32(exactly: $0) } }
}

extension Double: SQLValueConvertible {
    public var sqlValue: SQLValue { .real(self) }
    public static func fromSQL(_ value: SQLValue) -> Double? {
        switch value {
        case let .real(d): d
        case let .integer(i): Double(i)
        case let .text(s): Double(s)
        default: nil
        }
    }
}

extension Bool: SQLValueConvertible {
    /// Written as 0 or 1: both engines read that into an integer or a boolean column.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public static func fromSQL(_ value: SQLValue) -> Bool? { Int64.fromSQL(value).map { $0 != 0 } }
}

extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public static func fromSQL(_ value: SQLValue) -> String? {
        switch value {
        case let .text(s): s
        case let .integer(i): String(i)
        case let .real(d): String(d)
        case let .blob(b): String(decoding: b, as: UTF8.self)
        case .null: nil
        }
    }
}

extension Data: SQLValueConvertible {
    public var sqlValue: SQLValue { .blob([UInt8](self)) }
    public static func fromSQL(_ value: SQLValue) -> Data? {
        switch value {
        case let .blob(b): Data(b)
        case let .text(s): Data(s.utf8)
        default: nil
        }
    }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    public static func fromSQL(_ value: SQLValue) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.fromSQL(value).map { .some($0) }
    }
}
