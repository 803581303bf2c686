import CarbonKit
import Foundation
import Testing
@testable import CarbonPathways

@Suite("Baseline projection and measures as wedges")
struct ProjectionTests {
    @Test("The base year reproduces the inventory exactly")
    func baseYear() throws {
        let result = try PathwayModel(Fixture.scenario(measures: Fixture.overlapping), base: Fixture.base).run()
        #expect(close(result.baseline[0], Fixture.base.emissionsTonnes))
        #expect(close(result.energyByFuel["natural_gas"]![0], 1400))
    }

    @Test("Without measures, each sector follows its driver and intensity (Kaya): industry with GDP at 5 %, homes with population at 1 %")
    func kaya() throws {
        var scenario = Fixture.scenario()
        scenario.fuels = nil
        scenario.sectors![1].intensity = .growth(-0.02)
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        let t = 10
        let industry = 189_200 + 120_000.0, homes = 56_100 + 75_000 + 22_440.0, waste = 30_000.0
        #expect(close(result.bySector["industry"]![t], industry * pow(1.05, 10) * pow(0.98, 10)))
        #expect(close(result.bySector["residential"]![t], homes * pow(1.01, 10)))
        #expect(close(result.bySector["waste"]![t], waste * pow(1.01, 10)))
        #expect(zip(result.gross, result.baseline).allSatisfy { close($0, $1) })
    }

    @Test("The grid factor path scales electricity's inventory factor: half the factor, half the emissions")
    func gridFactor() throws {
        var scenario = Fixture.scenario()
        scenario.drivers = nil
        scenario.fuels = ["electricity": FuelSpec(factor: .values([2020: 0.54, 2040: 0.27]))]
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        let electricity2040 = result.cells.filter { $0.sector != "waste" }.reduce(0.0) { $0 + $1.scenario[20] }
        let halved: Double = 75_000 / 2 + 120_000 / 2
        let expected: Double = 56_100 + 189_200 + 22_440 + halved
        #expect(close(electricity2040, expected))
    }

    @Test("Overlapping measures' wedges add up exactly to baseline minus scenario in every year")
    func wedgesSumToGap() throws {
        let result = try PathwayModel(Fixture.scenario(measures: Fixture.overlapping), base: Fixture.base).run()
        for t in result.years.indices {
            let wedges = result.wedges.reduce(0) { $0 + $1.tonnes[t] }
            #expect(close(wedges, result.baseline[t] - result.gross[t]), "year \(result.years[t])")
        }
        #expect(result.wedges.first { $0.id == "efficiency" }!.tonnes[0] == 0)
    }

    @Test("Moving coal to electricity on a grid dirtier than coal per TJ raises emissions: the wedge is negative until the grid is clean")
    func negativeWedge() throws {
        let result = try PathwayModel(Fixture.scenario(measures: Fixture.overlapping), base: Fixture.base).run()
        let coalOut = result.wedges.first { $0.id == "coal-out" }!
        #expect(coalOut.tonnes[2] < 0)
        #expect(coalOut.tonnes[40] > 0)
    }

    @Test("A measure acts on what the measures before it left: efficiency after a coal switch saves electricity, not coal")
    func order() throws {
        let coalOut = Fixture.measure("coal-out", .coalPhaseOut) { $0.to = "electricity"; $0.ramp = Ramp(start: 2020, full: 2021) }
        let efficiency = Fixture.measure("eff", .efficiency) { $0.fuels = ["coal"]; $0.reduction = 0.5 }
        var scenario = Fixture.scenario(measures: [coalOut, efficiency])
        scenario.drivers = nil
        scenario.fuels = nil
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        #expect(result.wedges[1].tonnes[1] == 0)
        #expect(close(result.wedges[0].tonnes[1], 189_200 - 2000 * 150))
    }

    @Test("A plan action's tonnes are capped by what is left in its scope: 50,000 t asked of a 30,000 t landfill gives 30,000 t")
    func actionCapped() throws {
        let landfill = Fixture.measure("landfill", .action) { $0.sectors = ["waste"]; $0.reductions = ["2021": 50_000] }
        var scenario = Fixture.scenario(measures: [landfill])
        scenario.drivers = nil
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        #expect(close(result.wedges[0].tonnes[1], 30_000))
        #expect(result.bySector["waste"]![1] == 0)
    }

    @Test("What an action achieved by the base year is already in the inventory: only the tonnes beyond it are a wedge")
    func actionAchieved() throws {
        let started = Fixture.measure("landfill", .action) { $0.sectors = ["waste"]; $0.reductions = ["2018": 4_000, "2022": 12_000] }
        var scenario = Fixture.scenario(measures: [started])
        scenario.drivers = nil
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        #expect(result.wedges[0].tonnes[0] == 0)
        #expect(close(result.wedges[0].tonnes[2], 12_000 - 8_000))
    }

    @Test("A measure whose ramp already acts in the base year is refused: the inventory has it")
    func rampBeforeBase() {
        let early = Fixture.measure("eff", .efficiency) { $0.reduction = 0.1; $0.ramp = Ramp(start: 2015, full: 2025) }
        #expect { try PathwayModel(Fixture.scenario(measures: [early]), base: Fixture.base) } throws: {
            String(describing: $0).contains("measures[0].ramp.start: '2015'")
        }
    }

    @Test("An action's reductions are interpolated between its years, nothing before the first, the last held after")
    func actionPath() {
        let action = Fixture.measure("a", .action) { $0.reductions = ["2025": 10_000, "2030": 50_000] }
        #expect(action.actionReduction(in: 2024) == 0)
        #expect(action.actionReduction(in: 2027) == 26_000)
        #expect(action.actionReduction(in: 2045) == 50_000)
    }

    @Test("A fuel listed with only a factor path and used nowhere changes nothing")
    func unusedFuel() throws {
        var scenario = Fixture.scenario()
        scenario.fuels?["hydrogen"] = FuelSpec(factor: .values([2020: 1, 2040: 0.5]))
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        #expect(result.gross.allSatisfy { $0.isFinite })
        #expect(close(result.gross[0], Fixture.base.emissionsTonnes))
    }

    @Test("Net emissions are gross minus flux sinks minus offsets; a stock is reported and never subtracted")
    func sinksAndOffsets() throws {
        var scenario = Fixture.scenario()
        var forest = Sink(id: "forest", kind: .forest)
        forest.areaHectares = .values([2020: 10_000, 2040: 20_000])
        forest.ratePerHectare = 5.5
        var stock = Sink(id: "forest-stock", kind: .forest, basis: .stock, tonnesCO2: .constant(60_830))
        stock.source = "Xiong'an forest biomass, seed 002 L6389–6397"
        scenario.sinks = [forest, stock]
        scenario.offsets = .values([2030: 0, 2035: 100_000])
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        let t = result.years.firstIndex(of: 2040)!
        #expect(close(result.net[t], result.gross[t] - 110_000 - 100_000))
        #expect(result.stocks.map(\.id) == ["forest-stock"])
        #expect(result.sinks.map(\.id) == ["forest"])
    }

    @Test("Per capita and per GDP follow the district figures and drivers")
    func intensities() throws {
        let result = try PathwayModel(Fixture.scenario(), base: Fixture.base).run()
        #expect(result.population![0] == 1_000_000)
        #expect(close(result.population![10], 1_000_000 * pow(1.01, 10)))
        #expect(close(result.perGDP![0], Fixture.base.emissionsTonnes / 800))
    }
}

@Suite("Scenario errors name the field")
struct ScenarioValidationTests {
    @Test("An unknown fuel, a share above 1 and a sector that is not in the base are all reported at once, with suggestions")
    func errors() {
        let bad = Fixture.measure("switch", .fuelSwitch) { $0.from = ["natural_gaz"]; $0.to = "electricity"; $0.share = 1.5 }
        let wrongSector = Fixture.measure("eff", .efficiency) { $0.sectors = ["industri"]; $0.reduction = 0.1 }
        #expect {
            try PathwayModel(Fixture.scenario(measures: [bad, wrongSector]), base: Fixture.base, file: "scenario.json")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("scenario.json, field measures[0].from[0]: 'natural_gaz'") && text.contains("natural_gas")
                && text.contains("measures[0].share: '1.5'") && text.contains("measures[1].sectors[0]: 'industri'")
                && text.contains("industry") && (error as? InputErrors)?.issues.count == 3
        }
    }

    @Test("Switching into a fuel the base does not use needs its factor")
    func missingFactor() {
        let toHydrogen = Fixture.measure("h2", .fuelSwitch) { $0.from = ["coal"]; $0.to = "hydrogen"; $0.share = 0.5 }
        #expect {
            try PathwayModel(Fixture.scenario(measures: [toHydrogen]), base: Fixture.base)
        } throws: { error in String(describing: error).contains("fuels.hydrogen.tonnesPerTJ") }
    }

    @Test("A reduction target from a year before the base needs that year in the history")
    func targetHistory() {
        var scenario = Fixture.scenario()
        scenario.targets = [PathwayTarget(id: "cut", kind: .reduction, year: 2035, baseYear: 1990, percent: 80)]
        #expect { try PathwayModel(scenario, base: Fixture.base) } throws: { String(describing: $0).contains("targets[0].baseYear") }
    }

    @Test("An unknown uncertain input is refused with the list of inputs")
    func unknownInput() {
        var scenario = Fixture.scenario()
        scenario.uncertainty = [UncertainInput(input: "weather", distribution: .normal(mean: 0, sd: 0.1))]
        #expect { try PathwayModel(scenario, base: Fixture.base) } throws: { String(describing: $0).contains("population_growth") }
    }
}
