import Foundation

/// A byte-level reader of RFC 4180 CSV that yields each record's fields as byte ranges.
///
/// It allocates nothing per record: callers reuse one ``CSVRecord`` and decode only the
/// fields they need. A UTF-8 byte-order mark is skipped, and both LF and CRLF end a record.
/// Quoted fields may contain commas, doubled quotes and line breaks.
public struct CSVScanner {
    public let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    public private(set) var position: Int
    private let end: Int
    /// Physical line (1-based) at which the next record starts; quoted line breaks count.
    public private(set) var line: Int

    public init(bytes: UnsafeBufferPointer<UInt8>, start: Int = 0, end: Int? = nil, firstLine: Int = 1) {
        self.bytes = bytes
        self.end = end ?? bytes.count
        var start = start
        if start == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            start = 3
        }
        self.position = start
        self.line = firstLine
    }

    public var isAtEnd: Bool { position >= end }

    /// Reads the next record into `record`; returns false at the end of input.
    /// Blank lines are skipped.
    public mutating func next(into record: inout CSVRecord) -> Bool {
        record.fields.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress else { return false }
        while position < end {
            // Skip blank lines (a lone LF or CRLF).
            if base[position] == 0x0A { position += 1; line += 1; continue }
            if base[position] == 0x0D, position + 1 < end, base[position + 1] == 0x0A {
                position += 2; line += 1; continue
            }
            break
        }
        guard position < end else { return false }
        record.line = line
        var i = position
        while true {
            if i < end, base[i] == 0x22 {
                // Quoted field.
                let start = i + 1
                var j = start
                var escaped = false
                var closed = false
                while j < end {
                    let c = base[j]
                    if c == 0x22 {
                        if j + 1 < end, base[j + 1] == 0x22 { escaped = true; j += 2; continue }
                        closed = true
                        break
                    }
                    if c == 0x0A { line += 1 }
                    j += 1
                }
                record.fields.append(CSVField(start: start, end: j, quoted: true, escapedQuotes: escaped, unterminated: !closed))
                i = closed ? j + 1 : j
                // Anything between the closing quote and the delimiter is kept as a malformed marker.
                while i < end, base[i] != 0x2C, base[i] != 0x0A, base[i] != 0x0D {
                    record.fields[record.fields.count - 1].trailingGarbage = true
                    i += 1
                }
            } else {
                let start = i
                // Eight bytes at a time: the lowest byte equal to ',' or '\n' ends the field.
                while i + 8 <= end {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let comma = word ^ 0x2C2C_2C2C_2C2C_2C2C, newline = word ^ 0x0A0A_0A0A_0A0A_0A0A
                    let hits = ((comma &- 0x0101_0101_0101_0101) & ~comma | (newline &- 0x0101_0101_0101_0101) & ~newline) & 0x8080_8080_8080_8080
                    if hits != 0 { i += hits.trailingZeroBitCount >> 3; break }
                    i += 8
                }
                while i < end {
                    let c = base[i]
                    if c == 0x2C || c == 0x0A { break }
                    i += 1
                }
                var fieldEnd = i
                if fieldEnd > start, base[fieldEnd - 1] == 0x0D, (i >= end || base[i] == 0x0A) { fieldEnd -= 1 }
                record.fields.append(CSVField(start: start, end: fieldEnd, quoted: false, escapedQuotes: false, unterminated: false))
            }
            if i >= end { position = end; return true }
            let c = base[i]
            if c == 0x2C { i += 1; if i >= end { record.fields.append(CSVField(start: i, end: i, quoted: false, escapedQuotes: false, unterminated: false)); position = end; return true }; continue }
            if c == 0x0D { i += 1; if i < end, base[i] == 0x0A { i += 1 } }
            else if c == 0x0A { i += 1 }
            line += 1
            position = i
            return true
        }
    }

    /// The field's text, with doubled quotes undone and surrounding spaces trimmed.
    public func string(_ field: CSVField) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        var text = String(decoding: raw, as: UTF8.self)
        if field.escapedQuotes { text = text.replacingOccurrences(of: "\"\"", with: "\"") }
        return text.trimmingSpaces()
    }

    /// The field's bytes with surrounding ASCII spaces and tabs trimmed; doubled quotes are left as they are.
    @inline(__always)
    public func trimmedRange(_ field: CSVField) -> Range<Int> {
        var s = field.start, e = field.end
        guard let base = bytes.baseAddress else { return s..<s }
        while s < e, base[s] == 0x20 || base[s] == 0x09 { s += 1 }
        while e > s, base[e - 1] == 0x20 || base[e - 1] == 0x09 { e -= 1 }
        return s..<e
    }
}

/// One field of a record, as a range of the scanner's bytes (quotes excluded).
public struct CSVField: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var quoted: Bool
    public var escapedQuotes: Bool
    /// A quoted field whose closing quote never came.
    public var unterminated: Bool
    /// Text after a closing quote and before the next delimiter (`"a"b`).
    public var trailingGarbage: Bool = false

    public var isEmpty: Bool { end <= start }
}

/// A reusable record buffer for ``CSVScanner``.
public struct CSVRecord: Sendable {
    public var fields: [CSVField] = []
    /// Physical line on which the record starts.
    public var line: Int = 0
    public init() { fields.reserveCapacity(24) }
}

extension String {
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while let f = view.first, f == " " || f == "\t" { view.removeFirst() }
        while let l = view.last, l == " " || l == "\t" { view.removeLast() }
        return String(view)
    }
}
