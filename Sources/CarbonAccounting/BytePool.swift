import Foundation

/// Interns short byte strings: each distinct value is stored once and named by a small
/// integer, so a million rows of a few hundred distinct fuels, units and places cost a few
/// integers each instead of a million `String`s.
struct BytePool: Sendable {
    private(set) var strings: [String] = []
    private var arena: [UInt8] = []
    private var spans: [(offset: Int, count: Int)] = []
    private var slots: [Int32]
    private var mask: Int
    private var lastID: Int32 = -1

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { strings.count }

    subscript(id: Int32) -> String { strings[Int(id)] }

    /// A multiply–xorshift hash over eight bytes at a time.
    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
        }
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always)
    private func equals(_ id: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let span = spans[Int(id)]
        guard span.count == n else { return false }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + span.offset, p, n) == 0 }
    }

    /// The id of the `n` bytes at `p`, adding them if new.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if lastID >= 0, equals(lastID, p, n) { return lastID }
        var slot = BytePool.hash(p, n) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if equals(id, p, n) { lastID = id; return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(strings.count)
        spans.append((arena.count, n))
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        strings.append(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        slots[slot] = id
        lastID = id
        if strings.count * 2 > slots.count { grow() }
        return id
    }

    mutating func intern(_ string: String) -> Int32 {
        var copy = string
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                var zero: UInt8 = 0
                return intern(&zero, 0)
            }
            return intern(base, buffer.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        arena.withUnsafeBufferPointer { arena in
            for (id, span) in spans.enumerated() {
                var slot = BytePool.hash(arena.baseAddress! + span.offset, span.count) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(id)
            }
        }
    }
}

/// Fast, exactly rounded parsing of plain decimal numbers such as `1234.5` or `2.5e3`.
enum DecimalParser {
    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// The number, or nil when the bytes are not a decimal number. Signs are allowed; the
    /// caller decides whether a negative value is acceptable.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        var overflow = false
        while i < n, p[i] &- 0x30 < 10 {
            let d = UInt64(p[i] &- 0x30)
            if mantissa != 0 || d != 0 {
                if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1 } else { overflow = true; exponent += 1 }
            }
            digits += 1
            i += 1
        }
        if i < n, p[i] == 0x2E {
            i += 1
            while i < n, p[i] &- 0x30 < 10 {
                let d = UInt64(p[i] &- 0x30)
                if mantissa != 0 || d != 0 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1; exponent -= 1 } else { overflow = true }
                } else {
                    exponent -= 1
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, p[i] | 0x20 == 0x65 {
            i += 1
            var expNegative = false
            if i < n, p[i] == 0x2D { expNegative = true; i += 1 } else if i < n, p[i] == 0x2B { i += 1 }
            var e = 0
            var expDigits = 0
            while i < n, p[i] &- 0x30 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if !overflow, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= powersOfTen[-exponent] } else { value *= powersOfTen[exponent] }
            return negative ? -value : value
        }
        return Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }
}
