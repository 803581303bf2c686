import CarbonKit
import Foundation

/// Every factor set an inventory can use: the built-in ones (`IPCC2006`, `CN2011`), one set
/// per grid series and year (`grid:<series>:<year>`), and custom sets loaded from CSV.
public struct FactorLibrary: Sendable {
    public private(set) var sets: [String: FactorSet]
    /// Grid series → years available.
    public let gridSeries: [String: [Int]]
    public let fuels: FuelCatalog
    public let taxonomy: GPCTaxonomy
    public let gases: GasCatalog
    public let units: UnitCatalog

    public static let defaultSetName = "IPCC2006"

    public init(sets: [FactorSet], gridSeries: [String: [Int]], fuels: FuelCatalog = .standard, taxonomy: GPCTaxonomy = .standard,
                gases: GasCatalog = .standard, units: UnitCatalog = .standard) {
        self.sets = Dictionary(uniqueKeysWithValues: sets.map { ($0.name, $0) })
        self.gridSeries = gridSeries
        self.fuels = fuels
        self.taxonomy = taxonomy
        self.gases = gases
        self.units = units
    }

    /// The built-in library, read once from the module's data files.
    public static let standard: FactorLibrary = {
        do { return try loadStandard() } catch { fatalError("CarbonAccounting's factor data is invalid: \(error)") }
    }()

    static func loadStandard() throws -> FactorLibrary {
        let meta = try ReferenceTable.resource("factors/sets.csv", in: .module)
        var sets: [FactorSet] = []
        for row in meta.rows where row["kind"] == "library" {
            let name = row["name"]
            let table = try ReferenceTable.resource("factors/\(name).csv", in: .module)
            sets.append(try FactorSet.parse(table, name: name, title: row["title"], kind: .library,
                                            defaultEFQuality: DataQuality(rawValue: row["default_ef_quality"]),
                                            requiredGases: row["required_gases"].split(separator: " ").map(String.init),
                                            method: row["method"], source: row["source"], year: Int(row["year"])))
        }
        let gridQuality = meta.rows.first { $0["kind"] == "grid" }.flatMap { DataQuality(rawValue: $0["default_ef_quality"]) }
        let grid = try ReferenceTable.resource("factors/grid.csv", in: .module)
        var bySeriesYear: [String: [Int: [FactorRecord]]] = [:]
        // A series is titled by the region its publisher names ("安徽 Anhui"), not by its key.
        var regions: [String: String] = [:]
        var issues: [InputIssue] = []
        for row in grid.rows {
            guard let year = Int(row["year"]) else {
                issues.append(InputIssue(row.location("year"), value: row["year"], reason: "not a year"))
                continue
            }
            do throws(InputIssue) {
                let value = try row.double("value")
                let source = "\(row["published_by"]); read from \(row["source"])"
                if regions[row["series"]] == nil, !row["region"].isEmpty { regions[row["series"]] = row["region"] }
                bySeriesYear[row["series"], default: [:]][year, default: []].append(FactorRecord(
                    fuel: "electricity", quantity: row["quantity"], value: value, unit: row["unit"], source: source, year: year,
                    confidence: row["confidence"], note: [row["region"], row["note"]].filter { !$0.isEmpty }.joined(separator: "; ")))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        var gridSeries: [String: [Int]] = [:]
        for (series, years) in bySeriesYear {
            gridSeries[series] = years.keys.sorted()
            for (year, records) in years {
                let name = "grid:\(series):\(year)"
                sets.append(FactorSet(name: name, title: "Grid electricity, \(regions[series] ?? series), \(year)", kind: .grid, defaultEFQuality: gridQuality,
                                      requiredGases: [], method: "Consumption × grid factor (location-based)",
                                      source: records.first?.source ?? "factors/grid.csv", year: year, records: records))
            }
        }
        return FactorLibrary(sets: sets, gridSeries: gridSeries)
    }

    /// Adds a custom set; a built-in name cannot be taken.
    public mutating func add(_ set: FactorSet) throws(FactorLookupError) {
        if let existing = sets[set.name], existing.kind != .custom { throw .nameTaken(set.name) }
        sets[set.name] = set
    }

    /// The set a row's `factor_set` names, or an error that says what exists.
    public func set(named name: String) throws(FactorLookupError) -> FactorSet {
        if let set = sets[name] { return set }
        if name.hasPrefix("grid:") {
            let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let series = parts.count > 1 ? parts[1] : ""
            guard let years = gridSeries[series] else {
                throw .unknownGridSeries(series, suggestion: Suggestion.closest(to: series, among: gridSeries.keys))
            }
            guard parts.count == 3, let year = Int(parts[2]) else { throw .gridSeriesNeedsYear(series, years: years) }
            throw .gridYearMissing(series, year: year, years: years)
        }
        if let upper = sets[name.uppercased()] { return upper }
        throw .unknownSet(name, suggestion: Suggestion.closest(to: name, among: sets.keys.filter { !$0.hasPrefix("grid:") }))
    }

    /// Names of the sets (other than `except`) that have numbers for `fuel`.
    public func sets(having fuel: String, except: String? = nil) -> [String] {
        let names = sets.values.filter { $0.name != except && !$0.records(for: fuel).isEmpty }.map(\.name)
        let nonGrid = names.filter { !$0.hasPrefix("grid:") }.sorted()
        return nonGrid.isEmpty && fuel == "electricity" ? ["grid:<series>:<year>"] : nonGrid
    }
}

/// Why a factor set name could not be resolved.
public enum FactorLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownSet(String, suggestion: String?)
    case unknownGridSeries(String, suggestion: String?)
    case gridSeriesNeedsYear(String, years: [Int])
    case gridYearMissing(String, year: Int, years: [Int])
    case nameTaken(String)

    public var description: String {
        switch self {
        case let .unknownSet(name, suggestion):
            "unknown factor set '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; built-in sets: IPCC2006, CN2011, grid:<series>:<year>")
        case let .unknownGridSeries(series, suggestion):
            "unknown grid series '\(series)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; see `citycarbon factors list`")
        case let .gridSeriesNeedsYear(series, years):
            "a grid series needs a year: grid:\(series):<year>, with year one of \(years.map(String.init).joined(separator: ", "))"
        case let .gridYearMissing(series, year, years):
            "grid series \(series) has no factor for \(year); it has \(years.map(String.init).joined(separator: ", "))"
        case let .nameTaken(name):
            "'\(name)' is a built-in factor set; give the custom set another name"
        }
    }
}

