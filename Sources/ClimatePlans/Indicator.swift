import CarbonKit

/// A measured quantity the plan watches: total emissions, the share of renewable power, the
/// number of public chargers. Emissions indicators take their values from the computed
/// inventories (`source == .inventory`), never typed in a second time.
public struct Indicator: Sendable, Hashable, Codable {
    public enum Direction: String, Sendable, Hashable, Codable {
        /// Lower is better (emissions, energy per unit of GDP).
        case decrease
        /// Higher is better (renewable share, chargers).
        case increase
    }

    public enum Source: Sendable, Hashable, Codable {
        /// Values entered or imported by its owner.
        case entered
        /// Derived from the published inventories.
        case inventory(InventoryMeasure)
    }

    /// Hangzhou's distinction: a binding (约束性) indicator must be met; an expected (预期性) one guides.
    public enum Kind: String, Sendable, Hashable, Codable { case binding, expected }

    public var identifier: String
    public var name: Multilingual
    public var definition: Multilingual
    public var unit: String
    public var direction: Direction
    public var kind: Kind
    public var owner: String?
    public var source: Source
    public var values: [IndicatorValue]
    public var goals: [IndicatorGoal]

    public init(identifier: String, name: Multilingual, definition: Multilingual = Multilingual(), unit: String, direction: Direction,
                kind: Kind = .expected, owner: String? = nil, source: Source = .entered, values: [IndicatorValue] = [], goals: [IndicatorGoal] = []) {
        self.identifier = identifier
        self.name = name
        self.definition = definition
        self.unit = unit
        self.direction = direction
        self.kind = kind
        self.owner = owner
        self.source = source
        self.values = values
        self.goals = goals
    }

    /// Values of one jurisdiction and dimension, by year, oldest first.
    public func series(jurisdiction: String? = nil, dimension: String? = nil) -> [IndicatorValue] {
        values.filter { $0.jurisdiction == jurisdiction && $0.dimension == dimension }.sorted { $0.year < $1.year }
    }
}

/// What an inventory-derived indicator measures.
public enum InventoryMeasure: String, Sendable, Hashable, Codable {
    case basicTotal = "basic_total"
    case basicPlusTotal = "basic_plus_total"
    case perCapita = "per_capita"
    case perGDP = "per_gdp"
    /// % fall of energy-related CO2 per unit of GDP (constant prices) since the baseline year.
    case co2IntensityReduction = "co2_intensity_reduction"
    /// % fall of energy use per unit of GDP (constant prices) since the baseline year.
    case energyIntensityReduction = "energy_intensity_reduction"

    /// The measures a sheet may name in its `computed` column: its values then come from the
    /// published inventories and statistics, not from typed-in numbers.
    public static let computable: [InventoryMeasure] = [.co2IntensityReduction, .energyIntensityReduction]
}

public struct IndicatorValue: Sendable, Hashable, Codable {
    public var year: Int
    public var value: Double
    public var jurisdiction: String?
    /// A breakdown (a sector, a fuel) or nil for the whole.
    public var dimension: String?
    public var source: String?
    /// The source when the platform wrote it (a value computed from published inventories), so
    /// a page can say it in its reader's language; `source` holds its English.
    public var sourcePhrase: Phrase?

    private enum CodingKeys: String, CodingKey { case year, value, jurisdiction, dimension, source }

    public init(year: Int, value: Double, jurisdiction: String? = nil, dimension: String? = nil, source: String? = nil) {
        self.year = year
        self.value = value
        self.jurisdiction = jurisdiction
        self.dimension = dimension
        self.source = source
    }

    /// A value whose source the platform wrote.
    public init(year: Int, value: Double, jurisdiction: String? = nil, dimension: String? = nil, phrase: Phrase) {
        self.init(year: year, value: value, jurisdiction: jurisdiction, dimension: dimension, source: phrase.english)
        sourcePhrase = phrase
    }
}

/// The value an indicator should reach by a year. A goal handed down from a higher level
/// may be known before its number ("完成省下达任务": meet the province's target): its value
/// is then nil, and the indicator is not judged against it until the number arrives.
public struct IndicatorGoal: Sendable, Hashable, Codable {
    public var year: Int
    public var value: Double?
    public var jurisdiction: String?
    /// Where the goal is stated: a document and its line, or the level that handed it down.
    public var source: String?

    public init(year: Int, value: Double?, jurisdiction: String? = nil, source: String? = nil) {
        self.year = year
        self.value = value
        self.jurisdiction = jurisdiction
        self.source = source
    }

    public var isPending: Bool { value == nil }
}
