import CarbonAccounting
import Testing
@testable import CityProgramme

/// The city's figures for a year, defined once.
@Suite("City figures")
struct CityFiguresTests {
    static func totals(basic: Double, basicPlus: Double) -> InventoryTotals {
        var totals = InventoryTotals()
        (totals.basic, totals.basicPlus) = (basic, basicPlus)
        return totals
    }
    static let statistics = JurisdictionStatistic(jurisdiction: "City", year: 2023, population: 3_200_000, gdp: 3000, gdpUnit: "10^8 CNY")

    @Test func perCapitaIsTheHeadlineLevelOverTheCitysPopulation() {
        let figures = CityFigures(year: 2023, totals: Self.totals(basic: 16.0e6, basicPlus: 16.32e6), statistics: Self.statistics)
        #expect(figures.level == .basicPlus && figures.tonnes == 16.32e6)
        #expect(figures.perCapita == 5.1)
        let basic = CityFigures(year: 2023, totals: Self.totals(basic: 16.0e6, basicPlus: 16.32e6), statistics: Self.statistics, level: .basic)
        #expect(basic.perCapita == 5.0)
    }

    @Test func perGDPIsTonnesPerTenThousandOfTheCurrency() throws {
        // 3,000 × 10^8 CNY is 3 × 10^7 × 10^4 CNY: 16.32 Mt / 3 × 10^7 = 0.544 t per 10^4 CNY.
        let figures = CityFigures(year: 2023, totals: Self.totals(basic: 16.0e6, basicPlus: 16.32e6), statistics: Self.statistics)
        let perGDP = try #require(figures.perGDP)
        #expect(abs(perGDP.value - 0.544) < 1e-12 && perGDP.unit == "10^4 CNY")
        #expect(CityFigures.perGDP(tonnes: 1e6, gdp: 50_000, unit: "million EUR")?.value == 0.2)
        #expect(CityFigures.perGDP(tonnes: 1e6, gdp: 50_000, unit: "units of GDP") == nil)
    }

    @Test func figuresWithoutTheirDenominatorAreAbsentNotZeroOrInfinite() {
        let none = CityFigures(year: 2023, totals: Self.totals(basic: 1, basicPlus: 1), statistics: nil)
        #expect(none.perCapita == nil && none.perGDP == nil)
        let zero = JurisdictionStatistic(jurisdiction: "City", year: 2023, population: 0, gdp: 0, gdpUnit: "10^8 CNY")
        #expect(CityFigures(year: 2023, totals: Self.totals(basic: 1, basicPlus: 1), statistics: zero).perCapita == nil)
        #expect(CityFigures.perCapita(tonnes: .infinity, population: 10) == nil)
    }

    @Test func theChangeIsAgainstTheBaseAtTheSameLevelOnly() {
        let base = CityFigures(year: 2015, totals: Self.totals(basic: 20e6, basicPlus: 20.4e6), statistics: nil)
        let now = CityFigures(year: 2023, totals: Self.totals(basic: 16e6, basicPlus: 16.32e6), statistics: nil)
        #expect(abs(now.change(since: base)! - (-0.2)) < 1e-12)
        let other = CityFigures(year: 2015, totals: Self.totals(basic: 20e6, basicPlus: 20.4e6), statistics: nil, level: .basic)
        #expect(now.change(since: other) == nil)
    }

    @Test func sectorSharesAddUpToOne() {
        let figures = CityFigures(year: 2023, totals: Self.totals(basic: 10, basicPlus: 10), bySector: ["I": 6, "II": 3, "III": 1], statistics: nil)
        #expect(figures.sectorShares == ["I": 0.6, "II": 0.3, "III": 0.1])
    }

    @Test func moneyUnitsAsStatisticsOfficesWriteThem() {
        #expect(MoneyUnit("10^8 CNY") == MoneyUnit("亿 CNY") && MoneyUnit("10^8 CNY")?.scale == 1e8)
        #expect(MoneyUnit("million EUR")?.scale == 1e6 && MoneyUnit("EUR")?.scale == 1)
        for bad in ["", "CNY 10^8", "10^8 yuan", "10^7 CNY", "10^8 cny"] { #expect(MoneyUnit(bad) == nil, "\(bad)") }
    }
}
