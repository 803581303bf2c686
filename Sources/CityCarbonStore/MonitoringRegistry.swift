import CarbonAccounting
import CarbonKit
import CarbonMonitoring
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

    static let siteColumns = ["key", "name", "kind", "use", "jurisdiction", "organisation", "gpc_ref", "floor_area_m2", "annual_output", "output_unit"]
    static let datastreamColumns = ["key", "site", "quantity", "unit", "kind", "interval_s", "multiplier", "rollover_at", "max_per_hour", "factor_set"]

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
    }

    // MARK: Sites

    /// Adds or updates sites from a CSV with the columns of ``siteColumns`` (the last three optional).
    @discardableResult
    public func importSites(_ bytes: [UInt8], file: String, actor: String) throws -> (added: Int, updated: Int) {
        let table = try Self.table(bytes, file: file, required: Array(Self.siteColumns.prefix(7)), known: Self.siteColumns)
        let taxonomy = GPCTaxonomy.standard
        return try database.write { db in
            let jurisdictions = try JurisdictionRepository.ids(db)
            var issues: [InputIssue] = []
            var sites: [(Site, Int64)] = []
            var seen: [String: Int] = [:]
            for row in table.rows {
                do throws(InputIssue) {
                    let key = try Self.uniqueKey(row, seen: &seen)
                    guard let kind = Site.Kind(rawValue: row["kind"]) else {
                        throw InputIssue(row.location("kind"), value: row["kind"], reason: "unknown site kind",
                                         suggestion: "one of " + Site.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    let jurisdiction = try row.required("jurisdiction")
                    guard let jurisdictionID = jurisdictions[jurisdiction] else {
                        throw InputIssue(row.location("jurisdiction"), value: jurisdiction, reason: "no such jurisdiction",
                                         suggestion: Suggestion.didYouMean(jurisdiction, among: Array(jurisdictions.keys)))
                    }
                    let gpcRef = try row.required("gpc_ref")
                    guard let entry = taxonomy.entry(gpcRef + ".1"), entry.sector == "I" || entry.sector == "II" else {
                        throw InputIssue(row.location("gpc_ref"), value: gpcRef, reason: "not a GPC energy or transport sub-sector",
                                         suggestion: "I.1 residential, I.2 commercial, I.3 industry, I.4 energy industries, I.5 agriculture, I.6 non-specified, II.1 on-road …")
                    }
                    func positive(_ column: String) throws(InputIssue) -> Double? {
                        guard let value = try row.optionalDouble(column) else { return nil }
                        guard value > 0 else { throw InputIssue(row.location(column), value: row[column], reason: "must be greater than zero") }
                        return value
                    }
                    let output = try positive("annual_output")
                    if output != nil, row["output_unit"].isEmpty {
                        throw InputIssue(row.location("output_unit"), reason: "an annual output needs its unit")
                    }
                    sites.append((Site(key: key, name: try row.required("name"), kind: kind, use: try row.required("use"),
                                       jurisdiction: jurisdiction, organisation: try row.required("organisation"), gpcRef: gpcRef,
                                       floorAreaM2: try positive("floor_area_m2"), annualOutput: output,
                                       outputUnit: row["output_unit"].isEmpty ? nil : row["output_unit"]), jurisdictionID))
                } catch {
                    issues.append(error)
                }
            }
            guard issues.isEmpty else { throw InputErrors(issues) }
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
        let table = try Self.table(bytes, file: file, required: Array(Self.datastreamColumns.prefix(6)), known: Self.datastreamColumns)
        let library = FactorLibrary.standard
        return try database.write { db in
            var siteIDs: [String: (Int64, Int64)] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT id, key, jurisdiction_id FROM monitor_site") { siteIDs[row["key"]] = (row["id"], row["jurisdiction_id"]) }
            var issues: [InputIssue] = []
            var streams: [(Datastream, factorSet: String?, siteID: Int64, jurisdictionID: Int64, line: Int)] = []
            var seen: [String: Int] = [:]
            for row in table.rows {
                do throws(InputIssue) {
                    let key = try Self.uniqueKey(row, seen: &seen)
                    let siteKey = try row.required("site")
                    guard let (siteID, jurisdictionID) = siteIDs[siteKey] else {
                        throw InputIssue(row.location("site"), value: siteKey, reason: "no such site",
                                         suggestion: Suggestion.didYouMean(siteKey, among: Array(siteIDs.keys)))
                    }
                    guard let kind = Datastream.ReadingKind(rawValue: row["kind"]) else {
                        throw InputIssue(row.location("kind"), value: row["kind"], reason: "unknown kind", suggestion: "interval, cumulative or instantaneous")
                    }
                    guard let interval = Int(row["interval_s"]) else {
                        throw InputIssue(row.location("interval_s"), value: row["interval_s"], reason: "seconds between readings, 60 to 86400")
                    }
                    let stream = Datastream(key: key, siteKey: siteKey, quantity: row["quantity"], unit: try row.required("unit"), kind: kind,
                                            intervalSeconds: interval, multiplier: try row.optionalDouble("multiplier") ?? 1,
                                            rolloverAt: try row.optionalDouble("rollover_at"), maxPerHour: try row.optionalDouble("max_per_hour"))
                    do throws(Datastream.Problem) { try stream.validate() } catch {
                        // The row's own text, as the sheet has it, is the value to show.
                        let text = row[error.field]
                        throw InputIssue(row.location(error.field), value: text.isEmpty ? error.value : text, reason: error.reason, suggestion: error.suggestion)
                    }
                    let factorSet = row["factor_set"].isEmpty ? nil : row["factor_set"]
                    if let factorSet, library.sets[factorSet] == nil {
                        throw InputIssue(row.location("factor_set"), value: factorSet, reason: "no such factor set",
                                         suggestion: Suggestion.didYouMean(factorSet, among: Array(library.sets.keys)))
                    }
                    streams.append((stream, factorSet, siteID, jurisdictionID, row.line))
                } catch {
                    issues.append(error)
                }
            }
            guard issues.isEmpty else { throw InputErrors(issues) }
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
        let table = try Self.table(bytes, file: file, required: ["time", "kg_per_kwh"], known: ["time", "kg_per_kwh"])
        var issues: [InputIssue] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty { issues.append(InputIssue(InputLocation(field: "name"), reason: "a series needs a name")) }
        if source.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(InputIssue(InputLocation(field: "source"), reason: "a series needs its source (publisher, document, year)"))
        }
        var points: [(UnixSeconds, Double)] = []
        for row in table.rows {
            do throws(InputIssue) {
                guard let t = Timestamp.parse(row["time"]) else {
                    throw InputIssue(row.location("time"), value: row["time"], reason: "not an ISO 8601 time with a zone")
                }
                let value = try row.double("kg_per_kwh")
                guard value >= 0, value < 3 else { throw InputIssue(row.location("kg_per_kwh"), value: row["kg_per_kwh"], reason: "not a plausible grid factor (0 to 3 kg/kWh)") }
                points.append((t, value))
            } catch {
                issues.append(error)
            }
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        guard points.count >= 2 else { throw InputErrors([InputIssue(InputLocation(file: file), reason: "a series needs at least two rows")]) }
        let step = points[1].0 - points[0].0
        guard step == 3600 || step == 86_400 else {
            throw InputErrors([InputIssue(InputLocation(file: file, row: 3, field: "time"), value: table.rows[1]["time"], reason: "steps must be one hour or one day")])
        }
        for i in 1..<points.count where points[i].0 - points[i - 1].0 != step {
            issues.append(InputIssue(table.rows[i].location("time"), value: table.rows[i]["time"], reason: "not \(step / 3600) h after the row before"))
        }
        guard issues.isEmpty else { throw InputErrors(Array(issues.prefix(100))) }
        let series = FactorTimeline.Series(name: name, startHour: (points[0].0 - step) / 3600, stepHours: Int(step / 3600), kgPerUnit: points.map(\.1))
        let blob = series.kgPerUnit.withUnsafeBufferPointer { Data(buffer: $0) }
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO monitor_factor_series (name, start_hour, step_hours, kg_per_kwh, source, imported_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET start_hour = excluded.start_hour, step_hours = excluded.step_hours, kg_per_kwh = excluded.kg_per_kwh,
                  source = excluded.source, imported_at = excluded.imported_at
                """, arguments: [name, series.startHour, series.stepHours, blob, source, CityCarbonDatabase.now()])
            try MonitoringState.countWrite(db)
            try AuditTrail.append(db, actor: actor, action: "import", entity: "monitor_factor_series", entityID: name,
                                  after: .object([("points", .number(Double(points.count))), ("source", .string(source))]))
        }
        database.monitoring.invalidate()
        return series
    }

    static func factorSeries(_ db: any SQLConnection) throws -> [FactorTimeline.Series] {
        try SQLRow.fetchAll(db, sql: "SELECT name, start_hour, step_hours, kg_per_kwh FROM monitor_factor_series ORDER BY start_hour").map { row in
            let data: Data = row["kg_per_kwh"]
            let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            return FactorTimeline.Series(name: row["name"], startHour: row["start_hour"], stepHours: row["step_hours"], kgPerUnit: values)
        }
    }

    /// The row's `key`, refused when an earlier row of the same sheet had it.
    static func uniqueKey(_ row: ReferenceTable.Row, seen: inout [String: Int]) throws(InputIssue) -> String {
        let key = try row.required("key")
        if let first = seen[key] { throw InputIssue(row.location("key"), value: key, reason: "also on row \(first)") }
        seen[key] = row.line
        return key
    }

    static func table(_ bytes: [UInt8], file: String, required: [String], known: [String]) throws(InputErrors) -> ReferenceTable {
        let table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ReferenceTable(name: file, bytes: b) }
        var issues: [InputIssue] = []
        for column in required where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column, reason: "required column is missing",
                                     suggestion: "columns: " + known.joined(separator: ", ")))
        }
        for (i, column) in table.columns.enumerated() where !known.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1), value: column, reason: "unknown column",
                                     suggestion: Suggestion.didYouMean(column, among: known)))
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        return table
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
