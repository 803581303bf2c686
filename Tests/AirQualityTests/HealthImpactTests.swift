import Foundation
import Testing
@testable import AirQuality

/// ΔY = Y0 · Pop · (1 − e^(−β·ΔC)) against a hand computation: a low-emission zone lowering PM2.5
/// by 5 µg/m³ for 1,000,000 adults with a baseline mortality of 700 per 100,000.
@Suite("Health impact of a change in concentration")
struct HealthImpactTests {
    static let functions = ConcentrationResponses.shipped

    @Test func whoAQG2021GivesAbout264DeathsAvoided() throws {
        let function = try #require(Self.functions.function("who-aqg-2021-pm25-mortality"))
        let impact = try HealthImpact.avoided(function, baselineRate: 0.007, population: 1_000_000, reduction: 5).get()
        // β = ln(1.08)/10 = 0.0076961; 1 − e^(−0.0384806) = 3.7750 %; × 7,000 = 264.25.
        #expect(abs(impact.central - 264.247) < 0.001)
        // The interval: RR 1.06 → 201.00, RR 1.09 → 295.22.
        #expect(abs(impact.low - 201.00) < 0.01 && abs(impact.high - 295.22) < 0.01)
    }

    @Test func hrapieGivesAbout207DeathsAvoided() throws {
        let function = try #require(Self.functions.function("hrapie-2013-pm25-mortality"))
        let impact = try HealthImpact.avoided(function, baselineRate: 0.007, population: 1_000_000, reduction: 5).get()
        #expect(abs(impact.central - 207.40) < 0.01)
    }

    @Test func theValueIsCasesTimesTheStatedValuePerCase() throws {
        let function = try #require(Self.functions.function("who-aqg-2021-pm25-mortality"))
        let impact = try HealthImpact.avoided(function, baselineRate: 0.007, population: 1_000_000, reduction: 5, valuePerCase: 2_000_000).get()
        #expect(abs(try #require(impact.value).central - impact.central * 2_000_000) < 1e-3)
    }

    @Test func worseAirGivesNegativeCasesAvoided() throws {
        let function = try #require(Self.functions.function("who-aqg-2021-pm25-mortality"))
        let impact = try HealthImpact.avoided(function, baselineRate: 0.007, population: 1_000_000, reduction: -5).get()
        #expect(impact.central < 0)
    }

    /// Below a counterfactual level nothing is counted: from 8 to 3 µg/m³ with a counterfactual of 5, only 3 µg/m³ count.
    @Test func aCounterfactualLevelLimitsTheChangeCounted() throws {
        let function = try #require(Self.functions.function("who-aqg-2021-pm25-mortality"))
        let limited = try HealthImpact.avoided(function, baselineRate: 0.007, population: 1_000_000, reduction: 5, from: 8, counterfactual: 5).get()
        let three = try HealthImpact.avoided(function, baselineRate: 0.007, population: 1_000_000, reduction: 3).get()
        #expect(abs(limited.central - three.central) < 1e-9)
    }

    @Test(arguments: [(Double.nan, 1_000_000.0, 5.0), (0.007, -1, 5), (2, 1_000_000, 5), (0.007, 1_000_000, .infinity)])
    func absurdInputIsRefusedWithItsField(rate: Double, population: Double, reduction: Double) throws {
        let function = try #require(Self.functions.function("who-aqg-2021-pm25-mortality"))
        #expect(throws: HealthImpact.Refusal.self) {
            try HealthImpact.avoided(function, baselineRate: rate, population: population, reduction: reduction).get()
        }
    }

    @Test func everyShippedFunctionHasAnIntervalAroundItsRiskAndASource() {
        for function in Self.functions.functions {
            #expect(function.rr_low <= function.rr && function.rr <= function.rr_high && function.rr_low > 0, "\(function.id)")
            #expect(!function.source.isEmpty && function.per > 0)
        }
    }
}
