/// The reporting groups of the Kyoto basket that GPC inventories cover, plus a group for
/// factors that are published only as CO2-equivalent.
public enum GasGroup: String, Sendable, CaseIterable, Codable {
    case co2 = "CO2"
    case ch4 = "CH4"
    case n2o = "N2O"
    case hfcs = "HFCs"
    case pfcs = "PFCs"
    case sf6 = "SF6"
    case nf3 = "NF3"
    /// Already CO2-equivalent: no gas mass to report, no GWP to apply.
    case co2e = "CO2e"
}

/// A greenhouse gas species (or a CO2-equivalent amount), keyed as in `gwp.csv`.
///
/// CO2 from biomass is its own key, `CO2_biogenic`: it is reported beside the inventory and
/// never enters a total. Methane carries its origin (`CH4_fossil`, `CH4_non_fossil`) where
/// it is known, because AR6 gives the two different potentials; plain `CH4` is methane of
/// unstated origin.
public struct Gas: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let key: String
    public let group: GasGroup

    public init(key: String, group: GasGroup) {
        self.key = key
        self.group = group
    }

    public var isBiogenicCO2: Bool { key == Gas.co2Biogenic.key }

    public var description: String { key }

    public static func < (a: Gas, b: Gas) -> Bool { a.key < b.key }

    public static let co2 = Gas(key: "CO2", group: .co2)
    public static let co2Biogenic = Gas(key: "CO2_biogenic", group: .co2)
    public static let ch4 = Gas(key: "CH4", group: .ch4)
    public static let ch4Fossil = Gas(key: "CH4_fossil", group: .ch4)
    public static let ch4NonFossil = Gas(key: "CH4_non_fossil", group: .ch4)
    public static let n2o = Gas(key: "N2O", group: .n2o)
    public static let co2e = Gas(key: "CO2e", group: .co2e)
}

/// A set of 100-year global warming potentials (SAR, AR4, AR5, AR6).
public struct GWPSet: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// Potential by gas key.
    public let potentials: [String: Double]
    /// Source of each potential, by gas key.
    public let sources: [String: String]

    public init(name: String, potentials: [String: Double], sources: [String: String] = [:]) {
        self.name = name
        self.potentials = potentials
        self.sources = sources
    }

    /// The gas's potential, or an error when this set gives none for it (NF3 in SAR, say).
    public func potential(of gas: Gas) throws(GasError) -> Double {
        guard let value = potentials[gas.key] else { throw .noPotential(gas: gas.key, set: name) }
        return value
    }

    public var description: String { name }
}

public enum GasError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownGas(String, suggestion: String?)
    case unknownGWPSet(String, known: [String])
    case noPotential(gas: String, set: String)

    public var description: String {
        switch self {
        case let .unknownGas(key, suggestion): "unknown gas '\(key)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .unknownGWPSet(name, known): "unknown GWP set '\(name)'; known sets: \(known.joined(separator: ", "))"
        case let .noPotential(gas, set): "\(set) gives no global warming potential for \(gas)"
        }
    }
}

/// Every gas and GWP set CityCarbon knows, loaded from `gwp.csv`.
public struct GasCatalog: Sendable {
    public let gases: [String: Gas]
    public let sets: [String: GWPSet]

    public init(table: ReferenceTable) throws {
        var gases: [String: Gas] = [:]
        var values: [String: [String: Double]] = [:]
        var sources: [String: [String: String]] = [:]
        var issues: [InputIssue] = []
        for row in table.rows {
            do throws(InputIssue) {
                let key = try row.required("gas")
                guard let group = GasGroup(rawValue: row["group"]) else {
                    throw InputIssue(row.location("group"), value: row["group"], reason: "unknown gas group")
                }
                let set = try row.required("gwp_set")
                let value = try row.double("value")
                gases[key] = Gas(key: key, group: group)
                values[set, default: [:]][key] = value
                sources[set, default: [:]][key] = row["source"] + (row["year"].isEmpty ? "" : " (\(row["year"]))")
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        self.gases = gases
        self.sets = values.reduce(into: [:]) { result, entry in
            result[entry.key] = GWPSet(name: entry.key, potentials: entry.value, sources: sources[entry.key] ?? [:])
        }
    }

    /// The catalog shipped with CityCarbon (`Resources/gwp.csv`).
    public static let standard: GasCatalog = {
        do { return try GasCatalog(table: ReferenceTable.resource("gwp.csv", in: .module)) }
        catch { fatalError("CarbonKit's gwp.csv is invalid: \(error)") }
    }()

    public func gas(_ key: String) throws(GasError) -> Gas {
        if let gas = gases[key] { return gas }
        if let gas = gases.values.first(where: { $0.key.caseInsensitiveCompare(key) == .orderedSame }) { return gas }
        throw .unknownGas(key, suggestion: Suggestion.closest(to: key, among: gases.keys))
    }

    public func gwpSet(_ name: String) throws(GasError) -> GWPSet {
        if let set = sets[name] ?? sets[name.uppercased()] { return set }
        throw .unknownGWPSet(name, known: sets.keys.sorted())
    }
}
