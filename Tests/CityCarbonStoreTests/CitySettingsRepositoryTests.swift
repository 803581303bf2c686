import CarbonAccounting
import CarbonKit
import CityProgramme
import Foundation
import Testing
@testable import CityCarbonStore

/// The settings are one document, changed all-or-none and audited, and the computations read
/// them: monitoring's clock and prices, the GWP set of a year never computed.
@Suite("City settings in the workspace")
struct CitySettingsRepositoryTests {
    @Test func aNewWorkspaceHasTheStandardSettings() throws {
        #expect(try CitySettingsRepository(temporaryWorkspace()).current() == .standard)
    }

    @Test func aChangeIsAuditedWithBeforeAndAfter() throws {
        let db = try temporaryWorkspace()
        let saved = try CitySettingsRepository(db).set([("name.en", "River City"), ("gwp", "AR6")], actor: "office")
        #expect(saved.names["en"] == "River City" && saved.gwp == "AR6")
        #expect(try CitySettingsRepository(db).current() == saved)
        let event = try #require(try AuditTrail(db).events(entity: "city_settings").first)
        #expect(event.actor == "office" && event.before?.contains(#""gwp":"AR5""#) == true && event.after?.contains(#""gwp":"AR6""#) == true)
    }

    @Test func oneBadValueChangesNothing() throws {
        let db = try temporaryWorkspace()
        #expect {
            try CitySettingsRepository(db).set([("name.en", "River City"), ("grid_series", "cn_atlantis")], actor: "office")
        } throws: { ($0 as? InputErrors)?.issues.map(\.location.field) == ["grid_series"] }
        #expect(try CitySettingsRepository(db).current() == .standard)
        #expect(try AuditTrail(db).events(entity: "city_settings").isEmpty)
    }

    @Test func monitoringReadsTheCitysClockAndPrices() throws {
        let db = try temporaryWorkspace()
        try CitySettingsRepository(db).set([("utc_offset", "+02:00"), ("grid_series", "cn_east"), ("factor_set", "CN2011")], actor: "office")
        let config = try MonitoringRegistry(db).config()
        #expect(config.utcOffsetMinutes == 120 && config.gridSeries == "cn_east" && config.fuelFactorSet == "CN2011" && config.gwp == "AR5")
        // And the other way: monitoring's own command changes the same settings.
        var changed = config
        changed.gwp = "AR6"
        try MonitoringRegistry(db).setConfig(changed, actor: "office")
        #expect(try CitySettingsRepository(db).current().gwp == "AR6")
    }

    @Test func aYearNeverComputedTakesTheCitysGWPSet() throws {
        let db = try temporaryWorkspace()
        try CitySettingsRepository(db).set([("gwp", "AR6")], actor: "office")
        #expect(try InventoryRepository(db).gwpName(year: 2023) == "AR6")
    }

    @Test func rowsNamingNoSetArePricedAndStoredAsTheSettingsSayAndPublishedYearsStillVerify() throws {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        try CitySettingsRepository(db).set([("factor_set.natural_gas", "CN2011")], actor: "office")
        try ActivityRepository(db).importCSV(bytes(activities), file: "a.csv")
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        let priced = try InventoryRepository(db).compute(year: 2022, gwp: gwp)
        let gas = try #require(priced.cells(year: 2022).first { $0.jurisdiction == "North" && $0.gpcRef == "I.1.1" })
        #expect(gas.factorSets == ["CN2011"])
        try PublicationRepository(db).publish(year: 2022, by: "office")
        // The city changes its mind later: stored rows keep the set they were priced with.
        try CitySettingsRepository(db).set([("factor_set.natural_gas", "")], actor: "office")
        #expect(try PublicationRepository(db).problems().isEmpty)
        #expect(try InventoryRepository(db).compute(year: 2022, gwp: gwp).totals(year: 2022) == priced.totals(year: 2022))
    }
}
