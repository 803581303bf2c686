import CarbonAccounting
import CarbonKit
import CarbonPathways
import Testing
@testable import CityProgramme

/// A scenario's base-year cells priced as the inventory prices them.
@Suite("Scenario inputs")
struct ScenarioInputsTests {
    @Test func aCellOfNaturalGasInGigajoulesIsTerajoulesAtTheInventorysFactor() throws {
        // 1,000 GJ = 1 TJ of natural gas in homes under IPCC 2006 and AR5: 56,100 kg CO2 + 5 kg CH4 × 28 + 0.1 kg N2O × 265 = 56.2665 t.
        let spec = BaseCellSpec(district: "City", sector: "I.1", fuel: "natural_gas", energy: 1000, unit: "GJ", gpcRef: "I.1.1")
        let (cell, problems) = ScenarioInputs.cell(spec, field: "base.cells[0]", library: .standard, settings: .standard, gwp: "AR5")
        #expect(problems.isEmpty)
        #expect(abs(cell.energyTJ - 1) < 1e-12)
        #expect(abs(cell.emissionsTonnes - 56.2665) < 1e-9)
    }

    @Test func aCellInAUnitThatIsNotEnergyOrWithoutAFuelOrEmissionsIsNamed() {
        let tonnes = BaseCellSpec(district: "City", sector: "I.1", fuel: "natural_gas", energy: 5, unit: "t")
        let problems = ScenarioInputs.cell(tonnes, field: "base.cells[3]", library: .standard, settings: .standard, gwp: "AR5").problems
        #expect(problems.first?.field == "base.cells[3].unit" && problems.first?.value == "t")
        let bare = BaseCellSpec(district: "City", sector: "I.1", fuel: nil, energy: 5)
        #expect(ScenarioInputs.cell(bare, field: "c", library: .standard, settings: .standard, gwp: "AR5").problems.map(\.field) == ["c.emissionsTonnes"])
        let negative = BaseCellSpec(district: "City", sector: "I.1", fuel: nil, energy: -1, emissionsTonnes: 3)
        #expect(ScenarioInputs.cell(negative, field: "c", library: .standard, settings: .standard, gwp: "AR5").problems.map(\.field) == ["c.energy"])
    }

    @Test func anUnknownFuelIsNamedWithTheNearestOne() throws {
        guard case .failure(let problem) = ScenarioInputs.tonnesPerTJ(fuel: "natural_gaz", set: "IPCC2006", gpcRef: "I.1.1", library: .standard,
                                                                       gwp: "AR5", field: "f") else { Issue.record("accepted"); return }
        #expect(problem.field == "f.fuel" && problem.suggestion == "did you mean 'natural_gas'?")
    }
}
