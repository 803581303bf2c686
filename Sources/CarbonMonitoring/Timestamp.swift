import CarbonKit

/// A moment as whole seconds since 1970-01-01T00:00:00Z: meters report at minute resolution or
/// coarser. A reading is kept by its second, so a time with a part of a second is refused rather
/// than cut off: cut off, `…00.5Z` would replace the reading of `…00Z`.
public typealias UnixSeconds = Int64

/// Reads the timestamps meters and gateways send: ISO 8601 with `Z` or an offset
/// (`2026-11-25T08:15:00+08:00`; a fraction of zeros, `08:15:00.000Z`, is allowed) and epoch seconds.
public enum Timestamp {
    /// Parses ISO 8601 date-time text; nil unless it is one, with a time zone, in whole seconds.
    public static func parse(_ text: Substring) -> UnixSeconds? {
        var result: UnixSeconds?
        var copy = String(text)
        copy.withUTF8 { result = parse(bytes: $0) }
        return result
    }

    public static func parse(_ text: String) -> UnixSeconds? { parse(text[...]) }

    /// The byte-level parser the CSV reader calls without building strings.
    public static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> UnixSeconds? {
        let n = b.count
        guard n >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for i in at..<(at + count) {
                let d = Int(b[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45, let day = digits(8, 2),
              b[10] == 84 || b[10] == 32, let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58,
              let second = digits(17, 2), hour < 24, minute < 60, second < 60,
              let date = Day(year: year, month: month, day: day) else { return nil }
        var i = 19
        if i < n, b[i] == 46 {
            i += 1
            let start = i
            while i < n, b[i] >= 48, b[i] <= 57 {
                if b[i] != 48 { return nil }
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < n else { return nil }
        var offset = 0
        switch b[i] {
        case 90, 122:  // Z z
            i += 1
        case 43, 45:  // + -
            guard n - i == 6, b[i + 3] == 58, let h = digits(i + 1, 2), let m = digits(i + 4, 2), h < 24, m < 60 else { return nil }
            offset = (h * 60 + m) * 60 * (b[i] == 45 ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == n else { return nil }
        return UnixSeconds(date.ordinal) * 86_400 + UnixSeconds(hour * 3600 + minute * 60 + second - offset)
    }

    /// Epoch seconds sent as a number: nil unless whole and within a few thousand years.
    public static func epoch(_ number: Double) -> UnixSeconds? {
        number.isFinite && abs(number) < 1e11 && number == number.rounded() ? UnixSeconds(number) : nil
    }

    /// What a reader says of a time it could not read.
    public static let expected = "ISO 8601 with a zone in whole seconds, e.g. 2026-11-25T08:15:00+08:00, or whole epoch seconds"

    /// `2026-11-25T00:15:00Z`.
    public static func iso(_ t: UnixSeconds) -> String {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let seconds = Int(t - days * 86_400)
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(Day(ordinal: Int(days)))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    }
}
