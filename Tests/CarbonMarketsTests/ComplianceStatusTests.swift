import Testing
@testable import CarbonMarkets

/// Compliance per installation-year: obligation, offsets, shortfall and code.
@Suite("Compliance status")
struct ComplianceStatusTests {
    @Test("2020: verified 1,000,000, allocation 700,000, 900,000 surrendered → code A with no shortfall")
    func compliant() {
        let status = ComplianceStatus.assess(year: 2020, verified: 1_000_000, allocation: 700_000, surrenderedAllowances: 900_000)
        #expect(status.code == .A && status.obligation == 900_000 && status.shortfall == 0)
    }

    @Test("Offsets count up to 5 % of the obligation: 60,000 CCER on 900,000 count 45,000, the other 15,000 do not")
    func offsetsCapped() {
        let status = ComplianceStatus.assess(year: 2020, verified: 1_000_000, allocation: 700_000,
                                             surrenderedAllowances: 840_000, surrenderedOffsets: 60_000)
        #expect(status.offsetsCounted == 45_000 && status.offsetsRefused == 15_000)
        #expect(status.shortfall == 15_000 && status.code == .B)
        #expect(status.deductionFromNextAllocation == 15_000, "one tonne off next year's allocation per tonne short")
    }

    @Test("No verified emissions by the deadline → code C; outside the scheme → EXCLUDED")
    func missingAndExcluded() {
        #expect(ComplianceStatus.assess(year: 2023, verified: nil, allocation: 1, surrenderedAllowances: 0).code == .C)
        #expect(ComplianceStatus.assess(year: 2023, verified: .nan, allocation: 1, surrenderedAllowances: 0).code == .C)
        #expect(ComplianceStatus.assess(year: 2023, verified: 5, allocation: 1, surrenderedAllowances: 0, excluded: true).code == .excluded)
    }

    @Test("2022 has no cap: verified 1,150,000 with 1,000,000 surrendered is 150,000 short")
    func noCapAfterFirstCycle() {
        let status = ComplianceStatus.assess(year: 2022, verified: 1_150_000, allocation: 1_000_000, surrenderedAllowances: 1_000_000)
        #expect(status.obligation == 1_150_000 && status.shortfall == 150_000 && status.code == .B)
    }
}
