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
