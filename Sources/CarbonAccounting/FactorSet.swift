import CarbonKit
import Crypto
import Foundation

/// One number of a factor set: a gas per unit of activity, or a fuel property (net
/// calorific value, density, carbon content, oxidation), with its unit and provenance.
public struct FactorRecord: Sendable, Hashable, Codable {
    public var fuel: String
    /// GPC reference prefixes this number is used for ("I.1 I.5"); empty means everywhere.
    public var appliesTo: [String]
    public var technology: String?
    /// Used when a row names no technology and several technologies exist.
    public var isDefaultTechnology: Bool
    /// A gas key (`CO2`, `CH4_fossil`, `N2O` …) or a property (``FactorRecord/properties``).
    public var quantity: String
    public var value: Double
    public var unit: String
    public var source: String
    public var year: Int?
    /// V verified, S secondary, M unverified, D derived (see the reference notes).
    public var confidence: String?
    public var note: String?

    public init(fuel: String, appliesTo: [String] = [], technology: String? = nil, isDefaultTechnology: Bool = false,
                quantity: String, value: Double, unit: String, source: String, year: Int? = nil,
                confidence: String? = nil, note: String? = nil) {
        self.fuel = fuel
        self.appliesTo = appliesTo
        self.technology = technology
        self.isDefaultTechnology = isDefaultTechnology
        self.quantity = quantity
        self.value = value
        self.unit = unit
        self.source = source
        self.year = year
        self.confidence = confidence
        self.note = note
    }

    /// Fuel properties a factor file may give beside gas factors.
    public static let properties: Set<String> = ["ncv", "density", "carbon_content", "oxidation", "co2_per_carbon", "tce_coefficient"]

    public var isProperty: Bool { Self.properties.contains(quantity) }

    /// How many components of the most specific `appliesTo` prefix match `entry`; nil if none does.
    func specificity(for entry: GPCEntry) -> Int? {
        if appliesTo.isEmpty { return 0 }
        var best: Int?
        for prefix in appliesTo where entry.matches(prefix: prefix) {
            let depth = prefix.split(separator: ".").count
            best = max(best ?? 0, depth)
        }
        return best
    }
}

public enum FactorSetKind: String, Sendable, Codable {
    /// Shipped with CityCarbon (IPCC2006, CN2011).
    case library
    /// A grid electricity series for one year (`grid:<series>:<year>`).
    case grid
    /// Loaded by a user from CSV.
    case custom
}

/// A named, versioned collection of factors, and the rules to find the right one.
public struct FactorSet: Sendable {
    public let name: String
    public let title: String
    public let kind: FactorSetKind
    /// GPC factor-quality rating given to rows that do not rate their factor.
    public let defaultEFQuality: DataQuality?
    /// Gases every fuel-combustion row must get from this set (IPCC2006: CO2, CH4, N2O).
    public let requiredGases: [String]
    public let method: String
    public let source: String
    public let year: Int?
    public let records: [FactorRecord]
    /// SHA-256 of the set's canonical content: inventories record it, so a changed number shows.
    public let fingerprint: String
    private let recordsByFuel: [String: [FactorRecord]]

    public init(name: String, title: String, kind: FactorSetKind, defaultEFQuality: DataQuality?, requiredGases: [String],
                method: String, source: String, year: Int?, records: [FactorRecord]) {
        self.name = name
        self.title = title
        self.kind = kind
        self.defaultEFQuality = defaultEFQuality
        self.requiredGases = requiredGases
        self.method = method
        self.source = source
        self.year = year
        self.records = records
        self.recordsByFuel = Dictionary(grouping: records, by: \.fuel)
        var hasher = SHA256()
        hasher.update(data: Data("factor-set-v1|\(name)|\(requiredGases.joined(separator: " "))\n".utf8))
        for r in records {
            let line = [r.fuel, r.appliesTo.joined(separator: " "), r.technology ?? "", r.isDefaultTechnology ? "default" : "",
                        r.quantity, String(r.value.bitPattern, radix: 16), r.unit, r.source, r.year.map(String.init) ?? ""].joined(separator: "|")
            hasher.update(data: Data((line + "\n").utf8))
        }
        self.fingerprint = Hex.string(hasher.finalize())
    }

    /// Fuels that have at least one number in this set.
    public var fuels: [String] { recordsByFuel.keys.filter { $0 != "*" }.sorted() }

    public func records(for fuel: String) -> [FactorRecord] { recordsByFuel[fuel] ?? [] }

    /// Reads a factor file (built-in or a user's custom set), checking every number, unit,
    /// gas, fuel and GPC prefix, and reporting all problems at once.
    public static func parse(_ table: ReferenceTable, name: String, title: String? = nil, kind: FactorSetKind = .custom,
                             defaultEFQuality: DataQuality? = nil, requiredGases: [String] = [], method: String = "",
                             source: String? = nil, year: Int? = nil,
                             fuels: FuelCatalog = .standard, gases: GasCatalog = .standard, units: UnitCatalog = .standard,
                             taxonomy: GPCTaxonomy = .standard) throws(InputErrors) -> FactorSet {
        var issues: [InputIssue] = []
        for column in ["fuel", "quantity", "value", "unit", "source"] where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: table.name, row: 1), value: column, reason: "required column is missing",
                                     suggestion: "columns: fuel, quantity, value, unit, source, year, applies_to, technology, default, confidence, note"))
        }
        let known: Set<String> = ["fuel", "applies_to", "technology", "default", "quantity", "value", "unit", "source", "year", "confidence", "note"]
        for (i, column) in table.columns.enumerated() where !known.contains(column) {
            issues.append(InputIssue(InputLocation(file: table.name, row: 1, column: i + 1), value: column, reason: "unknown column",
                                     suggestion: Suggestion.didYouMean(column, among: known)))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        var records: [FactorRecord] = []
        for row in table.rows {
            do throws(InputIssue) {
                let fuel = try row.required("fuel")
                if fuel != "*", fuels[fuel] == nil {
                    throw InputIssue(row.location("fuel"), value: fuel, reason: "unknown fuel", suggestion: Suggestion.didYouMean(fuel, among: fuels.keys))
                }
                let quantity = try row.required("quantity")
                let value = try row.double("value")
                guard value >= 0 else { throw InputIssue(row.location("value"), value: row["value"], reason: "a factor cannot be negative") }
                let unit = try row.required("unit")
                try checkUnit(unit, of: quantity, value: value, row: row, gases: gases, units: units)
                let prefixes = row["applies_to"].split(separator: " ").map(String.init)
                for prefix in prefixes where !taxonomy.entries.contains(where: { $0.matches(prefix: prefix) }) {
                    throw InputIssue(row.location("applies_to"), value: prefix, reason: "matches no GPC reference number",
                                     suggestion: Suggestion.didYouMean(prefix, among: taxonomy.refs))
                }
                var recordYear: Int?
                if !row["year"].isEmpty {
                    guard let y = Int(row["year"]) else { throw InputIssue(row.location("year"), value: row["year"], reason: "not a year") }
                    recordYear = y
                }
                let source = try row.required("source")
                records.append(FactorRecord(
                    fuel: fuel, appliesTo: prefixes, technology: row["technology"].isEmpty ? nil : row["technology"],
                    isDefaultTechnology: ["yes", "true", "1"].contains(row["default"].lowercased()),
                    quantity: quantity, value: value, unit: unit, source: source, year: recordYear,
                    confidence: row["confidence"].isEmpty ? nil : row["confidence"], note: row["note"].isEmpty ? nil : row["note"]))
            } catch {
                issues.append(error)
            }
        }
        if records.isEmpty, issues.isEmpty {
            issues.append(InputIssue(InputLocation(file: table.name), reason: "has no factor rows"))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return FactorSet(name: name, title: title ?? name, kind: kind, defaultEFQuality: defaultEFQuality, requiredGases: requiredGases,
                         method: method, source: source ?? table.name, year: year, records: records)
    }

    private static func checkUnit(_ unit: String, of quantity: String, value: Double, row: ReferenceTable.Row,
                                  gases: GasCatalog, units: UnitCatalog) throws(InputIssue) {
        func ratio() throws(InputIssue) -> (MeasureUnit, MeasureUnit) {
            do { return try units.ratio(unit) } catch { throw InputIssue(row.location("unit"), value: unit, reason: error.description) }
        }
        func expect(_ ok: Bool, _ what: String) throws(InputIssue) {
            if !ok { throw InputIssue(row.location("unit"), value: unit, reason: "\(quantity) needs a unit of \(what)") }
        }
        switch quantity {
        case "ncv":
            let (n, d) = try ratio()
            try expect(n.dimension == .energy && d.dimension != .energy, "energy per mass or volume, such as TJ/Gg or kJ/m3")
        case "density":
            let (n, d) = try ratio()
            try expect(n.dimension == .mass && d.dimension == .volume, "mass per volume, such as kg/L")
        case "carbon_content":
            let (n, d) = try ratio()
            try expect(n.dimension == .mass && d.dimension == .energy, "carbon mass per energy, such as t/TJ")
        case "oxidation":
            try expect(unit == "fraction", "'fraction'")
            if value > 1 { throw InputIssue(row.location("value"), value: row["value"], reason: "an oxidation rate is a fraction between 0 and 1") }
        case "co2_per_carbon":
            try expect(unit == "t/t", "'t/t'")
        case "tce_coefficient":
            break
        default:
            do { _ = try gases.gas(quantity) } catch {
                throw InputIssue(row.location("quantity"), value: quantity, reason: "is neither a gas nor a fuel property (\(FactorRecord.properties.sorted().joined(separator: ", ")))",
                                 suggestion: Suggestion.didYouMean(quantity, among: Array(gases.gases.keys) + FactorRecord.properties))
            }
            let (n, _) = try ratio()
            try expect(n.dimension == .mass, "gas mass per unit of activity, such as kg/TJ or kg/kWh")
        }
    }
}

extension FactorSet {
    /// Factors in the CSV layout custom sets are imported from, so a downloaded set can be
    /// edited and imported again.
    public static func csv(_ records: [FactorRecord]) -> String {
        var text = "fuel,quantity,value,unit,source,year,applies_to,technology,default,confidence,note\n"
        for r in records {
            let fields = [r.fuel, r.quantity, JSONValue.format(r.value), r.unit, r.source, r.year.map(String.init) ?? "",
                          r.appliesTo.joined(separator: " "), r.technology ?? "", r.isDefaultTechnology ? "yes" : "", r.confidence ?? "", r.note ?? ""]
            text += fields.map(InventoryExport.csvField).joined(separator: ",") + "\n"
        }
        return text
    }
}
