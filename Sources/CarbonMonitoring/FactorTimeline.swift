/// Kilograms of CO2e per unit of consumption as they change over time.
///
/// The grid's factor changes by hour and by season; a city that has an hourly or daily series
/// for its grid uses it, and falls back to the published annual factor where the series has no
/// value. Annual factors are published two years late, so the latest year at or before the
/// reading's year stands in (the way Carbon Monitor nowcasts with last known factors), and the
/// result says which year was used.
public struct FactorTimeline: Sendable, Hashable {
    /// A regular series of factors from a start hour, one per `stepHours` (1 = hourly, 24 = daily).
    public struct Series: Sendable, Hashable {
        public let name: String
        public let startHour: Int64
        public let stepHours: Int
        public let kgPerUnit: [Double]

        public init(name: String, startHour: Int64, stepHours: Int, kgPerUnit: [Double]) {
            (self.name, self.startHour, self.stepHours, self.kgPerUnit) = (name, startHour, stepHours, kgPerUnit)
        }

        public var endHour: Int64 { startHour + Int64(kgPerUnit.count * stepHours) }

        @inline(__always)
        func value(atHour hour: Int64) -> Double? {
            guard hour >= startHour, hour < endHour else { return nil }
            return kgPerUnit[Int((hour - startHour) / Int64(stepHours))]
        }
    }

    public enum Basis: Sendable, Hashable {
        /// A factor that does not depend on time (a fuel's combustion factor).
        case constant
        case series(String)
        case annual(year: Int)
        /// An earlier year's factor standing in for a year not yet published.
        case proxy(year: Int)
    }

    /// Annual factor by year, kg CO2e per unit.
    public let annual: [Int: Double]
    public let series: [Series]
    public let constant: Double?
    private let years: [Int]

    public init(annual: [Int: Double], series: [Series] = []) {
        self.annual = annual
        self.series = series.sorted { $0.startHour < $1.startHour }
        constant = nil
        years = annual.keys.sorted()
    }

    /// A factor that never changes (a fuel's combustion factor).
    public init(constant kgPerUnit: Double) {
        (annual, series, constant, years) = ([:], [], kgPerUnit, [])
    }

    /// The factor for consumption in `hour` of local `year`, and what it rests on; nil when
    /// neither a series nor any annual factor at or before the year exists.
    public func factor(hour: Int64, year: Int) -> (kgPerUnit: Double, basis: Basis)? {
        for s in series {
            if let v = s.value(atHour: hour) { return (v, .series(s.name)) }
        }
        if let constant { return (constant, .constant) }
        if let v = annual[year] { return (v, .annual(year: year)) }
        guard let earlier = years.last(where: { $0 <= year }) else { return nil }
        return (annual[earlier]!, .proxy(year: earlier))
    }

    /// Just the number, for the ingestion loop.
    @inline(__always)
    public func kgPerUnit(hour: Int64, year: Int) -> Double? { factor(hour: hour, year: year)?.kgPerUnit }
}
