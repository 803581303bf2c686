/// Something the city does that changes its emissions, acting from a year with a ramp.
///
/// Measures act in the order the scenario lists them, each on what the previous ones left:
/// an efficiency gain applied after a fuel switch saves energy of the new fuel, a plan
/// action's tonnes are capped by what is left in its scope. So the wedges add up exactly to
/// baseline minus scenario, and no tonne is counted twice.
public struct Measure: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Moves `share` of the energy of the `from` fuels to `to`, needing `energyRatio`
        /// units of the new fuel per unit of the old (0.3 for heat pumps replacing gas boilers).
        case fuelSwitch = "fuel_switch"
        /// A fuel switch into electricity.
        case electrification
        /// A fuel switch out of coal fuels with `share` 1 by default.
        case coalPhaseOut = "coal_phase_out"
        /// Cuts the energy of the `fuels` (all by default) by `reduction`.
        case efficiency
        /// Cuts activity (energy and non-energy emissions) by `reduction`: less driving,
        /// less floor area, less waste.
        case demand
        /// Cuts the emission factor of the `fuels` by `reduction`.
        case factor
        /// Renewables displacing grid electricity: the electricity factor falls by `share`.
        case renewables
        /// A plan action with its expected reductions in t CO2e by year.
        case action
    }

    public var id: String
    public var name: [String: String]?
    public var kind: Kind
    /// Sector ids the measure acts in; all sectors when absent.
    public var sectors: [String]?
    /// Districts the measure acts in; all when absent.
    public var districts: [String]?
    public var from: [String]?
    public var to: String?
    public var energyRatio: Double?
    public var fuels: [String]?
    /// Share of the affected quantity at full effect, 0…1.
    public var share: Double?
    public var reduction: Double?
    /// t CO2e by year (for `action`), interpolated between years and held after the last.
    public var reductions: [String: Double]?
    public var ramp: Ramp?
    /// The plan and action this measure stands for.
    public var plan: String?
    public var action: String?
    public var cost: MeasureCost?

    public init(id: String, kind: Kind, name: [String: String]? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
    }

    public func name(_ language: String) -> String { name?[language] ?? name?["en"] ?? id }

    /// The action's reduction in `year`: nothing before the first year given, straight lines
    /// between years, the last value held after.
    public func actionReduction(in year: Int) -> Double {
        let points = (reductions ?? [:]).compactMap { key, value in Int(key).map { Trajectory.YearValue($0, value) } }
            .sorted { $0.year < $1.year }
        guard let first = points.first, year >= first.year else { return 0 }
        return Trajectory(points: points, growth: []).value(in: year, baseYear: year)
    }
}

/// What a measure costs, for the abatement cost curve. Capital is annualised with the
/// capital recovery factor over `lifetime` at the scenario's discount rate.
public struct MeasureCost: Sendable, Hashable, Codable {
    public var capital: Double?
    public var operatingPerYear: Double?
    /// Energy or other costs avoided each year.
    public var savingsPerYear: Double?
    public var lifetimeYears: Int?
    public var currency: String
    public var source: String?

    public init(capital: Double? = nil, operatingPerYear: Double? = nil, savingsPerYear: Double? = nil, lifetimeYears: Int? = nil,
                currency: String, source: String? = nil) {
        self.capital = capital
        self.operatingPerYear = operatingPerYear
        self.savingsPerYear = savingsPerYear
        self.lifetimeYears = lifetimeYears
        self.currency = currency
        self.source = source
    }
}

/// Carbon taken up within the boundary. A flux (t CO2 a year) counts against emissions; a
/// stock (t CO2 held in biomass or materials) is reported beside them and never subtracted,
/// because a stock is not a yearly removal.
public struct Sink: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case forest
        case greenSpace = "green_space"
        case cementCarbonation = "cement_carbonation"
        case wetland
        case other
    }
    public enum Basis: String, Sendable, Hashable, Codable { case flux, stock }

    public var id: String
    public var name: [String: String]?
    public var kind: Kind
    public var basis: Basis
    /// t CO2 a year (flux) or t CO2 held (stock).
    public var tonnesCO2: Trajectory?
    /// Area in hectares × `ratePerHectare` (t CO2 per ha per year) for a flux.
    public var areaHectares: Trajectory?
    public var ratePerHectare: Double?
    public var source: String?

    public init(id: String, kind: Kind, basis: Basis = .flux, tonnesCO2: Trajectory? = nil) {
        self.id = id
        self.kind = kind
        self.basis = basis
        self.tonnesCO2 = tonnesCO2
    }

    public func name(_ language: String) -> String { name?[language] ?? name?["en"] ?? id }

    public func tonnes(in year: Int, baseYear: Int) -> Double {
        if let tonnesCO2 { return tonnesCO2.value(in: year, baseYear: baseYear) }
        if let areaHectares, let ratePerHectare { return areaHectares.value(in: year, baseYear: baseYear) * ratePerHectare }
        return 0
    }
}
