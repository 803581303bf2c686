import Foundation
import Testing
@testable import CarbonPathways

@Suite("LMDI decomposition")
struct LMDITests {
    @Test("The logarithmic mean: L(a, a) = a, and L(2, 1) = 1/ln 2")
    func logMean() {
        #expect(LMDI.logMean(5, 5) == 5)
        #expect(close(LMDI.logMean(2, 1), 1 / log(2)))
    }

    @Test("Population alone doubling: the whole change is the population effect")
    func populationOnly() throws {
        var later = Fixture.base
        later.year = 2025
        later.cells = later.cells.map { var c = $0; c.energyTJ *= 2; c.emissionsTonnes *= 2; return c }
        later.districts = later.districts.mapValues { .init(population: $0.population! * 2, gdp: $0.gdp! * 2) }
        let result = try LMDI.decompose(from: Fixture.base, to: later)
        #expect(close(result.effect(.population), Fixture.base.emissionsTonnes))
        for effect in [LMDI.Effect.affluence, .intensity, .mix, .factor] { #expect(abs(result.effect(effect)) < 1e-6) }
    }

    @Test("Effects add up exactly to the observed change, in total and per sector, also when a fuel appears and one disappears")
    func exactSum() throws {
        var later = Fixture.base
        later.year = 2023
        later.cells = [
            .init(district: "North", sector: "residential", fuel: "natural_gas", energyTJ: 700, emissionsTonnes: 39_270),
            .init(district: "North", sector: "residential", fuel: "electricity", energyTJ: 650, emissionsTonnes: 84_500),
            .init(district: "North", sector: "residential", fuel: "heat", energyTJ: 120, emissionsTonnes: 9_600),
            .init(district: "North", sector: "industry", fuel: "electricity", energyTJ: 1900, emissionsTonnes: 247_000),
            .init(district: "South", sector: "residential", fuel: "natural_gas", energyTJ: 420, emissionsTonnes: 23_562),
            .init(district: "South", sector: "waste", fuel: nil, energyTJ: 0, emissionsTonnes: 26_000),
        ]
        later.districts = ["North": .init(population: 615_000, gdp: 560), "South": .init(population: 405_000, gdp: 330)]
        let result = try LMDI.decompose(from: Fixture.base, to: later)
        let sum = LMDI.Effect.allCases.reduce(0) { $0 + result.effect($1) }
        #expect(close(sum, later.emissionsTonnes - Fixture.base.emissionsTonnes))
        for (sector, effects) in result.bySector {
            #expect(close(effects.values.reduce(0, +), result.sectorChange[sector]!), "\(sector)")
        }
        #expect(result.effect(.population) > 0)
        // Industry left coal (94.6 t/TJ) for electricity (130 t/TJ here): its mix effect raises emissions.
        #expect(result.bySector["industry"]![.mix]! > 0)
        #expect(result.bySector["industry"]![.factor]! < 0)
    }

    @Test("Missing GDP is an error that names the year")
    func missingGDP() {
        var later = Fixture.base
        later.year = 2023
        later.districts = ["North": .init(population: 1)]
        #expect(throws: LMDI.Problem.missingFigure(year: 2023, what: "GDP")) { try LMDI.decompose(from: Fixture.base, to: later) }
    }
}

@Suite("Marginal abatement cost curve")
struct MACCTests {
    @Test("Capital recovery factor at 5 % over 20 years is 0.0802 (r(1+r)^n/((1+r)^n−1)); at 0 % it is 1/n")
    func crf() {
        #expect(abs(MarginalAbatementCurve.capitalRecoveryFactor(rate: 0.05, years: 20) - 0.080243) < 1e-6)
        #expect(MarginalAbatementCurve.capitalRecoveryFactor(rate: 0, years: 20) == 0.05)
    }

    @Test("Bars sorted by cost per tonne, cumulative on the x-axis, negative cost marked no-regret, the cheapest that close the gap marked")
    func curve() throws {
        var measures = Fixture.overlapping
        measures[0].cost = MeasureCost(capital: 2e8, operatingPerYear: 1e6, lifetimeYears: 20, currency: "CNY")
        measures[2].cost = MeasureCost(capital: 5e7, savingsPerYear: 3e7, lifetimeYears: 15, currency: "CNY")
        measures[3].cost = MeasureCost(capital: 1e8, operatingPerYear: 2e6, savingsPerYear: 1e6, lifetimeYears: 25, currency: "CNY")
        var scenario = Fixture.scenario(measures: measures)
        scenario.discountRate = 0.05
        scenario.targets = [PathwayTarget(id: "cut", kind: .reduction, year: 2030, baseYear: 2020, percent: 30)]
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        let curve = MarginalAbatementCurve(scenario: scenario, result: result)
        #expect(curve.year == 2030)
        #expect(curve.bars.count == 3)
        #expect(curve.bars.map(\.costPerTonne) == curve.bars.map(\.costPerTonne).sorted())
        let efficiency = curve.bars.first { $0.id == "efficiency" }!
        #expect(efficiency.noRegret)
        let expected = MarginalAbatementCurve.capitalRecoveryFactor(rate: 0.05, years: 15) * 5e7 - 3e7
        #expect(close(efficiency.annualisedCost, expected))
        #expect(close(efficiency.abatementTonnes, result.value(result.wedges[2].tonnes, in: 2030)!))
        #expect(curve.bars[0].cumulativeFrom == 0 && close(curve.bars[1].cumulativeFrom, curve.bars[0].cumulativeTo))
        #expect(curve.targetGap != nil)
        #expect(curve.bars[0].closesGap)
    }
}
