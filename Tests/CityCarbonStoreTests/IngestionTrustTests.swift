import CarbonKit
import CarbonMonitoring
import Foundation
import Testing
@testable import CityCarbonStore

/// No acknowledged or valid batch is refused by a server fault, and nothing a meter could not
/// have sent is stored: the cases an outside attack test found, and the classes they belong to.
@Suite("Ingestion that can be trusted")
struct IngestionTrustTests {
    @Test func oneBatchWithALateAndANewReadingIsAccepted() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20), (localMidnight + 2700, 22)]), actor: "meter", source: "b1")
        // What a gateway sends after an outage: the missing quarter and the next one, together.
        for round in 0..<3 {
            let base = localMidnight + Int64(round) * 7200
            let report = try ReadingIngestor(db).ingest(items("office-1/elec", [(base + 1800, 21), (base + 3600 + 900 * 3, 23)]),
                                                        actor: "meter", source: "b\(round + 2)")
            #expect(report.received == 2)
        }
        #expect(try maintainedHours(db) == recomputedHours(db))
    }

    @Test func aLateReadingDoesNotBreakTheNextBatchOfAnotherOrganisation() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20), (localMidnight + 2700, 22)]), actor: "acme", source: "b1")
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 1800, 21)]), scope: .sites(organisation: "Acme", keys: []),
                                       actor: "acme", source: "late")
        let beta = try ReadingIngestor(db).ingest(items("plant-1/elec", [(localMidnight + 900, 2)]), scope: .sites(organisation: "Beta", keys: []),
                                                  actor: "beta", source: "new")
        #expect(beta.stored == 1)
        let resolved = try ReadingIngestor(db).ingest(resolved: [ResolvedReading(datastreamID: 3, time: localMidnight + 1800, value: 3)],
                                                      actor: "sta", source: "sta")
        #expect(resolved.stored == 1)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") } == 5)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT SUM(readings) FROM monitor_datastream_day") } == 5)
    }

    @Test(arguments: [Double.greatestFiniteMagnitude, 1e308, -1e308, .infinity, -.infinity, .nan, 1e12])
    func aValueNoMeterCouldSendIsRefusedAndNamed(_ value: Double) throws {
        let db = try monitoringWorkspace()
        #expect {
            try ReadingIngestor(db).ingest(items("plant-1/elec", [(localMidnight + 900, value)]), actor: "meter", source: "b1") {
                InputLocation(file: "b.csv", row: $0 + 2, field: "value")
            }
        } throws: { error in
            let issue = (error as! InputErrors).issues[0]
            return issue.location.row == 2 && issue.reason.contains("plant-1/elec")
        }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") } == 0)
        // The city's page still adds up: nothing infinite was ever stored.
        #expect(try MonitoringRepository(db).nowcast().city.todayKg.isFinite)
    }

    @Test func theQuantitysPhysicalRangeComesFromTheCatalogue() throws {
        let gas = try #require(MeterQuantityCatalog.standard["natural_gas"])
        #expect(gas.maxPerHour == 2_000_000)
        let temperature = try #require(MeterQuantityCatalog.standard["temperature"])
        #expect(temperature.minValue == -100 && temperature.maxValue == 100)
        // A MWh meter reads a thousandth of a kWh one: the range follows its unit.
        let stream = Datastream(key: "x", siteKey: "s", quantity: "electricity", unit: "MWh", kind: .interval, intervalSeconds: 900)
        let bounds = ReadingBounds(datastream: stream, quantity: try #require(MeterQuantityCatalog.standard["electricity"]))
        #expect(bounds.range.upperBound == 10_000_000 * 0.25 / 1000)
        #expect(bounds.problem(2000) == nil && bounds.problem(3000) != nil)
    }

    @Test(arguments: ["0001-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"])
    func aReadingOutsideTheWindowIsRefusedNamingTheWindow(_ time: String) throws {
        let db = try monitoringWorkspace()
        let t = try #require(Timestamp.parse(time))
        #expect {
            try ReadingIngestor(db).ingest(items("office-1/elec", [(t, 20)]), actor: "meter", source: "b1")
        } throws: { error in
            let issue = (error as! InputErrors).issues[0]
            return issue.value == Timestamp.iso(t) && (issue.reason.contains("earliest") || issue.reason.contains("ahead of the server"))
        }
    }

    @Test func aReadingAHourAheadOfTheClockIsAcceptedAndTwoDaysAheadIsNot() throws {
        let db = try monitoringWorkspace()
        let now = Int64(Date().timeIntervalSince1970) / 900 * 900
        #expect(try ReadingIngestor(db).ingest(items("office-1/elec", [(now + 3600, 20)]), actor: "meter", source: "b1").stored == 1)
        #expect(throws: InputErrors.self) { try ReadingIngestor(db).ingest(items("office-1/elec", [(now + 2 * 86_400, 20)]), actor: "meter", source: "b2") }
    }

    @Test func theWindowIsTheCitysSetting() throws {
        let db = try monitoringWorkspace()
        var config = try MonitoringRegistry(db).config()
        config.window.earliest = try #require(Timestamp.parse("2026-01-01T00:00:00Z"))
        try MonitoringRegistry(db).setConfig(config, actor: "alice")
        #expect(throws: InputErrors.self) {
            try ReadingIngestor(db).ingest(items("office-1/elec", [(Timestamp.parse("2025-06-01T00:00:00Z")!, 20)]), actor: "meter", source: "b1")
        }
        #expect(try MonitoringRegistry(db).config().window.earliest == config.window.earliest)
    }

    @Test func aRegisterReadBackFilledYearsBeforeTheNextIsFlaggedNotCounted() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/gas", [(localMidnight + 900, 99_000), (localMidnight + 1800, 99_010)]), actor: "meter", source: "b1")
        let late = try ReadingIngestor(db).ingest(items("office-1/gas", [(Timestamp.parse("2024-06-01T00:00:00Z")!, 5)]), actor: "meter", source: "b2")
        #expect(late.flagged[.unplaced] == 1)
        #expect(try maintainedHours(db).map { $0["consumption"] as Double } == [10])
        #expect(try maintainedHours(db) == recomputedHours(db))
        #expect(try db.read { try String.fetchAll($0, sql: "SELECT kind FROM monitor_alert") }.contains("unplaced"))
    }

    @Test func aRegisterDifferenceAcrossADayOfSilenceIsNotPutInOneQuarterHour() {
        let rule = ConsumptionRule(kind: .cumulative)
        let day: Int64 = 86_400
        #expect(rule.outcome(value: 120, time: day, previous: (0, 100), intervalSeconds: 900).consumption == 20)
        let after = rule.outcome(value: 5000, time: 3 * day, previous: (0, 100), intervalSeconds: 900)
        #expect(after.consumption == nil && after.anomaly == .unplaced)
    }

    @Test func aRegisterJumpAboveWhatAnyConnectionCarriesIsImpossible() {
        let rule = ConsumptionRule(kind: .cumulative, ceilingPerHour: 2_000_000)
        let jump = rule.outcome(value: 9e9, time: 900, previous: (0, 0), intervalSeconds: 900)
        #expect(jump.consumption == nil && jump.anomaly == .impossible)
    }
}

/// Any interleaving, duplication and delay of a datastream's readings gives the same roll-ups
/// as the readings sent once and in order, and the roll-ups equal a recomputation from the
/// stored readings — on SQLite, and on PostgreSQL when the suite is given a server.
@Suite("Ingestion in any order")
struct IngestionOrderProperty {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 17
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    }

    static let cases = 12

    /// A workspace with `cases` interval meters and `cases` five-digit gas registers.
    static func workspace() throws -> CityCarbonDatabase {
        let db = try monitoringWorkspace()
        var sheet = "key,site,quantity,unit,kind,interval_s,multiplier,rollover_at,max_per_hour\n"
        for k in 0..<cases {
            sheet += "p\(k)/elec,office-1,electricity,kWh,interval,900,,,400\np\(k)/gas,office-1,natural_gas,m3,cumulative,900,1,100000,\n"
        }
        try MonitoringRegistry(db).importDatastreams(bytes(sheet), file: "p.csv", actor: "test")
        return db
    }

    /// One history per datastream: quarter-hours with skipped ones and a long silence now and
    /// then; interval values with some impossible and negative ones; registers that wrap past
    /// 99,999 and are sometimes reset.
    static func histories(_ g: inout Generator) -> [Reading] {
        var all: [Reading] = []
        for k in 0..<cases {
            var t = localMidnight - 3 * 86_400
            var register = Double(g.int(90_000...99_000))
            for _ in 0..<g.int(10...50) {
                t += g.chance(8) ? Int64(g.int(2...120)) * 900 : 900
                var value = Double(g.int(0...90)) + Double(g.int(0...3)) / 4
                if g.chance(4) { value = 500 } else if g.chance(4) { value = -3 }
                all.append(Reading(datastream: "p\(k)/elec", time: t, value: value))
                if g.chance(5) { register = Double(g.int(0...50)) } else {
                    register += Double(g.int(0...400))
                    if register >= 100_000 { register -= 100_000 }
                }
                all.append(Reading(datastream: "p\(k)/gas", time: t, value: register))
            }
        }
        return all
    }

    static func dayRows(_ db: CityCarbonDatabase) throws -> [SQLRow] {
        try db.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT d.key, r.day, ROUND(CAST(r.consumption AS NUMERIC), 6) AS consumption, r.readings
                FROM monitor_datastream_day r JOIN monitor_datastream d ON d.id = r.datastream_id WHERE r.readings != 0 ORDER BY d.key, r.day
                """)
        }
    }

    static func hourRows(_ db: CityCarbonDatabase) throws -> [SQLRow] {
        try db.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT hour, quantity, ROUND(CAST(SUM(consumption) AS NUMERIC), 6) AS consumption, ROUND(CAST(SUM(kg_co2e) AS NUMERIC), 6) AS kg,
                  SUM(readings) AS readings
                FROM monitor_hour GROUP BY hour, quantity HAVING SUM(readings) != 0 ORDER BY hour, quantity
                """)
        }
    }

    @Test(arguments: [1, 2, 3])
    func anyOrderGivesTheRollUpsOfTheReadingsInOrder(seed: UInt64) throws {
        var g = Generator(state: seed &* 0x9E37_79B9_7F4A_7C15)
        let readings = Self.histories(&g)
        // Sent: shuffled, a tenth sent twice, in batches of 1 to 40, some batches mixing streams.
        var sent = readings + readings.filter { _ in g.chance(10) }
        for i in stride(from: sent.count - 1, to: 0, by: -1) { sent.swapAt(i, g.int(0...i)) }
        let shuffled = try Self.workspace()
        var start = 0
        var batch = 0
        while start < sent.count {
            let end = min(sent.count, start + g.int(1...40))
            try ReadingIngestor(shuffled).ingest(Array(sent[start..<end]), actor: "gateway", source: "batch \(batch)")
            start = end
            batch += 1
        }
        let inOrder = try Self.workspace()
        try ReadingIngestor(inOrder).ingest(readings.sorted { ($0.datastream, $0.time) < ($1.datastream, $1.time) }, actor: "meter", source: "once")
        #expect(try Self.dayRows(shuffled) == Self.dayRows(inOrder))
        #expect(try Self.hourRows(shuffled) == Self.hourRows(inOrder))
        #expect(try maintainedHours(shuffled) == recomputedHours(shuffled))
        #expect(try db(shuffled, "SELECT COUNT(*) FROM monitor_reading") == readings.count)
    }

    func db(_ database: CityCarbonDatabase, _ sql: String) throws -> Int {
        try database.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }
}
