import CityCarbonPages
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation
import Hummingbird

/// Readings in, through the platform's own batch endpoint and the SensorThings create
/// endpoints, for integration keys; the nowcast and alerts out. A batch is answered only once
/// it is committed to disk.
struct MonitoringAPI: Sendable {
    let database: CityCarbonDatabase

    static let staRoot = "sta/v1.1"

    func addRoutes(to routes: RouteRegistrar) {
        routes.client(.post, "api/v1/readings", .ingestReadings) { request, _, principal in
            let body = try await FormData.body(of: request, limit: BodyLimit.upload)
            let bytes = [UInt8](body.readableBytesView)
            guard !bytes.isEmpty else {
                throw InputErrors([InputIssue(InputLocation(field: "body"), reason: "is empty",
                                              suggestion: "send readings as text/csv, application/json or application/senml+json")])
            }
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let source = request.uri.queryParameters.get("source").map { String($0) } ?? "api"
            // JSON Schema counts code points, not grapheme clusters.
            guard (1...200).contains(source.unicodeScalars.count) else {
                throw InputErrors([InputIssue(InputLocation(field: "source"), value: String(source.prefix(40)), reason: "must be 1 to 200 characters")])
            }
            let format: ReadingPayload.Format
            if type.hasPrefix("text/csv") { format = .csv } else if type.hasPrefix("application/senml+json") { format = .senml } else if type.hasPrefix("application/json") {
                format = .json
            } else {
                throw ProblemDetails(.unsupportedMediaType, "send readings as text/csv, application/json or application/senml+json, not \(type.isEmpty ? "no content type" : type)")
            }
            let payload = try ReadingPayload.decode(bytes, format: format, source: source, now: UnixSeconds(Date().timeIntervalSince1970))
            let report = try ReadingIngestor(database).ingest(payload.readings, units: payload.units, scope: principal.monitoringScope,
                                                              actor: principal.actor, source: source, locate: payload.locate)
            return Self.json(report).httpResponse()
        }
        routes.client(.get, "api/v1/monitoring/alerts", .ingestReadings) { request, _, principal in
            let status = request.uri.queryParameters.get("status").map { String($0) } ?? "open"
            guard status == "open" || status == "all" else {
                throw InputErrors([InputIssue(InputLocation(field: "status"), value: status, reason: "is open or all")])
            }
            let all = status == "all"
            var alerts = try MonitoringRepository(database).alerts(organisation: principal.role.isScoped ? principal.organisation : nil,
                                                                   status: all ? nil : "open")
            if !principal.sites.isEmpty { alerts = alerts.filter { principal.sites.contains($0.site) } }
            return JSONValue.object([("alerts", .array(alerts.map(Self.json)))]).httpResponse()
        }
        routes.open(.get, "api/v1/monitoring/rollups") { request, _ in
            let asked = try Self.rollupQuery(request, levels: [.city, .district, .sector])
            let query = asked.capped()
            let rows = try MonitoringRollups(database).rows(level: query.level, period: query.period, from: query.from, to: query.to)
            return Self.json(rows, query: query, next: query.nextLink(path: "api/v1/monitoring/rollups", end: asked.to)).httpResponse()
        }
        routes.client(.get, "api/v1/monitoring/rollups/sites", .ingestReadings) { request, _, principal in
            let asked = try Self.rollupQuery(request, levels: [.organisation, .site])
            let query = asked.capped()
            let rows = try MonitoringRollups(database).rows(level: query.level, period: query.period, from: query.from, to: query.to,
                                                            scope: principal.monitoringScope)
            return Self.json(rows, query: query, next: query.nextLink(path: "api/v1/monitoring/rollups/sites", end: asked.to)).httpResponse()
        }
        routes.open(.get, "api/v1/monitoring/nowcast") { _, _ in
            Self.json(try MonitoringRepository(database).nowcast()).httpResponse()
        }
    }

    struct RollupQuery {
        let level: MonitoringRollups.Level
        let period: MonitoringRollups.Period
        let from: Day
        var to: Day
        /// Where the next page starts when the range asked for is longer than one answer holds.
        var next: Day?

        /// The most days one answer covers: 31 of hours, 366 of days, ten years of months. A
        /// longer range is answered a page at a time, each with a `next` link.
        static func maximumDays(_ period: MonitoringRollups.Period) -> Int {
            switch period { case .hour: 31; case .day: 366; case .month: 3660 }
        }

        func capped() -> RollupQuery {
            var query = self
            let limit = Self.maximumDays(period)
            if from.days(until: to) >= limit {
                query.to = from.adding(days: limit - 1)
                query.next = from.adding(days: limit)
            }
            return query
        }

        /// The next page of the range that ended at `end`.
        func nextLink(path: String, end: Day) -> String? {
            next.map { "/\(path)?level=\(level.rawValue)&period=\(period.rawValue)&from=\($0)&to=\(end)" }
        }
    }

    /// `level`, `period` (hour, day, month; default day), `from` and `to` (local days, inclusive).
    static func rollupQuery(_ request: Request, levels: [MonitoringRollups.Level]) throws -> RollupQuery {
        func text(_ name: String) -> String? { request.uri.queryParameters.get(name).map { String($0) } }
        var issues: [InputIssue] = []
        let levelText = text("level") ?? levels[0].rawValue
        let level = MonitoringRollups.Level(rawValue: levelText).flatMap { levels.contains($0) ? $0 : nil }
        if level == nil {
            issues.append(InputIssue(InputLocation(field: "level"), value: String(levelText.prefix(40)), reason: "is one of " + levels.map(\.rawValue).joined(separator: ", ")))
        }
        let periodText = text("period") ?? "day"
        let period = MonitoringRollups.Period(rawValue: periodText)
        if period == nil { issues.append(InputIssue(InputLocation(field: "period"), value: String(periodText.prefix(40)), reason: "is hour, day or month")) }
        var days: [Day] = []
        for name in ["from", "to"] {
            guard let value = text(name) else { issues.append(InputIssue(InputLocation(field: name), reason: "is required (a day, 2026-11-25)")); continue }
            guard let day = Day(value) else {
                issues.append(InputIssue(InputLocation(field: name), value: String(value.prefix(40)), reason: "is not a day (2026-11-25)")); continue
            }
            days.append(day)
        }
        guard issues.isEmpty, let level, let period else { throw InputErrors(issues) }
        return RollupQuery(level: level, period: period, from: days[0], to: days[1], next: nil)
    }

    static func json(_ rows: [MonitoringRollups.Row], query: RollupQuery, next: String?) -> JSONValue {
        let units = Set(rows.flatMap { $0.consumption.keys }).sorted().map { ($0, JSONValue.string(MeterQuantityCatalog.standard[$0]?.defaultUnit ?? "")) }
        return .object([("level", .string(query.level.rawValue)), ("period", .string(query.period.rawValue)),
                        ("from", .string(query.from.description)), ("to", .string(query.to.description)), ("next", next.map(JSONValue.string) ?? .null),
                        ("units", .object(units)),
                        ("rows", .array(rows.map { row in
                            .object([("key", .string(row.key)), ("period", .string(row.period)), ("kg_co2e", .number(row.kgCO2e)),
                                     ("readings", .integer(row.readings)),
                                     ("consumption", .object(row.consumption.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }))])
                        }))])
    }

    static func json(_ report: IngestReport) -> JSONValue {
        .object([("received", .integer(report.received)), ("stored", .integer(report.stored)), ("duplicates", .integer(report.duplicates)),
                 ("revised", .integer(report.revised)), ("late", .integer(report.late)), ("kg_co2e", .number(report.kgCO2e)),
                 ("flagged", .object(report.flagged.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .integer($0.value)) })),
                 ("gap_count", .integer(report.gapCount)), ("missing_readings", .integer(report.missingReadings)),
                 ("gaps", .array(report.gaps.map { .object([("datastream", .string($0.datastream)), ("from", .string(Timestamp.iso($0.from))),
                                                            ("to", .string(Timestamp.iso($0.to))), ("missing", .integer($0.missing))]) }))])
    }

    static func json(_ alert: MonitoringAlert) -> JSONValue {
        .object([("id", .integer(Int(alert.id))), ("kind", .string(alert.kind.rawValue)), ("site", .string(alert.site)), ("datastream", .string(alert.datastream)),
                 ("organisation", .string(alert.organisation)), ("from", .string(Timestamp.iso(alert.from))), ("to", .string(Timestamp.iso(alert.to))),
                 ("observed", alert.observed.map(JSONValue.number) ?? .null), ("expected", alert.expected.map(JSONValue.number) ?? .null),
                 ("status", .string(alert.status))])
    }

    static func json(_ n: Nowcast) -> JSONValue {
        func area(_ a: Nowcast.Area) -> JSONValue {
            .object([("name", .string(a.name)), ("today_kg_co2e", .number(a.todayKg)), ("typical_kg_co2e", a.typicalKg.map(JSONValue.number) ?? .null),
                     ("change", a.change.map(JSONValue.number) ?? .null)])
        }
        return .object([("now", .string(Timestamp.iso(n.now))), ("day", .string(n.day.description)), ("hours_elapsed", .integer(n.hoursElapsed)),
                        ("city", area(n.city)), ("districts", .array(n.districts.map(area))), ("sectors", .array(n.sectors.map(area))),
                        ("today_by_hour_kg_co2e", .array(n.todayByHour.map { $0.map(JSONValue.number) ?? .null })),
                        ("typical_by_hour_kg_co2e", .array(n.typicalByHour.map { $0.map(JSONValue.number) ?? .null })),
                        ("consumption", .array(n.consumptionByQuantity.map { .object([("quantity", .string($0.quantity)), ("amount", .number($0.amount))]) })),
                        ("month_to_date_kg_co2e", .number(n.monthToDateKg)),
                        ("previous_month_same_period_kg_co2e", n.previousMonthSamePeriodKg.map(JSONValue.number) ?? .null),
                        ("readings_today", .integer(n.readingsToday)), ("latest_reading", n.latestReading.map { .string(Timestamp.iso($0)) } ?? .null)])
    }
}
