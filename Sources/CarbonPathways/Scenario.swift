/// One future for the city: where it starts (the base year), what drives it (population,
/// GDP, energy intensity, fuel factors), what the city does (measures, in the order they
/// act), what it absorbs or buys (sinks, offsets), what it aims at (targets) and how sure
/// each input is (uncertainty). Saved as JSON; `citycarbon pathway run` reads the same file.
public struct Scenario: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Business as usual: drivers only, no new measures.
        case baseline
        /// The adopted plan's measures.
        case planned
        /// More than the plan: what it would take.
        case ambitious
        case custom
    }

    public var identifier: String
    /// Names by language (`en`, `zh-Hans`).
    public var name: [String: String]
    public var kind: Kind
    public var jurisdiction: String
    public var description: [String: String]?
    public var base: BaseSpec
    public var endYear: Int
    /// Gross emissions of past years (t CO2e), for the peak and for targets set against an
    /// earlier year. Filled from the published inventories when the base comes from them.
    public var history: [String: Double]?
    public var sectors: [SectorSpec]?
    public var drivers: Drivers?
    public var fuels: [String: FuelSpec]?
    public var measures: [Measure]
    public var sinks: [Sink]?
    /// Offsets bought outside the boundary, t CO2e a year.
    public var offsets: Trajectory?
    public var targets: [PathwayTarget]?
    public var uncertainty: [UncertainInput]?
    public var monteCarlo: MonteCarloSettings?
    /// For the abatement cost curve, per year (0.05 is 5 %).
    public var discountRate: Double?
    /// The year whose abatement the cost curve shows; the first target year by default.
    public var maccYear: Int?
    /// Emissions within this share of the peak count as the peak's plateau (0.02 by default).
    public var plateauTolerance: Double?

    public init(identifier: String, name: [String: String], kind: Kind, jurisdiction: String, base: BaseSpec, endYear: Int,
                measures: [Measure] = []) {
        self.identifier = identifier
        self.name = name
        self.kind = kind
        self.jurisdiction = jurisdiction
        self.base = base
        self.endYear = endYear
        self.measures = measures
    }

    /// Every year a scenario may name (ramps, reductions, targets, trajectories): a number from
    /// outside is checked against it before any arithmetic meets it.
    public static let years = 1900...2200

    public var baseYear: Int { base.year }

    public func name(_ language: String) -> String { name[language] ?? name["en"] ?? name.values.sorted().first ?? identifier }

    /// Past gross emissions by year.
    public var historyByYear: [Int: Double] {
        var result: [Int: Double] = [:]
        for (key, value) in history ?? [:] { if let year = Int(key) { result[year] = value } }
        return result
    }
}

/// Where the base year comes from: the workspace's published inventory, or cells given in
/// the file (energy in any unit CityCarbon knows, emissions given or computed from a factor
/// set).
public struct BaseSpec: Sendable, Hashable, Codable {
    public var year: Int
    /// Take the cells from the published inventory of `year` (and its activity data).
    public var fromInventory: Bool?
    /// Which inventory total the pathway projects: `basic` (default) or `basic_plus`, the
    /// same for the base year and the history.
    public var level: InventoryLevel?
    public var cells: [BaseCellSpec]?
    public var districts: [String: PathwayBase.DistrictFigures]?
    public var gdpUnit: String?
    public var source: String?

    public init(year: Int, fromInventory: Bool? = nil, cells: [BaseCellSpec]? = nil, districts: [String: PathwayBase.DistrictFigures]? = nil) {
        self.year = year
        self.fromInventory = fromInventory
        self.cells = cells
        self.districts = districts
    }
}

public enum InventoryLevel: String, Sendable, Hashable, Codable {
    case basic
    case basicPlus = "basic_plus"
}

public struct BaseCellSpec: Sendable, Hashable, Codable {
    public var district: String
    public var sector: String
    public var fuel: String?
    public var energy: Double?
    /// The unit of `energy` (`TJ` by default; `10^4 tce`, `GWh`, … as in the unit list).
    public var unit: String?
    /// Emissions as given; otherwise energy × the factor of `factorSet` for the fuel.
    public var emissionsTonnes: Double?
    public var factorSet: String?
    /// The GPC row whose factor applies (`I.1.1` by default).
    public var gpcRef: String?

    public init(district: String, sector: String, fuel: String?, energy: Double?, unit: String? = nil, emissionsTonnes: Double? = nil,
                factorSet: String? = nil, gpcRef: String? = nil) {
        self.district = district
        self.sector = sector
        self.fuel = fuel
        self.energy = energy
        self.unit = unit
        self.emissionsTonnes = emissionsTonnes
        self.factorSet = factorSet
        self.gpcRef = gpcRef
    }
}

/// What a sector's activity follows, and how its energy use per unit of activity changes.
public struct SectorSpec: Sendable, Hashable, Codable {
    public enum Driver: String, Sendable, Hashable, Codable {
        case population, gdp
        /// Activity stays at the base year's level; only the intensity path moves it.
        case none
    }

    public var id: String
    public var name: [String: String]?
    public var driver: Driver
    /// Energy (or, for non-energy emissions, emissions) per unit of activity, as an index
    /// on the base year.
    public var intensity: Trajectory?

    public init(id: String, name: [String: String]? = nil, driver: Driver, intensity: Trajectory? = nil) {
        self.id = id
        self.name = name
        self.driver = driver
        self.intensity = intensity
    }
}

/// Population and GDP paths: for the whole city (`all`) and, where a district differs, for it.
public struct Drivers: Sendable, Hashable, Codable {
    public var population: [String: Trajectory]?
    public var gdp: [String: Trajectory]?

    public init(population: [String: Trajectory]? = nil, gdp: [String: Trajectory]? = nil) {
        self.population = population
        self.gdp = gdp
    }
}

/// A fuel's emission factor over time (e.g. the grid factor path), as values whose ratio to
/// the base year scales the inventory's factor, and the factor to use where the fuel was not
/// used in the base year (for switches into it).
public struct FuelSpec: Sendable, Hashable, Codable {
    public var name: [String: String]?
    public var factor: Trajectory?
    public var tonnesPerTJ: Double?
    public var source: String?

    public init(factor: Trajectory? = nil, tonnesPerTJ: Double? = nil, source: String? = nil) {
        self.factor = factor
        self.tonnesPerTJ = tonnesPerTJ
        self.source = source
    }
}

public struct MonteCarloSettings: Sendable, Hashable, Codable {
    public var runs: Int
    public var seed: UInt64
    public init(runs: Int, seed: UInt64) {
        self.runs = runs
        self.seed = seed
    }
}
