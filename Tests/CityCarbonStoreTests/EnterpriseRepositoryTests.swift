import CarbonKit
import CarbonMarkets
import Foundation
import Testing
@testable import CityCarbonStore

/// The enterprise registry as stored: sheets loaded whole or not at all, sources replaced per enterprise.
@Suite("Enterprise registry in the store")
struct EnterpriseRepositoryTests {
    static let enterprises = """
        credit_code,name,industry,jurisdiction,listed,state_owned
        91330100716105852F,West Lake Cement,3011,North,yes,
        91440300708461136T,Harbour Power,4411,South,,yes

        """
    static let sources = """
        credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams
        91330100716105852F,kiln-1,Kiln line 1,,coal,combustion,raw_coal,gas-7
        91330100716105852F,kiln-1,,,clinker,process,clinker,
        91440300708461136T,unit-1,Unit 1,,gas,combustion,natural_gas,

        """

    static func workspace() throws -> CityCarbonDatabase {
        let database = try temporaryWorkspace()
        try JurisdictionRepository(database).importCSV(Array(jurisdictions.utf8), file: "j.csv")
        return database
    }

    @Test func sheetsLoadAndReadBack() throws {
        let database = try Self.workspace()
        let counts = try EnterpriseRepository(database).importSheets(enterprises: Array(Self.enterprises.utf8), file: "enterprises.csv",
                                                                     sources: Array(Self.sources.utf8), actor: "office")
        #expect(counts == (2, 3))
        let all = try EnterpriseRepository(database).all()
        #expect(all.map(\.name) == ["Harbour Power", "West Lake Cement"])
        #expect(all[1].listed && all[1].facilities.first?.sources.map(\.key) == ["clinker", "coal"])
        #expect(try AuditTrail(database).events(entity: "enterprise").first?.action == "enterprise.import")
    }

    @Test func aSourcesSheetReplacesOnlyTheEnterprisesItNames() throws {
        let database = try Self.workspace()
        let repository = EnterpriseRepository(database)
        try repository.importSheets(enterprises: Array(Self.enterprises.utf8), file: "enterprises.csv", sources: Array(Self.sources.utf8), actor: "office")
        let update = "credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams\n91440300708461136T,unit-2,Unit 2,,grid,purchased_electricity,,\n"
        try repository.importSheets(enterprises: Array("credit_code,name,industry,jurisdiction\n".utf8), file: "none.csv",
                                    sources: Array(update.utf8), actor: "office")
        let all = try repository.all()
        #expect(all[0].facilities.map(\.key) == ["unit-2"])
        #expect(all[1].facilities.first?.sources.count == 2, "West Lake Cement's sources are untouched")
    }

    @Test func aBadRowChangesNothing() throws {
        let database = try Self.workspace()
        let bad = Self.enterprises + "91110000600037341X,Bad Code Co.,3011,North,,\n"
        #expect(throws: InputErrors.self) {
            try EnterpriseRepository(database).importSheets(enterprises: Array(bad.utf8), file: "enterprises.csv", actor: "office")
        }
        #expect(try EnterpriseRepository(database).all().isEmpty)
        #expect(throws: InputErrors.self) {
            try EnterpriseRepository(database).importSheets(enterprises: [0xFF, 0xFE, 0x41], file: "enterprises.csv", actor: "office")
        }
    }
}
