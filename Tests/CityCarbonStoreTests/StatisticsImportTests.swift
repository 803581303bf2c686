import CarbonKit
import CityProgramme
import Foundation
import Testing
@testable import CityCarbonStore

/// A city's statistics in the columns its yearbook has: the demo's six stay valid, the rest
/// are optional, each checked and named by row and column when wrong; all rows or none.
@Suite("Statistics import")
struct StatisticsImportTests {
    static let header = "jurisdiction,year,population,gdp,gdp_unit,source,gdp_constant,gdp_constant_base_year,value_added_primary,"
        + "value_added_secondary,value_added_tertiary,registered_population,energy_tce,energy_tce_secondary,energy_method,floor_area_m2\n"

    static func workspace() throws -> CityCarbonDatabase {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        return db
    }

    @Test func everyOptionalColumnIsStoredAndSummedForTheCity() throws {
        let db = try Self.workspace()
        let file = Self.header
            + "North,2023,410000,512.5,10^8 CNY,yearbook,480.25,2020,20.5,200,292,350000,1530000,900000,equivalent,21500000\n"
            + "South,2023,380000,498.25,10^8 CNY,yearbook,470,2020,10.25,150,338,330000,1210000,650000,equivalent,19000000\n"
        #expect(try StatisticsRepository(db).importCSV(bytes(file), file: "s.csv") == 2)
        let north = try #require(try StatisticsRepository(db).all(jurisdiction: "North", edition: .current).first)
        #expect(north.gdpConstant == 480.25 && north.gdpConstantBaseYear == 2020 && north.energyMethod == .equivalent)
        #expect(north.valueAddedSecondary == 200 && north.registeredPopulation == 350_000 && north.floorAreaM2 == 21_500_000)
        let tree = try JurisdictionRepository(db).tree()
        let city = try #require(try StatisticsRepository(db).aggregated("Demo City", tree: tree, edition: .current)[2023])
        #expect(city.derived && city.population == 790_000 && city.gdpConstant == 950.25 && city.gdpConstantBaseYear == 2020)
        #expect(city.energyTce == 2_740_000 && city.energyTceSecondary == 1_550_000 && city.energyMethod == .equivalent)
    }

    @Test(arguments: [
        ("North,2023,410000,512.5,10^8 CNY,y,,,20,200,200,,,,,\n", "value_added_tertiary", "does not add up to the GDP"),
        ("North,2023,410000,512.5,10^8 CNY,y,,,,,,,1000,,,\n", "energy_method", "is required with energy figures"),
        ("North,2023,410000,512.5,10^8 CNY,y,,,,,,,1000,,coal,\n", "energy_method", "is not a way of counting electricity"),
        ("North,2023,410000,512.5,10^8 CNY,y,,,,,,,1000,2000,equivalent,\n", "energy_tce", "is less than its sectors' sum"),
        ("North,2023,410000,512.5,10^8 CNY,y,480,,,,,,,,,\n", "gdp_constant_base_year", "needs both its value and its base year"),
        ("North,2023,410000,512.5,10^8 CNY,y,480,2024,,,,,,,,\n", "gdp_constant_base_year", "is not a year from 1950 to 2023"),
        ("North,2023,410000,512.5,yuan,y,,,,,,,,,,\n", "gdp_unit", "is not a scale and a currency code"),
        ("North,2023,410000,512.5,,y,,,,,,,,,,\n", "gdp_unit", "is required with gdp"),
        ("North,2023,4100000000,512.5,10^8 CNY,y,,,,,,,,,,\n", "population", "more people than any city holds"),
        ("North,2023,410000,-1,10^8 CNY,y,,,,,,,,,,\n", "gdp", "cannot be negative"),
        ("North,2023,410000,1e999,10^8 CNY,y,,,,,,,,,,\n", "gdp", "not a finite number"),
        ("North,2023,410000,512.5,10^8 CNY,y,,,,,,,,,,\nNorth,2023,1,1,10^8 CNY,y,,,,,,,,,,\n", "year", "is given twice (first on row 2)"),
    ])
    func aBadFigureIsNamedAndNothingIsStored(_ rows: String, _ column: String, _ reason: String) throws {
        let db = try Self.workspace()
        #expect {
            try StatisticsRepository(db).importCSV(bytes(Self.header + rows), file: "s.csv")
        } throws: { error in
            guard let issue = (error as? InputErrors)?.issues.first else { return false }
            return issue.location.file == "s.csv" && issue.location.column != nil && issue.location.field == column && issue.reason.contains(reason)
        }
        #expect(try StatisticsRepository(db).all(edition: .current).isEmpty)
    }

    @Test func deathsAreStoredPublishedAndSummedForTheCity() throws {
        let db = try Self.workspace()
        let file = "jurisdiction,year,population,deaths\nNorth,2023,410000,2870\nSouth,2023,380000,2500\n"
        #expect(try StatisticsRepository(db).importCSV(bytes(file), file: "s.csv") == 2)
        #expect(try StatisticsRepository(db).publish(by: "office") == 2)
        let north = try #require(try StatisticsRepository(db).all(jurisdiction: "North", edition: .published).first)
        #expect(north.deaths == 2_870)
        let city = try #require(try StatisticsRepository(db).aggregated("Demo City", tree: try JurisdictionRepository(db).tree(), edition: .published)[2023])
        #expect(city.deaths == 5_370)
        #expect(try StatisticsRepository(db).problems().isEmpty)
    }

    @Test func moreDeathsThanPeopleIsRefusedWithItsCell() throws {
        let db = try Self.workspace()
        #expect {
            try StatisticsRepository(db).importCSV(bytes("jurisdiction,year,population,deaths\nNorth,2023,1000,1001\n"), file: "s.csv")
        } throws: { error in
            let issue = (error as? InputErrors)?.issues.first
            return issue?.location.field == "deaths" && issue?.location.row == 2 && issue?.reason.contains("more than the population 1,000") == true
        }
        for bad in ["3457.5", "0x10"] {
            #expect(throws: InputErrors.self) {
                try StatisticsRepository(db).importCSV(bytes("jurisdiction,year,population,deaths\nNorth,2023,410000,\(bad)\n"), file: "s.csv")
            }
        }
        #expect(try StatisticsRepository(db).all(edition: .current).isEmpty)
    }

    @Test func aColumnAddedAfterPublicationLeavesEarlierDigestsAsTheyWere() throws {
        let db = try Self.workspace()
        try StatisticsRepository(db).importCSV(bytes("jurisdiction,year,population\nNorth,2023,410000\n"), file: "s.csv")
        let digest = { try db.read { try StatisticsRepository.publishedDigest($0) } }
        try StatisticsRepository(db).publish(by: "office")
        let before = try digest()
        // The digest of rows without deaths is the one of the columns before v31.
        let columns = "jurisdiction_id, year, " + StatisticsRepository.storedColumns.dropLast().joined(separator: ", ")
        let old = try db.read { try RowDigest($0, sql: "SELECT \(columns) FROM published_statistic ORDER BY jurisdiction_id, year") }
        #expect(before == old && old.rows == 1)
        try StatisticsRepository(db).importCSV(bytes("jurisdiction,year,population,deaths\nNorth,2023,410000,2870\n"), file: "s.csv")
        try StatisticsRepository(db).publish(by: "office")
        #expect(try digest() != before, "a stated death count is part of what was published")
    }
}
