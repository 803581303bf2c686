import CarbonAccounting
import CarbonKit
import ClimatePlans
import Foundation
import Testing
@testable import CityProgramme

/// The emissions indicators are the dashboard's figures, year by year, and a yearly report
/// freezes what was known by the end of its year.
@Suite("Emissions indicators and the yearly report")
struct EmissionsIndicatorsTests {
    static func inventory(_ csv: String) throws -> Inventory {
        let activities = try ActivityCSV.read(Array(csv.utf8), file: "a.csv", library: .standard, jurisdictions: nil)
        return try InventoryEngine.compute(activities, gwp: try GasCatalog.standard.gwpSet("AR5"))
    }
    static let names = EmissionsIndicators.Names(total: Multilingual(["en": "Total"]), perCapita: Multilingual(["en": "Per resident"]),
                                                 perGDP: Multilingual(["en": "Per GDP"])) { Multilingual(["en": "Sector \($0)"]) }

    @Test func eachPublishedYearGivesTheCityFiguresOfThatYear() throws {
        let inventory = try Self.inventory("""
            year,jurisdiction,gpc_ref,gas,amount,unit
            2020,City,I.1.1,CO2,1000000,t
            2023,City,I.1.1,CO2,800000,t
            2023,City,II.1.1,CO2,200000,t

            """)
        let statistics = [2023: JurisdictionStatistic(jurisdiction: "City", year: 2023, population: 500_000, gdp: 1000, gdpUnit: "10^8 CNY")]
        let indicators = EmissionsIndicators.derived(published: [(2023, inventory), (2020, inventory)], statistics: statistics, level: .basicPlus, names: Self.names)
        #expect(indicators.map(\.identifier) == ["emissions_basic_plus", "emissions_per_capita", "emissions_per_gdp", "emissions_sector_I", "emissions_sector_II"])
        #expect(indicators[0].values.map(\.year) == [2020, 2023] && indicators[0].values.map(\.value) == [1_000_000, 1_000_000])
        // 1 Mt over 500,000 people; over 1,000 × 10^8 CNY = 10^7 × 10^4 CNY.
        #expect(indicators[1].values.map(\.value) == [2.0])
        #expect(indicators[2].values.map(\.value) == [0.1] && indicators[2].unit == "t CO2e per 10^4 CNY")
        let figures = CityFigures(year: 2023, totals: inventory.totals(year: 2023), statistics: statistics[2023], level: .basicPlus)
        #expect(indicators[1].values.last?.value == figures.perCapita)
        #expect(indicators[4].values.map(\.value) == [200_000])
    }

    @Test func aReportOfAYearThatHasNotBegunHasNoDayAndOneWithinTheYearIsJudgedToday() {
        let today = Day(year: 2026, month: 12, day: 3)!
        #expect(YearlyReport.asOf(year: 2027, today: today) == nil)
        #expect(YearlyReport.asOf(year: 1989, today: today) == nil)
        #expect(YearlyReport.asOf(year: 2026, today: today) == today)
        #expect(YearlyReport.asOf(year: 2025, today: today) == Day(year: 2025, month: 12, day: 31))
    }
}
