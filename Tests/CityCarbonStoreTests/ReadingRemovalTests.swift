import CarbonKit
import CarbonMonitoring
import Foundation
import Testing
@testable import CityCarbonStore

@Suite("Removing readings")
struct ReadingRemovalTests {
    /// What a channel holds, as stored and as rolled up.
    func state(_ db: CityCarbonDatabase) throws -> [String] {
        let readings = try db.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT d.key, r.t, r.value, r.consumption, ROUND(CAST(COALESCE(r.kg_co2e, 0) AS NUMERIC), 9) AS kg, r.flag
                FROM monitor_reading r JOIN monitor_datastream d ON d.id = r.datastream_id ORDER BY d.key, r.t
                """).map { "\($0["key"] as String) \($0["t"] as Int64) \($0["value"] as Double) \(String(describing: $0["consumption"] as Double?)) \($0["kg"] as Double) \(String(describing: $0["flag"] as String?))" }
        }
        let heads = try db.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT key, last_time, last_value FROM monitor_datastream ORDER BY key")
                .map { "\($0["key"] as String) head \(String(describing: $0["last_time"] as Int64?)) \(String(describing: $0["last_value"] as Double?))" }
        }
        let days = try db.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT d.key, x.day, ROUND(CAST(x.consumption AS NUMERIC), 6) AS c, ROUND(CAST(x.kg_co2e AS NUMERIC), 6) AS k, x.readings
                FROM monitor_datastream_day x JOIN monitor_datastream d ON d.id = x.datastream_id WHERE x.readings != 0 ORDER BY d.key, x.day
                """).map { "\($0["key"] as String) day \($0["day"] as Int64) \($0["c"] as Double) \($0["k"] as Double) \($0["readings"] as Int64)" }
        }
        let hours = try maintainedHours(db).map { "hour \($0["hour"] as Int64) \(($0["consumption"] as Double * 1e6).rounded() / 1e6) \($0["kg"] as Double) \($0["readings"] as Int64)" }
        return readings + heads + days + hours
    }

    /// Removing any readings leaves exactly what sending only the others would have: the readings
    /// (a register's next one measuring from the one before), the newest of each channel and the roll-ups.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func removingReadingsLeavesWhatNeverSendingThemWould(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var sent: [Reading] = []
        var register = 5_000.0
        for step in 1...48 {
            let time = localMidnight + Int64(step) * 900
            sent.append(Reading(datastream: "office-1/elec", time: time, value: Double(Int.random(in: 5...60, using: &random))))
            register += Double(Int.random(in: 0...9, using: &random))
            sent.append(Reading(datastream: "office-1/gas", time: time, value: register))
        }
        let removed = Set(sent.indices.filter { _ in Int.random(in: 0..<5, using: &random) == 0 } + [sent.count - 1, sent.count - 2])
        let all = try monitoringWorkspace()
        let ingestor = ReadingIngestor(all)
        try ingestor.ingest(sent, actor: "meter", source: "all")
        let ids = try Dictionary(uniqueKeysWithValues: MonitoringRegistry(all).datastreams(site: "office-1").map { ($0.datastream.key, $0.id) })
        for index in removed.sorted().shuffled(using: &random) {
            let reading = sent[index]
            let taken = try ingestor.remove(datastreamID: ids[reading.datastream]!, time: reading.time, scope: .everything, actor: "office")
            #expect(taken?.value == reading.value)
        }
        let others = try monitoringWorkspace()
        try ReadingIngestor(others).ingest(sent.indices.filter { !removed.contains($0) }.map { sent[$0] }, actor: "meter", source: "others")
        #expect(try state(all) == state(others))
        #expect(try maintainedHours(all).map { $0["readings"] as Int64 } == recomputedHours(all).map { $0["readings"] as Int64 })
        // The next reading after a removal extends the channel from its new newest.
        let next = localMidnight + 49 * 900
        try ingestor.ingest([Reading(datastream: "office-1/gas", time: next, value: register + 3)], actor: "meter", source: "next")
        try ReadingIngestor(others).ingest([Reading(datastream: "office-1/gas", time: next, value: register + 3)], actor: "meter", source: "next")
        #expect(try state(all) == state(others))
    }

    @Test func aReadingThatIsNotStoredIsNotThereAndNothingChanges() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20)]), actor: "meter", source: "b1")
        let id = try #require(try MonitoringRegistry(db).datastreams(site: "office-1").first { $0.datastream.key == "office-1/elec" }?.id)
        let before = try state(db)
        #expect(try ReadingIngestor(db).remove(datastreamID: id, time: localMidnight + 1800, scope: .everything, actor: "x") == nil)
        #expect(try ReadingIngestor(db).remove(datastreamID: 999_999, time: localMidnight + 900, scope: .everything, actor: "x") == nil)
        #expect(try state(db) == before)
    }

    @Test func anotherOrganisationsReadingIsRefusedAndKept() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20)]), actor: "meter", source: "b1")
        let id = try #require(try MonitoringRegistry(db).datastreams(site: "office-1").first { $0.datastream.key == "office-1/elec" }?.id)
        #expect(throws: MonitoringError.self) {
            try ReadingIngestor(db).remove(datastreamID: id, time: localMidnight + 900, scope: .sites(organisation: "Beta", keys: []), actor: "beta")
        }
        #expect(try state(db).contains { $0.hasPrefix("office-1/elec \(localMidnight + 900) 20.0") })
    }

    @Test func aRemovalIsInTheAuditTrailWithTheValueItTook() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest(items("office-1/elec", [(localMidnight + 900, 20.5)]), actor: "meter", source: "b1")
        let id = try #require(try MonitoringRegistry(db).datastreams(site: "office-1").first { $0.datastream.key == "office-1/elec" }?.id)
        _ = try ReadingIngestor(db).remove(datastreamID: id, time: localMidnight + 900, scope: .everything, actor: "alice")
        let event = try #require(try db.read { try SQLRow.fetchOne($0, sql: "SELECT actor, entity_id, before FROM audit_event WHERE action = 'reading.delete'") })
        #expect(event["actor"] as String == "alice" && (event["entity_id"] as String).hasPrefix("office-1/elec@"))
        #expect((event["before"] as String).contains("20.5"))
    }
}
