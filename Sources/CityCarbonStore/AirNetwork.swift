import AirQuality
import CarbonKit
import CityProgramme
import Foundation

/// The city's air-quality network as stored (schema v25): its sensors, and their hours with the
/// raw value beside the value used, the flags and the correction. A sheet is checked whole
/// before anything is written; a sheet sent again replaces its hours, so a correction of a
/// day's data is a re-send.
public struct AirNetwork: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let version = "v25: the air-quality network — sensors and their checked hourly values"

    static func statements(_ dialect: SQLDialect) -> [String] {
        let big = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE air_sensor (
              code TEXT PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL, model TEXT NOT NULL, grade TEXT NOT NULL,
              latitude \(real) NOT NULL, longitude \(real) NOT NULL, placement TEXT NOT NULL, district TEXT, correction TEXT,
              created_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE air_hour (
              sensor TEXT NOT NULL, parameter TEXT NOT NULL, hour \(big) NOT NULL, raw \(real), value \(real), flags TEXT NOT NULL,
              correction TEXT, PRIMARY KEY (sensor, parameter, hour))
            """,
            "CREATE INDEX air_hour_time ON air_hour (hour)",
        ]
    }

    /// Adds a sensor, or changes one (same code) as its owner re-registers it.
    public func register(_ sensor: AirSensor, by actor: String) throws {
        var issues = sensor.issues(corrections: try corrections())
        // A calibration was fitted for one sensor: another's readings do not follow its line.
        if let correction = sensor.correction,
           let fitted = try AirCollocations(database).list(limit: 10_000).first(where: { SensorCorrection.calibrationID(collocation: $0.id) == correction }),
           fitted.sensor != sensor.code {
            issues.append(InputIssue(InputLocation(field: "correction"), value: correction,
                                     reason: "is the calibration of \(fitted.sensor): a calibration corrects the sensor it was fitted for"))
        }
        if let district = sensor.district, !(try JurisdictionRepository(database).tree().contains(district)) {
            issues.append(InputIssue(InputLocation(field: "district"), value: district, reason: "is not a district of the city"))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO air_sensor (code, name, owner, model, grade, latitude, longitude, placement, district, correction, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, owner = excluded.owner, model = excluded.model, grade = excluded.grade,
                  latitude = excluded.latitude, longitude = excluded.longitude, placement = excluded.placement, district = excluded.district,
                  correction = excluded.correction
                """, arguments: [sensor.code, sensor.name, sensor.owner, sensor.model, sensor.grade.rawValue, sensor.latitude, sensor.longitude,
                                 sensor.placement.rawValue, sensor.district, sensor.correction, actor, CityCarbonDatabase.now()])
            try AirSensorPlaces.record(db, sensor: sensor.code, latitude: sensor.latitude, longitude: sensor.longitude, by: actor)
            try AuditTrail.append(db, actor: actor, action: "air.sensor", entity: "air_sensor", entityID: sensor.code,
                                  after: .object([("grade", .string(sensor.grade.rawValue)), ("owner", .string(sensor.owner))]))
        }
        database.sensorThings.invalidate()
    }

    /// The corrections a sensor may go through: the shipped versions and the city's own
    /// calibrations, fitted by collocation (``AirCollocations/calibrations()``).
    public func corrections() throws -> SensorCorrections {
        SensorCorrections.shipped.adding(try AirCollocations(database).calibrations())
    }

    public func sensors() throws -> [AirSensor] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM air_sensor ORDER BY code").map { row in
                AirSensor(code: row["code"], name: row["name"], owner: row["owner"], model: row["model"],
                          grade: AirSensor.Grade(rawValue: row["grade"]) ?? .lowCost, latitude: row["latitude"], longitude: row["longitude"],
                          placement: AirSensor.Placement(rawValue: row["placement"]) ?? .outside, district: row["district"],
                          correction: row["correction"])
            }
        }
    }

    /// What a load stored: hours written and how many of them were flagged.
    public struct Loaded: Sendable, Equatable {
        public var hours: Int
        public var flagged: Int
        public var corrected: Int
    }

    /// Checks, corrects and stores a sheet of hourly values (``AirHourSheet``); refused whole when any cell is bad.
    /// Hours already stored are replaced, and the audit event keeps what they held (up to 1,000 of them).
    public func load(_ bytes: [UInt8], file: String, by actor: String, now: Date = Date()) throws -> Loaded {
        let sensors = Dictionary(uniqueKeysWithValues: try self.sensors().map { ($0.code, $0) })
        let sheet = try AirHourSheet(name: file, text: try ReferenceTable.text(of: bytes, file: file), sensors: Set(sensors.keys),
                                     latest: Int64(now.timeIntervalSince1970) / 3600 * 3600)
        return try store(sheet.rows, sensors: sensors, source: file, by: actor)
    }

    /// Checks, corrects and stores hours sent one by one (SensorThings Observations): each must be
    /// an hour's start, not yet to come, of a sensor in `scope`; refused whole otherwise.
    public func load(hours rows: [AirHourSheet.Row], scope: IngestScope, source: String, by actor: String, now: Date = Date()) throws -> Loaded {
        let sensors = Dictionary(uniqueKeysWithValues: try self.sensors().map { ($0.code, $0) })
        let latest = Int64(now.timeIntervalSince1970) / 3600 * 3600
        var issues: [InputIssue] = []
        for (index, row) in rows.enumerated() {
            let place = InputLocation(field: "[\(index)]")
            guard let sensor = sensors[row.sensor] else {
                issues.append(InputIssue(place, value: row.sensor, reason: "is not a sensor of the network")); continue
            }
            if !scope.allows(organisation: sensor.owner, site: sensor.code) {
                throw MonitoringError.outOfScope([sensor.code])
            }
            if let problem = AirHourSheet.problem(hour: row.hour, latest: latest) { issues.append(InputIssue(place, value: String(row.hour), reason: problem)) }
            for value in [row.value, row.valueB].compactMap({ $0 }) where !value.isFinite {
                issues.append(InputIssue(place, value: String(value), reason: "is not a finite number"))
            }
        }
        if Set(rows.map { "\($0.sensor)\u{0}\($0.parameter.rawValue)\u{0}\($0.hour)" }).count != rows.count {
            issues.append(InputIssue(InputLocation(), reason: "sends an hour of a sensor's parameter twice"))
        }
        if !issues.isEmpty { throw InputErrors(Array(issues.prefix(200))) }
        return try store(rows, sensors: sensors, source: source, by: actor)
    }

    func store(_ rows: [AirHourSheet.Row], sensors: [String: AirSensor], source file: String, by actor: String) throws -> Loaded {
        let corrections = try corrections()
        var hours = AirHourProcessing.process(rows, sensors: sensors, corrections: corrections,
                                              storedHumidity: try storedHumidity(for: rows, sensors: sensors))
        hours += try recorrected(by: hours, sensors: sensors, corrections: corrections)
        try database.write { db in
            var replaced: [JSONValue] = []
            var replacedCount = 0
            if let first = hours.map(\.hour).min(), let last = hours.map(\.hour).max() {
                let keys = Set(hours.map { "\($0.sensor)\u{0}\($0.parameter.rawValue)\u{0}\($0.hour)" })
                try db.forEachRow(sql: "SELECT sensor, parameter, hour, raw, value, flags FROM air_hour WHERE hour >= ? AND hour <= ?",
                                  arguments: [first, last]) { row in
                    let sensor: String = row["sensor"], parameter: String = row["parameter"], hour: Int64 = row["hour"]
                    guard keys.contains("\(sensor)\u{0}\(parameter)\u{0}\(hour)") else { return }
                    replacedCount += 1
                    if replaced.count < 1_000 {
                        replaced.append(.object([("sensor", .string(sensor)), ("parameter", .string(parameter)), ("hour", .integer(Int(hour))),
                                                 ("raw", (row["raw"] as Double?).map(JSONValue.number) ?? .null),
                                                 ("value", (row["value"] as Double?).map(JSONValue.number) ?? .null), ("flags", .string(row["flags"]))]))
                    }
                }
            }
            try db.bulkInsert(into: "air_hour", columns: [
                SQLColumn("sensor", .text(hours.map(\.sensor))), SQLColumn("parameter", .text(hours.map(\.parameter.rawValue))),
                SQLColumn("hour", .integer(hours.map(\.hour))), SQLColumn("raw", .optionalReal(hours.map(\.raw))),
                SQLColumn("value", .optionalReal(hours.map(\.value))),
                SQLColumn("flags", .text(hours.map { $0.flags.map(\.rawValue).joined(separator: ",") })),
                SQLColumn("correction", .optionalText(hours.map(\.correction))),
            ], onConflict: "(sensor, parameter, hour) DO UPDATE SET raw = excluded.raw, value = excluded.value, flags = excluded.flags, correction = excluded.correction")
            try AirStreams.cover(hours.map { ($0.sensor, $0.parameter.rawValue, $0.hour) }, db)
            try AuditTrail.append(db, actor: actor, action: "air.load", entity: "air_hour", entityID: file,
                                  before: replacedCount == 0 ? nil : .object([("replaced", .integer(replacedCount)), ("hours", .array(replaced))]),
                                  after: .object([("hours", .integer(hours.count)), ("sensors", .integer(Set(hours.map(\.sensor)).count))]))
        }
        database.sensorThings.invalidate()
        return Loaded(hours: hours.count, flagged: hours.filter { !$0.flags.isEmpty }.count, corrected: hours.filter { $0.correction != nil }.count)
    }

    /// The stored PM2.5 hours whose humidity these hours bring (and whose PM2.5 they do not), corrected
    /// again with it: humidity sent after its hour's PM2.5, or sent again, changes the value used.
    func recorrected(by hours: [AirHour], sensors: [String: AirSensor], corrections: SensorCorrections) throws -> [AirHour] {
        let brought = Set(hours.filter { $0.parameter == .pm25 }.map { "\($0.sensor)\u{0}\($0.hour)" })
        var humidity: [String: Double?] = [:]
        for hour in hours where hour.parameter == .rh && !brought.contains("\(hour.sensor)\u{0}\(hour.hour)") {
            guard let sensor = sensors[hour.sensor], sensor.grade == .lowCost, sensor.correction != nil else { continue }
            humidity["\(hour.sensor)\u{0}\(hour.hour)"] = hour.value
        }
        guard let first = hours.filter({ $0.parameter == .rh }).map(\.hour).min(), let last = hours.filter({ $0.parameter == .rh }).map(\.hour).max(),
              !humidity.isEmpty else { return [] }
        return try self.hours(sensors: Array(Set(humidity.keys.map { String($0.prefix { $0 != "\u{0}" }) })), from: first, to: last + 1)
            .filter { $0.parameter == .pm25 }
            .compactMap { stored in
                guard let rh = humidity["\(stored.sensor)\u{0}\(stored.hour)"], let sensor = sensors[stored.sensor] else { return nil }
                return AirHourProcessing.recorrected(stored, sensor: sensor, humidity: rh, corrections: corrections)
            }
    }

    /// The humidity kept for the hours of corrected PM2.5 rows that bring none of their own.
    func storedHumidity(for rows: [AirHourSheet.Row], sensors: [String: AirSensor]) throws -> [String: [Int64: Double]] {
        let brought = Set(rows.filter { $0.parameter == .rh }.map { "\($0.sensor)\u{0}\($0.hour)" })
        let needed = rows.filter {
            $0.parameter == .pm25 && sensors[$0.sensor]?.grade == .lowCost && sensors[$0.sensor]?.correction != nil
                && !brought.contains("\($0.sensor)\u{0}\($0.hour)")
        }
        guard let first = needed.map(\.hour).min(), let last = needed.map(\.hour).max() else { return [:] }
        let wanted = Set(needed.map { "\($0.sensor)\u{0}\($0.hour)" })
        var found: [String: [Int64: Double]] = [:]
        try database.read { db in
            try db.forEachRow(sql: "SELECT sensor, hour, value FROM air_hour WHERE parameter = 'rh' AND hour >= ? AND hour <= ? AND value IS NOT NULL",
                              arguments: [first, last]) { row in
                let sensor: String = row["sensor"], hour: Int64 = row["hour"]
                if wanted.contains("\(sensor)\u{0}\(hour)") { found[sensor, default: [:]][hour] = row["value"] }
            }
        }
        return found
    }

    /// The stored hours of `sensors` (all when nil) from `from` to before `to`.
    public func hours(sensors codes: [String]? = nil, from: Int64, to: Int64) throws -> [AirHour] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM air_hour WHERE hour >= ? AND hour < ? ORDER BY sensor, parameter, hour",
                                arguments: [from, to]).compactMap { row -> AirHour? in
                let sensor: String = row["sensor"]
                if let codes, !codes.contains(sensor) { return nil }
                guard let parameter = AirParameter(rawValue: row["parameter"]) else { return nil }
                let flags = (row["flags"] as String).split(separator: ",").compactMap { SensorQC.Flag(rawValue: String($0)) }
                return AirHour(sensor: sensor, parameter: parameter, hour: row["hour"], raw: row["raw"], value: row["value"], flags: flags,
                               correction: row["correction"])
            }
        }
    }

    /// The latest hour any sensor has a value for.
    public func latestHour() throws -> Int64? {
        try database.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(hour) FROM air_hour WHERE value IS NOT NULL") }
    }

    /// The real-time index of `hour` (the latest with a value when nil) in `district` (the city when nil).
    public func realtime(hour asked: Int64? = nil, district: String? = nil, region: String = "CN") throws -> DailyAirQuality? {
        guard let hour = try asked ?? latestHour() else { return nil }
        let offset = Int64(try CitySettingsRepository(database).current().utcOffsetMinutes) * 60
        let day = LocalDay.of(hour, utcOffset: offset)
        guard let standard = AQIStandards.shipped.inForce(region: region, on: day.description) else { return nil }
        let sensors = Dictionary(uniqueKeysWithValues: try self.sensors().filter { district == nil || $0.district == district }.map { ($0.code, $0) })
        let hours = try self.hours(sensors: Array(sensors.keys), from: hour - 23 * 3600, to: hour + 3600)
        return DailyAirQuality.realtime(hour: hour, hours: hours, sensors: sensors, standard: standard)
    }

    /// Each sensor's state over the hours from `since`: its latest hour, hours received and hours flagged.
    public struct SensorStatus: Sendable, Equatable {
        public var sensor: AirSensor
        public var latest: Int64?
        public var hours: Int
        public var flagged: Int
        public var flags: [String: Int]
    }

    public func status(since: Int64) throws -> [SensorStatus] {
        let rows = try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT sensor, MAX(hour) AS latest, COUNT(DISTINCT hour) AS hours, COUNT(DISTINCT CASE WHEN flags <> '' THEN hour END) AS flagged
                FROM air_hour WHERE hour >= ? GROUP BY sensor
                """, arguments: [since])
        }
        let flagRows = try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT sensor, flags, COUNT(*) AS n FROM air_hour WHERE hour >= ? AND flags <> '' GROUP BY sensor, flags",
                                arguments: [since])
        }
        var flags: [String: [String: Int]] = [:]
        for row in flagRows {
            for flag in (row["flags"] as String).split(separator: ",") { flags[row["sensor"], default: [:]][String(flag), default: 0] += Int(row["n"] as Int64) }
        }
        let found = Dictionary(uniqueKeysWithValues: rows.map { ($0["sensor"] as String, $0) })
        return try sensors().map { sensor in
            let row = found[sensor.code]
            return SensorStatus(sensor: sensor, latest: row?["latest"], hours: Int(row?["hours"] as Int64? ?? 0),
                                flagged: Int(row?["flagged"] as Int64? ?? 0), flags: flags[sensor.code] ?? [:])
        }
    }

    /// A sensor's hourly values of `parameter` summarised by `period` over the local days
    /// `from` to `to` (inclusive), with coverage; nil when there is no such sensor.
    public func aggregates(sensor code: String, parameter: AirParameter, period: AirAggregates.Period, from: Day, to: Day)
        throws -> [AirAggregates.Aggregate]? {
        guard try sensors().contains(where: { $0.code == code }) else { return nil }
        let offset = try CitySettingsRepository(database).current().utcOffsetMinutes * 60
        let start = LocalDay.start(from, utcOffset: Int64(offset))
        let end = LocalDay.start(to.adding(days: 1), utcOffset: Int64(offset))
        let values = try hours(sensors: [code], from: start, to: end).filter { $0.parameter == parameter }.map { (hour: $0.hour, value: $0.value) }
        return AirAggregates.aggregate(values, by: period, from: start, to: end, utcOffset: offset)
    }

    /// A day's air quality in `district` (the whole city when nil), under `region`'s standard in
    /// force that day, or under `standard` when given (history recomputed under another version),
    /// the day in the city's local time.
    public func day(_ day: Day, district: String? = nil, region: String = "CN", standard id: String? = nil) throws -> DailyAirQuality? {
        let standards = AQIStandards.shipped
        guard let standard = id.map({ standards.standard($0) }) ?? standards.inForce(region: region, on: day.description) else { return nil }
        let offset = Int64(try CitySettingsRepository(database).current().utcOffsetMinutes) * 60
        let start = LocalDay.start(day, utcOffset: offset)
        let all = try sensors().filter { district == nil || $0.district == district }
        let sensors = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
        let hours = try self.hours(sensors: Array(sensors.keys), from: start, to: start + 86_400)
        return DailyAirQuality.compute(day: day.description, start: start, hours: hours, sensors: sensors, standard: standard)
    }
}
