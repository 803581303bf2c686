import Foundation

/// RFC 3339 date-times (`2026-03-10T08:00:00+08:00`, `…Z`, optional fractional seconds, which are
/// dropped) as seconds since 1970, without a formatter: a partner's post carries thousands.
public enum RFC3339 {
    /// As ``seconds(_:)``, but nil for a time with a part of a second other than zeros: where a
    /// value is kept by its second (a reading, an hour), cutting the part off would misplace it.
    public static func wholeSeconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        if b.count > 20, b[19] == 46 {
            var index = 20
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                if b[index] != 48 { return nil }
                index += 1
            }
        }
        return seconds(text)
    }

    public static func seconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b.count <= 40 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<(start + count) {
                let byte = b[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), b[4] == 45, let month = number(5, 2), b[7] == 45, let day = number(8, 2),
              b[10] == 84 || b[10] == 116, let hour = number(11, 2), b[13] == 58, let minute = number(14, 2), b[16] == 58,
              let second = number(17, 2), hour < 24, minute < 60, second < 60, let date = Day(year: year, month: month, day: day) else { return nil }
        var index = 19
        if b[index] == 46 {
            index += 1
            let start = index
            while index < b.count, b[index] >= 48, b[index] <= 57 { index += 1 }
            guard index > start, index < b.count else { return nil }
        }
        var offset = 0
        if b[index] == 90 || b[index] == 122 {
            guard index + 1 == b.count else { return nil }
        } else {
            guard b[index] == 43 || b[index] == 45, index + 6 == b.count, let hours = number(index + 1, 2), b[index + 3] == 58,
                  let minutes = number(index + 4, 2), hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (b[index] == 43 ? 1 : -1)
        }
        let days = Int64(date.ordinal - Day(year: 1970, month: 1, day: 1)!.ordinal)
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }
}
