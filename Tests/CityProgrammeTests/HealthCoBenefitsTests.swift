import AirQuality
import CarbonKit
import CarbonPathways
import ClimatePlans
import Foundation
import Testing
@testable import CityProgramme

/// The health co-benefit of an action or a scenario, against hand computations with the
/// shipped functions: WHO 2021 PM2.5 RR 1.08 per 10 µg/m³, Apte et al. (2012) intake
/// fractions, EMEP/EEA residential factors, OECD (2012) value of a statistical life.
struct HealthCoBenefitsTests {
    static let districts = ["North", "South"]
    static let statistics: [JurisdictionStatistic] = {
        var north = JurisdictionStatistic(jurisdiction: "North", year: 2023, population: 600_000)
        north.deaths = 4_200
        var south = JurisdictionStatistic(jurisdiction: "South", year: 2023, population: 400_000)
        south.deaths = 3_200
        var older = JurisdictionStatistic(jurisdiction: "North", year: 2020, population: 590_000)
        older.deaths = 9_999
        return [older, north, south]
    }()

    /// `Y0 · P · (1 − e^(−β·ΔC))` with β = ln(1.08)/10, written out.
    static func deaths(_ deaths: Double, reduction: Double, rr: Double = 1.08) -> Double {
        deaths * (1 - exp(-log(rr) / 10 * reduction))
    }

    @Test("A low-emission zone's stated fall in PM2.5 avoids the hand-computed deaths in its district only")
    func concentrationInOneDistrict() throws {
        let effect = AirEffect(pollutant: .pm25, district: "North", concentrationReduction: 2)
        let (estimate, basis) = try HealthCoBenefits.ofAction(effect, districts: Self.districts, statistics: Self.statistics).get()
        #expect(estimate.districts.map(\.name) == ["North"])
        #expect(estimate.districts[0].statisticYear == 2023, "the latest year with deaths")
        #expect(abs(estimate.avoided - Self.deaths(4_200, reduction: 2)) < 1e-9)
        #expect(abs(estimate.avoided - 64.15) < 0.01, "4,200 × (1 − e^(−0.0076961 × 2))")
        #expect(abs(estimate.avoidedLow - Self.deaths(4_200, reduction: 2, rr: 1.06)) < 1e-9)
        #expect(abs(estimate.avoidedHigh - Self.deaths(4_200, reduction: 2, rr: 1.09)) < 1e-9)
        #expect(estimate.value == estimate.avoided * 3_000_000 && basis.currency == "USD" && basis.priceYear == 2005)
    }

    @Test("A city-wide fall counts every district at its own death rate")
    func concentrationCityWide() throws {
        let effect = AirEffect(pollutant: .pm25, concentrationReduction: 1)
        let (estimate, _) = try HealthCoBenefits.ofAction(effect, districts: Self.districts, statistics: Self.statistics).get()
        #expect(abs(estimate.avoided - Self.deaths(4_200, reduction: 1) - Self.deaths(3_200, reduction: 1)) < 1e-9)
        #expect(estimate.reduction == 1)
    }

    @Test("Tonnes of primary PM2.5 not emitted become a concentration through the intake fraction of the city's size")
    func emissionThroughIntakeFraction() throws {
        let effect = AirEffect(pollutant: .pm25, emissionReductionTonnes: 10)
        let (estimate, basis) = try HealthCoBenefits.ofAction(effect, districts: Self.districts, statistics: Self.statistics).get()
        #expect(basis.intakeFractionPPM == 35, "a city of one million people")
        // 35 g inhaled per t × 10 t a year = 350 g = 3.5e8 µg a year, over 10⁶ people × 14.5 m³ a day.
        let expected = 35e-6 * 10 * 1e12 / 365 / (1_000_000 * 14.5)
        #expect(abs(estimate.reduction - expected) < 1e-12)
        #expect(abs(estimate.reduction - 0.06613) < 1e-5)
        #expect(abs(estimate.avoided - Self.deaths(4_200, reduction: expected) - Self.deaths(3_200, reduction: expected)) < 1e-9)
    }

    @Test("NO2 uses the WHO 2021 NO2 function, RR 1.02 per 10 µg/m³")
    func nitrogenDioxide() throws {
        let effect = AirEffect(pollutant: .no2, district: "South", concentrationReduction: 5)
        let (estimate, basis) = try HealthCoBenefits.ofAction(effect, districts: Self.districts, statistics: Self.statistics).get()
        #expect(basis.function == "who-aqg-2021-no2-mortality")
        #expect(abs(estimate.avoided - Self.deaths(3_200, reduction: 5, rr: 1.02)) < 1e-9)
    }

    @Test("A district that is not the city's is refused; a district without deaths is named, not counted")
    func problems() throws {
        let elsewhere = AirEffect(pollutant: .pm25, district: "Atlantis", concentrationReduction: 1)
        #expect(HealthCoBenefits.ofAction(elsewhere, districts: Self.districts, statistics: Self.statistics).failure == .unknownDistrict("Atlantis"))
        let noDeaths = Self.statistics.filter { $0.jurisdiction == "North" } + [JurisdictionStatistic(jurisdiction: "South", year: 2023, population: 400_000)]
        let (estimate, _) = try HealthCoBenefits.ofAction(AirEffect(pollutant: .pm25, concentrationReduction: 1), districts: Self.districts,
                                                          statistics: noDeaths).get()
        #expect(estimate.uncounted == ["South"] && estimate.districts.map(\.name) == ["North"])
        #expect(HealthCoBenefits.ofAction(AirEffect(pollutant: .pm25, concentrationReduction: 1), districts: Self.districts, statistics: []).failure
                == .noStatistics)
        // 100,000 t in a city of a million would be 661 µg/m³: more than any annual mean, so a figure to check, not to count.
        let huge = HealthCoBenefits.ofAction(AirEffect(pollutant: .pm25, emissionReductionTonnes: 100_000), districts: Self.districts,
                                             statistics: Self.statistics)
        guard case .beyondAnnualMeans(let change)? = huge.failure else { Issue.record("\(huge)"); return }
        #expect(abs(change - 661.3) < 0.1)
        #expect(HealthCoBenefits.districtProblem(AirEffect(pollutant: .pm25, district: "Nort", concentrationReduction: 1), districts: Self.districts)?
                .suggestion == "did you mean 'North'?")
    }

    @Test("A scenario's coal switched out of homes keeps 398 g of PM2.5 per GJ out of the air; sectors without a factor are named")
    func scenarioFuelSwitch() throws {
        var scenario = Scenario(identifier: "t", name: ["en": "T"], kind: .planned, jurisdiction: "City", base: BaseSpec(year: 2020), endYear: 2022,
                                measures: [Measure(id: "coal-out", kind: .fuelSwitch)])
        scenario.measures[0].from = ["raw_coal"]
        scenario.measures[0].to = "electricity"
        scenario.measures[0].sectors = ["I.1"]
        scenario.measures[0].share = 0.5
        scenario.measures[0].ramp = Ramp(start: 2020, full: 2021)
        scenario.measures.append(Measure(id: "cars", kind: .fuelSwitch))
        scenario.measures[1].from = ["gasoline"]
        scenario.measures[1].to = "electricity"
        scenario.measures[1].sectors = ["II.1"]
        scenario.measures[1].share = 1
        scenario.sectors = [SectorSpec(id: "I.1", driver: .none), SectorSpec(id: "II.1", driver: .none)]
        scenario.fuels = ["electricity": FuelSpec(tonnesPerTJ: 0)]
        let base = PathwayBase(year: 2020, cells: [
            .init(district: "North", sector: "I.1", fuel: "raw_coal", energyTJ: 1_000, emissionsTonnes: 95_000),
            .init(district: "South", sector: "II.1", fuel: "gasoline", energyTJ: 300, emissionsTonnes: 20_000),
            .init(district: "South", sector: "I.1", fuel: "electricity", energyTJ: 100, emissionsTonnes: 0),
        ])
        let result = try PathwayModel(scenario, base: base).run()
        let health = try #require(try HealthCoBenefits.ofScenario(result, districts: Self.districts, statistics: Self.statistics)?.get())
        #expect(health.years.map(\.year) == [2020, 2021, 2022])
        #expect(health.years[0].estimate.emissionTonnes == 0, "nothing switched in the base year")
        // 2021: half of 1,000 TJ of coal leaves homes: 500 TJ × 398 kg/TJ = 199 t.
        let tonnes = try #require(health.years[1].estimate.emissionTonnes)
        #expect(abs(tonnes - 199) < 1e-9)
        let reduction = 35e-6 * 199 * 1e12 / 365 / (1_000_000 * 14.5)
        #expect(abs(health.years[1].estimate.avoided - Self.deaths(4_200, reduction: reduction) - Self.deaths(3_200, reduction: reduction)) < 1e-9)
        #expect(health.years[1].gross == result.gross[1])
        #expect(health.uncountedEnergy == [.init(sector: "II.1", fuel: "gasoline", terajoules: 300)], "road exhaust has no shipped factor")
    }
}

extension Result {
    var failure: Failure? { if case .failure(let f) = self { f } else { nil } }
}
