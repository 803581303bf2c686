import CarbonAccounting
import CarbonKit

/// Which inventory total the city's headline figures use.
public enum HeadlineLevel: String, Sendable, CaseIterable, Codable {
    case basic
    case basicPlus = "basic_plus"

    /// Until the city settings hold the choice: BASIC+ (GPC §4), the level the indicator
    /// catalogue and the targets report.
    public static let standard = HeadlineLevel.basicPlus

    public func tonnes(_ totals: InventoryTotals) -> Double { self == .basic ? totals.basic : totals.basicPlus }
}

/// The city's public figures for one year, defined once: every page, API and export that
/// shows total, per person, per unit of GDP, sector shares or the change since a base year
/// takes it from here, so the same figure is the same number everywhere.
public struct CityFigures: Sendable, Equatable {
    public var year: Int
    public var level: HeadlineLevel
    /// The total at `level`, t CO2e.
    public var tonnes: Double
    /// The population and GDP used, with their source (derived when summed from districts).
    public var statistics: JurisdictionStatistic?
    /// t CO2e by GPC sector (I … V) at `level`'s scope.
    public var bySector: [String: Double]

    public init(year: Int, totals: InventoryTotals, bySector: [String: Double] = [:], statistics: JurisdictionStatistic?,
                level: HeadlineLevel = .standard) {
        (self.year, self.level, self.tonnes, self.bySector, self.statistics) = (year, level, level.tonnes(totals), bySector, statistics)
    }

    /// t CO2e per resident.
    public var perCapita: Double? { Self.perCapita(tonnes: tonnes, population: statistics?.population) }

    /// t CO2e per 10^4 of the GDP's currency, with that unit.
    public var perGDP: (value: Double, unit: String)? { Self.perGDP(tonnes: tonnes, gdp: statistics?.gdp, unit: statistics?.gdpUnit) }

    /// Each sector's share of the sectors' sum (0…1).
    public var sectorShares: [String: Double] {
        let sum = bySector.values.reduce(0, +)
        return sum > 0 ? bySector.mapValues { $0 / sum } : [:]
    }

    /// The change against `base` as a fraction (−0.12 is 12 % less); nil unless both are at
    /// the same level and the base is above zero.
    public func change(since base: CityFigures) -> Double? {
        guard base.level == level, base.tonnes > 0 else { return nil }
        return tonnes / base.tonnes - 1
    }

    public static func perCapita(tonnes: Double, population: Double?) -> Double? {
        guard let population, population > 0, tonnes.isFinite else { return nil }
        return tonnes / population
    }

    /// Tonnes per 10^4 of the currency of `unit` (a GDP in `10^8 CNY` of 3,000 is 3 × 10^7
    /// × 10^4 CNY); nil when the GDP or its unit is missing or not understood.
    public static func perGDP(tonnes: Double, gdp: Double?, unit: String?) -> (value: Double, unit: String)? {
        guard let gdp, gdp > 0, tonnes.isFinite, let money = unit.flatMap(MoneyUnit.init) else { return nil }
        return (tonnes / (gdp * money.scale / 1e4), money.intensityDenominator)
    }
}
