import Testing
@testable import CarbonPathways

@Suite("Peak, neutrality and targets")
struct AnalysisTests {
    func series(_ start: Int, _ values: [Double]) -> [(year: Int, value: Double)] {
        values.enumerated().map { (year: start + $0.offset, value: $0.element) }
    }

    @Test("A rise and a fall: the peak is the year of the highest value")
    func simplePeak() {
        let peak = Peak(series(2020, [100, 110, 120, 115, 100, 90]))!
        #expect(peak.status == .peaked)
        #expect(peak.year == 2022)
        #expect(peak.value == 120)
        #expect(peak.plateauFrom == 2022 && peak.plateauTo == 2022)
    }

    @Test("A plateau within 2 % of the peak, then a fall: peaked, in the first year of the highest value, with the plateau's years")
    func plateauThenFall() {
        let peak = Peak(series(2025, [90, 99, 100, 99.5, 99, 100, 95, 90]))!
        #expect(peak.status == .peaked)
        #expect(peak.year == 2027)
        #expect(peak.plateauFrom == 2026 && peak.plateauTo == 2030)
    }

    @Test("Still on the plateau in the last year: not yet a confirmed peak")
    func plateauAtEnd() {
        let peak = Peak(series(2025, [90, 100, 99, 99.5, 98.5]))!
        #expect(peak.status == .plateau)
        #expect(!peak.peaked(by: 2030))
    }

    @Test("Rising to the last year: not peaked")
    func noPeak() {
        #expect(Peak(series(2020, [1, 2, 3, 4]))!.status == .notPeaked)
    }

    @Test("Falling from the first year: peaked in the first year")
    func fallingFromStart() {
        let peak = Peak(series(2020, [10, 9, 8, 7]))!
        #expect(peak.status == .peaked && peak.year == 2020)
    }

    @Test("C40's criteria for observed emissions: peaked, not peaked, unknown")
    func c40() {
        let peaked = series(2005, [100, 104, 103, 101, 99, 97, 95, 92, 90, 88, 86, 85, 84, 82, 80])
        #expect(ObservedPeakStatus.assess(peaked, asOf: 2022) == .peaked)
        #expect(ObservedPeakStatus.assess(series(2015, [80, 85, 90, 95]), asOf: 2022) == .notPeaked)
        #expect(ObservedPeakStatus.assess(series(2015, [80, 85]), asOf: 2022) == .unknown)
        #expect(ObservedPeakStatus.assess(peaked, asOf: 2030) == .unknown)
    }

    @Test("Neutrality is the first year net is at or below zero")
    func neutrality() {
        #expect(ZeroCrossing.firstYear(series(2028, [5, 0.37, -0.19, -0.5])) == 2030)
        #expect(ZeroCrossing.firstYear(series(2028, [5, 4])) == nil)
    }

    @Test("Targets: a cut against a historical year, the peak, net zero and a budget, with their gaps")
    func targets() throws {
        var scenario = Fixture.scenario(measures: Fixture.overlapping)
        scenario.history = ["2015": 480_000, "2018": 500_000]
        scenario.targets = [
            PathwayTarget(id: "cut-2035", kind: .reduction, year: 2035, baseYear: 2015, percent: 50),
            PathwayTarget(id: "peak-2030", kind: .peakBy, year: 2030),
            PathwayTarget(id: "net-zero-2060", kind: .netZeroBy, year: 2060),
            PathwayTarget(id: "budget", kind: .budget, year: 2050, baseYear: 2020, tonnes: 1_000_000),
        ]
        scenario.offsets = .constant(100_000)
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        let cut = result.analysis.targets[0]
        #expect(cut.allowed == 240_000)
        #expect(close(cut.value!, result.value(result.gross, in: 2035)!))
        #expect(cut.met == (cut.value! <= 240_000))
        let peak = result.analysis.targets[1]
        #expect(peak.met == result.analysis.peak!.peaked(by: 2030))
        let highest = zip(result.years, result.gross).max { $0.1 < $1.1 }!
        #expect(result.analysis.peak!.year == (highest.1 > 500_000 ? highest.0 : 2018))
        let netZero = result.analysis.targets[2]
        #expect(netZero.met)
        #expect(netZero.firstYearMet == result.analysis.neutralityYear)
        let budget = result.analysis.targets[3]
        #expect(close(budget.value!, result.cumulativeGross[30]))
        #expect(!budget.met && budget.gap! > 0)
    }

    @Test("Helsinki's rule, 80 % below 1990 by 2035 and the rest offset, read from one pathway")
    func helsinkiRule() throws {
        var scenario = Fixture.scenario(measures: Fixture.overlapping, endYear: 2040)
        scenario.history = ["1990": 700_000]
        scenario.targets = [PathwayTarget(id: "cut-80", kind: .reduction, year: 2035, baseYear: 1990, percent: 80),
                            PathwayTarget(id: "neutral-2035", kind: .netZeroBy, year: 2035)]
        let withoutOffsets = try PathwayModel(scenario, base: Fixture.base).run()
        let residual = try #require(withoutOffsets.value(withoutOffsets.gross, in: 2035))
        scenario.offsets = .values([2034: 0, 2035: residual])
        let result = try PathwayModel(scenario, base: Fixture.base).run()
        let cut = result.analysis.targets[0]
        #expect(close(cut.allowed!, 140_000))
        #expect(close(cut.gap!, residual - 140_000))
        #expect(result.analysis.targets[1].met, "offsets bought for the whole residual make 2035 net zero")
        #expect(result.analysis.neutralityYear == 2035)
    }
}
