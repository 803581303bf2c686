import Testing
@testable import ClimatePlans

/// Energy use per unit of GDP, indexed to 2020 = 100, to fall 13.5 % by 2025 (China's
/// 14th Five-Year Plan target): the straight path expects 94.6 in 2022.
func energyIntensity(_ values: [(Int, Double)]) -> Indicator {
    Indicator(identifier: "energy_intensity", name: Multilingual(["en": "Energy use per unit of GDP", "zh-Hans": "单位GDP能耗"]),
              unit: "index 2020 = 100", direction: .decrease, kind: .binding,
              values: values.map { IndicatorValue(year: $0.0, value: $0.1) }, goals: [IndicatorGoal(year: 2025, value: 86.5)])
}

@Suite("Indicator status against the straight path")
struct IndicatorStatusTests {
    @Test("Ahead of the straight path is on track")
    func onTrack() {
        let result = IndicatorAssessment.assess(energyIntensity([(2020, 100), (2022, 94)]))
        #expect(result.status == .onTrack)
        #expect(abs(result.expected! - 94.6) < 1e-9)
        #expect(abs(result.projected! - 85) < 1e-9)   // −3 a year, carried to 2025
        #expect(!result.earlyWarning)
    }

    @Test("Behind by less than a tenth of the planned change is at risk; more is off track")
    func atRiskAndOffTrack() {
        #expect(IndicatorAssessment.assess(energyIntensity([(2020, 100), (2022, 95.5)])).status == .atRisk)   // 0.9 behind, 1.35 allowed
        #expect(IndicatorAssessment.assess(energyIntensity([(2020, 100), (2022, 97)])).status == .offTrack)   // 2.4 behind
        #expect(IndicatorAssessment.assess(energyIntensity([(2020, 100), (2022, 97)]), tolerance: 0.2).status == .atRisk)
    }

    @Test("A trend that misses the goal warns early even while the latest value is on track")
    func earlyWarning() {
        // Renewable share 10 % in 2020, 30 % by 2030: the path expects 16 % in 2023.
        let renewables = Indicator(identifier: "renewables", name: Multilingual(["en": "Renewable share of electricity"]), unit: "%",
                                   direction: .increase, values: [.init(year: 2020, value: 10), .init(year: 2021, value: 14),
                                                                  .init(year: 2022, value: 14.5), .init(year: 2023, value: 16.1)],
                                   goals: [.init(year: 2030, value: 30)])
        let result = IndicatorAssessment.assess(renewables)
        #expect(result.status == .onTrack)
        #expect(abs(result.projected! - 29.63) < 1e-9)   // least squares: 1.88 points a year
        #expect(result.earlyWarning)
    }

    @Test("No values is no data rather than a guess")
    func noData() {
        #expect(IndicatorAssessment.assess(energyIntensity([])).status == .noData)
    }

    @Test("Values without a quantified goal say there is no goal, not how they stand")
    func noGoal() {
        var noGoal = energyIntensity([(2020, 100), (2022, 94)])
        noGoal.goals = []
        #expect(IndicatorAssessment.assess(noGoal).status == .noGoal)
        noGoal.goals = [IndicatorGoal(year: 2025, value: nil)]
        #expect(IndicatorAssessment.assess(noGoal).status == .noGoal)
    }

    @Test("A baseline alone is not on track: judging needs a value after it")
    func baselineOnly() {
        let result = IndicatorAssessment.assess(energyIntensity([(2020, 100)]))
        #expect(result.status == .baselineOnly && !result.earlyWarning && result.projected == nil)
        #expect(IndicatorAssessment.assess(energyIntensity([(2020, 100), (2020, 99)])).status == .baselineOnly)
    }

    @Test("Each jurisdiction is judged on its own values and goals")
    func perJurisdiction() {
        var indicator = energyIntensity([(2020, 100), (2022, 94)])
        indicator.values += [.init(year: 2020, value: 100, jurisdiction: "Harbour"), .init(year: 2022, value: 99, jurisdiction: "Harbour")]
        indicator.goals.append(.init(year: 2025, value: 86.5, jurisdiction: "Harbour"))
        #expect(IndicatorAssessment.assess(indicator).status == .onTrack)
        #expect(IndicatorAssessment.assess(indicator, jurisdiction: "Harbour").status == .offTrack)
    }

    @Test("The distance from the path is the latest value's gap to it as a share of the path: 97 against 94.6 is 2.5 % above")
    func distanceFromPath() {
        let behind = IndicatorAssessment.assess(energyIntensity([(2020, 100), (2022, 97)]))
        #expect(abs(behind.distanceFromPath! - (97 - 94.6) / 94.6) < 1e-12)
        let ahead = IndicatorAssessment.assess(energyIntensity([(2020, 100), (2022, 94)]))
        #expect(ahead.distanceFromPath! < 0)
        #expect(IndicatorAssessment.assess(energyIntensity([(2020, 100)])).distanceFromPath == nil)
    }
}
