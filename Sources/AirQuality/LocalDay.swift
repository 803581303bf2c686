import CarbonKit

/// The city's local day of an instant, and the instant a local day starts: an air-quality day (a
/// daily index, a daily mean, a collocation's days) is the city's, at its UTC offset in seconds.
public enum LocalDay {
    static let epoch = Day(year: 1970, month: 1, day: 1)!.ordinal

    /// The local day `seconds` (Unix time) falls in; before 1970 too.
    public static func of(_ seconds: Int64, utcOffset: Int64) -> Day {
        let local = seconds + utcOffset
        return Day(ordinal: epoch + Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// The Unix time `day` starts at, locally.
    public static func start(_ day: Day, utcOffset: Int64) -> Int64 {
        Int64(day.ordinal - epoch) * 86_400 - utcOffset
    }
}
