/// Everything one run of a scenario gives: baseline, the wedge of each measure, the
/// scenario's gross and net emissions, sinks and offsets, energy by fuel, the split by
/// district and sector, intensities, and the analysis against the targets. Tonnes are
/// t CO2e a year; energy TJ a year.
public struct PathwayResult: Sendable, Hashable, Codable {
    public struct Wedge: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var kind: String
        public var tonnes: [Double]
    }
    public struct SinkSeries: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var kind: String
        public var basis: String
        public var tonnes: [Double]
        public var source: String?
    }
    public struct Cell: Sendable, Hashable, Codable {
        public var district: String
        public var sector: String
        public var baseline: [Double]
        public var scenario: [Double]
    }

    /// A district's use of one fuel in one sector, TJ a year, without and with the measures:
    /// what a fuel switch changes, for its effect on the air.
    public struct EnergyCell: Sendable, Hashable, Codable {
        public var district: String
        public var sector: String
        public var fuel: String
        public var baseline: [Double]
        public var scenario: [Double]

        public init(district: String, sector: String, fuel: String, baseline: [Double], scenario: [Double]) {
            (self.district, self.sector, self.fuel, self.baseline, self.scenario) = (district, sector, fuel, baseline, scenario)
        }
    }

    public var scenario: String
    public var name: String
    public var kind: String
    public var jurisdiction: String
    public var baseYear: Int
    public var years: [Int]
    public var history: [Double?]?
    public var historyYears: [Int]?
    public var baseline: [Double]
    public var gross: [Double]
    public var wedges: [Wedge]
    public var sinks: [SinkSeries]
    /// Stocks are reported, never subtracted.
    public var stocks: [SinkSeries]
    public var offsets: [Double]
    public var net: [Double]
    public var energyByFuel: [String: [Double]]
    public var bySector: [String: [Double]]
    public var byDistrict: [String: [Double]]
    public var cells: [Cell]
    /// Nil in results stored before it was kept.
    public var energyCells: [EnergyCell]?
    public var population: [Double]?
    public var gdp: [Double]?
    public var gdpUnit: String?
    public var perCapita: [Double]?
    public var perGDP: [Double]?
    public var cumulativeGross: [Double]
    public var analysis: PathwayAnalysis
    public var baseSource: String?

    public func value(_ series: [Double], in year: Int) -> Double? {
        guard let i = years.firstIndex(of: year) else { return nil }
        return series[i]
    }
}

public struct PathwayAnalysis: Sendable, Hashable, Codable {
    public var peak: Peak?
    /// The first year net emissions are at or below zero.
    public var neutralityYear: Int?
    /// The first year gross emissions are zero.
    public var grossZeroYear: Int?
    public var targets: [TargetOutcome]
    public var plateauTolerance: Double
}

public struct TargetOutcome: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var kind: String
    public var year: Int
    public var basis: String
    public var met: Bool
    /// The scenario's value (t CO2e, t per GDP unit, or the peak value).
    public var value: Double?
    /// The value the target allows.
    public var allowed: Double?
    /// value − allowed: what is still missing (≤ 0 when met).
    public var gap: Double?
    /// The first year the target's condition holds, if ever.
    public var firstYearMet: Int?
}
