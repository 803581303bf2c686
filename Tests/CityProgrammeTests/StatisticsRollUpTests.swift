import CarbonKit
import Testing
@testable import CityProgramme

/// City figures from district figures: given where given, summed where complete, never
/// counting a resident twice.
@Suite("Statistics roll-up")
struct StatisticsRollUpTests {
    static let tree = try! JurisdictionTree([
        Jurisdiction(name: "City", level: .city), Jurisdiction(name: "North", level: .district, parent: "City"),
        Jurisdiction(name: "South", level: .district, parent: "City"), Jurisdiction(name: "Old Town", level: .township, parent: "South"),
        Jurisdiction(name: "Harbour", level: .township, parent: "South"),
    ])

    static func row(_ name: String, _ year: Int, _ population: Double?, _ gdp: Double? = nil, unit: String? = "10^8 CNY") -> JurisdictionStatistic {
        JurisdictionStatistic(jurisdiction: name, year: year, population: population, gdp: gdp, gdpUnit: gdp == nil ? nil : unit, source: "yearbook")
    }

    @Test func aCityGivenByDistrictOnlyIsTheirSumMarkedDerived() {
        let rows = [Self.row("North", 2023, 410_000, 512.5), Self.row("South", 2023, 380_000, 498.25)]
        let city = StatisticsRollUp.byYear("City", tree: Self.tree, rows: rows)[2023]
        #expect(city?.population == 790_000 && city?.gdp == 1010.75 && city?.gdpUnit == "10^8 CNY")
        #expect(city?.derived == true && city?.source == "sum of the 2 jurisdictions below City")
    }

    @Test func sumsReachDownThroughLevels() {
        let rows = [Self.row("North", 2023, 410_000), Self.row("Old Town", 2023, 150_000), Self.row("Harbour", 2023, 230_000)]
        #expect(StatisticsRollUp.byYear("City", tree: Self.tree, rows: rows)[2023]?.population == 790_000)
    }

    @Test func aGivenCityFigureWinsOverTheSum() {
        let rows = [Self.row("City", 2023, 800_000), Self.row("North", 2023, 410_000), Self.row("South", 2023, 380_000)]
        let city = StatisticsRollUp.byYear("City", tree: Self.tree, rows: rows)[2023]
        #expect(city?.population == 800_000 && city?.derived == false)
    }

    @Test func aYearMissingADistrictHasNoCityFigure() {
        let rows = [Self.row("North", 2023, 410_000), Self.row("North", 2022, 405_000), Self.row("South", 2022, 378_000)]
        let years = StatisticsRollUp.byYear("City", tree: Self.tree, rows: rows)
        #expect(years[2023] == nil && years[2022]?.population == 783_000)
    }

    @Test func gdpInTwoUnitsIsNotSummed() {
        let rows = [Self.row("North", 2023, 410_000, 512.5), Self.row("South", 2023, 380_000, 49_825, unit: "10^6 CNY")]
        let city = StatisticsRollUp.byYear("City", tree: Self.tree, rows: rows)[2023]
        #expect(city?.population == 790_000 && city?.gdp == nil)
    }

    @Test func cityAndDistrictsTogetherCountEachResidentOnce() {
        let rows = [Self.row("North", 2023, 410_000, 512.5), Self.row("South", 2023, 380_000, 498.25)]
        let shares = StatisticsRollUp.disjointShares(["City", "North", "South"], year: 2023, tree: Self.tree, rows: rows)
        #expect(shares.values.compactMap(\.population).reduce(0, +) == 790_000)
        #expect(shares["City"]?.population == 0 && shares["City"]?.gdp == 0)
    }

    @Test func aCityFigureBeyondItsDistrictsKeepsTheRest() {
        let rows = [Self.row("City", 2023, 800_000), Self.row("North", 2023, 410_000), Self.row("Old Town", 2023, 150_000), Self.row("Harbour", 2023, 230_000)]
        let shares = StatisticsRollUp.disjointShares(["City", "North", "Old Town"], year: 2023, tree: Self.tree, rows: rows)
        // 800,000 − North 410,000 − Old Town 150,000: Harbour's people stay with the city's cells.
        #expect(shares["City"]?.population == 240_000)
        #expect(shares.values.compactMap(\.population).reduce(0, +) == 800_000)
    }
}

extension StatisticsRollUpTests {
    @Test func sumsAreTheDecimalSumsOfTheFiguresAsWritten() {
        #expect(StatisticsRollUp.decimalSum([512.5, 498.25, 0.1, 0.2]) == 1011.05)
        #expect(String(describing: StatisticsRollUp.decimalSum([4000.28, 445.2])) == "4445.48")
    }
}
