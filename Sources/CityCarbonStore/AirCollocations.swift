import AirQuality
import CarbonKit
import Foundation

/// Schema v30: collocations of the network's low-cost sensors with its reference monitors, fitted
/// from the stored hours and judged by EPA's targets (``Collocation``), kept with who ran them and
/// over which hours, so the office can show a sensor's record of performance.
public struct AirCollocations: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let version = "v30: collocations of low-cost air sensors with reference monitors, fitted and judged"

    static func statements(_ dialect: SQLDialect) -> [String] {
        let id = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let big = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE air_collocation (
              id \(id), sensor TEXT NOT NULL, reference TEXT NOT NULL, parameter TEXT NOT NULL, from_hour \(big) NOT NULL, to_hour \(big) NOT NULL,
              pairs INTEGER NOT NULL, slope \(real) NOT NULL, intercept \(real) NOT NULL, r2 \(real) NOT NULL, rmse \(real) NOT NULL, nrmse \(real),
              unit TEXT NOT NULL, judgements TEXT NOT NULL, passes INTEGER NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX air_collocation_sensor ON air_collocation (sensor, id)",
        ]
    }

    /// A collocation as stored.
    public struct Record: Sendable {
        public var id: Int64
        public var sensor: String
        public var reference: String
        public var parameter: AirParameter
        public var from: Int64
        /// The end of the hours compared (exclusive).
        public var to: Int64
        public var fit: Collocation
        public var unit: String
        public var judgements: [Collocation.Judgement]
        public var createdBy: String
        public var createdAt: String

        public var passes: Bool { judgements.allSatisfy(\.passes) }

        /// The city's local days it compared, first to last: one text wherever it is named.
        public func days(utcOffsetMinutes: Int) -> String {
            let offset = Int64(utcOffsetMinutes) * 60
            return "\(LocalDay.of(from, utcOffset: offset)) – \(LocalDay.of(to - 3600, utcOffset: offset))"
        }
    }

    /// Fits `sensor` (a low-cost sensor) against `reference` (a reference monitor) over the hours
    /// from `from` to before `to`, and keeps the result; refused, naming the field, when the two
    /// are not such a pair, the parameter has no targets or the hours give no fit.
    public func run(sensor code: String, reference referenceCode: String, parameter: AirParameter, from: Int64, to: Int64, by actor: String) throws -> Record {
        let network = AirNetwork(database)
        let sensors = Dictionary(uniqueKeysWithValues: try network.sensors().map { ($0.code, $0) })
        var issues: [InputIssue] = []
        if sensors[code] == nil { issues.append(InputIssue(InputLocation(field: "sensor"), value: code, reason: "is not a sensor of the network")) }
        if let reference = sensors[referenceCode] {
            if reference.grade != .reference { issues.append(InputIssue(InputLocation(field: "reference"), value: referenceCode, reason: "is not a reference monitor")) }
        } else {
            issues.append(InputIssue(InputLocation(field: "reference"), value: referenceCode, reason: "is not a sensor of the network"))
        }
        if code == referenceCode { issues.append(InputIssue(InputLocation(field: "reference"), value: referenceCode, reason: "is the sensor itself")) }
        let target = SensorTargets.shipped.target(parameter.rawValue)
        if target == nil {
            issues.append(InputIssue(InputLocation(field: "parameter"), value: parameter.rawValue, reason: "has no EPA targets",
                                     suggestion: SensorTargets.shipped.targets.map(\.parameter).joined(separator: ", ")))
        }
        if to <= from || to - from > 366 * 86_400 {
            issues.append(InputIssue(InputLocation(field: "to"), reason: "is before the first day, or more than a year after it"))
        } else if to > Int64(Date().timeIntervalSince1970) / 3600 * 3600 + 86_400 {
            issues.append(InputIssue(InputLocation(field: "to"), reason: "is after today: a collocation compares hours that have been measured"))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        let hours = try network.hours(sensors: [code, referenceCode], from: from, to: to)
        let paired = Collocation.pairs(sensor: hours.filter { $0.sensor == code }, reference: hours.filter { $0.sensor == referenceCode },
                                       parameter: parameter, unit: target!.unit)
        let fit: Collocation
        switch Collocation.fit(sensor: paired.sensor, reference: paired.reference) {
        case let .success(found): fit = found
        case let .failure(refusal):
            throw InputErrors([InputIssue(InputLocation(field: "sensor"), value: code,
                                          reason: "and \(referenceCode) give no fit over these days: \(refusal.description)")])
        }
        let judgements = fit.judged(by: target!)
        let now = CityCarbonDatabase.now()
        let id = try database.write { db -> Int64 in
            let judged = JSONValue.array(judgements.map {
                .object([("metric", .string($0.metric)), ("value", .number($0.value)), ("target", .string($0.target)), ("passes", .bool($0.passes))])
            }).serialized()
            let id = try Int64.fetchOne(db, sql: """
                INSERT INTO air_collocation (sensor, reference, parameter, from_hour, to_hour, pairs, slope, intercept, r2, rmse, nrmse, unit, judgements,
                  passes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, arguments: [code, referenceCode, parameter.rawValue, from, to, fit.pairs, fit.slope, fit.intercept, fit.r2, fit.rmse,
                                 fit.nrmse.isFinite ? fit.nrmse : nil, target!.unit, judged, judgements.allSatisfy(\.passes) ? 1 : 0, actor, now])!
            try AuditTrail.append(db, actor: actor, action: "air.collocation", entity: "air_collocation", entityID: String(id),
                                  after: .object([("sensor", .string(code)), ("reference", .string(referenceCode)), ("parameter", .string(parameter.rawValue)),
                                                  ("pairs", .integer(fit.pairs)), ("passes", .bool(judgements.allSatisfy(\.passes)))]))
            return id
        }
        return Record(id: id, sensor: code, reference: referenceCode, parameter: parameter, from: from, to: to, fit: fit, unit: target!.unit,
                      judgements: judgements, createdBy: actor, createdAt: now)
    }

    /// The collocations kept, newest first; of one sensor when `sensor` is given.
    public func list(sensor: String? = nil, limit: Int = 200) throws -> [Record] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM air_collocation\(sensor == nil ? "" : " WHERE sensor = ?") ORDER BY id DESC LIMIT ?",
                                arguments: SQLArguments((sensor.map { [SQLValue.text($0)] } ?? []) + [.integer(Int64(limit))])).compactMap { row in
                guard let parameter = AirParameter(rawValue: row["parameter"]) else { return nil }
                let judged = (try? JSONReader.read(Data((row["judgements"] as String).utf8))).map(JSONValue.init)
                var judgements: [Collocation.Judgement] = []
                if case let .array(items)? = judged {
                    for case let .object(members) in items {
                        func member(_ name: String) -> JSONValue? { members.first { $0.0 == name }?.1 }
                        guard case let .string(metric)? = member("metric"), case let .string(target)? = member("target"),
                              case let .bool(passes)? = member("passes") else { continue }
                        let value: Double = switch member("value") { case let .number(x)?: x; case let .integer(n)?: Double(n); default: .nan }
                        judgements.append(Collocation.Judgement(metric: metric, value: value, target: target, passes: passes))
                    }
                }
                let fit = Collocation(pairs: Int(row["pairs"] as Int64), slope: row["slope"], intercept: row["intercept"], r2: row["r2"], rmse: row["rmse"],
                                      nrmse: row["nrmse"] ?? .infinity, referenceMean: .nan)
                return Record(id: row["id"], sensor: row["sensor"], reference: row["reference"], parameter: parameter, from: row["from_hour"],
                              to: row["to_hour"], fit: fit, unit: row["unit"], judgements: judgements, createdBy: row["created_by"], createdAt: row["created_at"])
            }
        }
    }

    /// Every PM2.5 collocation whose fit can calibrate its sensor, as a correction version.
    public func calibrations() throws -> [SensorCorrection] {
        let offset = try CitySettingsRepository(database).current().utcOffsetMinutes
        return try list(limit: 10_000).filter { $0.parameter == .pm25 }.compactMap { try? Self.calibration($0, utcOffsetMinutes: offset).get() }
    }

    /// The calibration a kept collocation gives, or why it gives none.
    public static func calibration(_ record: Record, utcOffsetMinutes: Int) -> Result<SensorCorrection, SensorCorrection.CalibrationRefusal> {
        guard let target = SensorTargets.shipped.target(record.parameter.rawValue) else { return .failure(.parameter(record.parameter.rawValue)) }
        let days = record.days(utcOffsetMinutes: utcOffsetMinutes)
        return SensorCorrection.calibration(
            record.fit, parameter: record.parameter.rawValue, target: target, collocation: record.id,
            title: "Calibration of \(record.sensor) fitted by collocation \(record.id) with \(record.reference), \(days)",
            source: String(format: "Collocation %lld of %@ with the reference monitor %@ over %d hours, %@: sensor = %.4f × reference %+.3f, R² %.3f; "
                           + "run by %@ at %@", record.id, record.sensor, record.reference, record.fit.pairs, days, record.fit.slope,
                           record.fit.intercept, record.fit.r2, record.createdBy, record.createdAt))
    }

    /// Makes collocation `id`'s fit its sensor's correction: the PM2.5 hours stored from now on go
    /// through it and name it. Hours already stored keep the version they went through. Refused
    /// for a collocation that is not PM2.5 or whose fit cannot calibrate.
    /// - Returns: the calibration, and whether the sensor had another correction before (a
    ///   request sent twice changes nothing the second time, and records nothing).
    public func apply(_ id: Int64, by actor: String) throws -> (calibration: SensorCorrection, changed: Bool) {
        guard let record = try list(limit: 10_000).first(where: { $0.id == id }) else {
            throw InputErrors([InputIssue(InputLocation(field: "collocation"), value: String(id), reason: "is not a kept collocation")])
        }
        let calibration: SensorCorrection
        switch Self.calibration(record, utcOffsetMinutes: try CitySettingsRepository(database).current().utcOffsetMinutes) {
        case .success(let found): calibration = found
        case .failure(let refusal):
            throw InputErrors([InputIssue(InputLocation(field: "collocation"), value: String(id), reason: refusal.description)])
        }
        let changed = try database.write { db -> Bool in
            let before = try String.fetchOne(db, sql: "SELECT correction FROM air_sensor WHERE code = ?", arguments: [record.sensor])
            if before == calibration.id { return false }
            try db.execute(sql: "UPDATE air_sensor SET correction = ? WHERE code = ?", arguments: [calibration.id, record.sensor])
            try AuditTrail.append(db, actor: actor, action: "air.calibrate", entity: "air_sensor", entityID: record.sensor,
                                  before: .object([("correction", before.map(JSONValue.string) ?? .null)]),
                                  after: .object([("correction", .string(calibration.id)), ("pm", .number(calibration.pm)),
                                                  ("intercept", .number(calibration.intercept))]))
            return true
        }
        database.sensorThings.invalidate()
        return (calibration, changed)
    }
}
