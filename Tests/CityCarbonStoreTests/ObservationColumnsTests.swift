import CarbonMonitoring
import CarbonKit
import Foundation
import Testing
@testable import CityCarbonStore

/// A meter channel's readings counted from memory give the count SQL gives, and stay true as
/// readings arrive, are revised or come late, here or from another process.
@Suite("Meter channels' readings counted from columns in memory")
struct ObservationColumnsTests {
    static func stream(_ database: CityCarbonDatabase, _ key: String = "office-1/elec") throws -> Int64 {
        try database.read { try Int64.fetchOne($0, sql: "SELECT id FROM monitor_datastream WHERE key = ?", arguments: [key])! }
    }

    static func window(above: Double, inclusive: Bool = false, from: Double? = nil, to: Double? = nil) -> STAObservationWindow {
        var window = STAObservationWindow()
        (window.resultAbove, window.resultAboveInclusive, window.from, window.to) = (above, inclusive, from, to)
        return window
    }

    /// What SQL counts for the same bounds.
    static func sqlCount(_ database: CityCarbonDatabase, _ stream: Int64, _ window: STAObservationWindow) throws -> Int {
        let bounds = ObservationBounds(window)
        var sql = "SELECT COUNT(*) FROM monitor_reading WHERE datastream_id = ?", arguments: [SQLValue] = [.integer(stream)]
        if let from = bounds.from { sql += " AND t >= ?"; arguments.append(.integer(from)) }
        if let to = bounds.to { sql += " AND t <= ?"; arguments.append(.integer(to)) }
        if let above = bounds.above { sql += " AND value \(bounds.aboveInclusive ? ">=" : ">") ?"; arguments.append(.real(above)) }
        return try database.read { try Int.fetchOne($0, sql: sql, arguments: SQLArguments(arguments))! }
    }

    static func memoryCount(_ database: CityCarbonDatabase, _ stream: Int64, _ window: STAObservationWindow) throws -> Int? {
        try database.read { try database.observationColumns.count($0, stream: stream, ObservationBounds(window)) }
    }

    static func day(_ values: [Double], from start: UnixSeconds) -> [Reading] {
        values.enumerated().map { Reading(datastream: "office-1/elec", time: start + UnixSeconds($0.offset + 1) * 900, value: $0.element) }
    }

    @Test func randomWindowsCountAsSQLDoes() throws {
        let database = try monitoringWorkspace()
        var random = SeededRandom(seed: 11)
        let values = (0..<960).map { _ in Double(random.next() % 400) / 10 }
        try ReadingIngestor(database).ingest(Self.day(values, from: localMidnight), actor: "meter", source: "ten days")
        let stream = try Self.stream(database)
        for _ in 0..<300 {
            let from = Double(localMidnight) + Double(random.next() % 900_000) + (random.next() % 2 == 0 ? 0.5 : 0)
            let window = Self.window(above: Double(random.next() % 400) / 10, inclusive: random.next() % 2 == 0, from: from,
                                     to: from + Double(random.next() % 200_000))
            #expect(try Self.memoryCount(database, stream, window) == Self.sqlCount(database, stream, window))
        }
    }

    @Test func newRevisedAndLateReadingsAreCounted() throws {
        let database = try monitoringWorkspace()
        let stream = try Self.stream(database)
        let above = Self.window(above: 10)
        try ReadingIngestor(database).ingest(Self.day([5, 20, 30, 40], from: localMidnight), actor: "meter", source: "a")
        #expect(try Self.memoryCount(database, stream, above) == 3)
        // New readings after the newest.
        try ReadingIngestor(database).ingest(Self.day([5, 20, 30, 40, 50, 1], from: localMidnight), actor: "meter", source: "b")
        #expect(try Self.memoryCount(database, stream, above) == 4)
        // A revision of an old reading: the newest does not move.
        try ReadingIngestor(database).ingest([Reading(datastream: "office-1/elec", time: localMidnight + 900, value: 15)], actor: "meter", source: "c")
        #expect(try Self.memoryCount(database, stream, above) == 5)
        // A late reading between two held ones.
        try ReadingIngestor(database).ingest([Reading(datastream: "office-1/elec", time: localMidnight + 450, value: 99)], actor: "meter", source: "d")
        #expect(try Self.memoryCount(database, stream, above) == 6)
        #expect(try Self.memoryCount(database, stream, above) == Self.sqlCount(database, stream, above))
    }

    @Test func anotherProcessesIngestionIsSeen() throws {
        let database = try monitoringWorkspace()
        let stream = try Self.stream(database)
        let above = Self.window(above: 10)
        try ReadingIngestor(database).ingest(Self.day([20, 30], from: localMidnight), actor: "meter", source: "a")
        #expect(try Self.memoryCount(database, stream, above) == 2)
        let other = try CityCarbonDatabase(location: database.path)
        try ReadingIngestor(other).ingest([Reading(datastream: "office-1/elec", time: localMidnight + 900, value: 1)], actor: "meter", source: "revise")
        #expect(try Self.memoryCount(database, stream, above) == 1)
        try ReadingIngestor(other).ingest(Self.day([1, 30, 40], from: localMidnight), actor: "meter", source: "more")
        #expect(try Self.memoryCount(database, stream, above) == 2)
    }

    @Test func aChannelLongerThanTheBudgetIsLeftToSQLAndTheLeastRecentGoesFirst() throws {
        let database = try monitoringWorkspace()
        try ReadingIngestor(database).ingest(Self.day([20, 30, 40], from: localMidnight)
                                             + [Reading(datastream: "plant-1/elec", time: localMidnight + 900, value: 12)], actor: "meter", source: "a")
        let small = ObservationColumns(budget: 2), roomy = ObservationColumns(budget: 3)
        let (office, plant) = (try Self.stream(database), try Self.stream(database, "plant-1/elec"))
        let counts = try database.read { db in
            [try small.count(db, stream: office, ObservationBounds(Self.window(above: 10))),
             try small.count(db, stream: office, ObservationBounds(Self.window(above: 10))),
             try roomy.count(db, stream: office, ObservationBounds(Self.window(above: 10))),
             try roomy.count(db, stream: plant, ObservationBounds(Self.window(above: 10)))]
        }
        #expect(counts == [nil, nil, 3, 1] && small.held.isEmpty)
        #expect(roomy.held == [plant])
    }
}
