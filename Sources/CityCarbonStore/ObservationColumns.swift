import CarbonMonitoring
import Foundation

/// Schema v29 and what it serves: a meter channel's readings held in memory as two columns
/// (times, values), so SensorThings can count a filter on the value over a long series without
/// visiting every stored row (`$filter=result gt 40&$count=true` on a million readings).
///
/// A column is true for a channel while its `last_time` and `revision` in `monitor_datastream`
/// are the ones it was read at: new readings move `last_time`, and a revised or late reading,
/// which does not, moves `revision` (``ReadingIngestor``). Both are read in the same snapshot as
/// the count, so another process's ingestion is seen too. New readings after the newest held are
/// appended; anything else reloads the channel. The columns share a budget of readings, and the
/// least recently counted channel goes first.
final class ObservationColumns: @unchecked Sendable {
    static let version = "v29: a meter channel's revision, so a copy of its readings knows when it is stale"

    static func statements(_ dialect: SQLDialect) -> [String] {
        ["ALTER TABLE monitor_datastream ADD COLUMN revision \(dialect == .sqlite ? "INTEGER" : "BIGINT") NOT NULL DEFAULT 0"]
    }

    struct Column {
        var lastTime: Int64
        var revision: Int64
        var times: [Int64]
        var values: [Double]
        var usedAt: UInt64
    }

    /// Readings held over all channels: 16 bytes each, so 256 MB.
    let budget: Int
    private let lock = NSLock()
    private var columns: [Int64: Column] = [:]
    /// Channels found longer than the budget: readings are never deleted, so they stay so, and
    /// are not read into memory again only to be dropped.
    private var oversized: Set<Int64> = []
    private var clock: UInt64 = 0

    init(budget: Int = 16_000_000) { self.budget = budget }

    /// The channels held now.
    var held: [Int64] { lock.withLock { columns.keys.sorted() } }

    /// Readings of `stream` inside `bounds`, counted from the column; nil when the channel is
    /// longer than the budget (the caller counts in SQL).
    func count(_ db: any SQLConnection, stream: Int64, _ bounds: ObservationBounds) throws -> Int? {
        guard let head = try SQLRow.fetchOne(db, sql: "SELECT last_time, revision FROM monitor_datastream WHERE id = ?", arguments: [stream])
        else { return 0 }
        let lastTime: Int64 = head["last_time"] ?? Int64.min, revision: Int64 = head["revision"]
        guard var column = lock.withLock({ oversized.contains(stream) ? nil : Optional(columns[stream]) }) else { return nil }
        if let held = column, held.revision == revision, held.lastTime < lastTime {
            // Only new readings since: append them.
            var more = held
            try db.forEachRow(sql: "SELECT t, value FROM monitor_reading WHERE datastream_id = ? AND t > ? ORDER BY t",
                              arguments: [stream, held.lastTime]) { row in
                more.times.append(row["t"]); more.values.append(row["value"])
            }
            more.lastTime = lastTime
            column = more
        } else if column == nil || column!.revision != revision || column!.lastTime != lastTime {
            var times: [Int64] = [], values: [Double] = []
            try db.forEachRow(sql: "SELECT t, value FROM monitor_reading WHERE datastream_id = ? ORDER BY t", arguments: [stream]) { row in
                times.append(row["t"]); values.append(row["value"])
            }
            column = Column(lastTime: lastTime, revision: revision, times: times, values: values, usedAt: 0)
        }
        guard var found = column, found.times.count <= budget else {
            lock.withLock { _ = oversized.insert(stream) }
            return nil
        }
        let count = bounds.count(times: found.times, values: found.values)
        lock.withLock {
            clock += 1
            found.usedAt = clock
            // Another request may have stored a newer copy meanwhile; either is true of its own snapshot.
            columns[stream] = found
            var held = columns.values.reduce(0) { $0 + $1.times.count }
            while held > budget, let oldest = columns.min(by: { $0.value.usedAt < $1.value.usedAt }) {
                held -= oldest.value.times.count
                columns[oldest.key] = nil
            }
        }
        return count
    }
}

/// A SensorThings observation window in a store's terms: whole-second time bounds, both
/// inclusive, and the value bounds. The SQL and the in-memory count both read it, so they
/// count the same readings.
struct ObservationBounds {
    var from: Int64?
    var to: Int64?
    var above: Double?
    var aboveInclusive = false
    var below: Double?
    var belowInclusive = false

    init(_ window: STAObservationWindow) {
        // Times are whole seconds: an exclusive fractional bound rounds to the whole second inside it.
        if let from = window.from { self.from = Self.clamp(window.fromInclusive ? from.rounded(.up) : (from.rounded(.down) + 1)) }
        if let to = window.to { self.to = Self.clamp(window.toInclusive ? to.rounded(.down) : (to.rounded(.up) - 1)) }
        if let above = window.resultAbove, above.isFinite { (self.above, aboveInclusive) = (above, window.resultAboveInclusive) }
        if let below = window.resultBelow, below.isFinite { (self.below, belowInclusive) = (below, window.resultBelowInclusive) }
    }

    static func clamp(_ x: Double) -> Int64 { x.isNaN ? 0 : Int64(max(-9.2e18, min(9.2e18, x))) }

    var boundsValue: Bool { above != nil || below != nil }

    func admits(_ value: Double) -> Bool {
        if let above, aboveInclusive ? !(value >= above) : !(value > above) { return false }
        if let below, belowInclusive ? !(value <= below) : !(value < below) { return false }
        return true
    }

    /// Readings in time order within the bounds.
    func count(times: [Int64], values: [Double]) -> Int {
        let first = from.map { bound in Self.partition(times) { $0 < bound } } ?? 0
        let end = to.map { bound in Self.partition(times) { $0 <= bound } } ?? times.count
        guard first < end else { return 0 }
        var count = 0
        for index in first..<end where admits(values[index]) { count += 1 }
        return count
    }

    /// The first index where `before` stops holding, in a sorted array.
    static func partition(_ times: [Int64], _ before: (Int64) -> Bool) -> Int {
        var low = 0, high = times.count
        while low < high {
            let middle = (low + high) / 2
            if before(times[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
