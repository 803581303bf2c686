import CarbonAccounting
import CarbonKit
import CarbonPathways
import CityProgramme
import ClimatePlans
import Foundation

/// Turns a scenario as written into one ready to run: its base year from the workspace's
/// activity data (or its inline cells converted with the unit list and the factor library),
/// district population and GDP from the statistics, past emissions from the published
/// inventories, and plan actions' expected reductions and costs from the plan itself.
public struct PathwayInputs: Sendable {
    let database: CityCarbonDatabase?
    /// The activity rows and statistics a base year is read from: the published ones for anything the public sees.
    let rows: Edition

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
            source = source ?? "activity data and inventory of \(spec.year) (\(spec.level == .basicPlus ? "BASIC+" : "BASIC"), GWP \(gwpName))"
        }
        for (i, cell) in (spec.cells ?? []).enumerated() {
            let field = "base.cells[\(i)]"
            var energyTJ = 0.0
            if let amount = cell.energy {
                let symbol = cell.unit ?? "TJ"
                if let unit = library.units.unit(symbol), unit.dimension == .energy {
                    energyTJ = amount * unit.baseUnitsPerUnit / 1e12
                } else {
                    fail(field + ".unit", symbol, "is not an energy unit", Suggestion.didYouMean(symbol, among: library.units.symbols))
                }
                if !amount.isFinite || amount < 0 { fail(field + ".energy", String(amount), "must be a number ≥ 0") }
            }
            var emissions = cell.emissionsTonnes
            if emissions == nil, let fuel = cell.fuel {
                emissions = factorTonnesPerTJ(fuel: fuel, set: cell.factorSet ?? settings.factorSet(for: fuel), gpcRef: cell.gpcRef ?? "I.1.1",
                                              library: library, gwp: gwpName,
                                              field: field, fail: fail).map { $0 * energyTJ }
            } else if emissions == nil {
                fail(field + ".emissionsTonnes", nil, "a cell without a fuel needs its emissions")
            }
            cells.append(PathwayBase.Cell(district: cell.district, sector: cell.sector, fuel: cell.fuel, energyTJ: energyTJ,
                                          emissionsTonnes: emissions ?? 0))
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
        let table = try ActivityRepository(database).load(year: year, rows: rows)
        guard table.count > 0 else {
            let years = rows == .published ? try PublicationRepository(database).publishedYears() : try ActivityRepository(database).years()
            throw InputErrors([InputIssue(InputLocation(file: file, field: "base.year"), value: String(year), reason: rows == .published ? "the year has no published activity data" : "the workspace has no activity data for this year",
                                          suggestion: years.isEmpty ? nil : "years with data: " + years.map(String.init).joined(separator: ", "))])
        }
        let tree = try JurisdictionRepository(database).tree()
        let balance = try EnergyBalance.compute(table, library: library, jurisdictions: tree, gwp: GasCatalog.standard.gwpSet(gwp),
                                              basicPlus: level == .basicPlus)
        // In one order every run, so every sum over the cells has the same last digits.
        return balance.rows.map { row in
            let parts = row.gpcRef.split(separator: ".")
            let sector = parts.count >= 2 ? "\(parts[0]).\(parts[1])" : row.gpcRef
            return PathwayBase.Cell(district: row.jurisdiction, sector: sector, fuel: row.energyTJ == nil ? nil : row.fuel,
                                    energyTJ: row.energyTJ ?? 0, emissionsTonnes: row.co2eTonnes)
        }.sorted { ($0.district, $0.sector, $0.fuel ?? "", $0.emissionsTonnes) < ($1.district, $1.sector, $1.fuel ?? "", $1.emissionsTonnes) }
    }

    private func factorTonnesPerTJ(fuel: String, set setName: String, gpcRef: String, library: FactorLibrary, gwp gwpName: String, field: String,
                                   fail: (String, String?, String, String?) -> Void) -> Double? {
        guard let fuelEntry = library.fuels[fuel] else {
            fail(field + ".fuel", fuel, "is not a fuel of the factor library", Suggestion.didYouMean(fuel, among: library.fuels.keys))
            return nil
        }
        guard let entry = library.taxonomy.entry(gpcRef) else {
            fail(field + ".gpcRef", gpcRef, "is not a GPC reference number", nil)
            return nil
        }
        do {
            let set = try library.set(named: setName)
            let resolved = try set.resolve(fuel: fuelEntry, entry: entry, technology: nil, unit: library.units.require("TJ"),
                                           units: library.units, gases: library.gases)
            let gwp = try library.gases.gwpSet(gwpName)
            var kg = 0.0
            for factor in resolved.gases where !factor.gas.isBiogenicCO2 { kg += factor.kgPerActivityUnit * (try gwp.potential(of: factor.gas)) }
            return kg / 1000
        } catch {
            fail(field + ".factorSet", setName, "gives no factor for \(fuel): \(error)", nil)
            return nil
        }
    }

    /// Action measures that name a plan action take its expected reductions, and its costs
    /// when the measure gives none: capital summed, operating averaged over its years.
    private func fillActions(_ scenario: inout Scenario, database: CityCarbonDatabase, fail: (String, String?, String, String?) -> Void) throws {
        for i in scenario.measures.indices where scenario.measures[i].kind == .action {
            let measure = scenario.measures[i]
            guard let planID = measure.plan, let actionID = measure.action else { continue }
            let actions = try PlanRepository(database).actions(plan: planID)
            guard !actions.isEmpty else {
                fail("measures[\(i)].plan", planID, "is not a plan of this workspace", nil)
                continue
            }
            guard let action = actions.first(where: { $0.identifier == actionID }) else {
                fail("measures[\(i)].action", actionID, "is not an action of \(planID)", nil)
                continue
            }
            if measure.reductions == nil {
                if action.reductions.isEmpty {
                    fail("measures[\(i)].action", actionID, "has no expected reductions in the plan: add reduction_<year> to the plan sheet, or give reductions here", nil)
                }
                scenario.measures[i].reductions = Dictionary(action.reductions.map { (String($0.year), $0.tonnesCO2e) }, uniquingKeysWith: +)
            }
            if measure.name == nil {
                scenario.measures[i].name = action.name.values
            }
            if measure.cost == nil, !action.costs.isEmpty {
                let capital = action.costs.filter { $0.kind == .capital }.reduce(0) { $0 + $1.amount }
                let operating = action.costs.filter { $0.kind == .operating }
                let years = Set(operating.map(\.year)).count
                scenario.measures[i].cost = MeasureCost(capital: capital, operatingPerYear: years == 0 ? nil : operating.reduce(0) { $0 + $1.amount } / Double(years),
                                                        currency: action.costs[0].currency, source: action.costs.compactMap(\.source).first)
            }
        }
    }
}
