import Testing
@testable import CarbonMarkets

/// Free allocation of power units, against the worked examples of the allocation plans.
@Suite("Power-sector allocation")
struct PowerAllocationTests {
    let rules = PowerAllocation.standard

    @Test("2021, coal over 300 MW, 2,000,000 MWh supplied, no heat, F = 1: 1,643,600 t")
    func workedExample() throws {
        #expect(abs(try rules.allocation(year: 2021, unit: .coalOver300MW, suppliedMWh: 2_000_000) - 1_643_600) < 1e-6)
    }

    @Test("The load-factor correction is 1 at 85 % and above and continuous at each edge of its segments",
          arguments: [(0.90, 1.0), (0.85, 1.0), (0.82, 1.0042), (0.80, 1.007), (0.78, 1.0102), (0.75, 1.015), (0.70, 1.030225), (0.60, 1.061364)])
    func loadCorrection(load: Double, expected: Double) throws {
        #expect(abs(try rules.loadCorrection(load) - expected) < 5e-7, "F(\(load))")
    }

    @Test("Both formulas meeting at an edge give the same value: no jump at 80 % or 75 %")
    func continuity() throws {
        for edge in [0.85, 0.80, 0.75] {
            #expect(abs(try rules.loadCorrection(edge) - rules.loadCorrection(edge.nextDown)) < 1e-9, "at \(edge)")
        }
    }

    @Test("The heat-supply factor of coal at a heat ratio of 0.30 is 0.934")
    func heatSupply() throws {
        #expect(abs(try rules.heatSupplyCorrection(.coalOver300MW, heatRatio: 0.30) - 0.934) < 1e-12)
    }

    @Test("Heat supplied adds its benchmark times the heat; a gas unit takes no load correction")
    func heatAndGas() throws {
        let coal = try rules.allocation(year: 2019, unit: .coalUpTo300MW, suppliedMWh: 1_000, heatGJ: 10_000)
        #expect(abs(coal - (0.979 * 1_000 + 0.126 * 10_000)) < 1e-9)
        let gas = try rules.allocation(year: 2021, unit: .gas, suppliedMWh: 1_000, loadFactor: 0.6)
        #expect(abs(gas - 392) < 1e-9)
    }

    @Test("A year without benchmarks is refused naming the years that have them; absurd amounts are refused, never computed")
    func refusals() {
        #expect(throws: PowerAllocation.Problem.noBenchmarks(year: 2030, known: [2019, 2020, 2021, 2022])) {
            try rules.allocation(year: 2030, unit: .gas, suppliedMWh: 1)
        }
        for bad in [-1, .nan, .infinity, 1e308] {
            #expect(throws: PowerAllocation.Problem.self) { try rules.allocation(year: 2021, unit: .gas, suppliedMWh: bad) }
        }
        #expect(throws: PowerAllocation.Problem.self) { try rules.loadCorrection(1.5) }
    }

    @Test("The rules name their source")
    func source() { #expect(rules.rules.source.contains("Ministry of Ecology and Environment")) }
}

@Suite("Carbon-efficiency grades (碳效码)")
struct CarbonEfficiencyGradeTests {
    @Test("Against an industry mean of 1.0, intensities 0.55 … 2.50 take grades 1 … 5, each upper bound inclusive",
          arguments: zip([0.55, 0.60, 0.70, 0.80, 1.00, 1.20, 1.50, 2.00, 2.50], [1, 1, 2, 2, 3, 3, 4, 4, 5]))
    func grades(intensity: Double, grade: Int) {
        #expect(CarbonEfficiencyGrade.standard.grade(intensity: intensity, industryMean: 1.0) == grade)
    }

    @Test("The grade is of the ratio: the same ratio in another industry is the same grade")
    func ratio() {
        #expect(CarbonEfficiencyGrade.standard.grade(intensity: 1.8, industryMean: 3.0) == 1)
        #expect(CarbonEfficiencyGrade.standard.grade(intensity: 7.5, industryMean: 3.0) == 5)
    }

    @Test("No grade without a positive finite industry mean or with a negative or absurd intensity")
    func noGrade() {
        for (l, mean) in [(1.0, 0.0), (1.0, -1.0), (-0.1, 1.0), (.nan, 1.0), (1.0, .infinity)] {
            #expect(CarbonEfficiencyGrade.standard.grade(intensity: l, industryMean: mean) == nil)
        }
        #expect(CarbonEfficiencyGrade.standard.grade(intensity: 1e308, industryMean: 1e-308) == 5)
    }
}
