import CarbonKit
import CarbonMonitoring
import Foundation

/// A reading taken back (SensorThings `DELETE /Observations(id)`). Its consumption and emissions
/// leave the hour and day roll-ups as a difference, as a revision's do; a register's next reading
/// then measures from the reading before; and when it was the channel's newest, the one before
/// becomes the newest. The audit event keeps the value that was removed.
extension ReadingIngestor {
    /// What a removal took away.
    public struct Removed: Sendable, Equatable {
        public var datastream: String
        public var time: UnixSeconds
        public var value: Double
    }

    /// Removes the reading of channel `datastreamID` at `time`; nil, with nothing changed, when there is none.
    public func remove(datastreamID: Int64, time: UnixSeconds, scope: IngestScope, actor: String) throws -> Removed? {
        let state = database.monitoring
        var head: (index: Int32, time: UnixSeconds?, value: Double?)?
        let removed: Removed?
        do {
            removed = try database.write { db -> Removed? in
                try state.refresh(db)
                guard let index = state.indexByID[datastreamID] else { return nil }
                let stream = state.streams[Int(index)]
                guard scope.allows(organisation: stream.organisation, site: stream.siteKey) else { throw MonitoringError.outOfScope([stream.key]) }
                var batch = Batch(db: db, state: state)
                guard let taken = try batch.remove(stream, time: time) else { return nil }
                if time == stream.lastTime {
                    try db.execute(sql: "UPDATE monitor_datastream SET last_time = ?, last_value = ? WHERE id = ?",
                                   arguments: [taken.before?.time, taken.before?.value, stream.id])
                    head = (index, taken.before?.time, taken.before?.value)
                }
                try batch.flush(heads: [])
                try MonitoringState.countWrite(db)
                try AuditTrail.append(db, actor: actor, action: "reading.delete", entity: "monitor_reading", entityID: "\(stream.key)@\(Timestamp.iso(time))",
                                      before: .object([("value", .number(taken.value))]))
                return Removed(datastream: stream.key, time: time, value: taken.value)
            }
        } catch {
            state.invalidate()
            throw error
        }
        guard let removed else { return nil }
        state.committedOwnWrite(database.dialect)
        if let head {
            state.streams[Int(head.index)].lastTime = head.time
            state.streams[Int(head.index)].lastValue = head.value
        }
        return removed
    }
}

extension Batch {
    /// Deletes one reading and corrects the roll-ups; the reading before it (for a new newest), or nil when none was stored.
    mutating func remove(_ stream: MonitoringState.Stream, time: UnixSeconds) throws -> (value: Double, before: (time: UnixSeconds, value: Double)?)? {
        guard let existing = try SQLRow.fetchOne(db, sql: "SELECT value, consumption, kg_co2e FROM monitor_reading WHERE datastream_id = ? AND t = ?",
                                                 arguments: [stream.id, time]) else { return nil }
        account(stream, time: time, consumption: existing["consumption"], kg: existing["kg_co2e"], sign: -1)
        try db.execute(sql: "DELETE FROM monitor_reading WHERE datastream_id = ? AND t = ?", arguments: [stream.id, time])
        let before = try SQLRow.fetchOne(db, sql: "SELECT t, value FROM monitor_reading WHERE datastream_id = ? AND t < ? ORDER BY t DESC LIMIT 1",
                                         arguments: [stream.id, time]).map { (time: $0["t"] as Int64, value: $0["value"] as Double) }
        // A register's next reading measured from the removed one; it now measures from the one before, or from nothing.
        if stream.rule.kind == .cumulative,
           let next = try SQLRow.fetchOne(db, sql: "SELECT t, value, consumption, kg_co2e FROM monitor_reading WHERE datastream_id = ? AND t > ? ORDER BY t LIMIT 1",
                                          arguments: [stream.id, time]) {
            let nextTime: Int64 = next["t"]
            let outcome = stream.rule.outcome(value: next["value"], time: nextTime, previous: before, intervalSeconds: stream.intervalSeconds)
            let nextKg = kg(stream, time: nextTime, consumption: outcome.consumption)
            account(stream, time: nextTime, consumption: next["consumption"], kg: next["kg_co2e"], sign: -1)
            account(stream, time: nextTime, consumption: outcome.consumption, kg: nextKg, sign: 1)
            try db.execute(sql: "UPDATE monitor_reading SET consumption = ?, kg_co2e = ?, flag = ? WHERE datastream_id = ? AND t = ?",
                           arguments: [outcome.consumption, nextKg, outcome.anomaly?.rawValue, stream.id, nextTime])
        }
        // Copies of the channel's readings (``ObservationColumns``) read this to know they are stale.
        try db.execute(sql: "UPDATE monitor_datastream SET revision = revision + 1 WHERE id = ?", arguments: [stream.id])
        return (existing["value"], before)
    }
}
