import CarbonKit
import Foundation

/// Where a fuel's carbon comes from, which decides how its CO2 is reported.
public enum FuelOrigin: String, Sendable, Codable {
    case fossil
    /// CO2 is biogenic: reported separately, never in a total.
    case biogenic
    /// Electricity or heat: emissions come from a grid or supplier factor, not combustion.
    case carrier
}

/// A fuel or energy carrier that activity data can name.
public struct Fuel: Sendable, Hashable, Codable {
    public let key: String
    public let name: LocalizedText
    public let origin: FuelOrigin
    public let group: String

    public var isCarrier: Bool { origin == .carrier }
}

/// The fuel keys CityCarbon knows (`fuels.csv`).
public struct FuelCatalog: Sendable {
    public let fuels: [String: Fuel]
    public let keys: [String]

    public init(table: ReferenceTable) throws {
        var fuels: [String: Fuel] = [:]
        var keys: [String] = []
        for row in table.rows {
            guard let origin = FuelOrigin(rawValue: row["origin"]) else {
                throw InputErrors([InputIssue(row.location("origin"), value: row["origin"], reason: "unknown fuel origin")])
            }
            let key = row["key"]
            fuels[key] = Fuel(key: key, name: LocalizedText(en: row["name_en"], zhHans: row["name_zh"]), origin: origin, group: row["group"])
            keys.append(key)
        }
        self.fuels = fuels
        self.keys = keys
    }

    public static let standard: FuelCatalog = {
        do { return try FuelCatalog(table: ReferenceTable.resource("fuels.csv", in: .module)) }
        catch { fatalError("CarbonAccounting's fuels.csv is invalid: \(error)") }
    }()

    public subscript(key: String) -> Fuel? { fuels[key] }
}
