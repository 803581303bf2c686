import CarbonAccounting
import CarbonKit
import CarbonMonitoring
import CityProgramme
import Foundation

/// The city's monitoring settings: its clock and the factor sources that price its meters.
public struct MonitoringConfig: Sendable, Hashable {
    public var utcOffsetMinutes: Int
    /// The grid series (`grid.csv`) whose annual factors price electricity where no hourly series applies.
    public var gridSeries: String
    /// The factor set that prices fuels (`IPCC2006`, `CN2011`, a custom set).
    public var fuelFactorSet: String
    public var gwp: String
    /// The times a reading may carry (earliest, and how far ahead of the server clock).
    public var window: ReadingWindow = .standard

    public var calendar: MonitoringCalendar { MonitoringCalendar(utcOffsetMinutes: utcOffsetMinutes) }
}

/// Sites and datastreams (SensorThings' Things and Datastreams), imported from sheets.
///
/// A datastream's history is only meaningful in its own unit and kind: once it has readings,
/// its quantity, unit, kind and multiplier can no longer change (register a new datastream).
public struct MonitoringRegistry: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let siteColumns = MonitoringSheets.siteColumns
    static let datastreamColumns = MonitoringSheets.datastreamColumns

    public func config() throws -> MonitoringConfig {
        try database.read { db in try Self.config(db) }
    }

    /// The clock, grid series, fuel factor set and GWP set are the city's settings
    /// (``CitySettingsRepository``); the reading window is monitoring's own.
    static func config(_ db: any SQLConnection) throws -> MonitoringConfig {
        let row = try SQLRow.fetchOne(db, sql: "SELECT earliest_reading, max_ahead_s FROM monitor_config WHERE id = 1")!
        let city = try CitySettingsRepository.current(db)
        return MonitoringConfig(utcOffsetMinutes: city.utcOffsetMinutes, gridSeries: city.gridSeries, fuelFactorSet: city.factorSet, gwp: city.gwp,
                                window: ReadingWindow(earliest: row["earliest_reading"], maxAheadSeconds: row["max_ahead_s"]))
    }

    /// Changes the settings; every datastream's factors are looked up again, past readings keep theirs.
    public func setConfig(_ config: MonitoringConfig, actor: String) throws {
        let library = FactorLibrary.standard
        var issues: [InputIssue] = []
        if library.gridSeries[config.gridSeries] == nil {
            issues.append(InputIssue(InputLocation(field: "grid_series"), value: config.gridSeries, reason: "no such grid series",
                                     suggestion: Suggestion.didYouMean(config.gridSeries, among: Array(library.gridSeries.keys))))
        }
        if library.sets[config.fuelFactorSet] == nil {
            issues.append(InputIssue(InputLocation(field: "fuel_factor_set"), value: config.fuelFactorSet, reason: "no such factor set"))
        }
        if (try? GasCatalog.standard.gwpSet(config.gwp)) == nil {
            issues.append(InputIssue(InputLocation(field: "gwp"), value: config.gwp, reason: "no such GWP set"))
        }
        if !(ReadingWindow.standard.earliest - 100 * 365 * 86_400...Int64(Date().timeIntervalSince1970)).contains(config.window.earliest) {
            issues.append(InputIssue(InputLocation(field: "earliest_reading"), value: Timestamp.iso(config.window.earliest),
                                     reason: "must be between 1900 and now"))
        }
        if !(0...(366 * 86_400)).contains(config.window.maxAheadSeconds) {
            issues.append(InputIssue(InputLocation(field: "max_ahead_s"), value: "\(config.window.maxAheadSeconds)", reason: "must be 0 to a year"))
        }
        if !(-14 * 60...14 * 60).contains(config.utcOffsetMinutes) {
            issues.append(InputIssue(InputLocation(field: "utc_offset_minutes"), value: "\(config.utcOffsetMinutes)", reason: "not a UTC offset"))
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        try database.write { db in
            let before = try Self.config(db)
            var city = try CitySettingsRepository.current(db)
            (city.utcOffsetMinutes, city.gridSeries, city.factorSet, city.gwp) = (config.utcOffsetMinutes, config.gridSeries, config.fuelFactorSet, config.gwp)
            try CitySettingsRepository.save(db, city)
            try db.execute(sql: "UPDATE monitor_config SET earliest_reading = ?, max_ahead_s = ? WHERE id = 1",
                           arguments: [config.window.earliest, config.window.maxAheadSeconds])
            try MonitoringState.countWrite(db)
            try AuditTrail.append(db, actor: actor, action: "update", entity: "monitor_config", entityID: "1",
                                  before: .string("\(before)"), after: .string("\(config)"))
        }
        database.monitoring.invalidate()
        database.sensorThings.invalidate()
    }

    // MARK: Sites

    /// Adds or updates sites from a CSV with the columns of ``siteColumns`` (the last three optional).
    @discardableResult
    public func importSites(_ bytes: [UInt8], file: String, actor: String) throws -> (added: Int, updated: Int) {
        let table = try MonitoringSheets.table(bytes, file: file, required: Array(Self.siteColumns.prefix(7)), known: Self.siteColumns)
        return try database.write { db in
            let jurisdictions = try JurisdictionRepository.ids(db)
            let sites = try MonitoringSheets.sites(table, jurisdictions: Set(jurisdictions.keys)).map { ($0, jurisdictions[$0.jurisdiction]!) }
            var added = 0, updated = 0
            let now = CityCarbonDatabase.now()
            for (site, jurisdictionID) in sites {
                let existing = try Int64.fetchOne(db, sql: "SELECT id FROM monitor_site WHERE key = ?", arguments: [site.key])
                let values: [(any SQLValueConvertible)?] = [site.name, site.kind.rawValue, site.use, jurisdictionID, site.organisation, site.gpcRef,
                                                                 site.floorAreaM2, site.annualOutput, site.outputUnit]
                if let existing {
                    try db.execute(sql: """
                        UPDATE monitor_site SET name = ?, kind = ?, use = ?, jurisdiction_id = ?, organisation = ?, gpc_ref = ?,
                          floor_area_m2 = ?, annual_output = ?, output_unit = ? WHERE id = ?
                        """, arguments: SQLArguments(values + [existing]))
                    try db.execute(sql: "UPDATE monitor_datastream SET jurisdiction_id = ? WHERE site_id = ?", arguments: [jurisdictionID, existing])
                    updated += 1
                } else {
                    try db.execute(sql: """
                        INSERT INTO monitor_site (key, name, kind, use, jurisdiction_id, organisation, gpc_ref, floor_area_m2, annual_output, output_unit, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: SQLArguments([site.key] + values + [now]))
                    added += 1
                }
            }
            try MonitoringState.countWrite(db)
            try AuditTrail.append(db, actor: actor, action: "import", entity: "monitor_site", entityID: file,
                                  after: .object([("added", .number(Double(added))), ("updated", .number(Double(updated)))]))
            database.monitoring.invalidate()
            database.sensorThings.invalidate()
            return (added, updated)
        }
    }

    public func sites() throws -> [SiteSummary] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT s.*, j.name AS jurisdiction, (SELECT COUNT(*) FROM monitor_datastream d WHERE d.site_id = s.id) AS datastreams
                FROM monitor_site s JOIN jurisdiction j ON j.id = s.jurisdiction_id ORDER BY s.key
                """).map(SiteSummary.init)
        }
    }

    public func site(_ key: String) throws -> SiteSummary? {
        try database.read { db in
            try SQLRow.fetchOne(db, sql: """
                SELECT s.*, j.name AS jurisdiction, (SELECT COUNT(*) FROM monitor_datastream d WHERE d.site_id = s.id) AS datastreams
                FROM monitor_site s JOIN jurisdiction j ON j.id = s.jurisdiction_id WHERE s.key = ?
                """, arguments: [key]).map(SiteSummary.init)
        }
    }

    // MARK: Datastreams

    /// Adds or updates datastreams from a CSV with the columns of ``datastreamColumns``
    /// (`multiplier` defaults to 1; `rollover_at`, `max_per_hour` and `factor_set` are optional).
    @discardableResult
    public func importDatastreams(_ bytes: [UInt8], file: String, actor: String) throws -> (added: Int, updated: Int) {
        let table = try MonitoringSheets.table(bytes, file: file, required: Array(Self.datastreamColumns.prefix(6)), known: Self.datastreamColumns)
        return try database.write { db in
            var siteIDs: [String: (Int64, Int64)] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT id, key, jurisdiction_id FROM monitor_site") { siteIDs[row["key"]] = (row["id"], row["jurisdiction_id"]) }
            let streams = try MonitoringSheets.datastreams(table, sites: Set(siteIDs.keys)).map { entry in
                (entry.stream, entry.factorSet, siteIDs[entry.stream.siteKey]!.0, siteIDs[entry.stream.siteKey]!.1, entry.line)
            }
            var issues: [InputIssue] = []
            var added = 0, updated = 0
            let now = Int64(Date().timeIntervalSince1970)
            for (stream, factorSet, siteID, jurisdictionID, line) in streams {
                if let existing = try SQLRow.fetchOne(db, sql: "SELECT id, quantity, unit, kind, multiplier, last_time FROM monitor_datastream WHERE key = ?", arguments: [stream.key]) {
                    let changed = existing["quantity"] as String != stream.quantity || existing["unit"] as String != stream.unit
                        || existing["kind"] as String != stream.kind.rawValue || existing["multiplier"] as Double != stream.multiplier
                    if changed, (existing["last_time"] as Int64?) != nil {
                        issues.append(InputIssue(InputLocation(file: file, row: line, field: "key"), value: stream.key,
                                                 reason: "has readings: its quantity, unit, kind and multiplier cannot change",
                                                 suggestion: "register the new meter under a new key"))
                        continue
                    }
                    try db.execute(sql: """
                        UPDATE monitor_datastream SET site_id = ?, jurisdiction_id = ?, quantity = ?, unit = ?, kind = ?, interval_s = ?,
                          multiplier = ?, rollover_at = ?, max_per_hour = ?, factor_set = ? WHERE id = ?
                        """, arguments: [siteID, jurisdictionID, stream.quantity, stream.unit, stream.kind.rawValue, stream.intervalSeconds,
                                         stream.multiplier, stream.rolloverAt, stream.maxPerHour, factorSet, existing["id"] as Int64])
                    updated += 1
                } else {
                    try db.execute(sql: """
                        INSERT INTO monitor_datastream (key, site_id, jurisdiction_id, quantity, unit, kind, interval_s, multiplier, rollover_at,
                          max_per_hour, factor_set, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [stream.key, siteID, jurisdictionID, stream.quantity, stream.unit, stream.kind.rawValue, stream.intervalSeconds,
                                         stream.multiplier, stream.rolloverAt, stream.maxPerHour, factorSet, now])
                    added += 1
                }
            }
            guard issues.isEmpty else { throw InputErrors(issues) }
            try MonitoringState.countWrite(db)
            try AuditTrail.append(db, actor: actor, action: "import", entity: "monitor_datastream", entityID: file,
                                  after: .object([("added", .number(Double(added))), ("updated", .number(Double(updated)))]))
            database.monitoring.invalidate()
            database.sensorThings.invalidate()
            return (added, updated)
        }
    }

    public func datastreams(site: String? = nil) throws -> [DatastreamSummary] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT d.*, s.key AS site_key FROM monitor_datastream d JOIN monitor_site s ON s.id = d.site_id
                WHERE CAST(? AS TEXT) IS NULL OR s.key = ? ORDER BY d.key
                """, arguments: [site, site]).map(DatastreamSummary.init)
        }
    }

    // MARK: Factor series

    /// Imports an hourly or daily grid factor series (`time,kg_per_kwh`, regular steps, times
    /// ending each step like readings do). It prices electricity in the hours it covers.
    @discardableResult
    public func importFactorSeries(_ bytes: [UInt8], file: String, name: String, source: String, actor: String) throws -> FactorTimeline.Series {
        let table = try MonitoringSheets.table(bytes, file: file, required: ["time", "kg_per_kwh"], known: ["time", "kg_per_kwh"])
        let series = try MonitoringSheets.factorSeries(table, name: name, source: source)
        let blob = series.kgPerUnit.withUnsafeBufferPointer { Data(buffer: $0) }
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO monitor_factor_series (name, start_hour, step_hours, kg_per_kwh, source, imported_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET start_hour = excluded.start_hour, step_hours = excluded.step_hours, kg_per_kwh = excluded.kg_per_kwh,
                  source = excluded.source, imported_at = excluded.imported_at
                """, arguments: [name, series.startHour, series.stepHours, blob, source, CityCarbonDatabase.now()])
            try MonitoringState.countWrite(db)
            try AuditTrail.append(db, actor: actor, action: "import", entity: "monitor_factor_series", entityID: name,
                                  after: .object([("points", .number(Double(series.kgPerUnit.count))), ("source", .string(source))]))
        }
        database.monitoring.invalidate()
        database.sensorThings.invalidate()
        return series
    }

    static func factorSeries(_ db: any SQLConnection) throws -> [FactorTimeline.Series] {
        try SQLRow.fetchAll(db, sql: "SELECT name, start_hour, step_hours, kg_per_kwh FROM monitor_factor_series ORDER BY start_hour").map { row in
            let data: Data = row["kg_per_kwh"]
            let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            return FactorTimeline.Series(name: row["name"], startHour: row["start_hour"], stepHours: row["step_hours"], kgPerUnit: values)
        }
    }
}

public struct SiteSummary: Sendable, Hashable {
    public let id: Int64
    public let site: Site
    public let datastreams: Int

    init(_ row: SQLRow) {
        id = row["id"]
        site = Site(key: row["key"], name: row["name"], kind: Site.Kind(rawValue: row["kind"]) ?? .building, use: row["use"],
                    jurisdiction: row["jurisdiction"], organisation: row["organisation"], gpcRef: row["gpc_ref"],
                    floorAreaM2: row["floor_area_m2"], annualOutput: row["annual_output"], outputUnit: row["output_unit"])
        datastreams = row["datastreams"]
    }
}

public struct DatastreamSummary: Sendable, Hashable {
    public let id: Int64
    public let datastream: Datastream
    public let factorSet: String?
    public let registeredAt: UnixSeconds
    public let lastTime: UnixSeconds?

    init(_ row: SQLRow) {
        id = row["id"]
        datastream = Datastream(key: row["key"], siteKey: row["site_key"], quantity: row["quantity"], unit: row["unit"],
                                kind: Datastream.ReadingKind(rawValue: row["kind"]) ?? .interval, intervalSeconds: row["interval_s"],
                                multiplier: row["multiplier"], rolloverAt: row["rollover_at"], maxPerHour: row["max_per_hour"])
        factorSet = row["factor_set"]
        registeredAt = row["registered_at"]
        lastTime = row["last_time"]
    }
}
