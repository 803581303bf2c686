import CarbonAccounting
import CarbonKit
import CarbonPathways
import CityProgramme
import ClimatePlans
import Foundation
import Synchronization

/// Turns a scenario as written into one ready to run: its base year from the workspace's
/// activity data (or its inline cells converted with the unit list and the factor library),
/// district population and GDP from the statistics, past emissions from the published
/// inventories, and plan actions' expected reductions and costs from the plan itself.
public struct PathwayInputs: Sendable {
    let database: CityCarbonDatabase?
    /// The activity rows and statistics a base year is read from: the published ones for anything the public sees.
    let rows: Edition
    /// The base years' cells these inputs have built: scenarios read through one set of inputs
    /// (the comparison of every published scenario) share a base year's computation.
    private let baseCells = BaseCellsMemo()

    /// `database` may be nil for a scenario file whose base is given inline.
    public init(_ database: CityCarbonDatabase?, rows: Edition = .current) {
        self.database = database
        self.rows = rows
    }

    /// `saved`: the scenario was checked when it was saved; data that changed since (a
    /// withdrawn past inventory) leaves its targets without a value rather than failing it.
    public func model(_ scenario: Scenario, file: String?, saved: Bool = false) throws -> PathwayModel {
        let (resolved, base) = try resolve(scenario, file: file)
        return try PathwayModel(resolved, base: base, file: file, requireTargetHistory: !saved)
    }

    /// Where a base built from the workspace comes from, in words a page translates.
    static func inventoryBase(year: Int, level: InventoryLevel?, gwp: String) -> Phrase {
        let levelName = level == .basicPlus ? "BASIC+" : "BASIC"
        return Phrase(key: "pathways.baseFromInventory", arguments: ["year": .number(year), "level": .literal(levelName), "gwp": .literal(gwp)],
                      english: "activity data and inventory of \(year) (\(levelName), GWP \(gwp))")
    }

    /// The phrase of a scenario's base source when the platform wrote it (a base from the
    /// published inventory without a source of its own); nil when the scenario names its source.
    public func baseSourcePhrase(_ scenario: Scenario) throws -> Phrase? {
        let spec = scenario.base
        guard spec.fromInventory == true, spec.source == nil else { return nil }
        let settings = try database.map { try CitySettingsRepository($0).current() } ?? .standard
        let gwp = try database.map { try InventoryRepository($0).gwpName(year: spec.year) } ?? settings.gwp
        return Self.inventoryBase(year: spec.year, level: spec.level ?? .basic, gwp: gwp)
    }

    public func resolve(_ written: Scenario, file: String?) throws -> (Scenario, PathwayBase) {
        var scenario = written
        var issues: [InputIssue] = []
        func fail(_ field: String, _ value: String?, _ reason: String, _ suggestion: String? = nil) {
            issues.append(InputIssue(InputLocation(file: file, field: field), value: value, reason: reason, suggestion: suggestion))
        }
        let library = try database.map { db in try db.read { try FactorSetRepository.library($0) } } ?? .standard
        let spec = scenario.base
        // The city's GWP set and fuel factors, or the base year's GWP set where it was computed.
        let settings = try database.map { try CitySettingsRepository($0).current() } ?? .standard
        let gwpName = try database.map { try InventoryRepository($0).gwpName(year: spec.year) } ?? settings.gwp
        var cells: [PathwayBase.Cell] = []
        var source = spec.source
        if spec.fromInventory == true {
            guard let database else { throw InputErrors([InputIssue(InputLocation(file: file, field: "base.fromInventory"), value: "true",
                                                                   reason: "needs a workspace with activity data", suggestion: "pass --workspace")]) }
            cells = try inventoryCells(database, year: spec.year, level: spec.level ?? .basic, library: library, gwp: gwpName, file: file)
            source = source ?? Self.inventoryBase(year: spec.year, level: spec.level, gwp: gwpName).english
        }
        for (i, written) in (spec.cells ?? []).enumerated() {
            let (cell, problems) = ScenarioInputs.cell(written, field: "base.cells[\(i)]", library: library, settings: settings, gwp: gwpName)
            for p in problems { fail(p.field, p.value, p.reason, p.suggestion) }
            cells.append(cell)
        }
        if spec.fromInventory != true, (spec.cells ?? []).isEmpty {
            fail("base", nil, "give the base year's cells, or \"fromInventory\": true")
        }

        var districts = spec.districts ?? [:]
        var gdpUnit = spec.gdpUnit
        if let database, spec.districts == nil {
            // Cells for the city and for its districts share the city's people: each gets the share
            // not already counted below it, so the scenario's population is the city's, once.
            let shares = StatisticsRollUp.disjointShares(Set(cells.map(\.district)), year: spec.year,
                                                         tree: try JurisdictionRepository(database).tree(),
                                                         rows: try StatisticsRepository(database).all(edition: rows))
            for (name, s) in shares {
                districts[name] = .init(population: s.population, gdp: s.gdp)
                gdpUnit = gdpUnit ?? s.gdpUnit
            }
        }

        if let database {
            if scenario.history == nil {
                var history: [String: Double] = [:]
                for year in try PublicationRepository(database).publishedYears() where year < spec.year {
                    if let inventory = try TargetRepository.published(database, year: year) {
                        let totals = inventory.totals(year: year)
                        history[String(year)] = spec.level == .basicPlus ? totals.basicPlus : totals.basic
                    }
                }
                if !history.isEmpty { scenario.history = history }
            }
            try fillActions(&scenario, database: database, fail: fail)
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return (scenario, PathwayBase(year: spec.year, cells: cells, districts: districts, gdpUnit: gdpUnit, source: source))
    }

    /// The base year's cells from the activity data: district, GPC sub-sector, fuel.
    func inventoryCells(_ database: CityCarbonDatabase, year: Int, level: InventoryLevel, library: FactorLibrary, gwp: String,
                        file: String?) throws -> [PathwayBase.Cell] {
        let key = "\(year)/\(level)/\(gwp)"
        if let held = baseCells.cells.withLock({ $0[key] }) { return held }
        let table = try ActivityRepository(database).load(year: year, rows: rows)
        guard table.count > 0 else {
            let years = rows == .published ? try PublicationRepository(database).publishedYears() : try ActivityRepository(database).years()
            throw InputErrors([InputIssue(InputLocation(file: file, field: "base.year"), value: String(year), reason: rows == .published ? "the year has no published activity data" : "the workspace has no activity data for this year",
                                          suggestion: years.isEmpty ? nil : "years with data: " + years.map(String.init).joined(separator: ", "))])
        }
        let tree = try JurisdictionRepository(database).tree()
        let balance = try EnergyBalance.compute(table, library: library, jurisdictions: tree, gwp: GasCatalog.standard.gwpSet(gwp),
                                              basicPlus: level == .basicPlus)
        let cells = ScenarioInputs.baseCells(balance)
        baseCells.cells.withLock { $0[key] = cells }
        return cells
    }

    /// Action measures that name a plan action take its expected reductions, and its costs
    /// when the measure gives none: capital summed, operating averaged over its years.
    private func fillActions(_ scenario: inout Scenario, database: CityCarbonDatabase, fail: (String, String?, String, String?) -> Void) throws {
        // Each plan is read once: decoding its actions is most of a scenario's set-up.
        var plans: [String: [PlanAction]] = [:]
        for i in scenario.measures.indices where scenario.measures[i].kind == .action {
            let measure = scenario.measures[i]
            guard let planID = measure.plan, let actionID = measure.action else { continue }
            if plans[planID] == nil { plans[planID] = try PlanRepository(database).actions(plan: planID) }
            let actions = plans[planID] ?? []
            guard !actions.isEmpty else {
                fail("measures[\(i)].plan", planID, "is not a plan of this workspace", nil)
                continue
            }
            guard let action = actions.first(where: { $0.identifier == actionID }) else {
                fail("measures[\(i)].action", actionID, "is not an action of \(planID)", nil)
                continue
            }
            let (filled, problems) = ScenarioInputs.filled(measure, from: action, field: "measures[\(i)]")
            scenario.measures[i] = filled
            for p in problems { fail(p.field, p.value, p.reason, p.suggestion) }
        }
    }
}

/// Base-year cells by year, level and GWP set, for one set of inputs.
final class BaseCellsMemo: Sendable {
    let cells = Mutex<[String: [PathwayBase.Cell]]>([:])
}
