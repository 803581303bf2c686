import CarbonKit
import CarbonMonitoring
import Foundation

/// Metered consumption and emissions added up by place and by period: the city, a district, a
/// GPC sub-sector, an organisation or a site, by hour, day or month (local calendar).
public struct MonitoringRollups: Sendable {
    public enum Level: String, Sendable, CaseIterable { case city, district, sector, organisation, site }
    public enum Period: String, Sendable, CaseIterable { case hour, day, month }

    public struct Row: Sendable, Hashable {
        /// The district, sub-sector, organisation or site (`city` for the city).
        public let key: String
        /// `2026-11-25T08` (the local hour starting then), `2026-11-25` or `2026-11`.
        public let period: String
        public let kgCO2e: Double
        public let readings: Int
        /// By quantity, in its default unit (kWh, m3 …).
        public let consumption: [String: Double]
    }

    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// The longest range each period may ask for at the organisation and site levels, whose hours
    /// come from the readings themselves; the city, district and sector levels read the hourly
    /// roll-up and cost what data there is, whatever the range.
    public static func maximumDays(_ period: Period) -> Int {
        switch period { case .hour: 31; case .day: 366; case .month: 3660 }
    }

    /// Rows ordered by period then key. Only sites `scope` allows are counted at the organisation
    /// and site levels; city, district and sector levels are the public aggregates.
    /// A range whose `to` is before its `from` is empty.
    public func rows(level: Level, period: Period, from: Day, to: Day, scope: IngestScope = .everything) throws -> [Row] {
        guard from <= to else { return [] }
        guard level == .city || level == .district || level == .sector || to.ordinal - from.ordinal < Self.maximumDays(period) else {
            throw InputErrors([InputIssue(InputLocation(field: "to"), value: to.description,
                                          reason: "a \(period.rawValue)ly roll-up covers at most \(Self.maximumDays(period)) days")])
        }
        return try database.read { db in
            let calendar = try MonitoringRegistry.config(db).calendar
            func label(day: Day) -> String { period == .month ? String(day.description.prefix(7)) : day.description }
            struct Key: Hashable { let key: String; let period: String }
            var sums: [Key: (kg: Double, readings: Int, consumption: [String: Double])] = [:]
            func add(_ key: String, _ period: String, _ quantity: String, _ consumption: Double, _ kg: Double, _ readings: Int) {
                var entry = sums[Key(key: key, period: period)] ?? (0, 0, [:])
                entry.kg += kg
                entry.readings += readings
                entry.consumption[quantity, default: 0] += consumption
                sums[Key(key: key, period: period)] = entry
            }
            let firstHour = calendar.start(ofDay: from) / 3600, endHour = calendar.start(ofDay: to.adding(days: 1)) / 3600 - 1
            switch level {
            case .city, .district, .sector:
                let key = level == .city ? "'city'" : level == .district ? "j.name" : "h.gpc_ref"
                for row in try SQLRow.fetchAll(db, sql: """
                    SELECT \(key) AS k, h.quantity, h.hour, SUM(h.consumption) AS c, SUM(h.kg_co2e) AS kg, SUM(h.readings) AS n
                    FROM monitor_hour h JOIN jurisdiction j ON j.id = h.jurisdiction_id WHERE h.hour BETWEEN ? AND ? GROUP BY k, h.quantity, h.hour
                    """, arguments: [firstHour, endHour]) {
                    let hour: Int64 = row["hour"]
                    let periodLabel: String
                    if period == .hour {
                        let slot = calendar.slot(ofHour: hour)
                        periodLabel = "\(Day(ordinal: Int(calendar.dayOrdinal(ofHour: hour))))T\(slot.hourOfDay < 10 ? "0" : "")\(slot.hourOfDay)"
                    } else {
                        periodLabel = label(day: Day(ordinal: Int(calendar.dayOrdinal(ofHour: hour))))
                    }
                    add(row["k"], periodLabel, row["quantity"], row["c"], row["kg"], row["n"])
                }
            case .organisation, .site:
                let sites = try SQLRow.fetchAll(db, sql: "SELECT id, key, organisation FROM monitor_site")
                    .filter { scope.allows(organisation: $0["organisation"], site: $0["key"]) }
                let keyOf = Dictionary(uniqueKeysWithValues: sites.map { ($0["id"] as Int64, level == .site ? $0["key"] as String : $0["organisation"] as String) })
                guard !keyOf.isEmpty else { break }
                let quantities = MeterQuantityCatalog.standard
                if period == .hour {
                    // Hourly site data comes from the readings themselves, in each meter's unit, scaled here.
                    for row in try SQLRow.fetchAll(db, sql: """
                        SELECT d.site_id, d.quantity, d.unit, (r.t - 1) / 3600 AS hour, SUM(r.consumption) AS c, SUM(COALESCE(r.kg_co2e, 0)) AS kg, COUNT(*) AS n
                        FROM monitor_reading r JOIN monitor_datastream d ON d.id = r.datastream_id
                        WHERE r.t > ? AND r.t <= ? AND r.consumption IS NOT NULL GROUP BY d.id, hour
                        """, arguments: [firstHour * 3600, (endHour + 1) * 3600]) {
                        guard let key = keyOf[row["site_id"]], let quantity = quantities[row["quantity"]], quantity.isAdditive else { continue }
                        let hour: Int64 = row["hour"]
                        let slot = calendar.slot(ofHour: hour)
                        let scale = MonitoringState.scale(from: row["unit"], to: quantity.defaultUnit)
                        add(key, "\(Day(ordinal: Int(calendar.dayOrdinal(ofHour: hour))))T\(slot.hourOfDay < 10 ? "0" : "")\(slot.hourOfDay)",
                            quantity.key, (row["c"] as Double) * scale, row["kg"], row["n"])
                    }
                } else {
                    for row in try SQLRow.fetchAll(db, sql: """
                        SELECT d.site_id, d.quantity, x.day, SUM(x.consumption) AS c, SUM(x.kg_co2e) AS kg, SUM(x.readings) AS n
                        FROM monitor_datastream_day x JOIN monitor_datastream d ON d.id = x.datastream_id
                        WHERE x.day BETWEEN ? AND ? GROUP BY d.site_id, d.quantity, x.day
                        """, arguments: [from.ordinal, to.ordinal]) {
                        guard let key = keyOf[row["site_id"]] else { continue }
                        add(key, label(day: Day(ordinal: row["day"])), row["quantity"], row["c"], row["kg"], row["n"])
                    }
                }
            }
            return sums.map { Row(key: $0.key.key, period: $0.key.period, kgCO2e: $0.value.kg, readings: $0.value.readings, consumption: $0.value.consumption) }
                .sorted { ($0.period, $0.key) < ($1.period, $1.key) }
        }
    }
}
