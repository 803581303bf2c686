import CarbonKit
import CarbonMonitoring
import Foundation

/// The city now: what monitored sites have used and emitted today, against a typical day.
public struct Nowcast: Sendable {
    public struct Area: Sendable, Hashable {
        public let name: String
        public let todayKg: Double
        /// The mean of the same weekdays of the four weeks before, up to the same hour.
        public let typicalKg: Double?
        public var change: Double? { typicalKg.flatMap { $0 > 0 ? todayKg / $0 - 1 : nil } }
    }

    public let now: UnixSeconds
    public let day: Day
    /// Complete hours of today so far.
    public let hoursElapsed: Int
    public let city: Area
    public let districts: [Area]
    /// By GPC sub-sector (I.1, I.2 …).
    public let sectors: [Area]
    /// Today's kg CO2e by local hour, and the typical day's.
    public let todayByHour: [Double?]
    public let typicalByHour: [Double?]
    /// Consumption so far today by quantity (its default unit as registered).
    public let consumptionByQuantity: [(quantity: String, amount: Double)]
    public let monthToDateKg: Double
    public let previousMonthSamePeriodKg: Double?
    public let readingsToday: Int
    public let latestReading: UnixSeconds?
}

public struct SiteDetail: Sendable {
    public struct Stream: Sendable {
        public let summary: DatastreamSummary
        public let lastValue: Double?
        public let todayByHour: [Double?]
        public let typicalByHour: [Double?]
        public let gapsToday: [GapDetector.Gap]
        /// Why the stream has no emissions, when it has none.
        public let unpriced: String?
    }

    public let summary: SiteSummary
    public let streams: [Stream]
    /// The last 30 local days: consumption per quantity and kg CO2e.
    public let days: [(day: Day, kg: Double, consumption: [String: Double])]
    public let monthToDateKg: Double
    public let intensity: [IntensityBenchmark.Entry]
    public let alerts: [MonitoringAlert]
}

public struct MonitoringAlert: Sendable, Hashable {
    public let id: Int64
    public let datastream: String
    public let site: String
    public let siteName: String
    public let organisation: String
    public let kind: Anomaly.Kind
    public let from: UnixSeconds
    public let to: UnixSeconds
    public let observed: Double?
    public let expected: Double?
    public let status: String
}

/// Reading what ingestion wrote: nowcast, site pages, alerts, benchmarks, gaps, reconciliation.
public struct MonitoringRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    public func nowcast(now: UnixSeconds = UnixSeconds(Date().timeIntervalSince1970)) throws -> Nowcast {
        try database.read { db in
            let window = NowcastWindow(now: now, calendar: try MonitoringRegistry.config(db).calendar)
            let (firstHour, currentHour) = (window.firstHour, window.currentHour)
            // Sum of kg by key for today, and for each of the same weekdays before.
            func sums(_ key: String, _ span: NowcastWindow.Span) throws -> [String: Double] {
                var result: [String: Double] = [:]
                for row in try SQLRow.fetchAll(db, sql: """
                    SELECT \(key) AS k, SUM(h.kg_co2e) AS kg FROM monitor_hour h JOIN jurisdiction j ON j.id = h.jurisdiction_id
                    WHERE h.hour BETWEEN ? AND ? GROUP BY k
                    """, arguments: [span.from, span.to]) { result[row["k"]] = row["kg"] }
                return result
            }
            func areas(_ key: String) throws -> (today: [String: Double], typical: [String: Double]) {
                let today = try sums(key, window.today)
                var typical: [String: [Double]] = [:]
                for span in window.typicalSpans {
                    for (name, kg) in try sums(key, span) { typical[name, default: []].append(kg) }
                }
                return (today, typical.compactMapValues(NowcastWindow.typical))
            }
            // Every area with a metered datastream is listed, with or without readings yet today
            // (in the first hour of a day nothing is complete, yet the districts are still metered).
            func list(_ pair: (today: [String: Double], typical: [String: Double]), metered: [String] = []) -> [Nowcast.Area] {
                Set(pair.today.keys).union(pair.typical.keys).union(metered).sorted().map {
                    Nowcast.Area(name: $0, todayKg: pair.today[$0] ?? 0, typicalKg: pair.typical[$0])
                }
            }
            let meteredDistricts = try String.fetchAll(db, sql: """
                SELECT DISTINCT j.name FROM monitor_datastream d JOIN jurisdiction j ON j.id = d.jurisdiction_id
                """)
            let meteredSectors = try String.fetchAll(db, sql: """
                SELECT DISTINCT s.gpc_ref FROM monitor_datastream d JOIN monitor_site s ON s.id = d.site_id
                """)
            let city = try areas("'city'")
            var todayByHour = [Double?](repeating: nil, count: 24)
            for row in try SQLRow.fetchAll(db, sql: "SELECT hour, SUM(kg_co2e) AS kg FROM monitor_hour WHERE hour BETWEEN ? AND ? GROUP BY hour",
                                        arguments: [firstHour, currentHour]) {
                todayByHour[Int((row["hour"] as Int64) - firstHour)] = row["kg"]
            }
            var typicalSums = [[Double]](repeating: [], count: 24)
            for span in window.typicalDays {
                for row in try SQLRow.fetchAll(db, sql: "SELECT hour, SUM(kg_co2e) AS kg FROM monitor_hour WHERE hour BETWEEN ? AND ? GROUP BY hour",
                                            arguments: [span.from, span.to]) {
                    typicalSums[Int((row["hour"] as Int64) - span.from)].append(row["kg"])
                }
            }
            let typicalByHour = typicalSums.map(NowcastWindow.typical)
            let consumption = try SQLRow.fetchAll(db, sql: """
                SELECT quantity, SUM(consumption) AS amount FROM monitor_hour WHERE hour BETWEEN ? AND ? GROUP BY quantity ORDER BY quantity
                """, arguments: [firstHour, currentHour]).map { (quantity: $0["quantity"] as String, amount: $0["amount"] as Double) }
            let monthToDate = try Double.fetchOne(db, sql: "SELECT SUM(kg_co2e) FROM monitor_hour WHERE hour BETWEEN ? AND ?",
                                                  arguments: [window.monthToDate.from, window.monthToDate.to]) ?? 0
            let previousKg = try Double.fetchOne(db, sql: "SELECT SUM(kg_co2e) FROM monitor_hour WHERE hour BETWEEN ? AND ?",
                                                 arguments: [window.previousMonthSamePeriod.from, window.previousMonthSamePeriod.to])
            let readings = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(readings), 0) FROM monitor_hour WHERE hour BETWEEN ? AND ?",
                                            arguments: [firstHour, currentHour]) ?? 0
            let latest = try Int64.fetchOne(db, sql: "SELECT MAX(last_time) FROM monitor_datastream")
            let cityArea = list(city).first ?? Nowcast.Area(name: "city", todayKg: 0, typicalKg: nil)
            return Nowcast(now: now, day: window.day, hoursElapsed: window.hoursElapsed, city: cityArea, districts: list(try areas("j.name"), metered: meteredDistricts),
                           sectors: list(try areas("h.gpc_ref"), metered: meteredSectors), todayByHour: todayByHour, typicalByHour: typicalByHour,
                           consumptionByQuantity: consumption, monthToDateKg: monthToDate, previousMonthSamePeriodKg: previousKg,
                           readingsToday: readings, latestReading: latest)
        }
    }

    /// Hourly consumption of one datastream from its readings, between two hours (inclusive).
    static func hourly(_ db: any SQLConnection, datastream: Int64, fromHour: Int64, toHour: Int64) throws -> [(hour: Int64, value: Double)] {
        try SQLRow.fetchAll(db, sql: """
            SELECT (t - 1) / 3600 AS hour, SUM(consumption) AS c FROM monitor_reading
            WHERE datastream_id = ? AND t > ? AND t <= ? AND consumption IS NOT NULL GROUP BY hour ORDER BY hour
            """, arguments: [datastream, fromHour * 3600, (toHour + 1) * 3600]).map { (hour: $0["hour"] as Int64, value: $0["c"] as Double) }
    }

    public func site(_ key: String, now: UnixSeconds = UnixSeconds(Date().timeIntervalSince1970)) throws -> SiteDetail? {
        guard let summary = try MonitoringRegistry(database).site(key) else { return nil }
        let unpriced = try database.write { db -> [Int64: String] in
            try database.monitoring.refresh(db)
            var result: [Int64: String] = [:]
            for (index, reason) in database.monitoring.unpriced { result[database.monitoring.streams[Int(index)].id] = reason }
            return result
        }
        let streams = try MonitoringRegistry(database).datastreams(site: key)
        let intensity = try benchmark(days: 28, now: now).filter { $0.peerGroup == "\(summary.site.kind.rawValue)/\(summary.site.use)" }
        let alerts = try self.alerts(site: key, status: nil, limit: 50)
        return try database.read { db in
            let calendar = try MonitoringRegistry.config(db).calendar
            let today = calendar.day(endingAt: now + 1)
            let firstHour = calendar.start(ofDay: today) / 3600
            let currentHour = calendar.hour(endingAt: now + 1)
            var details: [SiteDetail.Stream] = []
            for stream in streams {
                var todayByHour = [Double?](repeating: nil, count: 24)
                for (hour, value) in try Self.hourly(db, datastream: stream.id, fromHour: firstHour, toHour: currentHour) {
                    todayByHour[Int(hour - firstHour)] = value
                }
                let history = try Self.hourly(db, datastream: stream.id, fromHour: firstHour - 28 * 24, toHour: firstHour - 1)
                let baseline = Baseline(hourly: history, calendar: calendar)
                let typical = (0..<24).map { baseline.slot(ofHour: firstHour + Int64($0), calendar: calendar)?.median }
                let times = try Int64.fetchAll(db, sql: "SELECT t FROM monitor_reading WHERE datastream_id = ? AND t > ? AND t <= ? ORDER BY t",
                                               arguments: [stream.id, firstHour * 3600, now])
                let gaps = GapDetector.gaps(times: times, interval: stream.datastream.intervalSeconds,
                                            windowStart: max(firstHour * 3600, stream.registeredAt), windowEnd: now)
                let lastValue = try Double.fetchOne(db, sql: "SELECT value FROM monitor_reading WHERE datastream_id = ? ORDER BY t DESC LIMIT 1", arguments: [stream.id])
                details.append(.init(summary: stream, lastValue: lastValue, todayByHour: todayByHour, typicalByHour: typical,
                                     gapsToday: gaps, unpriced: unpriced[stream.id]))
            }
            let firstDay = today.adding(days: -29)
            var byDay: [Int: (kg: Double, consumption: [String: Double])] = [:]
            for row in try SQLRow.fetchAll(db, sql: """
                SELECT d.day, s.quantity, SUM(d.consumption) AS c, SUM(d.kg_co2e) AS kg FROM monitor_datastream_day d
                JOIN monitor_datastream s ON s.id = d.datastream_id WHERE s.site_id = ? AND d.day BETWEEN ? AND ? GROUP BY d.day, s.quantity
                """, arguments: [summary.id, firstDay.ordinal, today.ordinal]) {
                let day: Int = row["day"]
                byDay[day, default: (0, [:])].kg += row["kg"]
                byDay[day, default: (0, [:])].consumption[row["quantity"]] = row["c"]
            }
            let days = (0..<30).map { offset -> (day: Day, kg: Double, consumption: [String: Double]) in
                let day = firstDay.adding(days: offset)
                return (day, byDay[day.ordinal]?.kg ?? 0, byDay[day.ordinal]?.consumption ?? [:])
            }
            let monthStart = Day(year: today.year, month: today.month, day: 1)!
            let monthKg = try Double.fetchOne(db, sql: """
                SELECT SUM(d.kg_co2e) FROM monitor_datastream_day d JOIN monitor_datastream s ON s.id = d.datastream_id
                WHERE s.site_id = ? AND d.day BETWEEN ? AND ?
                """, arguments: [summary.id, monthStart.ordinal, today.ordinal]) ?? 0
            return SiteDetail(summary: summary, streams: details, days: days, monthToDateKg: monthKg, intensity: intensity, alerts: alerts)
        }
    }

    /// kg CO2e per m² per year over the last `days` complete local days, ranked within each
    /// peer group (kind/use); with `quantity`, that quantity's consumption per m² per year instead.
    public func benchmark(days: Int = 28, quantity: String? = nil, now: UnixSeconds = UnixSeconds(Date().timeIntervalSince1970)) throws -> [IntensityBenchmark.Entry] {
        try database.read { db in
            let calendar = try MonitoringRegistry.config(db).calendar
            let today = calendar.day(endingAt: now + 1)
            let rows = try SQLRow.fetchAll(db, sql: """
                SELECT s.key, s.kind, s.use, s.floor_area_m2, SUM(\(quantity == nil ? "d.kg_co2e" : "d.consumption")) AS amount
                FROM monitor_site s JOIN monitor_datastream ds ON ds.site_id = s.id
                JOIN monitor_datastream_day d ON d.datastream_id = ds.id
                WHERE d.day BETWEEN ? AND ? AND (CAST(? AS TEXT) IS NULL OR ds.quantity = ?) AND s.floor_area_m2 > 0
                GROUP BY s.id
                """, arguments: [today.ordinal - days, today.ordinal - 1, quantity, quantity])
            let annualise = 365.0 / Double(days)
            return IntensityBenchmark.rank(rows.map { row in
                IntensityBenchmark.Input(siteKey: row["key"], peerGroup: "\(row["kind"] as String)/\(row["use"] as String)",
                                         amount: (row["amount"] as Double) * annualise, denominator: row["floor_area_m2"])
            })
        }
    }

    public func alerts(organisation: String? = nil, site: String? = nil, status: String? = "open", limit: Int = 200) throws -> [MonitoringAlert] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT a.*, d.key AS datastream, s.key AS site, s.name AS site_name, s.organisation FROM monitor_alert a
                JOIN monitor_datastream d ON d.id = a.datastream_id JOIN monitor_site s ON s.id = a.site_id
                WHERE (CAST(? AS TEXT) IS NULL OR lower(s.organisation) = lower(?)) AND (CAST(? AS TEXT) IS NULL OR s.key = ?) AND (CAST(? AS TEXT) IS NULL OR a.status = ?)
                ORDER BY a.from_t DESC, a.id DESC LIMIT ?
                """, arguments: [organisation, organisation, site, site, status, status, limit]).map { row in
                MonitoringAlert(id: row["id"], datastream: row["datastream"], site: row["site"], siteName: row["site_name"],
                                organisation: row["organisation"], kind: Anomaly.Kind(rawValue: row["kind"]) ?? .spike,
                                from: row["from_t"], to: row["to_t"], observed: row["observed"], expected: row["expected"], status: row["status"])
            }
        }
    }

    /// Marks an alert seen; an organisation's staff may only acknowledge their own.
    @discardableResult
    public func acknowledge(alert id: Int64, organisation: String?, actor: String) throws -> Bool {
        try database.write { db in
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT a.status, s.organisation FROM monitor_alert a JOIN monitor_site s ON s.id = a.site_id WHERE a.id = ?
                """, arguments: [id]) else { return false }
            if let organisation, (row["organisation"] as String).lowercased() != organisation.lowercased() { return false }
            try db.execute(sql: "UPDATE monitor_alert SET status = 'acknowledged' WHERE id = ?", arguments: [id])
            try AuditTrail.append(db, actor: actor, action: "acknowledge", entity: "monitor_alert", entityID: "\(id)",
                                  before: .string(row["status"]), after: .string("acknowledged"))
            return true
        }
    }

    /// Looks for spikes and flat lines in the last 24 hours of every datastream that read in
    /// them, against its four-week baseline, and for datastreams gone silent.
    /// Found anomalies become alerts (once each). Returns how many were new.
    @discardableResult
    public func scan(now: UnixSeconds = UnixSeconds(Date().timeIntervalSince1970), rules: AnomalyRules = AnomalyRules()) throws -> Int {
        // The looking is a read (in WAL mode it runs beside ingestion); only the findings are written.
        let findings = try database.read { db -> [(datastream: Int64, site: Int64, anomaly: Anomaly)] in
            let calendar = try MonitoringRegistry.config(db).calendar
            let currentHour = calendar.hour(endingAt: now + 1)
            var found: [(Int64, Int64, Anomaly)] = []
            for row in try SQLRow.fetchAll(db, sql: "SELECT id, site_id, kind, interval_s, registered_at, last_time FROM monitor_datastream") {
                let id: Int64 = row["id"], site: Int64 = row["site_id"]
                let lastTime: Int64? = row["last_time"]
                if let missing = AnomalyDetector.missing(lastReading: lastTime, since: row["registered_at"], intervalSeconds: row["interval_s"], now: now, rules: rules) {
                    found.append((id, site, missing))
                }
                guard row["kind"] as String != "instantaneous", let lastTime, lastTime > now - 86_400 else { continue }
                let recent = try Self.hourly(db, datastream: id, fromHour: currentHour - 24, toHour: currentHour - 1)
                let history = try Self.hourly(db, datastream: id, fromHour: currentHour - 24 - 28 * 24, toHour: currentHour - 25)
                let baseline = Baseline(hourly: history, calendar: calendar)
                for anomaly in AnomalyDetector.spikes(hourly: recent, baseline: baseline, calendar: calendar, rules: rules)
                    + AnomalyDetector.flatlines(hourly: recent, baseline: history.isEmpty ? nil : baseline, calendar: calendar, rules: rules) {
                    found.append((id, site, anomaly))
                }
            }
            return found
        }
        guard !findings.isEmpty else { return 0 }
        return try database.write { db in
            let insert = db.makeStatement(sql: """
                INSERT INTO monitor_alert (datastream_id, site_id, kind, from_t, to_t, observed, expected, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
            // A silence still going on keeps its one alert and stretches it to now.
            let extend = db.makeStatement(sql: "UPDATE monitor_alert SET to_t = ? WHERE datastream_id = ? AND kind = 'missing' AND from_t = ? AND to_t < ?")
            var added = 0
            for (datastream, site, anomaly) in findings {
                try insert.execute(arguments: [datastream, site, anomaly.kind.rawValue, anomaly.from, anomaly.to, anomaly.observed, anomaly.expected, now])
                if db.changesCount > 0 {
                    added += 1
                } else if anomaly.kind == .missing {
                    try extend.execute(arguments: [anomaly.to, datastream, anomaly.from, anomaly.to])
                }
            }
            if added > 0 {
                try AuditTrail.append(db, actor: "system", action: "scan", entity: "monitor_alert", after: .object([("new", .number(Double(added)))]))
            }
            return added
        }
    }

    /// Gaps in one datastream's readings between two times.
    public func gaps(datastream key: String, from: UnixSeconds, to: UnixSeconds) throws -> [GapDetector.Gap]? {
        try database.read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, interval_s FROM monitor_datastream WHERE key = ?", arguments: [key]) else { return nil }
            let times = try Int64.fetchAll(db, sql: "SELECT t FROM monitor_reading WHERE datastream_id = ? AND t > ? AND t <= ? ORDER BY t",
                                           arguments: [row["id"] as Int64, from, to])
            return GapDetector.gaps(times: times, interval: row["interval_s"], windowStart: from, windowEnd: to)
        }
    }
}
