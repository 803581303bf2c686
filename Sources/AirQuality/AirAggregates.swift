import CarbonKit
import Foundation

/// Hourly values summarised as OpenAQ's v3 API does: by day, month, year, hour of day and day of
/// week, each with its coverage (hours observed against hours expected in the range asked for),
/// so a mean of three hours is never mistaken for a day's.
public enum AirAggregates {
    public enum Period: String, Sendable, CaseIterable {
        case day, month, year
        case hourOfDay = "hour_of_day"
        case dayOfWeek = "day_of_week"
    }

    public struct Aggregate: Sendable, Equatable {
        /// `2026-03-01`, `2026-03`, `2026`, the hour `0`…`23`, or the ISO weekday `1` (Monday)…`7`.
        public var period: String
        public var mean: Double?
        public var minimum: Double?
        public var maximum: Double?
        public var observed: Int
        public var expected: Int
        public var coverage: Double { expected > 0 ? Double(observed) / Double(expected) * 100 : 0 }
        /// Whether the coverage reaches `completeness` per cent (75 for a daily mean).
        public func isComplete(_ completeness: Double) -> Bool { coverage >= completeness }
    }

    /// `values` are hour-start times (Unix seconds) with their values (nil: no valid value);
    /// hours outside `from..<to` are ignored, and every hour of that range is expected. Periods
    /// are in local time at `utcOffset` seconds (China: 28,800).
    public static func aggregate(_ values: [(hour: Int64, value: Double?)], by period: Period, from: Int64, to: Int64,
                                 utcOffset: Int = 0) -> [Aggregate] {
        // Times beyond ±31,000 years are not hours of any air-quality record (and would overflow).
        guard to > from, from >= -1_000_000_000_000, to <= 1_000_000_000_000, abs(utcOffset) <= 86_400 else { return [] }
        func key(_ hour: Int64) -> String {
            let local = hour + Int64(utcOffset)
            let dayNumber = Int(local.floorDivided(by: 86_400))
            let day = Day(ordinal: dayNumber)
            switch period {
            case .day: return day.description
            case .month: return String(format: "%04d-%02d", day.year, day.month)
            case .year: return String(day.year)
            case .hourOfDay: return String(Int(local.floorModulo(86_400) / 3600))
            // 1970-01-01 was a Thursday (ISO 4).
            case .dayOfWeek: return String((dayNumber + 3).floorModulo(7) + 1)
            }
        }
        var expected: [String: Int] = [:]
        let firstHour = from.floorDivided(by: 3600) * 3600
        // Expected hours, counted hour by hour, bounded: a range of more than 100 years is refused as empty.
        let (span, overflow) = to.subtractingReportingOverflow(firstHour)
        guard !overflow, span / 3600 <= 876_600 else { return [] }
        var hour = firstHour
        while hour < to {
            if hour >= from { expected[key(hour), default: 0] += 1 }
            hour += 3600
        }
        var sums: [String: (sum: Double, count: Int, minimum: Double, maximum: Double)] = [:]
        var seen = Set<Int64>()
        for (hour, value) in values where hour >= from && hour < to && seen.insert(hour).inserted {
            guard let value, value.isFinite else { continue }
            let period = key(hour)
            let current = sums[period] ?? (0, 0, .infinity, -.infinity)
            sums[period] = (current.sum + value, current.count + 1, min(current.minimum, value), max(current.maximum, value))
        }
        let order: (String, String) -> Bool = period == .hourOfDay || period == .dayOfWeek
            ? { Int($0)! < Int($1)! } : { $0 < $1 }
        return expected.keys.sorted(by: order).map { period in
            let found = sums[period]
            return Aggregate(period: period, mean: found.map { $0.sum / Double($0.count) }, minimum: found?.minimum,
                             maximum: found?.maximum, observed: found?.count ?? 0, expected: expected[period]!)
        }
    }
}

extension BinaryInteger {
    func floorDivided(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
    func floorModulo(_ divisor: Self) -> Self { self - floorDivided(by: divisor) * divisor }
}
