import Foundation

/// How much a city's air changes when its emissions of a primary pollutant change, through the
/// intake fraction: the share of what is emitted that people breathe in. With population `P`
/// breathing `Q` m³ a day, `ΔC = iF · ΔE / (P · Q)`, the change in the population-weighted
/// mean concentration (`Resources/intake-fractions.json`, Apte et al. 2012).
public struct IntakeFractions: Sendable, Decodable {
    public struct SizeClass: Sendable, Decodable, Equatable {
        public var id: String
        public var population_from: Double
        /// Grams inhaled per tonne emitted.
        public var ppm: Double
        public var label: String
    }

    public var source: String
    public var definition: String
    public var breathing_rate_m3_per_day: Double
    public var breathing_rate_source: String
    public var pollutant: String
    public var classes: [SizeClass]
    public var interquartile_ppm: [Double]
    public var interquartile_source: String

    public static let shipped: IntakeFractions = ShippedData.load("intake-fractions")

    /// The class of a city of `population` people: the intake fraction grows with size and density.
    public func sizeClass(population: Double) -> SizeClass {
        classes.sorted { $0.population_from > $1.population_from }.first { population >= $0.population_from } ?? classes[classes.count - 1]
    }

    /// The fall in population-weighted mean concentration (µg/m³) when a city of `population`
    /// people emits `tonnesPerYear` less of the pollutant, at intake fraction `ppm`
    /// (negative when it emits more). Nil without people to breathe it.
    public func concentrationChange(tonnesPerYear: Double, population: Double, ppm: Double) -> Double? {
        guard population > 0, tonnesPerYear.isFinite, ppm.isFinite, ppm >= 0 else { return nil }
        let inhaledMicrogramsPerDay = ppm * 1e-6 * tonnesPerYear * 1e12 / 365
        return inhaledMicrogramsPerDay / (population * breathing_rate_m3_per_day)
    }
}
