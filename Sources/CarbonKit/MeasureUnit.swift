import Foundation

/// The physical dimensions CityCarbon converts between.
public enum Dimension: String, Sendable, CaseIterable, Codable {
    case energy, mass, volume

    /// The unit every conversion goes through.
    public var baseSymbol: String {
        switch self {
        case .energy: "J"
        case .mass: "kg"
        case .volume: "m3"
        }
    }
}

/// A unit of energy, mass or volume, defined by its size in the dimension's base unit.
/// Units come from `units.csv`, with the definition and source of each.
public struct MeasureUnit: Sendable, Hashable, CustomStringConvertible, Codable {
    public let symbol: String
    public let dimension: Dimension
    /// How many base units (J, kg, m3) one of this unit is.
    public let baseUnitsPerUnit: Double
    public let name: String

    public init(symbol: String, dimension: Dimension, baseUnitsPerUnit: Double, name: String) {
        self.symbol = symbol
        self.dimension = dimension
        self.baseUnitsPerUnit = baseUnitsPerUnit
        self.name = name
    }

    public var description: String { symbol }
}

/// Every unit CityCarbon knows, by symbol and alias.
public struct UnitCatalog: Sendable {
    public let units: [MeasureUnit]
    private let bySymbol: [String: MeasureUnit]
    /// Source and year of each definition, by symbol.
    public let sources: [String: String]

    public init(table: ReferenceTable) throws {
        var units: [MeasureUnit] = []
        var bySymbol: [String: MeasureUnit] = [:]
        var sources: [String: String] = [:]
        var issues: [InputIssue] = []
        for row in table.rows {
            do throws(InputIssue) {
                let symbol = try row.required("symbol")
                guard let dimension = Dimension(rawValue: row["dimension"]) else {
                    throw InputIssue(row.location("dimension"), value: row["dimension"], reason: "unknown dimension")
                }
                let unit = MeasureUnit(symbol: symbol, dimension: dimension, baseUnitsPerUnit: try row.double("base_units_per_unit"), name: row["name"])
                units.append(unit)
                bySymbol[symbol] = unit
                for alias in row["aliases"].split(separator: " ") { bySymbol[String(alias)] = unit }
                sources[symbol] = "\(row["source"]) (\(row["year"]))"
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        self.units = units
        self.bySymbol = bySymbol
        self.sources = sources
    }

    /// The catalog shipped with CityCarbon (`Resources/units.csv`).
    public static let standard: UnitCatalog = {
        do { return try UnitCatalog(table: ReferenceTable.resource("units.csv", in: .module)) }
        catch { fatalError("CarbonKit's units.csv is invalid: \(error)") }
    }()

    public func unit(_ symbol: String) -> MeasureUnit? {
        bySymbol[symbol] ?? bySymbol[symbol.trimmingCharacters(in: .whitespaces)]
    }

    /// A unit by symbol, or an error with the nearest known symbol.
    public func require(_ symbol: String) throws(UnitError) -> MeasureUnit {
        guard let unit = unit(symbol) else {
            throw UnitError.unknownUnit(symbol, suggestion: Suggestion.closest(to: symbol, among: bySymbol.keys))
        }
        return unit
    }

    public var symbols: [String] { units.map(\.symbol) }

    /// Parses a ratio such as `kg/TJ` or `lb/MWh` into its two units.
    public func ratio(_ text: String) throws(UnitError) -> (numerator: MeasureUnit, denominator: MeasureUnit) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw UnitError.notARatio(text) }
        return (try require(parts[0]), try require(parts[1]))
    }
}

extension MeasureUnit {
    /// A unit from the standard catalog; for symbols the code relies on (`J`, `kg`, `m3`, `TJ`, `kWh`).
    public static func standard(_ symbol: String) -> MeasureUnit {
        guard let unit = UnitCatalog.standard.unit(symbol) else { fatalError("unit \(symbol) is missing from units.csv") }
        return unit
    }
}

/// Why a quantity could not be read or converted.
public enum UnitError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownUnit(String, suggestion: String?)
    case notARatio(String)
    case dimensionMismatch(from: MeasureUnit, to: MeasureUnit)
    /// Mass or volume to energy, or back, needs the fuel's net calorific value.
    case needsCalorificValue(from: MeasureUnit, to: MeasureUnit)
    /// Volume to mass, or back, needs the fuel's density.
    case needsDensity(from: MeasureUnit, to: MeasureUnit)

    public var description: String {
        switch self {
        case let .unknownUnit(symbol, suggestion):
            "unknown unit '\(symbol)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .notARatio(text): "'\(text)' is not a unit ratio such as kg/TJ"
        case let .dimensionMismatch(from, to): "\(from.symbol) (\(from.dimension.rawValue)) cannot be converted to \(to.symbol) (\(to.dimension.rawValue))"
        case let .needsCalorificValue(from, to): "converting \(from.symbol) to \(to.symbol) needs the fuel's net calorific value"
        case let .needsDensity(from, to): "converting \(from.symbol) to \(to.symbol) needs the fuel's density"
        }
    }
}
