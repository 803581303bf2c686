import CarbonAccounting
import CarbonKit
import CarbonMonitoring
import Foundation
import Testing
@testable import CityCarbonStore

/// The same work on SQLite and on PostgreSQL gives the same answers. Runs when
/// `CITYCARBON_TEST_POSTGRES` names a server (`.ci/run` starts one).
@Suite("SQLite and PostgreSQL give the same answers", .enabled(if: TestPostgres.server != nil))
struct EngineParityTests {
    func both() throws -> [CityCarbonDatabase] {
        [try sqliteWorkspace(), try CityCarbonDatabase(postgres: try TestPostgres.createDatabase(on: TestPostgres.server!))]
    }

    @Test func theDemoCityHasTheSameInventoriesPlanTargetsAndAuditTrail() throws {
        let engines = try both()
        for db in engines { #expect(try DemoCity.seed(db)) }
        let (sqlite, postgres) = (engines[0], engines[1])
        #expect(sqlite.dialect == .sqlite && postgres.dialect == .postgres)
        let lists = try engines.map { try InventoryRepository($0).list() }
        #expect(lists[0].count == 6 && lists[0].count == lists[1].count)
        for (a, b) in zip(lists[0], lists[1]) {
            #expect(a.year == b.year && a.fingerprint == b.fingerprint)
            #expect(a.basic == b.basic && a.basicPlus == b.basicPlus)
        }
        let inventories = try engines.map { try InventoryRepository($0).latest(year: 2022)! }
        #expect(inventories[0].cells.count == inventories[1].cells.count)
        #expect(inventories[0].totals(year: 2022).basic == inventories[1].totals(year: 2022).basic)
        #expect(try engines.map { try PublicationRepository($0).publishedYears() }.allSatisfy { $0 == [2015, 2018, 2020, 2021, 2022, 2023] })
        let actions = try engines.map { try PlanRepository($0).actions(plan: "helsinki-2035").count }
        #expect(actions == [147, 147])
        let targets = try engines.map { try TargetRepository($0).all().map { $0.identifier } }
        #expect(targets[0] == targets[1] && !targets[0].isEmpty)
        let trails = try engines.map { try AuditTrail($0).verify() }
        #expect(trails[0].firstBad == nil && trails[1].firstBad == nil)
    }

    @Test func readingsLateRevisedAndWrappedRollUpAlikeAndScanToTheSameAlerts() throws {
        let engines = try both().map { try monitoringWorkspace($0) }
        let start = localMidnight - 7 * 86_400
        let calendar = MonitoringCalendar(utcOffsetMinutes: 480)
        var office: [Reading] = [], gas: [Reading] = [], plant: [Reading] = []
        var register = 99_000.0
        for q in 1...(8 * 96) {
            let t = start + UnixSeconds(q * 900)
            let hourOfDay = calendar.slot(ofHour: calendar.hour(endingAt: t)).hourOfDay
            office.append(Reading(datastream: "office-1/elec", time: t, value: (8..<18).contains(hourOfDay) ? 10 + Double(q % 5) * 0.1 : 2))
            register += 3.5
            gas.append(Reading(datastream: "office-1/gas", time: t, value: register.truncatingRemainder(dividingBy: 100_000)))
            plant.append(Reading(datastream: "plant-1/elec", time: t, value: 0.5))
        }
        // The plant falls silent for the last day; one office reading arrives late, one is revised.
        let lateIndex = 500
        let late = office.remove(at: lateIndex)
        plant.removeLast(96)
        for db in engines {
            try ReadingIngestor(db).ingest(office + gas + plant, actor: "meter", source: "week")
            let report = try ReadingIngestor(db).ingest([late, Reading(datastream: "office-1/elec", time: office[10].time, value: 99)], actor: "meter", source: "fix")
            #expect(report.late == 1 && report.revised == 1)
        }
        let hours = try engines.map { try maintainedHours($0) }
        #expect(hours[0].count == hours[1].count && hours[0].count > 100)
        for (a, b) in zip(hours[0], hours[1]) {
            #expect(a["hour"] as Int64 == b["hour"] && a["readings"] as Int == b["readings"])
            #expect(close(a["consumption"], b["consumption"]) && close(a["kg"], b["kg"]))
        }
        for level in MonitoringRollups.Level.allCases {
            let rows = try engines.map { try MonitoringRollups($0).rows(level: level, period: .day, from: Day("2026-11-18")!, to: Day("2026-11-25")!) }
            #expect(rows[0].map(\.key) == rows[1].map(\.key) && rows[0].map(\.period) == rows[1].map(\.period))
            for (a, b) in zip(rows[0], rows[1]) { #expect(close(a.kgCO2e, b.kgCO2e) && a.readings == b.readings) }
        }
        let now = localMidnight + 86_400
        let found = try engines.map { try MonitoringRepository($0).scan(now: now) }
        #expect(found[0] == found[1] && found[0] > 0)
        let alerts = try engines.map { try MonitoringRepository($0).alerts().map { "\($0.datastream) \($0.kind) \($0.from)" }.sorted() }
        #expect(alerts[0] == alerts[1])
        #expect(alerts[0].contains { $0.hasPrefix("plant-1/elec missing") })
        let nowcasts = try engines.map { try MonitoringRepository($0).nowcast(now: now) }
        #expect(close(nowcasts[0].city.todayKg, nowcasts[1].city.todayKg))
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }
}
