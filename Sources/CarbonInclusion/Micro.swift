/// A decimal with at most six places, held exactly as a count of millionths: reductions in
/// grams (so a count of micrograms), activity values, factors and weights. Six places is what
/// carbon-inclusion ledgers carry (AntChain's transfer amounts: "at most six decimal places");
/// a seventh is refused rather than rounded, so a partner's figure is never silently changed.
public struct Micro: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public static let scale: Int64 = 1_000_000
    public var millionths: Int64

    public init(millionths: Int64) { self.millionths = millionths }
    public init(whole: Int64) { millionths = whole * Self.scale }
    public static let zero = Micro(millionths: 0)

    /// Parses plain decimal text: an optional minus, digits, an optional point and at most six
    /// digits after it. No exponents, no grouping, no spaces; nil when out of range.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        guard !bytes.isEmpty, bytes.count <= 40 else { return nil }
        var whole: Int64 = 0, fraction: Int64 = 0, places = 0, seenPoint = false, digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            digits += 1
            if seenPoint {
                places += 1
                guard places <= 6 else { return nil }
                fraction = fraction * 10 + digit
            } else {
                let (times, o1) = whole.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                whole = sum
            }
        }
        guard digits > 0 else { return nil }
        while places < 6 { fraction *= 10; places += 1 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: Self.scale)
        let (value, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { return nil }
        millionths = negative ? -value : value
    }

    /// Digits written once into the string: each ledger line's hash and each event's activity
    /// spell one out, so the form is built without intermediate strings.
    public var description: String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var start = buffer.count
            func put(_ byte: UInt8) {
                start -= 1
                buffer[start] = byte
            }
            let magnitude = millionths.magnitude
            var whole = magnitude / UInt64(Self.scale), fraction = magnitude % UInt64(Self.scale)
            if fraction != 0 {
                // Six places, less the trailing zeros.
                var places = 6
                while fraction % 10 == 0 { fraction /= 10; places -= 1 }
                for _ in 0..<places { put(0x30 + UInt8(fraction % 10)); fraction /= 10 }
                put(0x2E)
            }
            repeat { put(0x30 + UInt8(whole % 10)); whole /= 10 } while whole > 0
            if millionths < 0 { put(0x2D) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    public var double: Double { Double(millionths) / Double(Self.scale) }
    /// The whole part, rounded towards minus infinity.
    public var floor: Int64 { millionths >= 0 ? millionths / Self.scale : -((-millionths + Self.scale - 1) / Self.scale) }

    public static func < (a: Micro, b: Micro) -> Bool { a.millionths < b.millionths }

    /// `a × b ÷ c`, rounded down, through a 128-bit product; nil when the result does not fit
    /// or `c` is not positive.
    public static func multiplyDivide(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64? {
        guard c > 0 else { return nil }
        let negative = (a < 0) != (b < 0)
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        guard product.high < c.magnitude else { return nil }
        let (quotient, remainder) = c.magnitude.dividingFullWidth(product)
        guard quotient <= UInt64(Int64.max) else { return nil }
        let value = Int64(quotient)
        return negative ? -(value + (remainder > 0 ? 1 : 0)) : value
    }

    /// `self × other`, rounded down to six places; nil on overflow.
    public func times(_ other: Micro) -> Micro? {
        Self.multiplyDivide(millionths, other.millionths, Self.scale).map(Micro.init(millionths:))
    }

    public static func + (a: Micro, b: Micro) -> Micro { Micro(millionths: a.millionths + b.millionths) }
    public static func - (a: Micro, b: Micro) -> Micro { Micro(millionths: a.millionths - b.millionths) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Micro(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a decimal of at most six places"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
