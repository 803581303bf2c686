/// An open-addressing hash map from 64-bit keys to 32-bit values, for the per-row lookups of
/// the engine where `Dictionary`'s SipHash would cost more than the arithmetic it serves.
struct IntTable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    /// 64 − log2(size): Fibonacci hashing takes the top bits of the product, which depend on every key bit.
    private var shift: UInt64
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private static func slot(_ stored: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value for `key`, or nil.
    @inline(__always)
    func get(_ key: UInt64) -> Int32? {
        let stored = key &+ 1
        var i = IntTable.slot(stored, shift)
        while true {
            let k = keys[i]
            if k == stored { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` for `key`; returns false when the key was already there (and leaves it).
    @inline(__always)
    @discardableResult
    mutating func insert(_ key: UInt64, _ value: Int32 = 0) -> Bool {
        let stored = key &+ 1
        var i = IntTable.slot(stored, shift)
        while true {
            let k = keys[i]
            if k == stored { return false }
            if k == 0 { break }
            i = (i + 1) & mask
        }
        keys[i] = stored
        values[i] = value
        count += 1
        if count * 2 > keys.count { grow() }
        return true
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        for (k, v) in zip(oldKeys, oldValues) where k != 0 {
            var i = IntTable.slot(k, shift)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }

    /// Every (key, value) pair, in no particular order.
    var pairs: [(key: UInt64, value: Int32)] {
        zip(keys, values).compactMap { $0.0 == 0 ? nil : ($0.0 &- 1, $0.1) }
    }
}
