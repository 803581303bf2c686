import CarbonKit

/// A jurisdiction's statistics for a year, as its statistics office publishes them: the
/// denominators of per-capita, per-GDP and energy-intensity figures. Money is in `gdpUnit`
/// (value added too); energy in tonnes of standard coal equivalent (tce) counted by
/// `energyMethod`; floor area in m². `derived` says the figures were summed from the
/// jurisdictions below rather than given for this one.
public struct JurisdictionStatistic: Sendable, Equatable {
    /// How electricity enters total energy use (China's energy statistics count it either way).
    public enum EnergyMethod: String, Sendable, CaseIterable, Codable {
        /// Coal-equivalent of the fuel it took to generate (发电煤耗法).
        case equivalent
        /// Its own heat content, 0.1229 kgce per kWh (电热当量法).
        case calorific
    }

    public var jurisdiction: String
    public var year: Int
    /// Resident population (常住人口).
    public var population: Double?
    /// GDP at current prices.
    public var gdp: Double?
    public var gdpUnit: String?
    public var source: String?
    /// The source when the platform wrote it (a roll-up of the districts), for pages in any language.
    public var sourcePhrase: Phrase?
    public var derived: Bool
    /// GDP at the constant prices of `gdpConstantBaseYear`, in `gdpUnit`.
    public var gdpConstant: Double?
    public var gdpConstantBaseYear: Int?
    public var valueAddedPrimary: Double?
    public var valueAddedSecondary: Double?
    public var valueAddedTertiary: Double?
    /// Registered (hukou) population (户籍人口).
    public var registeredPopulation: Double?
    public var energyTce: Double?
    public var energyTcePrimary: Double?
    public var energyTceSecondary: Double?
    public var energyTceTertiary: Double?
    public var energyTceResidential: Double?
    public var energyMethod: EnergyMethod?
    public var floorAreaM2: Double?
    /// Deaths in the year from all causes (死亡人数): with the population, the baseline rate
    /// of a health impact.
    public var deaths: Double?

    public init(jurisdiction: String, year: Int, population: Double? = nil, gdp: Double? = nil, gdpUnit: String? = nil,
                source: String? = nil, derived: Bool = false) {
        (self.jurisdiction, self.year, self.population, self.gdp, self.gdpUnit, self.source, self.derived)
            = (jurisdiction, year, population, gdp, gdpUnit, source, derived)
    }

    /// The figures that add up across jurisdictions (people, money, energy, area), by name.
    public static var additive: [(name: String, keyPath: WritableKeyPath<JurisdictionStatistic, Double?>)] { [
        ("population", \.population), ("gdp", \.gdp), ("gdp_constant", \.gdpConstant),
        ("value_added_primary", \.valueAddedPrimary), ("value_added_secondary", \.valueAddedSecondary),
        ("value_added_tertiary", \.valueAddedTertiary), ("registered_population", \.registeredPopulation),
        ("energy_tce", \.energyTce), ("energy_tce_primary", \.energyTcePrimary), ("energy_tce_secondary", \.energyTceSecondary),
        ("energy_tce_tertiary", \.energyTceTertiary), ("energy_tce_residential", \.energyTceResidential), ("floor_area_m2", \.floorAreaM2),
        ("deaths", \.deaths),
    ] }

    /// The money figures, which add only in one unit.
    public static let money: Set<String> = ["gdp", "gdp_constant", "value_added_primary", "value_added_secondary", "value_added_tertiary"]
}
