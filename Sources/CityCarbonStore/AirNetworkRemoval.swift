import AirQuality
import CarbonKit

/// A sensor with stored hours is not deregistered: the city's daily and real-time indexes were
/// computed from them. Its hours are removed first, or it stays registered.
public struct SensorHasHours: Error, CustomStringConvertible {
    public var code: String
    public var hours: Int
    public var description: String {
        "air sensor \(code) has \(hours) stored hour(s); the city's indexes were computed from them, so it stays registered until they are removed"
    }
}

/// Taking hours and sensors out of the air network (SensorThings `DELETE`), each recorded in the
/// audit trail with what it held.
extension AirNetwork {
    /// Removes one stored hour of a sensor's parameter; nil, with nothing changed, when there is none.
    public func remove(sensor code: String, parameter: AirParameter, hour: Int64, scope: IngestScope, by actor: String) throws -> AirHour? {
        guard let sensor = try sensors().first(where: { $0.code == code }) else { return nil }
        guard scope.allows(organisation: sensor.owner, site: sensor.code) else { throw MonitoringError.outOfScope([code]) }
        let removed = try database.write { db -> AirHour? in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT raw, value, flags, correction FROM air_hour WHERE sensor = ? AND parameter = ? AND hour = ?",
                                                arguments: [code, parameter.rawValue, hour]) else { return nil }
            try db.execute(sql: "DELETE FROM air_hour WHERE sensor = ? AND parameter = ? AND hour = ?", arguments: [code, parameter.rawValue, hour])
            try AirStreams.narrow(sensor: code, parameter: parameter.rawValue, db)
            let flags = (row["flags"] as String).split(separator: ",").compactMap { SensorQC.Flag(rawValue: String($0)) }
            let removed = AirHour(sensor: code, parameter: parameter, hour: hour, raw: row["raw"], value: row["value"], flags: flags,
                                  correction: row["correction"])
            try AuditTrail.append(db, actor: actor, action: "air.hour.delete", entity: "air_hour", entityID: "\(code):\(parameter.rawValue):\(hour)",
                                  before: .object([("raw", removed.raw.map(JSONValue.number) ?? .null), ("value", removed.value.map(JSONValue.number) ?? .null),
                                                   ("flags", .string(row["flags"]))]))
            return removed
        }
        if removed != nil { database.sensorThings.invalidate() }
        return removed
    }

    /// Deregisters a sensor that has no stored hours; false when there is no such sensor.
    public func deregister(_ code: String, scope: IngestScope, by actor: String) throws -> Bool {
        guard let sensor = try sensors().first(where: { $0.code == code }) else { return false }
        guard scope.allows(organisation: sensor.owner, site: sensor.code) else { throw MonitoringError.outOfScope([code]) }
        try database.write { db in
            let hours = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM air_hour WHERE sensor = ?", arguments: [code]) ?? 0
            if hours > 0 { throw SensorHasHours(code: code, hours: Int(hours)) }
            try db.execute(sql: "DELETE FROM air_stream WHERE sensor = ?", arguments: [code])
            try db.execute(sql: "DELETE FROM air_sensor_place WHERE sensor = ?", arguments: [code])
            try db.execute(sql: "DELETE FROM air_sensor WHERE code = ?", arguments: [code])
            try AuditTrail.append(db, actor: actor, action: "air.sensor.delete", entity: "air_sensor", entityID: code,
                                  before: .object([("owner", .string(sensor.owner)), ("model", .string(sensor.model)), ("grade", .string(sensor.grade.rawValue)),
                                                   ("latitude", .number(sensor.latitude)), ("longitude", .number(sensor.longitude))]))
        }
        database.sensorThings.invalidate()
        return true
    }
}

extension AirStreams {
    /// Sets a stream's span to the hours it still has, or drops the stream when none are left.
    static func narrow(sensor: String, parameter: String, _ db: any SQLConnection) throws {
        let span = try SQLRow.fetchOne(db, sql: "SELECT MIN(hour) AS first, MAX(hour) AS last FROM air_hour WHERE sensor = ? AND parameter = ?",
                                       arguments: [sensor, parameter])
        if let first = span?["first"] as Int64?, let last = span?["last"] as Int64? {
            try db.execute(sql: "UPDATE air_stream SET first_hour = ?, last_hour = ? WHERE sensor = ? AND parameter = ?",
                           arguments: [first, last, sensor, parameter])
        } else {
            try db.execute(sql: "DELETE FROM air_stream WHERE sensor = ? AND parameter = ?", arguments: [sensor, parameter])
        }
    }
}
