import GRDB
import GRDBSQLite

/// Columns of a bulk statement copied once into plain memory, so binding row after row reads
/// numbers and bytes at known places instead of switching on each Swift array per value and
/// retaining it, which cost more than SQLite's own work on the rows. Freed by ``deallocate()``.
struct BindingColumns {
    /// One column: its values as 64-bit words (integers, or a double's bits), or as UTF-8 bytes
    /// back to back with each value's start; `present` is false where the value is NULL.
    struct Column {
        enum Kind { case integer, real, text }
        let kind: Kind
        let words: UnsafeMutableBufferPointer<Int64>
        let present: UnsafeMutableBufferPointer<Bool>
        let bytes: UnsafeMutableBufferPointer<UInt8>
        let starts: UnsafeMutableBufferPointer<Int>

        /// Binds row `row`'s value at parameter `index`. Texts are bound in place (SQLITE_STATIC):
        /// the bytes outlive the step that reads them.
        func bind(row: Int, to handle: OpaquePointer, at index: Int32) -> Int32 {
            guard present[row] else { return sqlite3_bind_null(handle, index) }
            switch kind {
            case .integer: return sqlite3_bind_int64(handle, index, words[row])
            case .real: return sqlite3_bind_double(handle, index, Double(bitPattern: UInt64(bitPattern: words[row])))
            case .text:
                let start = starts[row]
                return sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes.baseAddress! + start).assumingMemoryBound(to: CChar.self),
                                         Int32(starts[row + 1] - start), nil)
            }
        }
    }

    let columns: [Column]

    init(_ source: [SQLColumn]) throws {
        var columns: [Column] = []
        columns.reserveCapacity(source.count)
        do {
            for column in source { columns.append(try Self.flatten(column)) }
        } catch {
            for column in columns { Self.free(column) }
            throw error
        }
        self.columns = columns
    }

    func deallocate() { for column in columns { Self.free(column) } }

    private static func free(_ column: Column) {
        column.words.deallocate(); column.present.deallocate(); column.bytes.deallocate(); column.starts.deallocate()
    }

    private static func flatten(_ column: SQLColumn) throws -> Column {
        let count = column.count
        func numbers(_ kind: Column.Kind, _ value: (Int) -> Int64?) -> Column {
            let words = UnsafeMutableBufferPointer<Int64>.allocate(capacity: count)
            let present = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
            for row in 0..<count {
                let word = value(row)
                words[row] = word ?? 0
                present[row] = word != nil
            }
            return Column(kind: kind, words: words, present: present, bytes: .allocate(capacity: 0), starts: .allocate(capacity: 0))
        }
        switch column.values {
        case let .integer(v): return numbers(.integer) { v[$0] }
        case let .optionalInteger(v): return numbers(.integer) { v[$0] }
        case let .real(v): return numbers(.real) { Int64(bitPattern: v[$0].bitPattern) }
        case let .optionalReal(v): return numbers(.real) { v[$0].map { Int64(bitPattern: $0.bitPattern) } }
        case let .text(v): return try texts(column.name, count) { v[$0] }
        case let .optionalText(v): return try texts(column.name, count) { v[$0] }
        }
    }

    private static func texts(_ name: String, _ count: Int, _ value: (Int) -> String?) throws -> Column {
        var total = 0
        for row in 0..<count {
            let length = value(row)?.utf8.count ?? 0
            // SQLite takes a text's length as a 32-bit number.
            guard length <= Int(Int32.max) else {
                throw DatabaseError(resultCode: .SQLITE_TOOBIG, message: "\(name) of row \(row) is \(length) bytes, more than a text may hold")
            }
            total += length
        }
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(total, 1))
        let starts = UnsafeMutableBufferPointer<Int>.allocate(capacity: count + 1)
        let present = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
        var offset = 0
        for row in 0..<count {
            starts[row] = offset
            guard let text = value(row) else {
                present[row] = false
                continue
            }
            present[row] = true
            let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Int in
                if let base = utf8.baseAddress { (bytes.baseAddress! + offset).update(from: base, count: utf8.count) }
                return utf8.count
            }
            if let copied {
                offset += copied
            } else {
                for byte in text.utf8 {
                    bytes[offset] = byte
                    offset += 1
                }
            }
        }
        starts[count] = offset
        return Column(kind: .text, words: .allocate(capacity: 0), present: present, bytes: bytes, starts: starts)
    }
}

/// A query's text arguments copied back to back into one buffer, so each is bound in place
/// (SQLITE_STATIC) rather than copied by SQLite into memory of its own: intake binds a thousand
/// serials per post. Freed by ``deallocate()`` once the statement is reset.
struct TextArguments {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    /// Where each argument's text starts and ends in `bytes` (nil for an argument that is no text).
    private let ranges: [Range<Int>?]

    init(_ values: [SQLValue]) {
        var total = 0
        for case let .text(text) in values { total += text.utf8.count }
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(total, 1))
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(values.count)
        var offset = 0
        for value in values {
            guard case let .text(text) = value else { ranges.append(nil); continue }
            let start = offset
            for byte in text.utf8 {
                bytes[offset] = byte
                offset += 1
            }
            ranges.append(start..<offset)
        }
        (self.bytes, self.ranges) = (bytes, ranges)
    }

    func deallocate() { bytes.deallocate() }

    /// Binds `value`, the query's argument number `argument`, at parameter `index`.
    func bind(_ value: SQLValue, argument: Int, to handle: OpaquePointer, at index: Int32) -> Int32 {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        switch value {
        case .null: return sqlite3_bind_null(handle, index)
        case let .integer(i): return sqlite3_bind_int64(handle, index, i)
        case let .real(d): return sqlite3_bind_double(handle, index, d)
        case .text:
            let range = ranges[argument]!
            // SQLite takes a text's length as a 32-bit number.
            guard range.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
            let start = UnsafeRawPointer(bytes.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
            return sqlite3_bind_text(handle, index, start, Int32(range.count), nil)
        case let .blob(blob):
            guard blob.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
            // A null pointer would bind NULL: an empty blob is bound as one of no bytes.
            guard !blob.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return blob.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }
}
