import CarbonKit
import CarbonMonitoring
import Foundation

/// Who may send readings for which datastreams.
public enum IngestScope: Sendable, Hashable {
    case everything
    /// An integration key: the sites of one organisation, or only the named sites.
    case sites(organisation: String?, keys: [String])

    public func allows(organisation: String, site: String) -> Bool {
        switch self {
        case .everything: true
        case let .sites(owner, keys): keys.contains(site) || (keys.isEmpty && owner?.lowercased() == organisation.lowercased())
        }
    }
}

/// What one acknowledged batch did.
public struct IngestReport: Sendable, Hashable {
    public var received = 0
    /// Readings new to the store (including late ones).
    public var stored = 0
    /// Sent before with the same value: stored once.
    public var duplicates = 0
    /// Sent before with another value: the new value replaced it and the roll-ups were corrected.
    public var revised = 0
    /// Older than the datastream's newest reading: inserted in place, roll-ups corrected.
    public var late = 0
    public var flagged: [Anomaly.Kind: Int] = [:]
    public var gaps: [Gap] = []
    public var gapCount = 0
    public var missingReadings = 0
    public var kgCO2e = 0.0

    public init() {}

    public struct Gap: Sendable, Hashable {
        public let datastream: String
        public let from: UnixSeconds
        public let to: UnixSeconds
        public let missing: Int
    }

    /// Adds another batch's report, for a command that sends several.
    public mutating func add(_ other: IngestReport) {
        received += other.received; stored += other.stored; duplicates += other.duplicates
        revised += other.revised; late += other.late; gapCount += other.gapCount; missingReadings += other.missingReadings
        kgCO2e += other.kgCO2e
        for (k, v) in other.flagged { flagged[k, default: 0] += v }
        gaps += other.gaps.prefix(max(0, 100 - gaps.count))
    }
}

/// Writes batches of readings: dedup, register conversion, emissions by the hour's factor and
/// roll-up maintenance, in one transaction that is durable (`synchronous = FULL`) before the
/// batch is acknowledged.
///
/// A reading newer than its datastream's last one — the common case — is appended using only
/// what ``MonitoringState`` holds. A reading at or before it is looked up: the same value is a
/// duplicate, another value a revision; a missing one is inserted between its neighbours and,
/// for a register, the next reading's consumption is recomputed, every change applied to the
/// roll-ups as a difference.
public struct ReadingIngestor: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Stores readings named by datastream key. Nothing is written unless every reading names
    /// a known datastream inside `scope` in a unit it can be converted from.
    ///
    /// - Parameters:
    ///   - units: the unit each reading was sent in (SenML's `u`), converted to the datastream's; nil when all are in it.
    ///   - locate: where reading *i* came from (file and row, or field), for error messages.
    @discardableResult
    public func ingest(_ readings: [Reading], units: [String?]? = nil, scope: IngestScope = .everything, actor: String, source: String,
                       locate: (Int) -> InputLocation = { InputLocation(field: "[\($0)]") }) throws -> IngestReport {
        try write(actor: actor, source: source) { state in try Self.resolve(readings, units: units, scope: scope, state: state, locate: locate) }
    }

    /// Checks readings as ``ingest(_:units:scope:actor:source:locate:)`` would, writing nothing:
    /// a large file is checked whole before its first batch is written.
    public func check(_ readings: [Reading], units: [String?]? = nil, scope: IngestScope = .everything,
                      locate: (Int) -> InputLocation = { InputLocation(field: "[\($0)]") }) throws {
        let state = database.monitoring
        do {
            try database.write { db in
                try state.refresh(db)
                _ = try Self.resolve(readings, units: units, scope: scope, state: state, locate: locate)
            }
        } catch {
            state.invalidate()
            throw error
        }
    }

    static func resolve(_ readings: [Reading], units: [String?]?, scope: IngestScope, state: MonitoringState,
                        locate: (Int) -> InputLocation) throws -> [ResolvedReading] {
        var issues: [InputIssue] = []
        var refused: [String] = []
        var resolved: [ResolvedReading] = []
        resolved.reserveCapacity(readings.count)
        var lastKey = "", lastIndex: Int32 = -1
        let now = UnixSeconds(Date().timeIntervalSince1970)
        for (position, reading) in readings.enumerated() {
            let index: Int32
            if reading.datastream == lastKey, lastIndex >= 0 { index = lastIndex } else {
                guard let found = state.indexByKey[reading.datastream] else {
                    if issues.count < 100 {
                        issues.append(InputIssue(locate(position), value: reading.datastream, reason: "no such datastream",
                                                 suggestion: "register it first (citycarbon monitor datastreams FILE)"))
                    }
                    continue
                }
                index = found; lastKey = reading.datastream; lastIndex = found
            }
            let stream = state.streams[Int(index)]
            guard scope.allows(organisation: stream.organisation, site: stream.siteKey) else {
                if !refused.contains(stream.key) { refused.append(stream.key) }
                continue
            }
            var value = reading.value
            if let units, let unit = units[position], unit != stream.unit {
                guard let from = UnitCatalog.standard.unit(unit), let to = UnitCatalog.standard.unit(stream.unit), from.dimension == to.dimension else {
                    if issues.count < 100 {
                        issues.append(InputIssue(locate(position), value: unit, reason: "\(stream.key) is metered in \(stream.unit); \(unit) cannot be converted to it"))
                    }
                    continue
                }
                value *= from.baseUnitsPerUnit / to.baseUnitsPerUnit
            }
            if let problem = Self.problem(value: value, time: reading.time, stream: stream, window: state.config.window, now: now) {
                if issues.count < 100 { issues.append(InputIssue(locate(position), value: problem.value, reason: problem.reason)) }
                continue
            }
            resolved.append(ResolvedReading(datastreamID: stream.id, time: reading.time, value: value))
        }
        if !refused.isEmpty { throw MonitoringError.outOfScope(refused) }
        guard issues.isEmpty else { throw InputErrors(issues) }
        return resolved
    }

    /// Why a reading cannot be stored: a value no meter of its quantity could send, or a time
    /// outside the city's window. Checked before anything is written, so the batch is refused whole.
    static func problem(value: Double, time: UnixSeconds, stream: MonitoringState.Stream, window: ReadingWindow,
                        now: UnixSeconds) -> (field: String, value: String, reason: String)? {
        if let reason = stream.bounds.problem(value) { return ("value", "\(value)", "\(stream.key): \(reason)") }
        if let reason = window.problem(time, now: now) { return ("time", Timestamp.iso(time), "\(stream.key): \(reason)") }
        return nil
    }

    /// Stores readings already resolved to datastream ids (SensorThings names Datastreams by `@iot.id`).
    @discardableResult
    public func ingest(resolved readings: [ResolvedReading], scope: IngestScope = .everything, actor: String, source: String) throws -> IngestReport {
        try write(actor: actor, source: source) { state in
            var unknown: [InputIssue] = []
            var refused: [String] = []
            let now = UnixSeconds(Date().timeIntervalSince1970)
            for (i, r) in readings.enumerated() {
                guard let index = state.indexByID[r.datastreamID] else {
                    if unknown.count < 100 {
                        unknown.append(InputIssue(InputLocation(field: "[\(i)].Datastream"), value: "\(r.datastreamID)", reason: "no such Datastream"))
                    }
                    continue
                }
                let stream = state.streams[Int(index)]
                if !scope.allows(organisation: stream.organisation, site: stream.siteKey), !refused.contains(stream.key) { refused.append(stream.key) }
                if let problem = Self.problem(value: r.value, time: r.time, stream: stream, window: state.config.window, now: now), unknown.count < 100 {
                    unknown.append(InputIssue(InputLocation(field: "[\(i)].\(problem.field == "time" ? "phenomenonTime" : "result")"),
                                              value: problem.value, reason: problem.reason))
                }
            }
            if !refused.isEmpty { throw MonitoringError.outOfScope(refused) }
            guard unknown.isEmpty else { throw InputErrors(unknown) }
            return readings
        }
    }

    /// Resolution runs on the writer so it sees the registry as the write will.
    private func write(actor: String, source: String, resolve: (MonitoringState) throws -> [ResolvedReading]) throws -> IngestReport {
        let state = database.monitoring
        var heads: [(Int32, UnixSeconds, Double)] = []
        let report: IngestReport
        // If anything fails, memory may no longer match the database: reload before the next batch.
        do {
            report = try database.write { db in
                try state.refresh(db)
                var readings = try resolve(state)
                var report = IngestReport()
                report.received = readings.count
                guard !readings.isEmpty else { return report }
                // Sorted by datastream then time; where one time comes twice, the later in the batch stands.
                if !zip(readings, readings.dropFirst()).allSatisfy({ ($0.datastreamID, $0.time) <= ($1.datastreamID, $1.time) }) {
                    readings = readings.enumerated()
                        .sorted { ($0.element.datastreamID, $0.element.time, $0.offset) < ($1.element.datastreamID, $1.element.time, $1.offset) }
                        .map(\.element)
                }
                let times = readings.lazy.map(\.time)
                try state.ensurePartitions(db, first: times.min()!, last: times.max()!)
                var batch = Batch(db: db, state: state)
                heads = try batch.apply(readings, report: &report)
                try batch.flush(heads: heads)
                try MonitoringState.countWrite(db)
                try AuditTrail.append(db, actor: actor, action: "ingest", entity: "monitor_reading", entityID: source,
                                      after: .object([("received", .number(Double(report.received))), ("stored", .number(Double(report.stored))),
                                                      ("duplicates", .number(Double(report.duplicates))), ("revised", .number(Double(report.revised))),
                                                      ("late", .number(Double(report.late)))]))
                return report
            }
        } catch {
            state.invalidate()
            throw error
        }
        // Committed: only now does memory follow the database.
        if report.received > 0 { state.committedOwnWrite(database.dialect) }
        for (index, time, value) in heads {
            state.streams[Int(index)].lastTime = time
            state.streams[Int(index)].lastValue = value
        }
        return report
    }
}

/// One transaction's work: the new readings and the roll-up differences it accumulates.
struct Batch {
    let db: any SQLConnection
    let state: MonitoringState
    let calendar: MonitoringCalendar

    struct Sums { var consumption = 0.0, kg = 0.0, readings = 0 }
    struct HourKey: Hashable { let cell: Int32; let hour: Int64 }
    struct DayKey: Hashable { let datastream: Int64; let day: Int64 }

    var hours: [HourKey: Sums] = [:]
    var days: [DayKey: Sums] = [:]
    let now: Int64
    /// New readings, column by column, written at once by ``flush(heads:)``.
    var ids: [Int64] = [], times: [Int64] = [], values: [Double] = []
    var consumptions: [Double?] = [], kgs: [Double?] = [], flags: [String?] = []

    init(db: any SQLConnection, state: MonitoringState) {
        self.db = db
        self.state = state
        calendar = state.config.calendar
        now = Int64(Date().timeIntervalSince1970)
    }

    /// Adds a reading's contribution (or takes it away, with `sign` −1) to its hour and day.
    @inline(__always)
    mutating func account(_ stream: MonitoringState.Stream, time: UnixSeconds, consumption: Double?, kg: Double?, sign: Double) {
        guard var consumption, stream.isAdditive else { return }
        consumption *= stream.rollupScale
        let count = sign > 0 ? 1 : -1
        let hour = calendar.hour(endingAt: time)
        hours[HourKey(cell: stream.cell, hour: hour), default: Sums()].add(sign * consumption, sign * (kg ?? 0), count)
        days[DayKey(datastream: stream.id, day: calendar.dayOrdinal(endingAt: time)), default: Sums()].add(sign * consumption, sign * (kg ?? 0), count)
    }

    @inline(__always)
    func kg(_ stream: MonitoringState.Stream, time: UnixSeconds, consumption: Double?) -> Double? {
        guard let consumption, stream.timeline >= 0 else { return nil }
        let timeline = state.timelines[Int(stream.timeline)]
        return timeline.kgPerUnit(hour: calendar.hour(endingAt: time), year: calendar.year(endingAt: time)).map { $0 * consumption }
    }

    /// Applies sorted readings; returns the new newest reading of every datastream that moved.
    mutating func apply(_ readings: [ResolvedReading], report: inout IngestReport) throws -> [(Int32, UnixSeconds, Double)] {
        var heads: [(Int32, UnixSeconds, Double)] = []
        ids.reserveCapacity(readings.count); times.reserveCapacity(readings.count); values.reserveCapacity(readings.count)
        consumptions.reserveCapacity(readings.count); kgs.reserveCapacity(readings.count); flags.reserveCapacity(readings.count)
        var i = 0
        while i < readings.count {
            let id = readings[i].datastreamID
            let index = state.indexByID[id]!
            let stream = state.streams[Int(index)]
            var end = i
            while end < readings.count, readings[end].datastreamID == id { end += 1 }
            var lastTime = stream.lastTime ?? Int64.min
            var lastValue = stream.lastValue ?? 0
            var moved = false
            // Cached factor for the hour being written: consecutive readings share it.
            var factorHour = Int64.min, factor: Double? = nil
            var j = i
            while j < end {
                let r = readings[j]
                // Within a batch the same time twice: the later one in the batch stands.
                if j + 1 < end, readings[j + 1].time == r.time {
                    report.duplicates += 1
                    j += 1
                    continue
                }
                if r.time <= lastTime {
                    let revisedHead = try applyOutOfOrder(stream, r, report: &report)
                    if r.time == lastTime, let revisedHead { lastValue = revisedHead; moved = true }
                    j += 1
                    continue
                }
                let previous: (time: UnixSeconds, value: Double)? = lastTime == Int64.min ? nil : (lastTime, lastValue)
                let outcome = stream.rule.outcome(value: r.value, time: r.time, previous: previous, intervalSeconds: stream.intervalSeconds)
                var kgValue: Double?
                if let consumption = outcome.consumption, stream.timeline >= 0 {
                    let hour = calendar.hour(endingAt: r.time)
                    if hour != factorHour {
                        factorHour = hour
                        factor = state.timelines[Int(stream.timeline)].kgPerUnit(hour: hour, year: calendar.year(endingAt: r.time))
                    }
                    kgValue = factor.map { $0 * consumption }
                }
                if let previous {
                    let missing = Int((r.time - previous.time + Int64(stream.intervalSeconds / 2)) / Int64(stream.intervalSeconds)) - 1
                    if missing > 0 {
                        report.gapCount += 1
                        report.missingReadings += missing
                        if report.gaps.count < 100 { report.gaps.append(.init(datastream: stream.key, from: previous.time, to: r.time, missing: missing)) }
                    }
                }
                ids.append(id); times.append(r.time); values.append(r.value)
                consumptions.append(outcome.consumption); kgs.append(kgValue); flags.append(outcome.anomaly?.rawValue)
                if let k = kgValue { report.kgCO2e += k }
                if let anomaly = outcome.anomaly { try alert(stream, anomaly, time: r.time, observed: r.value, report: &report) }
                account(stream, time: r.time, consumption: outcome.consumption, kg: kgValue, sign: 1)
                report.stored += 1
                lastTime = r.time
                lastValue = r.value
                moved = true
                j += 1
            }
            if moved { heads.append((index, lastTime, lastValue)) }
            i = end
        }
        return heads
    }

    /// A reading at or before the datastream's newest: a duplicate, a revision or a late arrival.
    /// Returns the stored value when it revised the newest reading itself.
    mutating func applyOutOfOrder(_ stream: MonitoringState.Stream, _ r: ResolvedReading, report: inout IngestReport) throws -> Double? {
        let existing = try SQLRow.fetchOne(db, sql: "SELECT value, consumption, kg_co2e FROM monitor_reading WHERE datastream_id = ? AND t = ?",
                                        arguments: [stream.id, r.time])
        if let existing, (existing["value"] as Double) == r.value {
            report.duplicates += 1
            return nil
        }
        let previous = try SQLRow.fetchOne(db, sql: "SELECT t, value FROM monitor_reading WHERE datastream_id = ? AND t < ? ORDER BY t DESC LIMIT 1",
                                        arguments: [stream.id, r.time]).map { (time: $0["t"] as Int64, value: $0["value"] as Double) }
        let outcome = stream.rule.outcome(value: r.value, time: r.time, previous: previous, intervalSeconds: stream.intervalSeconds)
        let kgValue = kg(stream, time: r.time, consumption: outcome.consumption)
        if let existing {
            account(stream, time: r.time, consumption: existing["consumption"], kg: existing["kg_co2e"], sign: -1)
            try db.execute(sql: "UPDATE monitor_reading SET value = ?, consumption = ?, kg_co2e = ?, flag = ? WHERE datastream_id = ? AND t = ?",
                           arguments: [r.value, outcome.consumption, kgValue, outcome.anomaly?.rawValue, stream.id, r.time])
            report.revised += 1
        } else {
            try db.execute(sql: "INSERT INTO monitor_reading (datastream_id, t, value, consumption, kg_co2e, flag) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [stream.id, r.time, r.value, outcome.consumption, kgValue, outcome.anomaly?.rawValue])
            report.late += 1
            report.stored += 1
        }
        // The channel's newest reading did not move: its revision tells copies of its readings (``ObservationColumns``).
        try db.execute(sql: "UPDATE monitor_datastream SET revision = revision + 1 WHERE id = ?", arguments: [stream.id])
        if let k = kgValue { report.kgCO2e += k }
        if let anomaly = outcome.anomaly { try alert(stream, anomaly, time: r.time, observed: r.value, report: &report) }
        account(stream, time: r.time, consumption: outcome.consumption, kg: kgValue, sign: 1)
        // A register's next reading measured from the old neighbour; it now measures from this one.
        if stream.rule.kind == .cumulative,
           let next = try SQLRow.fetchOne(db, sql: "SELECT t, value, consumption, kg_co2e FROM monitor_reading WHERE datastream_id = ? AND t > ? ORDER BY t LIMIT 1",
                                       arguments: [stream.id, r.time]) {
            let nextTime: Int64 = next["t"]
            let nextOutcome = stream.rule.outcome(value: next["value"], time: nextTime, previous: (r.time, r.value), intervalSeconds: stream.intervalSeconds)
            let nextKg = kg(stream, time: nextTime, consumption: nextOutcome.consumption)
            account(stream, time: nextTime, consumption: next["consumption"], kg: next["kg_co2e"], sign: -1)
            account(stream, time: nextTime, consumption: nextOutcome.consumption, kg: nextKg, sign: 1)
            if let old = next["kg_co2e"] as Double? { report.kgCO2e -= old }
            if let k = nextKg { report.kgCO2e += k }
            try db.execute(sql: "UPDATE monitor_reading SET consumption = ?, kg_co2e = ?, flag = ? WHERE datastream_id = ? AND t = ?",
                           arguments: [nextOutcome.consumption, nextKg, nextOutcome.anomaly?.rawValue, stream.id, nextTime])
            if let anomaly = nextOutcome.anomaly { try alert(stream, anomaly, time: nextTime, observed: next["value"], report: &report) }
        }
        return existing != nil ? r.value : nil
    }

    mutating func alert(_ stream: MonitoringState.Stream, _ kind: Anomaly.Kind, time: UnixSeconds, observed: Double, report: inout IngestReport) throws {
        report.flagged[kind, default: 0] += 1
        try db.execute(sql: """
            INSERT INTO monitor_alert (datastream_id, site_id, kind, from_t, to_t, observed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [stream.id, stream.siteID, kind.rawValue, time - Int64(stream.intervalSeconds), time, observed, now])
    }

    /// Writes the new readings, the datastreams' newest readings and the roll-up differences.
    func flush(heads: [(Int32, UnixSeconds, Double)]) throws {
        try db.bulkInsert(into: "monitor_reading", columns: [
            SQLColumn("datastream_id", .integer(ids)), SQLColumn("t", .integer(times)), SQLColumn("value", .real(values)),
            SQLColumn("consumption", .optionalReal(consumptions)), SQLColumn("kg_co2e", .optionalReal(kgs)), SQLColumn("flag", .optionalText(flags)),
        ], onConflict: nil)
        try db.bulkUpdate("monitor_datastream", key: SQLColumn("id", .integer(heads.map { state.streams[Int($0.0)].id })), set: [
            SQLColumn("last_time", .integer(heads.map(\.1))), SQLColumn("last_value", .real(heads.map(\.2))),
        ])
        let hourRows = hours.filter { $0.value.readings != 0 || $0.value.consumption != 0 }
        let cells = hourRows.map { state.cells[Int($0.key.cell)] }
        try db.bulkInsert(into: "monitor_hour", columns: [
            SQLColumn("jurisdiction_id", .integer(cells.map(\.jurisdictionID))), SQLColumn("gpc_ref", .text(cells.map(\.gpcRef))),
            SQLColumn("quantity", .text(cells.map(\.quantity))), SQLColumn("hour", .integer(hourRows.map(\.key.hour))),
            SQLColumn("consumption", .real(hourRows.map(\.value.consumption))), SQLColumn("kg_co2e", .real(hourRows.map(\.value.kg))),
            SQLColumn("readings", .integer(hourRows.map { Int64($0.value.readings) })),
        ], onConflict: """
            (jurisdiction_id, gpc_ref, quantity, hour) DO UPDATE SET consumption = monitor_hour.consumption + excluded.consumption,
              kg_co2e = monitor_hour.kg_co2e + excluded.kg_co2e, readings = monitor_hour.readings + excluded.readings
            """)
        let dayRows = days.filter { $0.value.readings != 0 || $0.value.consumption != 0 }
        try db.bulkInsert(into: "monitor_datastream_day", columns: [
            SQLColumn("datastream_id", .integer(dayRows.map(\.key.datastream))), SQLColumn("day", .integer(dayRows.map(\.key.day))),
            SQLColumn("consumption", .real(dayRows.map(\.value.consumption))), SQLColumn("kg_co2e", .real(dayRows.map(\.value.kg))),
            SQLColumn("readings", .integer(dayRows.map { Int64($0.value.readings) })),
        ], onConflict: """
            (datastream_id, day) DO UPDATE SET consumption = monitor_datastream_day.consumption + excluded.consumption,
              kg_co2e = monitor_datastream_day.kg_co2e + excluded.kg_co2e, readings = monitor_datastream_day.readings + excluded.readings
            """)
    }
}

private extension Batch.Sums {
    @inline(__always)
    mutating func add(_ c: Double, _ k: Double, _ n: Int) { consumption += c; kg += k; readings += n }
}
