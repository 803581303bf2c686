import CarbonAccounting
import CarbonKit
import CarbonPathways
import ClimatePlans
import Foundation

/// The rules that turn a scenario as written into its inputs, given the data they join: a
/// base-year cell's energy in TJ and its emissions from the factor library and the city's GWP
/// set; the base year's cells from the energy balance of the activity data; and an action
/// measure's reductions and costs from the plan action it names. The store reads the data and
/// hands it in (``PathwayInputs``).
public enum ScenarioInputs {
    /// A problem with a field of the scenario.
    public struct Problem: Error, Sendable, Equatable {
        public let field: String, value: String?, reason: String, suggestion: String?
        init(_ field: String, _ value: String?, _ reason: String, _ suggestion: String? = nil) {
            (self.field, self.value, self.reason, self.suggestion) = (field, value, reason, suggestion)
        }
    }

    /// An inline cell of the base year: its energy converted to TJ with the unit list, its
    /// emissions as given or from its fuel's factor per TJ (the set the settings give the fuel).
    public static func cell(_ cell: BaseCellSpec, field: String, library: FactorLibrary, settings: CitySettings,
                            gwp: String) -> (cell: PathwayBase.Cell, problems: [Problem]) {
        var problems: [Problem] = []
        var energyTJ = 0.0
        if let amount = cell.energy {
            let symbol = cell.unit ?? "TJ"
            if let unit = library.units.unit(symbol), unit.dimension == .energy, let tj = library.units.unit("TJ"),
               let converted = try? Quantity(amount, unit).converted(to: tj) {
                energyTJ = converted.value
            } else {
                problems.append(Problem(field + ".unit", symbol, "is not an energy unit", Suggestion.didYouMean(symbol, among: library.units.symbols)))
            }
            if !amount.isFinite || amount < 0 { problems.append(Problem(field + ".energy", String(amount), "must be a number ≥ 0")) }
        }
        var emissions = cell.emissionsTonnes
        if emissions == nil, let fuel = cell.fuel {
            switch tonnesPerTJ(fuel: fuel, set: cell.factorSet ?? settings.factorSet(for: fuel), gpcRef: cell.gpcRef ?? "I.1.1",
                               library: library, gwp: gwp, field: field) {
            case .success(let perTJ): emissions = perTJ * energyTJ
            case .failure(let problem): problems.append(problem)
            }
        } else if emissions == nil {
            problems.append(Problem(field + ".emissionsTonnes", nil, "a cell without a fuel needs its emissions"))
        }
        return (PathwayBase.Cell(district: cell.district, sector: cell.sector, fuel: cell.fuel, energyTJ: energyTJ, emissionsTonnes: emissions ?? 0),
                problems)
    }

    /// t CO2e per TJ of `fuel` in `gpcRef` under `set` and the GWP set, biogenic CO2 left out.
    public static func tonnesPerTJ(fuel: String, set setName: String, gpcRef: String, library: FactorLibrary, gwp gwpName: String,
                                   field: String) -> Result<Double, Problem> {
        guard let fuelEntry = library.fuels[fuel] else {
            return .failure(Problem(field + ".fuel", fuel, "is not a fuel of the factor library", Suggestion.didYouMean(fuel, among: library.fuels.keys)))
        }
        guard let entry = library.taxonomy.entry(gpcRef) else { return .failure(Problem(field + ".gpcRef", gpcRef, "is not a GPC reference number")) }
        do {
            let set = try library.set(named: setName)
            let resolved = try set.resolve(fuel: fuelEntry, entry: entry, technology: nil, unit: library.units.require("TJ"),
                                           units: library.units, gases: library.gases)
            let gwp = try library.gases.gwpSet(gwpName)
            var kg = 0.0
            for factor in resolved.gases where !factor.gas.isBiogenicCO2 { kg += factor.kgPerActivityUnit * (try gwp.potential(of: factor.gas)) }
            return .success(try Quantity(kg, library.units.require("kg")).converted(to: library.units.require("t")).value)
        } catch {
            return .failure(Problem(field + ".factorSet", setName, "gives no factor for \(fuel): \(error)"))
        }
    }

    /// The base year's cells from the energy balance: district, GPC sub-sector, fuel, in one
    /// order every run so that every sum over them has the same last digits.
    public static func baseCells(_ balance: EnergyBalance) -> [PathwayBase.Cell] {
        balance.rows.map { row in
            let parts = row.gpcRef.split(separator: ".")
            let sector = parts.count >= 2 ? "\(parts[0]).\(parts[1])" : row.gpcRef
            return PathwayBase.Cell(district: row.jurisdiction, sector: sector, fuel: row.energyTJ == nil ? nil : row.fuel,
                                    energyTJ: row.energyTJ ?? 0, emissionsTonnes: row.co2eTonnes)
        }.sorted { ($0.district, $0.sector, $0.fuel ?? "", $0.emissionsTonnes) < ($1.district, $1.sector, $1.fuel ?? "", $1.emissionsTonnes) }
    }

    /// An action measure with what its plan action gives where the measure gives nothing:
    /// the expected reductions, the name, and the costs (capital summed, operating averaged
    /// over its years).
    public static func filled(_ measure: Measure, from action: PlanAction, field: String) -> (measure: Measure, problems: [Problem]) {
        var measure = measure
        var problems: [Problem] = []
        if measure.reductions == nil {
            if action.reductions.isEmpty {
                problems.append(Problem(field + ".action", action.identifier,
                                        "has no expected reductions in the plan: add reduction_<year> to the plan sheet, or give reductions here"))
            }
            measure.reductions = Dictionary(action.reductions.map { (String($0.year), $0.tonnesCO2e) }, uniquingKeysWith: +)
        }
        if measure.name == nil { measure.name = action.name.values }
        if measure.cost == nil, !action.costs.isEmpty {
            let capital = action.costs.filter { $0.kind == .capital }.reduce(0) { $0 + $1.amount }
            let operating = action.costs.filter { $0.kind == .operating }
            let years = Set(operating.map(\.year)).count
            measure.cost = MeasureCost(capital: capital, operatingPerYear: years == 0 ? nil : operating.reduce(0) { $0 + $1.amount } / Double(years),
                                       currency: action.costs[0].currency, source: action.costs.compactMap(\.source).first)
        }
        return (measure, problems)
    }
}
