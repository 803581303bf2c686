import Testing
@testable import CarbonMarkets

/// Each cycle's rules against the worked examples of its plan.
@Suite("Compliance cycles")
struct ComplianceCycleTests {
    @Test("First cycle: verified 1,000,000 t, allocation 700,000 t → surrender 900,000 t (allocation + 20 % of verified); a gas unit its allocation")
    func firstCycleCap() throws {
        let cycle = try #require(ComplianceCycle.of(year: 2020))
        #expect(cycle.obligation(verified: 1_000_000, allocation: 700_000) == 900_000)
        #expect(cycle.obligation(verified: 1_000_000, allocation: 700_000, gas: true) == 700_000)
        #expect(cycle.obligation(verified: 600_000, allocation: 700_000) == 600_000, "never more than verified")
    }

    @Test("2021–22: allocation 1,000,000, verified 1,150,000 → a 15 % gap, of which up to 75,000 may be borrowed; a 10 % gap none")
    func borrowing() throws {
        let cycle = try #require(ComplianceCycle.of(year: 2022))
        #expect(cycle.maximumBorrowing(verified: 1_150_000, allocation: 1_000_000) == 75_000)
        #expect(cycle.maximumBorrowing(verified: 1_100_000, allocation: 1_000_000) == 0)
        #expect(cycle.obligation(verified: 1_150_000, allocation: 1_000_000) == 1_150_000, "no cap after the first cycle")
    }

    @Test("2023–24: net sold 200,000 → bankable 310,000 (10,000 + 1.5 × net sold); no borrowing")
    func banking() throws {
        let cycle = try #require(ComplianceCycle.of(year: 2023))
        #expect(cycle.bankingCap(netSold: 200_000) == 310_000)
        #expect(cycle.maximumBorrowing(verified: 2_000_000, allocation: 1_000_000) == 0)
        #expect(try #require(ComplianceCycle.of(year: 2021)).bankingCap(netSold: 200_000) == nil)
    }

    @Test("Offsets cover at most 5 % of the obligation: 900,000 → 45,000")
    func offsets() throws {
        #expect(try #require(ComplianceCycle.of(year: 2019)).maximumOffsets(obligation: 900_000) == 45_000)
    }

    @Test("A year outside every known cycle has none; cycles do not overlap")
    func cycles() {
        #expect(ComplianceCycle.of(year: 2018) == nil && ComplianceCycle.of(year: 2031) == nil)
        let years = ComplianceCycle.all.flatMap(\.years)
        #expect(Set(years).count == years.count)
    }
}
