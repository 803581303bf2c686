import Foundation

/// A small CSV data file of reference numbers (factors, GWPs, units), read with its header.
///
/// Lines whose first field starts with `#` are comments, so each file can carry its own
/// provenance notes above the header. Every cell is kept as text; typed accessors name the
/// file, row and column when a value does not parse.
public struct ReferenceTable: Sendable {
    public let name: String
    public let columns: [String]
    public let rows: [Row]

    public struct Row: Sendable {
        public let table: String
        public let line: Int
        let columnIndex: [String: Int]
        public let values: [String]

        public subscript(_ column: String) -> String {
            guard let index = columnIndex[column], index < values.count else { return "" }
            return values[index]
        }

        public func location(_ column: String) -> InputLocation {
            InputLocation(file: table, row: line, column: columnIndex[column].map { $0 + 1 }, field: column)
        }

        /// A decimal number: digits, a sign, a point and an exponent. `Double` also reads hexadecimal
        /// (`0x10` is 16), which no table means.
        public func double(_ column: String) throws(InputIssue) -> Double {
            let text = self[column]
            guard text.utf8.allSatisfy({ Self.decimalBytes.contains($0) }), let value = Double(text), value.isFinite else {
                throw InputIssue(location(column), value: text, reason: "not a finite number")
            }
            return value
        }

        static let decimalBytes = Set(Array("0123456789+-.eE".utf8))

        public func optionalDouble(_ column: String) throws(InputIssue) -> Double? {
            self[column].isEmpty ? nil : try double(column)
        }

        public func required(_ column: String) throws(InputIssue) -> String {
            let text = self[column]
            guard !text.isEmpty else { throw InputIssue(location(column), reason: "is required") }
            return text
        }
    }

    /// A sheet's text, refusing bytes that are not UTF-8 with the file's name, the row and the
    /// byte where the first one is, so a user can find the cell a legacy encoding wrote.
    public static func text(of bytes: [UInt8], file: String) throws(InputErrors) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8(bytes) ?? 0
            let row = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let hex = String(bytes[offset], radix: 16, uppercase: true)
            throw InputErrors([InputIssue(InputLocation(file: file, row: row),
                                          reason: "is not UTF-8 text: byte 0x\(hex.count == 1 ? "0" : "")\(hex) at byte \(offset + 1) of the file",
                                          suggestion: "save the sheet as CSV UTF-8")])
        }
        // SQLite would end a cell's text at a NUL byte and PostgreSQL refuses it: named, not cut.
        if let nul = bytes.firstIndex(of: 0) {
            let row = bytes[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw InputErrors([InputIssue(InputLocation(file: file, row: row), reason: "holds a NUL byte (0x00) at byte \(nul + 1) of the file",
                                          suggestion: "save the sheet as CSV UTF-8")])
        }
        return text
    }

    /// The offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629:
    /// no overlong forms, no surrogates, nothing past U+10FFFF), or nil when all are well formed.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int, low: UInt8, high: UInt8
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            default: return index
            }
            guard index + length <= bytes.count, (low...high).contains(bytes[index + 1]),
                  (2..<length).allSatisfy({ (0x80...0xBF).contains(bytes[index + $0]) }) else { return index }
            index += length
        }
        return nil
    }

    /// Refuses a sheet without one of `columns`, naming each missing one.
    public func require(_ columns: [String]) throws(InputErrors) {
        let missing = columns.filter { !self.columns.contains($0) }
        guard missing.isEmpty else {
            throw InputErrors(missing.map { InputIssue(InputLocation(file: name, row: 1), value: $0, reason: "required column is missing") })
        }
    }

    public init(name: String, text: String) throws(InputErrors) {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes = [0x0A] }
        self = try bytes.withUnsafeBufferPointer { buffer throws(InputErrors) in
            try ReferenceTable(name: name, bytes: buffer)
        }
    }

    public init(name: String, bytes: UnsafeBufferPointer<UInt8>) throws(InputErrors) {
        var scanner = CSVScanner(bytes: bytes)
        var record = CSVRecord()
        var header: [String]?
        var rows: [Row] = []
        var index: [String: Int] = [:]
        var issues: [InputIssue] = []
        while scanner.next(into: &record) {
            let values = record.fields.map { scanner.string($0) }
            if let first = values.first, first.hasPrefix("#") { continue }
            if header == nil {
                header = values
                for (i, column) in values.enumerated() {
                    // A column named twice would be read from one copy and the other never checked.
                    if let first = index[column], !column.isEmpty {
                        issues.append(InputIssue(InputLocation(file: name, row: record.line, column: i + 1), value: column,
                                                 reason: "is a column name twice (columns \(first + 1) and \(i + 1))"))
                    }
                    index[column] = index[column] ?? i
                }
                continue
            }
            if values.count != header!.count {
                issues.append(InputIssue(InputLocation(file: name, row: record.line), reason: "has \(values.count) fields, the header has \(header!.count)"))
                continue
            }
            rows.append(Row(table: name, line: record.line, columnIndex: index, values: values))
        }
        guard let header else { throw InputErrors([InputIssue(InputLocation(file: name), reason: "has no header row")]) }
        if !issues.isEmpty { throw InputErrors(issues) }
        self.name = name
        self.columns = header
        self.rows = rows
    }

    /// Reads a data file shipped in a module's `Resources` folder.
    public static func resource(_ path: String, in bundle: Bundle) throws -> ReferenceTable {
        let file = path as NSString
        let directory = ("Resources" as NSString).appendingPathComponent(file.deletingLastPathComponent)
        guard let url = bundle.url(forResource: (file.lastPathComponent as NSString).deletingPathExtension,
                                   withExtension: file.pathExtension, subdirectory: directory)
                ?? bundle.resourceURL.map({ $0.appendingPathComponent(path) }),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw InputErrors([InputIssue(InputLocation(file: path), reason: "reference data file is missing from the module's resources")])
        }
        return try ReferenceTable(name: path, text: String(decoding: data, as: UTF8.self))
    }
}
