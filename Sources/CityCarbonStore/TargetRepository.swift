import CarbonAccounting
import CarbonKit
import ClimatePlans
import CityProgramme
import Foundation

/// Where a target stands: its base-year value and actual values from the published
/// inventories, and its judgement on the straight path.
public struct TargetProgress: Sendable {
    public var target: Target
    public var baseValue: Double?
    public var level: Double?
    public var actual: [IndicatorValue]
    public var assessment: IndicatorAssessment
    public var unit: String
}

/// The city's targets and their share-out to districts and sectors. Emission values come
/// from the published inventories (and, for intensity, the jurisdiction statistics): the
/// numbers a target is judged by are never typed in a second time.
public struct TargetRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Loads a target sheet in one transaction. A target whose definition changed loses its
    /// allocations, which were made for the old number.
    public func importSheet(_ bytes: [UInt8], file: String, actor: String) throws -> (added: [String], updated: [String]) {
        let text = try ReferenceTable.text(of: bytes, file: file)
        let names = Set(try JurisdictionRepository(database).tree().roots.flatMap { try JurisdictionRepository(database).tree().lineageDown(from: $0) })
        let targets = try TargetSheet.parse(text, file: file, jurisdictions: names)
        return try database.write { db in
            var added: [String] = [], updated: [String] = []
            var position = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM target") ?? 0
            for var target in targets {
                let stored = try Self.target(db, target.identifier)
                if let stored {
                    var comparable = stored
                    comparable.allocations = []
                    if comparable == target { continue }
                    if (stored.metric, stored.jurisdiction, stored.baseYear, stored.targetYear, stored.value) == (target.metric, target.jurisdiction, target.baseYear, target.targetYear, target.value) {
                        target.allocations = stored.allocations
                    }
                } else {
                    position += 1
                }
                try Self.save(db, target, position: position, actor: actor, before: stored)
                if stored == nil { added.append(target.identifier) } else { updated.append(target.identifier) }
            }
            return (added, updated)
        }
    }

    public func all() throws -> [Target] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM target ORDER BY position, id").map { try JSONDecoder().decode(Target.self, from: Data($0.utf8)) }
        }
    }

    public func target(_ identifier: String) throws -> Target? {
        try database.read { db in try Self.target(db, identifier) }
    }

    /// Shares a total-emissions target out to the districts below its jurisdiction, or to the
    /// GPC sectors. `proportional` follows the published base-year inventory; `weighted` and
    /// `manual` take `values` (weights, or each part's level, which must add up).
    @discardableResult
    public func allocate(_ identifier: String, dimension: TargetAllocation.Dimension, method: TargetAllocation.Method,
                         values: [String: Double] = [:], actor: String) throws -> TargetAllocation {
        guard var target = try target(identifier) else {
            throw InputErrors([InputIssue(InputLocation(field: "target"), value: identifier, reason: "is not a target")])
        }
        if case .pending = target.value {
            throw InputErrors([InputIssue(InputLocation(field: "value"), value: identifier, reason: "the target's number is still pending: nothing to share out yet")])
        }
        guard let inventory = try Self.published(database, year: target.baseYear) else {
            throw InputErrors([InputIssue(InputLocation(field: "base_year"), value: String(target.baseYear),
                                          reason: "has no published inventory: the base-year emissions are needed")])
        }
        let base = inventory.totals(year: target.baseYear, jurisdiction: target.jurisdiction).basicPlus
        guard let level = target.level(baseValue: base) else { throw InputErrors([InputIssue(InputLocation(field: "value"), reason: "has no level")]) }
        let names: [String]
        let emissions: [String: Double]
        switch dimension {
        case .jurisdiction:
            names = try JurisdictionRepository(database).tree().children(of: target.jurisdiction)
            emissions = Dictionary(uniqueKeysWithValues: names.map { ($0, inventory.totals(year: target.baseYear, jurisdiction: $0).basicPlus) })
        case .sector:
            emissions = inventory.bySector(year: target.baseYear, jurisdiction: target.jurisdiction).filter { $0.value > 0 }
            names = emissions.keys.sorted()
        }
        let basis = method == .proportional ? emissions : values
        let phrase: Phrase? = switch method {
        case .proportional:
            Phrase(key: "source.allocationInventory", arguments: ["year": .number(target.baseYear), "gwp": .literal(inventory.gwp)],
                   english: "published inventory \(target.baseYear), BASIC+ t CO2e (\(inventory.gwp))")
        case .weighted: Phrase(key: "source.weightsBy", arguments: ["actor": .literal(actor)], english: "weights set by \(actor)")
        default: nil
        }
        var allocation = try TargetAllocation.make(for: target, level: level, dimension: dimension, method: method, among: names, basis: basis,
                                                   basisSource: phrase?.english)
        allocation.basisSourcePhrase = phrase
        try database.write { db in
            let before = try Self.target(db, identifier)
            target.allocations.removeAll { $0.dimension == dimension }
            target.allocations.append(allocation)
            let position = try Int.fetchOne(db, sql: "SELECT position FROM target WHERE identifier = ?", arguments: [identifier]) ?? 0
            try Self.save(db, target, position: position, actor: actor, before: before)
        }
        return allocation
    }

    /// Every target with its base value, level and actual values by year, judged on its path:
    /// public figures, so from the published inventories and statistics only.
    public func progress() throws -> [TargetProgress] {
        let published = try PublicationRepository(database).publishedYears()
        var inventories: [Int: Inventory] = [:]
        for year in published { inventories[year] = try Self.published(database, year: year) }
        let tree = try JurisdictionRepository(database).tree()
        var statistics: [String: [Int: JurisdictionStatistic]] = [:]
        let level = try CitySettingsRepository(database).current().headlineLevel
        return try all().map { target in
            if statistics[target.jurisdiction] == nil { statistics[target.jurisdiction] = try StatisticsRepository(database).aggregated(target.jurisdiction, tree: tree, edition: .published) }
            let stats = statistics[target.jurisdiction] ?? [:]
            func figures(_ year: Int) -> CityFigures? {
                inventories[year].map { CityFigures(year: year, totals: $0.totals(year: year, jurisdiction: target.jurisdiction), statistics: stats[year], level: level) }
            }
            func value(_ year: Int) -> Double? {
                switch target.metric {
                case .totalEmissions: figures(year)?.tonnes
                case .emissionsPerGDP: figures(year)?.perGDP?.value
                case .energyPerGDP: nil
                }
            }
            let base = value(target.baseYear)
            let actual = published.filter { $0 > target.baseYear }.compactMap { year in value(year).map { IndicatorValue(year: year, value: $0, phrase: EmissionsIndicators.Sources.inventory(year)) } }
            let unit = switch target.metric {
            case .totalEmissions: "t CO2e"
            case .emissionsPerGDP: "t CO2e per \(stats.values.compactMap { $0.gdpUnit.flatMap(MoneyUnit.init)?.intensityDenominator }.first ?? "unit of GDP")"
            case .energyPerGDP: "energy per unit of GDP"
            }
            let indicator = target.asIndicator(baseValue: base, actual: actual, unit: unit)
            return TargetProgress(target: target, baseValue: base, level: target.level(baseValue: base), actual: actual,
                                  assessment: IndicatorAssessment.assess(indicator), unit: unit)
        }
    }

    static func published(_ database: CityCarbonDatabase, year: Int) throws -> Inventory? {
        guard let id = try PublicationRepository(database).publishedInventoryID(year: year) else { return nil }
        return try InventoryRepository(database).inventory(id: id)
    }

    static func target(_ db: any SQLConnection, _ identifier: String) throws -> Target? {
        try String.fetchOne(db, sql: "SELECT document FROM target WHERE identifier = ?", arguments: [identifier]).map { try JSONDecoder().decode(Target.self, from: Data($0.utf8)) }
    }

    static func save(_ db: any SQLConnection, _ target: Target, position: Int, actor: String, before: Target?) throws {
        let document = String(decoding: try PlanRepository.encoder.encode(target), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO target (identifier, position, document, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (identifier) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            """, arguments: [target.identifier, position, document, CityCarbonDatabase.now()])
        try AuditTrail.append(db, actor: actor, action: before == nil ? "create" : "update", entity: "target", entityID: target.identifier,
                              before: try before.map(PlanRepository.json), after: JSONValue(parsing: document))
    }
}

extension JurisdictionTree {
    /// `name` and every jurisdiction below it, top first.
    func lineageDown(from name: String) -> [String] {
        [name] + children(of: name).flatMap { lineageDown(from: $0) }
    }
}
