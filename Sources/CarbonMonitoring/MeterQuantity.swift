import CarbonKit
import Foundation

/// What a datastream observes (SensorThings' ObservedProperty), read from `quantities.csv`.
public struct MeterQuantity: Sendable, Hashable, Codable {
    public enum Direction: String, Sendable, Codable { case consumption, generation, state }

    public let key: String
    public let name: Multilingual
    /// Consumption adds up over time; a state (concentration, power) is averaged, never summed.
    public let isAdditive: Bool
    /// The dimension a unit must have, or nil for states measured in their own units (ppm, kW).
    public let dimension: CarbonKit.Dimension?
    public let defaultUnit: String
    /// The factor library's fuel whose factor prices this consumption in CO2e; nil when none.
    public let fuel: String?
    public let direction: Direction
    /// The most one connection can carry in an hour, in ``defaultUnit``: beyond it a reading is
    /// refused as no meter could send it (a datastream's own, narrower limit only flags).
    public let maxPerHour: Double?
    /// The physical range of a state's value, or of a register's read (after its multiplier).
    public let minValue: Double?
    public let maxValue: Double?

    public struct Multilingual: Sendable, Hashable, Codable {
        public let en: String
        public let zhHans: String
        public func text(_ language: String) -> String { language.hasPrefix("zh") ? zhHans : en }
    }
}

/// Every quantity the platform knows.
public struct MeterQuantityCatalog: Sendable {
    public let quantities: [MeterQuantity]
    private let byKey: [String: MeterQuantity]

    public init(_ quantities: [MeterQuantity]) {
        self.quantities = quantities
        byKey = Dictionary(uniqueKeysWithValues: quantities.map { ($0.key, $0) })
    }

    public subscript(_ key: String) -> MeterQuantity? { byKey[key] }
    public var keys: [String] { quantities.map(\.key) }

    public static let standard: MeterQuantityCatalog = {
        do {
            let table = try ReferenceTable.resource("quantities.csv", in: .module)
            try table.require(["key", "name_en", "name_zh", "additive", "dimension", "default_unit", "fuel", "direction", "max_per_hour",
                               "min_value", "max_value"])
            return MeterQuantityCatalog(try table.rows.map { row in
                guard let direction = MeterQuantity.Direction(rawValue: row["direction"]) else {
                    throw InputIssue(row.location("direction"), value: row["direction"], reason: "not consumption, generation or state")
                }
                return MeterQuantity(key: row["key"], name: .init(en: row["name_en"], zhHans: row["name_zh"]),
                                     isAdditive: row["additive"] == "yes",
                                     dimension: row["dimension"].isEmpty ? nil : CarbonKit.Dimension(rawValue: row["dimension"]),
                                     defaultUnit: row["default_unit"], fuel: row["fuel"].isEmpty ? nil : row["fuel"], direction: direction,
                                     maxPerHour: try row.optionalDouble("max_per_hour"), minValue: try row.optionalDouble("min_value"),
                                     maxValue: try row.optionalDouble("max_value"))
            })
        } catch {
            fatalError("CarbonMonitoring's quantities.csv is invalid: \(error)")
        }
    }()
}
