import Crypto

/// SHA-256 over a list of text fields, each prefixed by its length in bytes and a colon, so that
/// no two lists give the same input (`"ab","c"` is not `"a","bc"`). The audit trail and the
/// ledgers chain their records with it. The message is built in one buffer and hashed in one
/// call: a ledger hashes one record per line.
public enum FieldDigest {
    public static func hex(_ fields: [String]) -> String {
        var message = Message(capacity: fields.reduce(0) { $0 + $1.utf8.count + 8 })
        for field in fields { message.add(field) }
        return message.hex
    }

    /// The same message field by field, for callers that hash one record per event: an integer
    /// field is written as its decimal digits without first becoming a `String`.
    public struct Message: Sendable {
        private var bytes: [UInt8] = []

        public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

        public mutating func add(_ field: String) {
            let utf8 = field.utf8
            addDecimal(UInt64(utf8.count), negative: false, asField: false)
            bytes.append(0x3A)
            if utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: utf8) }
        }

        /// The field `String(value)` would be.
        public mutating func add(_ value: Int64) {
            addDecimal(value.magnitude, negative: value < 0, asField: true)
        }

        public var hex: String { Hex.string(SHA256.hash(data: bytes)) }

        /// `value`'s digits (after a minus sign when `negative`), preceded by their length and a colon when `asField`.
        private mutating func addDecimal(_ value: UInt64, negative: Bool, asField: Bool) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
                var start = buffer.count, rest = value
                repeat {
                    start -= 1
                    buffer[start] = 0x30 + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
                if negative {
                    start -= 1
                    buffer[start] = 0x2D
                }
                let digits = UnsafeMutableBufferPointer(rebasing: buffer[start...])
                if asField {
                    addDecimal(UInt64(digits.count), negative: false, asField: false)
                    bytes.append(0x3A)
                }
                bytes.append(contentsOf: digits)
            }
        }
    }
}
