import AirQuality
import CarbonKit
import CarbonPathways
import ClimatePlans
import Foundation

/// The health co-benefit of cleaner air, by district, from the city's own statistics: deaths
/// avoided a year, `Y0 · Pop · (1 − e^(−β·ΔC))` (``HealthImpact``), with the interval of the
/// relative risk, and their value at a stated value of a statistical life. A plan action
/// states its change in concentration or in primary PM2.5 emitted (``AirEffect``); a pathway
/// scenario's fuel switches change the fuel each sector burns, which stated emission factors
/// turn into tonnes of PM2.5 (``PM25EmissionFactors``). Emissions become concentrations
/// through the city's intake fraction (``IntakeFractions``): breathed across the city, their
/// change is the same population-weighted mean in every district.
public enum HealthCoBenefits {
    /// One district's share.
    public struct District: Sendable, Equatable, Encodable {
        public var name: String
        /// The statistics' year the population and deaths come from.
        public var statisticYear: Int
        public var population: Double
        public var deaths: Double
        /// µg/m³ off the annual mean.
        public var reduction: Double
        public var avoided: Double
        public var avoidedLow: Double
        public var avoidedHigh: Double
    }

    /// The estimate for one change in the air.
    public struct Estimate: Sendable, Equatable, Encodable {
        public var pollutant: String
        /// Population-weighted over the districts counted, µg/m³.
        public var reduction: Double
        /// Primary PM2.5 no longer emitted, t a year, when the change came from emissions.
        public var emissionTonnes: Double?
        public var districts: [District]
        /// Deaths avoided a year: central, and with the ends of the relative risk's interval.
        public var avoided: Double
        public var avoidedLow: Double
        public var avoidedHigh: Double
        /// The value of the deaths avoided at the value of a statistical life, in its currency.
        public var value: Double
        public var valueLow: Double
        public var valueHigh: Double
        /// Districts in the effect's area without deaths in their statistics: not counted.
        public var uncounted: [String]
    }

    /// What every estimate rests on, each with its source, for pages to state.
    public struct Basis: Sendable, Equatable, Encodable {
        public var function: String
        public var functionSource: String
        public var relativeRisk: Double
        public var relativeRiskLow: Double
        public var relativeRiskHigh: Double
        public var per: Double
        public var intakeFractionPPM: Double
        /// The size class's identifier in the data file.
        public var intakeFractionClass: String
        public var intakeFractionSource: String
        public var breathingRate: Double
        public var emissionFactorsSource: String
        public var valueOfLife: Double
        public var currency: String
        public var priceYear: Int
        public var valueOfLifeSource: String
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownDistrict(String)
        case noStatistics
        /// The stated emission would move the air more than any city's annual mean: a figure to check, not to count.
        case beyondAnnualMeans(Double)
        public var description: String {
            switch self {
            case .unknownDistrict(let name): "\(name) is not a district of the city"
            case .noStatistics: "no district has its population and deaths in the statistics"
            case .beyondAnnualMeans(let change): "the stated emission would change the air by \(change) µg/m³, more than any city's annual mean"
            }
        }
    }

    /// The concentration–response function each pollutant's estimates use (WHO 2021 guidelines' reviews).
    public static let functions: [AirEffect.Pollutant: String] = [.pm25: "who-aqg-2021-pm25-mortality", .no2: "who-aqg-2021-no2-mortality"]

    /// The districts an estimate is made for: those directly below the city, or the city itself when it has none.
    public static func districts(of tree: JurisdictionTree) -> [String] {
        guard let root = tree.roots.first else { return [] }
        let children = tree.children(of: root)
        return children.isEmpty ? [root] : children
    }

    /// Why an effect cannot be the city's: it names a place that is not one of its districts
    /// (a look-alike, the city itself). Nil when it can.
    public static func districtProblem(_ effect: AirEffect, districts: [String]) -> InputIssue? {
        guard let district = effect.district, !districts.contains(district) else { return nil }
        return InputIssue(InputLocation(field: "air_district"), value: district, reason: "is not a district of the city",
                          suggestion: Suggestion.didYouMean(district, among: districts) ?? "leave it empty for the whole city")
    }

    /// Each district's latest year with both its population and its deaths, up to `year`.
    public static func baseline(_ statistics: [JurisdictionStatistic], districts: [String], upTo year: Int? = nil) -> [String: JurisdictionStatistic] {
        var latest: [String: JurisdictionStatistic] = [:]
        let wanted = Set(districts)
        for s in statistics where wanted.contains(s.jurisdiction) && (s.population ?? 0) > 0 && s.deaths != nil && (year.map { s.year <= $0 } ?? true) {
            if let held = latest[s.jurisdiction], held.year >= s.year { continue }
            latest[s.jurisdiction] = s
        }
        return latest
    }

    public static func basis(_ pollutant: AirEffect.Pollutant, cityPopulation: Double, life: StatisticalLife? = nil) -> Basis {
        let function = ConcentrationResponses.shipped.function(functions[pollutant]!)!
        let intake = IntakeFractions.shipped, size = intake.sizeClass(population: cityPopulation)
        let life = life ?? StatisticalLife.shipped.value(StatisticalLife.standard)!
        return Basis(function: function.id, functionSource: function.source, relativeRisk: function.rr, relativeRiskLow: function.rr_low,
                     relativeRiskHigh: function.rr_high, per: function.per, intakeFractionPPM: size.ppm, intakeFractionClass: size.id,
                     intakeFractionSource: intake.source, breathingRate: intake.breathing_rate_m3_per_day,
                     emissionFactorsSource: PM25EmissionFactors.shipped.source, valueOfLife: life.amount, currency: life.currency,
                     priceYear: life.price_year, valueOfLifeSource: life.source)
    }

    /// The co-benefit of an action's effect on the air, at the districts' latest statistics up to `year`.
    public static func ofAction(_ effect: AirEffect, districts: [String], statistics: [JurisdictionStatistic],
                                year: Int? = nil) -> Result<(Estimate, Basis), Problem> {
        if let district = effect.district, !districts.contains(district) { return .failure(.unknownDistrict(district)) }
        let baseline = baseline(statistics, districts: districts, upTo: year)
        guard !baseline.isEmpty else { return .failure(.noStatistics) }
        let cityPopulation = baseline.values.reduce(0) { $0 + ($1.population ?? 0) }
        let basis = basis(effect.pollutant, cityPopulation: cityPopulation)
        let area = effect.district.map { [$0] } ?? districts
        let reduction: Double
        if let tonnes = effect.emissionReductionTonnes {
            reduction = IntakeFractions.shipped.concentrationChange(tonnesPerYear: tonnes, population: cityPopulation, ppm: basis.intakeFractionPPM) ?? 0
        } else {
            reduction = effect.concentrationReduction ?? 0
        }
        if !(abs(reduction) <= AirEffect.largestConcentrationReduction) { return .failure(.beyondAnnualMeans(reduction)) }
        return .success((estimate(effect.pollutant, reduction: reduction, emissionTonnes: effect.emissionReductionTonnes, in: area,
                                  baseline: baseline, basis: basis), basis))
    }

    /// Deaths avoided in `area` when its air is `reduction` µg/m³ cleaner.
    static func estimate(_ pollutant: AirEffect.Pollutant, reduction: Double, emissionTonnes: Double?, in area: [String],
                         baseline: [String: JurisdictionStatistic], basis: Basis) -> Estimate {
        let function = ConcentrationResponses.shipped.function(basis.function)!
        var districts: [District] = [], uncounted: [String] = []
        for name in area {
            guard let s = baseline[name], let population = s.population, let deaths = s.deaths,
                  case .success(let impact) = HealthImpact.avoided(function, baselineRate: deaths / population, population: population,
                                                                   reduction: reduction) else {
                uncounted.append(name)
                continue
            }
            districts.append(District(name: name, statisticYear: s.year, population: population, deaths: deaths, reduction: reduction,
                                      avoided: impact.central, avoidedLow: impact.low, avoidedHigh: impact.high))
        }
        let people = districts.reduce(0) { $0 + $1.population }
        let avoided = districts.reduce(0) { $0 + $1.avoided }, low = districts.reduce(0) { $0 + $1.avoidedLow }
        let high = districts.reduce(0) { $0 + $1.avoidedHigh }
        return Estimate(pollutant: pollutant.rawValue,
                        reduction: people > 0 ? districts.reduce(0) { $0 + $1.reduction * $1.population } / people : reduction,
                        emissionTonnes: emissionTonnes, districts: districts, avoided: avoided, avoidedLow: low, avoidedHigh: high,
                        value: avoided * basis.valueOfLife, valueLow: low * basis.valueOfLife, valueHigh: high * basis.valueOfLife,
                        uncounted: uncounted)
    }

    /// A scenario's co-benefit in one year: the PM2.5 its measures keep out of the air.
    public struct ScenarioYear: Sendable, Equatable, Encodable {
        public var year: Int
        /// Scenario gross emissions that year, t CO2e, beside which the co-benefit is shown.
        public var gross: Double
        public var estimate: Estimate
    }

    /// A scenario's co-benefit year by year, with the fuel changes no factor covers.
    public struct Scenario: Sendable, Equatable, Encodable {
        public var years: [ScenarioYear]
        public var basis: Basis
        /// Energy moved by the measures (TJ in the last year, either way) in a sector and fuel
        /// without a stated PM2.5 factor, by `sector fuel`: not counted.
        public var uncountedEnergy: [UncountedEnergy]
    }

    /// Energy a scenario's measures move in a sector and fuel that has no stated PM2.5 factor.
    public struct UncountedEnergy: Sendable, Equatable, Encodable {
        public var sector: String
        public var fuel: String
        /// TJ in the last year, either way.
        public var terajoules: Double
    }

    /// The co-benefit of a scenario's measures against its own baseline, every year, at the
    /// districts' latest statistics. Nil for a result without its energy by fuel.
    public static func ofScenario(_ result: PathwayResult, districts: [String], statistics: [JurisdictionStatistic],
                                  factors: PM25EmissionFactors = .shipped) -> Result<Scenario, Problem>? {
        guard let cells = result.energyCells else { return nil }
        // Deaths are counted over the city's districts: a change anywhere is breathed across the
        // city. A scenario of a place that is not the city's (Xiong'an's study) has its own.
        var names = districts, baseline = baseline(statistics, districts: districts)
        if baseline.isEmpty {
            names = Array(Set(cells.map(\.district))).sorted()
            baseline = Self.baseline(statistics, districts: names)
        }
        guard !baseline.isEmpty else { return .failure(.noStatistics) }
        let cityPopulation = baseline.values.reduce(0) { $0 + ($1.population ?? 0) }
        let basis = basis(.pm25, cityPopulation: cityPopulation)
        var tonnes = [Double](repeating: 0, count: result.years.count), uncounted: [String: UncountedEnergy] = [:]
        for cell in cells {
            guard let factor = factors.factor(sector: cell.sector, fuel: cell.fuel) else {
                if let last = cell.baseline.indices.last, cell.baseline[last] != cell.scenario[last] {
                    uncounted["\(cell.sector) \(cell.fuel)", default: UncountedEnergy(sector: cell.sector, fuel: cell.fuel, terajoules: 0)]
                        .terajoules += abs(cell.baseline[last] - cell.scenario[last])
                }
                continue
            }
            for t in tonnes.indices { tonnes[t] += (cell.baseline[t] - cell.scenario[t]) * factor.grams_per_gj / 1000 }
        }
        let years = result.years.indices.map { t in
            let reduction = IntakeFractions.shipped.concentrationChange(tonnesPerYear: tonnes[t], population: cityPopulation,
                                                                        ppm: basis.intakeFractionPPM) ?? 0
            return ScenarioYear(year: result.years[t], gross: result.gross[t],
                                estimate: estimate(.pm25, reduction: reduction, emissionTonnes: tonnes[t], in: names, baseline: baseline, basis: basis))
        }
        return .success(Scenario(years: years, basis: basis,
                                 uncountedEnergy: uncounted.values.sorted { ($0.sector, $0.fuel) < ($1.sector, $1.fuel) }))
    }
}
