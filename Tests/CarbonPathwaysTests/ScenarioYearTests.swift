import CarbonKit
import Foundation
import Testing
@testable import CarbonPathways

/// Years from outside meet arithmetic only once they are known to be years.
@Suite("Scenario years")
struct ScenarioYearTests {
    @Test(arguments: [Int.min, Int.max, -1, 0, 1899, 2201])
    func aRampOutsideTheYearsIsRefusedByTheModelNamingIt(_ year: Int) throws {
        let m = Fixture.measure("x", .efficiency) { $0.reduction = 0.1; $0.ramp = Ramp(start: year, full: 2030) }
        #expect {
            try PathwayModel(Fixture.scenario(measures: [m]), base: Fixture.base)
        } throws: { error in
            (error as? InputErrors)?.issues.contains { $0.location.field == "measures[0].ramp.start" } == true
        }
    }

    @Test func aRampOutsideTheYearsIsRefusedWhenTheFileIsRead() {
        let json = #"{"start": -9223372036854775808, "full": 2030}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Ramp.self, from: Data(json.utf8)) }
    }

    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "1e9", "x"])
    func anActionsReductionYearMustBeAYear(_ key: String) throws {
        let m = Fixture.measure("a", .action) { $0.sectors = ["waste"]; $0.reductions = [key: 10, "2030": 20] }
        #expect(throws: InputErrors.self) { try PathwayModel(Fixture.scenario(measures: [m]), base: Fixture.base) }
    }

    @Test func aLifetimeOfAllTheYearsThereAreIsRefused() throws {
        let m = Fixture.measure("e", .efficiency) { $0.reduction = 0.1; $0.cost = MeasureCost(capital: 1, lifetimeYears: Int.max, currency: "CNY") }
        #expect(throws: InputErrors.self) { try PathwayModel(Fixture.scenario(measures: [m]), base: Fixture.base) }
    }

    @Test func anUncertainInputWithNoNameIsRefusedNotATrap() throws {
        var s = Fixture.scenario()
        s.uncertainty = [UncertainInput(input: "", distribution: .normal(mean: 0, sd: 0.01))]
        #expect(throws: InputErrors.self) { try PathwayModel(s, base: Fixture.base) }
    }
}
