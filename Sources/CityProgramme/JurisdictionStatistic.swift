import CarbonKit

/// Population and GDP of a jurisdiction in a year: the denominators of per-capita and
/// per-GDP emissions. `derived` says the figure was summed from the jurisdictions below
/// rather than given for this one.
public struct JurisdictionStatistic: Sendable, Equatable {
    public var jurisdiction: String
    public var year: Int
    public var population: Double?
    public var gdp: Double?
    public var gdpUnit: String?
    public var source: String?
    public var derived: Bool

    public init(jurisdiction: String, year: Int, population: Double? = nil, gdp: Double? = nil, gdpUnit: String? = nil,
                source: String? = nil, derived: Bool = false) {
        (self.jurisdiction, self.year, self.population, self.gdp, self.gdpUnit, self.source, self.derived)
            = (jurisdiction, year, population, gdp, gdpUnit, source, derived)
    }
}
