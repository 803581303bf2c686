import Foundation
import Testing
@testable import CarbonPathways

@Suite("Trajectories and ramps")
struct TrajectoryTests {
    @Test("Values are interpolated in a straight line between the given years and held flat outside them")
    func linear() {
        let energy = Trajectory.values([2022: 380, 2035: 860])
        #expect(energy.value(in: 2022, baseYear: 2022) == 380)
        #expect(close(energy.value(in: 2030, baseYear: 2022), 380 + 480 * 8.0 / 13))
        #expect(energy.value(in: 2040, baseYear: 2022) == 860)
        #expect(energy.value(in: 2010, baseYear: 2022) == 380)
    }

    @Test("Exponential interpolation changes by a constant rate between the given years")
    func exponential() {
        let gross = Trajectory.values([2030: 3.0, 2035: 1.07], interpolation: .exponential)
        #expect(close(gross.value(in: 2031, baseYear: 2030), 3.0 * pow(1.07 / 3.0, 0.2)))
    }

    @Test("Growth rates compound from the base year and change in the years they are given")
    func growth() {
        let gdp = Trajectory(points: [], growth: [.init(2021, 0.06), .init(2026, 0.04)])
        #expect(close(gdp.index(in: 2025, baseYear: 2020), pow(1.06, 5)))
        #expect(close(gdp.index(in: 2027, baseYear: 2020), pow(1.06, 5) * 1.04 * 1.04))
        #expect(Trajectory.growth(0.05).index(in: 2020, baseYear: 2020) == 1)
    }

    @Test("An index is the value relative to the base year, so the base year reproduces the inventory")
    func index() {
        let grid = Trajectory.values([2022: 0.5366, 2030: 0.4])
        #expect(grid.index(in: 2022, baseYear: 2022) == 1)
        #expect(close(grid.index(in: 2030, baseYear: 2022), 0.4 / 0.5366))
    }

    @Test("JSON reads a number, values by year or growth; a year that is not a year is refused")
    func json() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(Trajectory.self, from: Data("1.5".utf8)).value(in: 2040, baseYear: 2020) == 1.5)
        let values = try decoder.decode(Trajectory.self, from: Data(#"{"values": {"2020": 1, "2030": 2}}"#.utf8))
        #expect(values.value(in: 2025, baseYear: 2020) == 1.5)
        let growth = try decoder.decode(Trajectory.self, from: Data(#"{"growth": 0.1}"#.utf8))
        #expect(close(growth.index(in: 2022, baseYear: 2020), 1.21))
        #expect(throws: DecodingError.self) { try decoder.decode(Trajectory.self, from: Data(#"{"values": {"twenty": 1}}"#.utf8)) }
        let roundTrip = try decoder.decode(Trajectory.self, from: JSONEncoder().encode(values))
        #expect(roundTrip == values)
    }

    @Test("A ramp gives nothing before its start, all from its full year, a line or an S-curve between")
    func ramps() {
        let linear = Ramp(start: 2020, full: 2030)
        #expect(linear.level(in: 2019) == 0)
        #expect(linear.level(in: 2025) == 0.5)
        #expect(linear.level(in: 2031) == 1)
        let s = Ramp(start: 2020, full: 2030, shape: .sCurve)
        #expect(s.level(in: 2022) < 0.2)
        #expect(s.level(in: 2025) == 0.5)
        #expect(Ramp(start: 2025, full: 2025, shape: .step).level(in: 2025) == 1)
    }
}
