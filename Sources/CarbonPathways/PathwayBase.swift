/// The base year a pathway starts from: emissions and energy by district, sector and fuel,
/// and each district's population and GDP. Built from the city's published inventory (or
/// given inline in a scenario file), so the scenario's first year is the inventory.
public struct PathwayBase: Sendable, Hashable, Codable {
    public struct Cell: Sendable, Hashable, Codable {
        public var district: String
        public var sector: String
        /// The fuel or energy carrier; `nil` for emissions that do not come from energy
        /// (industrial processes, waste, agriculture).
        public var fuel: String?
        public var energyTJ: Double
        public var emissionsTonnes: Double

        public init(district: String, sector: String, fuel: String?, energyTJ: Double, emissionsTonnes: Double) {
            self.district = district
            self.sector = sector
            self.fuel = fuel
            self.energyTJ = energyTJ
            self.emissionsTonnes = emissionsTonnes
        }
    }

    public struct DistrictFigures: Sendable, Hashable, Codable {
        public var population: Double?
        /// GDP in the unit `gdpUnit` names.
        public var gdp: Double?
        public init(population: Double? = nil, gdp: Double? = nil) {
            self.population = population
            self.gdp = gdp
        }
    }

    public var year: Int
    public var cells: [Cell]
    public var districts: [String: DistrictFigures]
    public var gdpUnit: String?
    /// Where the figures come from (inventory, statistics), shown with the results.
    public var source: String?

    public init(year: Int, cells: [Cell], districts: [String: DistrictFigures] = [:], gdpUnit: String? = nil, source: String? = nil) {
        self.year = year
        self.cells = cells
        self.districts = districts
        self.gdpUnit = gdpUnit
        self.source = source
    }

    public var emissionsTonnes: Double { cells.reduce(0) { $0 + $1.emissionsTonnes } }
    public var population: Double? { sum(\.population) }
    public var gdp: Double? { sum(\.gdp) }

    /// Summed in the districts' name order: a dictionary's order changes between runs, and
    /// with it the last digits of a floating-point sum.
    private func sum(_ key: KeyPath<DistrictFigures, Double?>) -> Double? {
        let values = districts.keys.sorted().compactMap { districts[$0]?[keyPath: key] }
        return values.isEmpty ? nil : values.reduce(0, +)
    }
}
