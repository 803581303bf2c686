import Foundation

/// How a quantity moves through the years of a scenario: a constant, values at given years
/// (interpolated between them and held flat outside them), or annual growth rates that
/// apply from a year on.
///
/// In JSON: `1.2`, `{"values": {"2022": 380, "2035": 860}}`, `{"growth": 0.05}` or
/// `{"growth": {"2023": 0.06, "2031": 0.04}}`, with `"interpolation": "exponential"` for
/// values that change by a constant rate between the given years.
public struct Trajectory: Sendable, Hashable, Codable {
    public enum Interpolation: String, Sendable, Hashable, Codable { case linear, exponential }

    /// Given values, sorted by year.
    public var points: [YearValue]
    /// Annual growth rates, each from its year on, sorted by year.
    public var growth: [YearValue]
    public var interpolation: Interpolation

    public struct YearValue: Sendable, Hashable {
        public var year: Int
        public var value: Double
        public init(_ year: Int, _ value: Double) {
            self.year = year
            self.value = value
        }
    }

    public static func constant(_ value: Double) -> Trajectory { Trajectory(points: [YearValue(0, value)], growth: []) }

    public static func values(_ values: [Int: Double], interpolation: Interpolation = .linear) -> Trajectory {
        Trajectory(points: values.sorted { $0.key < $1.key }.map { YearValue($0.key, $0.value) }, growth: [], interpolation: interpolation)
    }

    public static func growth(_ rate: Double, from year: Int = Int.min) -> Trajectory {
        Trajectory(points: [], growth: [YearValue(year, rate)])
    }

    public init(points: [YearValue], growth: [YearValue], interpolation: Interpolation = .linear) {
        self.points = points.sorted { $0.year < $1.year }
        self.growth = growth.sorted { $0.year < $1.year }
        self.interpolation = interpolation
    }

    public var isGrowth: Bool { points.isEmpty }

    /// The value in `year`. A growth trajectory starts at `origin` in `baseYear`.
    public func value(in year: Int, baseYear: Int, origin: Double = 1) -> Double {
        if isGrowth {
            guard !growth.isEmpty else { return origin }
            var value = origin
            if year >= baseYear {
                for y in stride(from: baseYear + 1, through: year, by: 1) { value *= 1 + rate(in: y) }
            } else {
                for y in stride(from: baseYear, to: year, by: -1) { value /= 1 + rate(in: y) }
            }
            return value
        }
        guard let first = points.first, let last = points.last else { return origin }
        if year <= first.year { return first.value }
        if year >= last.year { return last.value }
        let upper = points.firstIndex { $0.year >= year }!
        let a = points[upper - 1], b = points[upper]
        if b.year == year { return b.value }
        let f = Double(year - a.year) / Double(b.year - a.year)
        if interpolation == .exponential, a.value > 0, b.value > 0 {
            return a.value * pow(b.value / a.value, f)
        }
        return a.value + (b.value - a.value) * f
    }

    /// The value in `year` relative to the value in `baseYear`: what a scenario multiplies
    /// its base-year figure by, so that the base year always reproduces the inventory.
    public func index(in year: Int, baseYear: Int) -> Double {
        if isGrowth { return value(in: year, baseYear: baseYear) }
        let base = value(in: baseYear, baseYear: baseYear)
        return base == 0 ? (value(in: year, baseYear: baseYear) == 0 ? 1 : .nan) : value(in: year, baseYear: baseYear) / base
    }

    private func rate(in year: Int) -> Double {
        var current = 0.0
        for g in growth where g.year <= year { current = g.value }
        if let first = growth.first, year < first.year { return 0 }
        return current
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey { case values, growth, interpolation }

    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let number = try? single.decode(Double.self) {
            self = .constant(number)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let interpolation = try container.decodeIfPresent(Interpolation.self, forKey: .interpolation) ?? .linear
        if let values = try container.decodeIfPresent([String: Double].self, forKey: .values) {
            self.init(points: try Self.years(values, container, .values), growth: [], interpolation: interpolation)
            guard !points.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .values, in: container, debugDescription: "needs at least one year")
            }
        } else if let rate = try? container.decode(Double.self, forKey: .growth) {
            self.init(points: [], growth: [YearValue(Int.min, rate)], interpolation: interpolation)
        } else if let rates = try container.decodeIfPresent([String: Double].self, forKey: .growth) {
            self.init(points: [], growth: try Self.years(rates, container, .growth), interpolation: interpolation)
        } else {
            throw DecodingError.dataCorruptedError(forKey: .values, in: container,
                                                   debugDescription: "a trajectory is a number, {\"values\": {year: value}} or {\"growth\": rate}")
        }
    }

    private static func years(_ map: [String: Double], _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [YearValue] {
        try map.map { key2, value in
            guard let year = Int(key2), Scenario.years.contains(year) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "'\(key2)' is not a year between 1900 and 2200")
            }
            guard value.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "the value for \(key2) is not a finite number")
            }
            return YearValue(year, value)
        }
    }

    public func encode(to encoder: Encoder) throws {
        if points.count == 1, points[0].year == 0, growth.isEmpty {
            var single = encoder.singleValueContainer()
            try single.encode(points[0].value)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        if isGrowth {
            if growth.count == 1, growth[0].year == Int.min { try container.encode(growth[0].value, forKey: .growth) } else {
                try container.encode(Dictionary(uniqueKeysWithValues: growth.map { (String($0.year), $0.value) }), forKey: .growth)
            }
        } else {
            try container.encode(Dictionary(uniqueKeysWithValues: points.map { (String($0.year), $0.value) }), forKey: .values)
        }
        if interpolation != .linear { try container.encode(interpolation, forKey: .interpolation) }
    }
}
