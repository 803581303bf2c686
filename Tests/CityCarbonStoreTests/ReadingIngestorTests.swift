import CarbonKit
import CarbonMonitoring
import Foundation
import Testing
@testable import CityCarbonStore

/// A workspace with two districts, an office in North (Acme) and a plant in South (Beta), and
/// the office's 15-minute electricity meter, a gas register with five digits, and the plant's meter.
func monitoringWorkspace(_ db: CityCarbonDatabase? = nil) throws -> CityCarbonDatabase {
    let db = try db ?? temporaryWorkspace()
    try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
    let registry = MonitoringRegistry(db)
    try registry.importSites(bytes("""
        key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2
        office-1,Acme tower,building,office,North,Acme,I.2,12000
        plant-1,Beta works,facility,steel,South,Beta,I.3,
        """), file: "sites.csv", actor: "alice")
    try registry.importDatastreams(bytes("""
        key,site,quantity,unit,kind,interval_s,multiplier,rollover_at,max_per_hour
        office-1/elec,office-1,electricity,kWh,interval,900,,,400
        office-1/gas,office-1,natural_gas,m3,cumulative,900,1,100000,
        plant-1/elec,plant-1,electricity,MWh,interval,900,,,
        """), file: "streams.csv", actor: "alice")
    return db
}

/// 2026-11-25 00:00 +08:00.
let localMidnight = Timestamp.parse("2026-11-25T00:00:00+08:00")!

func items(_ stream: String, _ values: [(UnixSeconds, Double)]) -> [Reading] {
    values.map { Reading(datastream: stream, time: $0.0, value: $0.1) }
}

/// Every roll-up recomputed from the readings themselves: what the maintained sums must equal.
func recomputedHours(_ db: CityCarbonDatabase) throws -> [SQLRow] {
    try db.read { db in
        try SQLRow.fetchAll(db, sql: """
            SELECT (r.t - 1) / 3600 AS hour, SUM(r.consumption) AS consumption, ROUND(CAST(SUM(COALESCE(r.kg_co2e, 0)) AS NUMERIC), 9) AS kg, COUNT(r.consumption) AS readings
            FROM monitor_reading r WHERE r.consumption IS NOT NULL GROUP BY hour ORDER BY hour
            """)
    }
}

func maintainedHours(_ db: CityCarbonDatabase) throws -> [SQLRow] {
    try db.read { db in
        try SQLRow.fetchAll(db, sql: """
            SELECT hour, SUM(consumption) AS consumption, ROUND(CAST(SUM(kg_co2e) AS NUMERIC), 9) AS kg, SUM(readings) AS readings
            FROM monitor_hour GROUP BY hour HAVING SUM(readings) != 0 ORDER BY hour
            """)
    }
}

@Suite("Ingesting readings")
struct ReadingIngestorTests {
    @Test func aReadingSentTwiceIsStoredOnce() throws {
        let db = try monitoringWorkspace()
        let batch = items("office-1/elec", [(localMidnight + 900, 20), (localMidnight + 1800, 22)])
        let first = try ReadingIngestor(db).ingest(batch, actor: "meter", source: "b1")
        let again = try ReadingIngestor(db).ingest(batch, actor: "meter", source: "b2")
        #expect(first.stored == 2)
        #expect(again.stored == 0 && again.duplicates == 2)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") } == 2)
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [42])
    }

    @Test func aLateReadingIsInsertedAndTheRollUpsCorrected() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20), (localMidnight + 3 * 3600, 30)]), actor: "meter", source: "b1")
        let late = try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 1800, 25), (localMidnight + 3600 + 900, 5)]), actor: "meter", source: "b2")
        #expect(late.late == 2)
        #expect(try maintainedHours(db) == recomputedHours(db))
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [45, 5, 30])
    }

    @Test func aRevisedValueReplacesTheOldOneInTheRollUps() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20), (localMidnight + 1800, 22)]), actor: "meter", source: "b1")
        let revised = try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 18)]), actor: "meter", source: "b2")
        #expect(revised.revised == 1)
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [40])
    }

    @Test func aRegisterWrappingPastItsLastDigitCountsTheWrap() throws {
        let db = try monitoringWorkspace()
        let report = try ReadingIngestor(db).ingest(items("office-1/gas", [(localMidnight + 900, 99_990), (localMidnight + 1800, 15)]),
                                                    actor: "meter", source: "b1")
        #expect(report.stored == 2)
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [25])
    }

    @Test func aLateRegisterReadSplitsTheConsumptionBetweenHours() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/gas", [(localMidnight + 3600, 1000), (localMidnight + 3 * 3600, 1100)]), actor: "meter", source: "b1")
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [100])
        try ReadingIngestor(db).ingest(items("office-1/gas", [(localMidnight + 2 * 3600, 1030)]), actor: "meter", source: "b2")
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [30, 70])
        #expect(try maintainedHours(db) == recomputedHours(db))
    }

    @Test func aRegisterResetIsFlaggedAndCountsNothing() throws {
        let db = try monitoringWorkspace()
        let report = try ReadingIngestor(db).ingest(items("office-1/gas", [(localMidnight + 900, 5000), (localMidnight + 1800, 5010), (localMidnight + 2700, 3)]),
                                                    actor: "meter", source: "b1")
        #expect(report.flagged[.reset] == 1)
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [10])
        #expect(try db.read { try String.fetchOne($0, sql: "SELECT kind FROM monitor_alert") } == "reset")
    }

    @Test func gapsInABatchAreReported() throws {
        let db = try monitoringWorkspace()
        let report = try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 1), (localMidnight + 5 * 900, 1)]), actor: "meter", source: "b1")
        #expect(report.gapCount == 1 && report.missingReadings == 3)
        #expect(report.gaps.first == IngestReport.Gap(datastream: "office-1/elec", from: localMidnight + 900, to: localMidnight + 5 * 900, missing: 3))
    }

    @Test func electricityIsPricedByTheHourlySeriesWhereItHasValuesAndTheGridYearElsewhere() throws {
        let db = try monitoringWorkspace()
        // An hourly series for the first two hours of the day, ending each hour like readings do.
        try MonitoringRegistry(db).importFactorSeries(bytes("""
            time,kg_per_kwh
            2026-11-25T01:00:00+08:00,0.61
            2026-11-25T02:00:00+08:00,0.48
            """), file: "series.csv", name: "east-hourly", source: "test series", actor: "alice")
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 3600, 10), (localMidnight + 7200, 10), (localMidnight + 3 * 3600, 10)]),
                                       actor: "meter", source: "b1")
        let kg = try db.read { try Double.fetchAll($0, sql: "SELECT kg_co2e FROM monitor_reading ORDER BY t") }
        // 2026 has no published national factor yet: MEE's 2023 factor, 0.5306 kg/kWh, stands in.
        #expect(kg.map { ($0 * 1e6).rounded() / 1e6 } == [6.1, 4.8, 5.306])
    }

    @Test func naturalGasIsPricedByTheIPCCDefaultsInCO2e() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/gas", [(localMidnight + 900, 1000), (localMidnight + 1800, 1100)]), actor: "meter", source: "b1")
        let kg = try db.read { try Double.fetchOne($0, sql: "SELECT kg_co2e FROM monitor_reading WHERE consumption IS NOT NULL") }!
        // 100 m3 × 0.7 kg/m3 × 48 TJ/Gg = 3.36e-3 TJ; × (56,100 CO2 + 5 CH4 × 28 + 0.1 N2O × 265) kg/TJ (commercial, AR5).
        #expect(abs(kg - 100 * 3.36e-5 * (56_100 + 5 * 28 + 0.1 * 265)) < 1e-9)
    }

    @Test func unitsSentInAnotherUnitOfTheSameDimensionAreConverted() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest([Reading(datastream: "plant-1/elec", time: localMidnight + 900, value: 2500)], units: ["kWh"], actor: "meter", source: "senml")
        #expect(try db.read { try Double.fetchOne($0, sql: "SELECT value FROM monitor_reading") } == 2.5)
        let wrong = Reading(datastream: "plant-1/elec", time: localMidnight + 1800, value: 1)
        #expect(throws: InputErrors.self) { try ReadingIngestor(db).ingest([wrong], units: ["m3"], actor: "meter", source: "senml") }
    }

    @Test func aBatchWithAnUnknownDatastreamWritesNothingAndNamesTheRow() throws {
        let db = try monitoringWorkspace()
        let batch = items("office-1/elec", [(localMidnight + 900, 20)]) + items("office-9/elec", [(localMidnight + 900, 20)])
        #expect {
            try ReadingIngestor(db).ingest(batch, actor: "meter", source: "b1") { InputLocation(file: "batch.csv", row: $0 + 2) }
        } throws: { error in
            let issue = (error as! InputErrors).issues[0]
            return issue.location.row == 3 && issue.value == "office-9/elec"
        }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") } == 0)
    }

    @Test func anIntegrationKeyMayOnlySendItsOwnOrganisationsReadings() throws {
        let db = try monitoringWorkspace()
        let batch = items("office-1/elec", [(localMidnight + 900, 20)]) + items("plant-1/elec", [(localMidnight + 900, 2)])
        #expect(throws: MonitoringError.self) { try ReadingIngestor(db).ingest(batch, scope: .sites(organisation: "Acme", keys: []), actor: "acme", source: "b") }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") } == 0)
        let own = try ReadingIngestor(db).ingest(Array(batch.prefix(1)), scope: .sites(organisation: "Acme", keys: []), actor: "acme", source: "b")
        #expect(own.stored == 1)
    }

    @Test func anotherProcessWritingTheFileIsNoticed() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20)]), actor: "meter", source: "b1")
        // A second handle on the same database plays the CLI beside a running server.
        let other = try CityCarbonDatabase(location: db.path)
        try ReadingIngestor(other).ingest(items("office-1/elec", [(localMidnight + 1800, 21)]), actor: "cli", source: "b2")
        let report = try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 1800, 21), (localMidnight + 2700, 22)]), actor: "meter", source: "b3")
        #expect(report.duplicates == 1 && report.stored == 1)
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [63])
    }

    @Test func everyBatchIsInTheAuditTrail() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20)]), actor: "meter", source: "b1")
        let event = try AuditTrail(db).events(entity: "monitor_reading").first
        #expect(event?.actor == "meter" && event?.action == "ingest")
        #expect(try AuditTrail(db).verify().firstBad == nil)
    }
}
