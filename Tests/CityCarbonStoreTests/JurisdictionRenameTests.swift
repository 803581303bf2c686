import CarbonKit
import CityCarbonStore
import Foundation
import Testing

/// Renaming a district (a city's districts are merged and renamed; Hangzhou's were in 2021):
/// everything that was the district's stays its own under the new name.
@Suite("Jurisdiction renames")
struct JurisdictionRenameTests {
    func demo() throws -> CityCarbonDatabase {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        try AccountRepository(db).create(username: "oldtown", password: "correct horse battery", role: .reporter, organisation: "Old Town district office",
                                         jurisdictions: ["Old Town"], actor: "test")
        return db
    }

    @Test("A row whose code is held renames that jurisdiction, and its scopes, pilots and inventories follow")
    func renameByCode() throws {
        let db = try demo()
        let tonnesBefore = try InventoryRepository(db).latest(year: 2023)!.byJurisdiction(year: 2023)["Old Town"]
        let targetsBefore = try TargetRepository(db).all()
        #expect(String(describing: targetsBefore).contains("Old Town"), "the demo's targets are shared out by district")
        let scenariosBefore = try PathwayRepository(db).scenarios().count
        let indicatorsBefore = try IndicatorRepository(db).all(edition: .published).count
        let summary = try JurisdictionRepository(db).importCSV(bytes("name,level,parent,code\nOld Town Central,district,Demo City,990111\n"), file: "j.csv")
        #expect(summary.renamed.map { [$0.from, $0.to] } == [["Old Town", "Old Town Central"]])
        #expect(summary.added == 0 && summary.updated == 1)
        let tree = try JurisdictionRepository(db).tree()
        #expect(tree.nodes["Old Town"] == nil)
        #expect(tree.nodes["Old Town Central"]?.parent == "Demo City")
        #expect(try AccountRepository(db).account(username: "oldtown")?.jurisdictions == ["Old Town Central"])
        #expect(try PilotRepository(db).all().contains { $0.jurisdiction == "Old Town Central" })
        #expect(try !PilotRepository(db).all().contains { $0.jurisdiction == "Old Town" })
        let inventory = try InventoryRepository(db).latest(year: 2023)!
        #expect(inventory.byJurisdiction(year: 2023)["Old Town Central"] == tonnesBefore)
        #expect(inventory.byJurisdiction(year: 2023)["Old Town"] == nil)
        // Rows pointed at by id keep pointing: statistics and the boundary are the district's still.
        #expect(try StatisticsRepository(db).all(jurisdiction: "Old Town Central", edition: .published).isEmpty == false)
        #expect(try BoundaryRepository(db).featureCollection().contains("\"Old Town Central\""))
        // Every rewritten document still reads back as what it was, with the new name only.
        let targets = try TargetRepository(db).all()
        #expect(targets.count == targetsBefore.count)
        let shares = String(describing: targets)
        #expect(shares.contains("Old Town Central") && !shares.replacingOccurrences(of: "Old Town Central", with: "").contains("Old Town"))
        #expect(try PathwayRepository(db).scenarios().count == scenariosBefore)
        #expect(try IndicatorRepository(db).all(edition: .published).count == indicatorsBefore)
        let events = try AuditTrail(db).events(AuditTrail.Filter(entity: "jurisdiction", action: "rename"), limit: 10, offset: 0).events
        #expect(events.map(\.entityID) == ["Old Town Central"])
    }

    @Test("renamed_from renames without a code, and two districts may swap names in one file")
    func swapByRenamedFrom() throws {
        let db = try demo()
        let before = try InventoryRepository(db).latest(year: 2023)!.byJurisdiction(year: 2023)
        try JurisdictionRepository(db).importCSV(bytes("""
            name,level,parent,renamed_from
            Eastgate,district,Demo City,Hillcrest
            Hillcrest,district,Demo City,Eastgate
            """), file: "swap.csv")
        let after = try InventoryRepository(db).latest(year: 2023)!.byJurisdiction(year: 2023)
        #expect(after["Eastgate"] == before["Hillcrest"])
        #expect(after["Hillcrest"] == before["Eastgate"])
        #expect(try JurisdictionRepository(db).tree().nodes["Eastgate"]?.code == "990112")
    }

    @Test("A new name another jurisdiction holds is refused, naming the row, and nothing changes")
    func collisionRefused() throws {
        let db = try demo()
        #expect {
            try JurisdictionRepository(db).importCSV(bytes("name,level,parent,code\nNorthbank,district,Demo City,990111\n"), file: "j.csv")
        } throws: { error in
            let issue = (error as? InputErrors)?.issues.first
            return issue?.location.row == 2 && issue?.value == "Northbank" && issue?.reason.contains("another jurisdiction") == true
        }
        #expect(try JurisdictionRepository(db).tree().nodes["Old Town"] != nil)
        #expect(try AccountRepository(db).account(username: "oldtown")?.jurisdictions == ["Old Town"])
    }

    @Test("renamed_from naming no held jurisdiction is refused with a suggestion")
    func unknownOldName() throws {
        let db = try demo()
        #expect {
            try JurisdictionRepository(db).importCSV(bytes("name,level,parent,renamed_from\nNew Town,district,Demo City,Old Twon\n"), file: "j.csv")
        } throws: { error in
            let issue = (error as? InputErrors)?.issues.first
            return issue?.location.column == 4 && issue?.suggestion == "did you mean 'Old Town'?"
        }
        #expect(try JurisdictionRepository(db).tree().nodes["New Town"] == nil)
    }

    @Test("The demo's frozen 2023 assessment keeps the names it was frozen with; publications still verify")
    func frozenAssessmentKeepsItsNames() throws {
        let db = try demo()
        try JurisdictionRepository(db).importCSV(bytes("name,level,parent,code\nOld Town Central,district,Demo City,990111\n"), file: "j.csv")
        let frozen = try #require(try AssessmentRepository(db).assessment(year: 2023))
        #expect(frozen.results.contains { $0.jurisdiction == "Old Town" })
        #expect(try PublicationRepository(db).problems().isEmpty)
        #expect(try PlanReportRepository(db).problems().isEmpty)
    }
}

/// A year's rows come back in the order they were imported, whatever was imported between.
@Suite("Loading a year's rows")
struct YearRowsOrderTests {
    @Test func aYearInterleavedWithAnotherComesBackInImportOrderAndAlone() throws {
        let db = try temporaryWorkspace()
        let header = "year,jurisdiction,gpc_ref,gas,amount,unit\n"
        try ActivityRepository(db).importCSV(bytes(header + "2022,A,I.1.1,CO2,1,t\n2022,B,I.1.1,CO2,2,t\n"), file: "first.csv")
        try ActivityRepository(db).importCSV(bytes(header + "2023,A,I.1.1,CO2,9,t\n"), file: "other-year.csv")
        try ActivityRepository(db).importCSV(bytes(header + "2022,A,I.1.1,CO2,3,t\n"), file: "more.csv", existing: .append)
        let rows = try ActivityRepository(db).load(year: 2022).records
        #expect(rows.map(\.amount) == [1, 2, 3])
        #expect(try ActivityRepository(db).load(year: 2023).records.map(\.amount) == [9])
        #expect(try ActivityRepository(db).load().records.map(\.amount) == [1, 2, 9, 3])
    }
}
