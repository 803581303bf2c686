import CarbonInclusion
import CarbonKit
import CarbonMonitoring
import Foundation
import Testing
@testable import CityCarbonStore

/// The household-electricity methodology on metered homes: each day's use, from the readings the
/// monitoring module ingested, against the city's baseline and the household's own week.
@Suite("Carbon inclusion: household electricity from meters")
struct InclusionHouseholdTests {
    /// Three homes metered daily for ten days up to 2026-11-20 (+08:00), each a site with a daily electricity stream.
    static func homes() throws -> CityCarbonDatabase {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        let registry = MonitoringRegistry(db)
        try registry.importSites(bytes("""
            key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2
            home-a,Home A,building,residential,North,Residents,I.1,
            home-b,Home B,building,residential,North,Residents,I.1,
            home-c,Home C,building,residential,South,Residents,I.1,
            """), file: "homes.csv", actor: "test")
        try registry.importDatastreams(bytes("""
            key,site,quantity,unit,kind,interval_s,multiplier,rollover_at,max_per_hour
            home-a/elec,home-a,electricity,kWh,interval,86400,,,
            home-b/elec,home-b,electricity,kWh,interval,86400,,,
            home-c/elec,home-c,electricity,kWh,interval,86400,,,
            """), file: "streams.csv", actor: "test")
        // Home A uses 6 kWh a day; B 11 a day but 10 on the 20th; C 13 a day.
        var readings: [Reading] = []
        for offset in 0..<10 {
            let day = Day("2026-11-11")!.adding(days: offset)
            let end = Timestamp.parse("\(day.adding(days: 1))T00:00:00+08:00")!
            readings.append(Reading(datastream: "home-a/elec", time: end, value: 6))
            readings.append(Reading(datastream: "home-b/elec", time: end, value: day == Day("2026-11-20")! ? 10 : 11))
            readings.append(Reading(datastream: "home-c/elec", time: end, value: 13))
        }
        _ = try ReadingIngestor(db).ingest(readings, actor: "meters", source: "test")
        _ = try InclusionPartners(db).register(code: "Self", name: "City app", scheme: "city", scenarios: ["household-electricity"], by: "admin")
        return db
    }

    static let posted = Date(timeIntervalSince1970: Double(Timestamp.parse("2026-11-21T09:00:00+08:00")!))

    @Test func eachHomeIsCreditedAgainstTheCityOrItsOwnWeek() throws {
        let db = try Self.homes()
        let households = InclusionHouseholds(db)
        try households.enrol(site: "home-a", did: "did:a", conditions: [], by: "admin")
        try households.enrol(site: "home-b", did: "did:b", conditions: [], by: "admin")
        try households.enrol(site: "home-c", did: "did:c", conditions: [], by: "admin")
        let events = try households.credit(day: Day("2026-11-20")!, now: Self.posted)
        // The city's baseline is the homes' mean use that day: (6 + 10 + 13) / 3 = 9.666666 kWh.
        // A saves 3.666666 kWh against it; B is above it but 1 kWh below its own week (11); C saves nothing.
        #expect(events.map(\.serial) == ["household-home-a-2026-11-20", "household-home-b-2026-11-20"])
        #expect(events[0].outcome.grams == Micro("1145.833125") && events[1].outcome.grams == Micro("312.5"))
        #expect(events.allSatisfy { $0.outcome.methodology == "household-electricity@shenzhen-2022" && $0.status == "available" })
        // Crediting the day again credits nothing twice.
        let again = try households.credit(day: Day("2026-11-20")!, now: Self.posted)
        #expect(again.allSatisfy { $0.repeated })
        #expect(try InclusionAccounts(db).account(scheme: "city", did: "did:a").balance.available == 1_145)
    }

    @Test func anExcludedHouseholdIsRefusedWithItsReason() throws {
        let db = try Self.homes()
        try InclusionHouseholds(db).enrol(site: "home-a", did: "did:a", conditions: ["distributed_pv"], by: "admin")
        let events = try InclusionHouseholds(db).credit(day: Day("2026-11-20")!, now: Self.posted)
        #expect(events.first?.outcome.rule == "excluded")
        #expect(events.first?.outcome.reason == "households with distributed_pv are excluded from household-electricity@shenzhen-2022")
    }

    @Test func aDayWithoutAReadingEarnsNothing() throws {
        let db = try Self.homes()
        try InclusionHouseholds(db).enrol(site: "home-a", did: "did:a", conditions: [], by: "admin")
        #expect(try InclusionHouseholds(db).credit(day: Day("2026-11-25")!, now: Self.posted).isEmpty)
    }

    @Test func anUnknownSiteOrConditionIsRefused() throws {
        let db = try Self.homes()
        #expect(throws: InclusionRefusal.invalid(field: "site", value: "home-z", reason: "is not a monitoring site of this workspace")) {
            try InclusionHouseholds(db).enrol(site: "home-z", did: "did:z", conditions: [], by: "admin")
        }
        #expect(throws: InclusionRefusal.self) {
            try InclusionHouseholds(db).enrol(site: "home-a", did: "did:a", conditions: ["solar_panel"], by: "admin")
        }
    }

    @Test func aStoredEventIsRecomputedUnderAnotherVersion() throws {
        let db = try Self.homes()
        try InclusionHouseholds(db).enrol(site: "home-a", did: "did:a", conditions: [], by: "admin")
        let event = try #require(try InclusionHouseholds(db).credit(day: Day("2026-11-20")!, now: Self.posted).first)
        let result = try InclusionAccounts(db).recompute(event.id!, under: "household-electricity@shenzhen-2022")
        #expect(result.recomputed == event.outcome.grams)
        #expect(throws: InclusionRefusal.self) { try InclusionAccounts(db).recompute(event.id!, under: "walk@hubei-2022") }
    }
}
