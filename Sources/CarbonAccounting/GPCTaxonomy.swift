import CarbonKit
import Foundation

/// Which city-induced total a GPC row belongs to (GPC 1.1, Table 4.x "Level" column).
public enum ReportingLevel: String, Sendable, Codable, CaseIterable {
    /// In BASIC (and so in BASIC+).
    case basic = "B"
    /// In BASIC+ only.
    case basicPlus = "B+"
    /// Scope 1 outside BASIC and BASIC+ (I.4.4, III.x.3): counted only in the territorial total.
    case territorialOnly = "T"
    /// Other scope 3 (VI.1).
    case otherScope3 = "O"
}

/// One GPC reference number, with its scope and reporting level.
public struct GPCEntry: Sendable, Hashable, Codable {
    public let ref: String
    /// "I" … "VI".
    public let sector: String
    /// "I.1", "II.4", "IV.1" …
    public let subsector: String
    public let scope: Int
    public let level: ReportingLevel
    public let sectorName: LocalizedText
    public let subsectorName: LocalizedText
    public let sourceName: LocalizedText

    public var inBasic: Bool { level == .basic }
    public var inBasicPlus: Bool { level == .basic || level == .basicPlus }
    public var isTerritorial: Bool { scope == 1 }
    /// Sectors I and II report fuel combustion and grid energy.
    public var isEnergy: Bool { sector == "I" || sector == "II" }
    /// A scope-2 row of sectors I or II: grid-supplied energy.
    public var isGridEnergy: Bool { isEnergy && scope == 2 }
    /// A scope-3 row of sector I: transmission and distribution losses.
    public var isTransmissionLoss: Bool { sector == "I" && scope == 3 }

    /// Whether `prefix` ("I", "I.4", "II.1.3") names this row or a group containing it.
    public func matches(prefix: String) -> Bool {
        ref == prefix || ref.hasPrefix(prefix + ".")
    }
}

/// Text in English and Simplified Chinese.
public struct LocalizedText: Sendable, Hashable, Codable {
    public let en: String
    public let zhHans: String
    public init(en: String, zhHans: String) {
        self.en = en
        self.zhHans = zhHans
    }
}

/// The GPC 1.1 reference numbers, loaded from `gpc_1_1.csv`.
public struct GPCTaxonomy: Sendable {
    public let entries: [GPCEntry]
    private let indexByRef: [String: Int]

    public static let sectors = ["I", "II", "III", "IV", "V", "VI"]

    public init(table: ReferenceTable) throws {
        var entries: [GPCEntry] = []
        var issues: [InputIssue] = []
        for row in table.rows {
            do throws(InputIssue) {
                guard let level = ReportingLevel(rawValue: row["level"]) else {
                    throw InputIssue(row.location("level"), value: row["level"], reason: "unknown reporting level")
                }
                guard let scope = Int(row["scope"]), (1...3).contains(scope) else {
                    throw InputIssue(row.location("scope"), value: row["scope"], reason: "scope must be 1, 2 or 3")
                }
                entries.append(GPCEntry(
                    ref: try row.required("ref"), sector: row["sector"], subsector: row["subsector"], scope: scope, level: level,
                    sectorName: LocalizedText(en: row["sector_name_en"], zhHans: row["sector_name_zh"]),
                    subsectorName: LocalizedText(en: row["subsector_name_en"], zhHans: row["subsector_name_zh"]),
                    sourceName: LocalizedText(en: row["source_name_en"], zhHans: row["source_name_zh"])))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        self.entries = entries
        self.indexByRef = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.ref, $0) })
    }

    /// GPC 1.1 as shipped with CityCarbon.
    public static let standard: GPCTaxonomy = {
        do { return try GPCTaxonomy(table: ReferenceTable.resource("gpc_1_1.csv", in: .module)) }
        catch { fatalError("CarbonAccounting's gpc_1_1.csv is invalid: \(error)") }
    }()

    public func index(of ref: String) -> Int? { indexByRef[ref] }

    public func entry(_ ref: String) -> GPCEntry? { indexByRef[ref].map { entries[$0] } }

    /// The row of an energy sub-sector (`I.2`) where `fuel` belongs: `.1` for fuel burned in the
    /// city (scope 1), `.2` for grid-supplied electricity and heat (scope 2).
    public func energyRow(subsector: String, fuel: Fuel) -> GPCEntry? {
        entry(subsector + (fuel.isCarrier ? ".2" : ".1"))
    }

    public var refs: [String] { entries.map(\.ref) }

    /// An unknown reference with the nearest real one, and a hint when it only looks wrong
    /// (`I.63` for `I.6.3`, `i.1.1` for `I.1.1`).
    public func unknownReferenceIssue(_ ref: String, at location: InputLocation) -> InputIssue {
        let upper = ref.uppercased()
        var suggestion: String?
        if indexByRef[upper] != nil {
            suggestion = "did you mean '\(upper)'? Reference numbers are upper-case Roman numerals"
        } else {
            suggestion = Suggestion.didYouMean(ref, among: refs)
        }
        return InputIssue(location, value: ref, reason: "is not a GPC 1.1 reference number (I.1.1 … VI.1)", suggestion: suggestion)
    }
}
