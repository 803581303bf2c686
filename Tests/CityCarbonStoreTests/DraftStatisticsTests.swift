import CarbonKit
import ClimatePlans
import Foundation
import Testing
@testable import CityCarbonStore

/// Population, GDP and indicator values are drafts until published, like activity data: the
/// public edition changes only when someone publishes, and a change of the published edition
/// made in the database behind the platform's back is found. On SQLite and, with a server
/// given, on PostgreSQL.
@Suite("Statistics and indicator values: draft, then published")
struct DraftStatisticsTests {
    static let statistics = """
        jurisdiction,year,population,gdp,gdp_unit,source
        North,2022,410000,512.5,10^8 CNY,yearbook 2023
        South,2022,380000,498.25,10^8 CNY,yearbook 2023

        """
    static let sheet = """
        identifier,group,name_zh,name_en,unit,direction,kind,baseline_year,baseline,target_year,target,source,note
        renewables_share,energy,可再生能源占比,Renewable share,%,increase,expected,2020,18,2025,25,plan §3,first note

        """

    static func workspace() throws -> CityCarbonDatabase {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        return db
    }

    @Test func importedStatisticsAreNotPublicUntilPublished() throws {
        let db = try Self.workspace()
        let repository = StatisticsRepository(db)
        try repository.importCSV(bytes(Self.statistics), file: "s.csv", actor: "editor")
        #expect(try repository.all(edition: .current).count == 2)
        #expect(try repository.all(edition: .published).isEmpty)
        #expect(try repository.unpublishedChanges() == 2)
        #expect(try repository.publish(by: "office") == 2)
        #expect(try repository.all(edition: .published).map(\.population) == [410000, 380000])
        #expect(try repository.unpublishedChanges() == 0)
    }

    @Test func aReplacedStatisticStaysDraftAndTheCityTotalFollowsThePublishedOne() throws {
        let db = try Self.workspace()
        let repository = StatisticsRepository(db)
        try repository.importCSV(bytes(Self.statistics), file: "s.csv", actor: "editor")
        try repository.publish(by: "office")
        try repository.importCSV(bytes("jurisdiction,year,population\nNorth,2022,999\n"), file: "late.csv", actor: "editor")
        #expect(try repository.unpublishedChanges() == 1)
        let tree = try JurisdictionRepository(db).tree()
        #expect(try repository.aggregated("Demo City", tree: tree, edition: .published)[2022]?.population == 790_000)
        #expect(try repository.aggregated("Demo City", tree: tree, edition: .current)[2022]?.population == 380_999)
    }

    @Test func publishingUnchangedStatisticsWritesNothing() throws {
        let db = try Self.workspace()
        let repository = StatisticsRepository(db)
        try repository.importCSV(bytes(Self.statistics), file: "s.csv", actor: "editor")
        try repository.publish(by: "office")
        let events = try AuditTrail(db).head().event
        #expect(try repository.publish(by: "office") == 0)
        #expect(try AuditTrail(db).head().event == events)
    }

    @Test func aPublishedStatisticChangedInTheDatabaseIsFound() throws {
        let db = try Self.workspace()
        let repository = StatisticsRepository(db)
        try repository.importCSV(bytes(Self.statistics), file: "s.csv", actor: "editor")
        try repository.publish(by: "office")
        #expect(try repository.problems().isEmpty)
        try db.write { db in try db.execute(sql: "UPDATE published_statistic SET population = population * 2 WHERE year = 2022") }
        let problems = try repository.problems()
        #expect(problems.count == 1 && problems[0].contains("changed since they were published"))
    }

    @Test func indicatorValuesAreNotPublicUntilPublished() throws {
        let db = try Self.workspace()
        let repository = IndicatorRepository(db)
        _ = try repository.importSheet(bytes(Self.sheet), file: "i.csv", actor: "office")
        #expect(try repository.all(edition: .published).isEmpty)
        #expect(try repository.indicator("renewables_share", edition: .published) == nil)
        #expect(try repository.publish(by: "office") == ["renewables_share"])
        _ = try repository.importValues(bytes("indicator,year,value,source\nrenewables_share,2023,21.5,energy bureau\n"), file: "v.csv", actor: "editor")
        _ = try repository.importSheet(bytes(Self.sheet.replacingOccurrences(of: "first note", with: "second note")), file: "i.csv", actor: "editor")
        let published = try #require(try repository.indicator("renewables_share", edition: .published))
        #expect(!published.indicator.values.map(\.value).contains(21.5))
        #expect(published.note == "first note")
        #expect(try repository.indicator("renewables_share", edition: .current)?.indicator.values.map(\.value).contains(21.5) == true)
        #expect(try repository.unpublished() == ["renewables_share"])
        #expect(try repository.publish(["renewables_share"], by: "office") == ["renewables_share"])
        let now = try #require(try repository.indicator("renewables_share", edition: .published))
        #expect(now.indicator.values.map(\.value).contains(21.5))
        #expect(now.note == "second note")
        #expect(try repository.unpublished().isEmpty)
    }

    @Test func publishingAnIndicatorNotInTheCatalogueIsRefusedNamingIt() throws {
        let db = try Self.workspace()
        let repository = IndicatorRepository(db)
        _ = try repository.importSheet(bytes(Self.sheet), file: "i.csv", actor: "office")
        #expect {
            try repository.publish(["renewables_shar"], by: "office")
        } throws: { error in
            let issue = (error as? InputErrors)?.issues.first
            return issue?.value == "renewables_shar" && issue?.suggestion?.contains("renewables_share") == true
        }
        #expect(try repository.all(edition: .published).isEmpty)
    }

    @Test func aPublishedIndicatorChangedInTheDatabaseIsFound() throws {
        let db = try Self.workspace()
        let repository = IndicatorRepository(db)
        _ = try repository.importSheet(bytes(Self.sheet), file: "i.csv", actor: "office")
        try repository.publish(by: "office")
        #expect(try repository.problems().isEmpty)
        try db.write { db in try db.execute(sql: "UPDATE indicator SET published_note = 'rewritten' WHERE identifier = 'renewables_share'") }
        let problems = try repository.problems()
        #expect(problems.count == 1 && problems[0].hasPrefix("indicator renewables_share"))
    }
}
