import CarbonAccounting
import CarbonKit
import CarbonMonitoring
import CityProgramme
import Foundation

/// What ingestion keeps in memory so that a reading that extends a meter's history is written
/// without reading anything back: every datastream's rule, factor timeline, roll-up cell and
/// newest reading.
///
/// It is only read and changed inside the store's write transactions, which are serial;
/// ``invalidate()`` may be called from anywhere. It reloads when a repository in this process
/// changed the registry or the settings, and when another process (the CLI beside a running
/// server) committed: SQLite's `PRAGMA data_version`, PostgreSQL's `store_version` counter.
final class MonitoringState: @unchecked Sendable {
    struct Stream {
        let id: Int64
        let key: String
        let siteID: Int64
        let siteKey: String
        let organisation: String
        let jurisdictionID: Int64
        /// Index into ``cells``: the (jurisdiction, GPC sub-sector, quantity) roll-up row.
        let cell: Int32
        let rule: ConsumptionRule
        /// What the datastream can physically be sent; anything else is refused with its batch.
        let bounds: ReadingBounds
        let intervalSeconds: Int
        /// Index into ``timelines``; -1 when the quantity is not priced (water, generation) or no factor fits.
        let timeline: Int32
        let unit: String
        let quantity: String
        let isAdditive: Bool
        /// Turns consumption in the datastream's unit into the quantity's default unit, which
        /// the roll-ups use so that kWh and MWh meters add up.
        let rollupScale: Double
        let registeredAt: UnixSeconds
        var lastTime: UnixSeconds?
        var lastValue: Double?
    }

    struct Cell: Hashable {
        let jurisdictionID: Int64
        let gpcRef: String
        let quantity: String
    }

    private let lock = NSLock()
    private var generation = 0

    // Writer-only state.
    private var loadedGeneration = -1
    private var dataVersion: Int64 = -1
    var streams: [Stream] = []
    var indexByKey: [String: Int32] = [:]
    var indexByID: [Int64: Int32] = [:]
    var cells: [Cell] = []
    var timelines: [FactorTimeline] = []
    /// Why a stream has no timeline, by stream index, for the pages to say.
    var unpriced: [Int32: String] = [:]
    var config = MonitoringConfig(utcOffsetMinutes: CitySettings.standard.utcOffsetMinutes, gridSeries: CitySettings.standard.gridSeries,
                                  fuelFactorSet: CitySettings.standard.factorSet, gwp: CitySettings.standard.gwp)

    func invalidate() { lock.withLock { generation += 1 } }

    /// Reloads from the database when anything it mirrors may have changed. Writer only.
    func refresh(_ db: any SQLConnection) throws {
        let wanted = lock.withLock { generation }
        let version = try Self.changeCount(db)
        guard wanted != loadedGeneration || version != dataVersion else { return }
        try load(db)
        loadedGeneration = wanted
        dataVersion = version
    }

    /// How many times other connections changed what this mirrors.
    ///
    /// SQLite's `PRAGMA data_version` does not move for this connection's own commits. On
    /// PostgreSQL every ingestion and registry commit counts itself in `store_version`
    /// (``countWrite(_:)``), and reading the row locks it to the end of the transaction, so
    /// two processes ingest one after the other.
    static func changeCount(_ db: any SQLConnection) throws -> Int64 {
        switch db.dialect {
        case .sqlite: try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        case .postgres: try Int64.fetchOne(db, sql: "SELECT monitoring FROM store_version WHERE id = 1 FOR UPDATE") ?? 0
        }
    }

    /// Counts a write of the registry or the readings, for the other processes' caches.
    static func countWrite(_ db: any SQLConnection) throws {
        guard db.dialect == .postgres else { return }
        try db.execute(sql: "UPDATE store_version SET monitoring = monitoring + 1 WHERE id = 1")
    }

    /// After this process's ingestion committed: its own count is not another's write.
    func committedOwnWrite(_ dialect: SQLDialect) {
        if dialect == .postgres { dataVersion += 1 }
    }

    /// Month partitions of `monitor_reading` known to exist (PostgreSQL), by lower bound.
    var partitions: Set<Int64> = []

    /// Creates the month partitions that readings between `first` and `last` fall in.
    func ensurePartitions(_ db: any SQLConnection, first: UnixSeconds, last: UnixSeconds) throws {
        guard db.dialect == .postgres else { return }
        for month in PostgresSchema.monthBounds(from: first, to: last) where !partitions.contains(month.lower) {
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(month.name) PARTITION OF monitor_reading FOR VALUES FROM (\(month.lower)) TO (\(month.upper))")
            partitions.insert(month.lower)
        }
    }

    private func load(_ db: any SQLConnection) throws {
        config = try MonitoringRegistry.config(db)
        let library = FactorLibrary.standard
        let gwp = try GasCatalog.standard.gwpSet(config.gwp)
        let series = try MonitoringRegistry.factorSeries(db)
        let quantities = MeterQuantityCatalog.standard
        var timelineIndex: [String: Int32] = [:]
        var cellIndex: [Cell: Int32] = [:]
        streams = []; indexByKey = [:]; indexByID = [:]; cells = []; timelines = []; unpriced = [:]
        partitions = []
        try db.forEachRow(sql: """
            SELECT d.id, d.key, d.site_id, s.key AS site_key, s.organisation, d.jurisdiction_id, s.gpc_ref, d.quantity, d.unit, d.kind,
              d.interval_s, d.multiplier, d.rollover_at, d.max_per_hour, d.factor_set, d.registered_at, d.last_time, d.last_value
            FROM monitor_datastream d JOIN monitor_site s ON s.id = d.site_id ORDER BY d.id
            """, arguments: []) { row in
            let quantityKey: String = row["quantity"]
            guard let quantity = quantities[quantityKey] else { return }
            let unit: String = row["unit"]
            let gpcRef: String = row["gpc_ref"]
            let factorSet: String? = row["factor_set"]
            let datastream = Datastream(key: row["key"], siteKey: row["site_key"], quantity: quantityKey, unit: unit,
                                        kind: Datastream.ReadingKind(rawValue: row["kind"]) ?? .interval, intervalSeconds: row["interval_s"],
                                        multiplier: row["multiplier"], rolloverAt: row["rollover_at"], maxPerHour: row["max_per_hour"])
            let cell = Cell(jurisdictionID: row["jurisdiction_id"], gpcRef: gpcRef, quantity: quantityKey)
            let cellID: Int32
            if let known = cellIndex[cell] { cellID = known } else {
                cellID = Int32(cells.count); cells.append(cell); cellIndex[cell] = cellID
            }
            let index = Int32(streams.count)
            var timeline: Int32 = -1
            if let fuel = quantity.fuel, quantity.direction == .consumption {
                let signature = "\(fuel)|\(unit)|\(gpcRef)|\(factorSet ?? "")"
                if let known = timelineIndex[signature] {
                    timeline = known
                } else {
                    do {
                        let built = try Self.timeline(fuel: fuel, unit: unit, gpcRef: gpcRef, factorSet: factorSet, config: config,
                                                      library: library, gwp: gwp, series: series)
                        timeline = Int32(timelines.count)
                        timelines.append(built)
                        timelineIndex[signature] = timeline
                    } catch {
                        unpriced[index] = "\(error)"
                    }
                }
            }
            let stream = Stream(id: row["id"], key: datastream.key, siteID: row["site_id"], siteKey: datastream.siteKey,
                                organisation: row["organisation"], jurisdictionID: cell.jurisdictionID, cell: cellID,
                                rule: ConsumptionRule(datastream: datastream, quantity: quantity),
                                bounds: ReadingBounds(datastream: datastream, quantity: quantity), intervalSeconds: datastream.intervalSeconds,
                                timeline: timeline, unit: unit, quantity: quantityKey, isAdditive: quantity.isAdditive,
                                rollupScale: Self.scale(from: unit, to: quantity.defaultUnit), registeredAt: row["registered_at"], lastTime: row["last_time"], lastValue: row["last_value"])
            indexByKey[stream.key] = index
            indexByID[stream.id] = index
            streams.append(stream)
        }
    }

    static func scale(from unit: String, to target: String) -> Double {
        guard unit != target, let from = UnitCatalog.standard.unit(unit), let to = UnitCatalog.standard.unit(target),
              from.dimension == to.dimension else { return 1 }
        return from.baseUnitsPerUnit / to.baseUnitsPerUnit
    }

    /// Kilograms of CO2e per unit of the datastream, by hour: the factor library's factors for
    /// the fuel in the site's GPC row (scope 1 for fuels, scope 2 for grid electricity and heat),
    /// weighted by the configured GWP set; electricity follows the grid series year by year and
    /// any imported hourly or daily series where it has values.
    static func timeline(fuel: String, unit: String, gpcRef: String, factorSet: String?, config: MonitoringConfig,
                         library: FactorLibrary, gwp: GWPSet, series: [FactorTimeline.Series]) throws -> FactorTimeline {
        guard let fuelEntry = library.fuels[fuel] else { throw MonitoringError.unpriced("the factor library has no fuel \(fuel)") }
        guard let entry = library.taxonomy.energyRow(subsector: gpcRef, fuel: fuelEntry) else {
            throw MonitoringError.unpriced("GPC has no row for \(fuel) in \(gpcRef)")
        }
        let measure = UnitCatalog.standard.unit(unit)
        guard let measure else { throw MonitoringError.unpriced("unit \(unit) is not in the unit catalogue") }
        func kgCO2e(_ set: FactorSet) throws -> Double {
            let resolved = try set.resolve(fuel: fuelEntry, entry: entry, technology: nil, unit: measure)
            return try resolved.gases.reduce(0) { $0 + $1.kgPerActivityUnit * (try gwp.potential(of: $1.gas)) }
        }
        if let factorSet {
            guard let set = library.sets[factorSet] else { throw MonitoringError.unpriced("no factor set \(factorSet)") }
            return FactorTimeline(constant: try kgCO2e(set))
        }
        if fuel == "electricity" {
            var annual: [Int: Double] = [:]
            for year in library.gridSeries[config.gridSeries] ?? [] {
                if let set = library.sets["grid:\(config.gridSeries):\(year)"] { annual[year] = try kgCO2e(set) }
            }
            guard !annual.isEmpty else { throw MonitoringError.unpriced("grid series \(config.gridSeries) has no factors") }
            let perKWh = try UnitCatalog.standard.require("kWh")
            let scale = measure.baseUnitsPerUnit / perKWh.baseUnitsPerUnit
            let scaled = series.map { FactorTimeline.Series(name: $0.name, startHour: $0.startHour, stepHours: $0.stepHours, kgPerUnit: $0.kgPerUnit.map { $0 * scale }) }
            return FactorTimeline(annual: annual, series: scaled)
        }
        guard let set = library.sets[config.fuelFactorSet] else { throw MonitoringError.unpriced("no factor set \(config.fuelFactorSet)") }
        return FactorTimeline(constant: try kgCO2e(set))
    }
}

public enum MonitoringError: Error, Sendable, CustomStringConvertible {
    case unpriced(String)
    /// The caller may not send readings for these datastreams.
    case outOfScope([String])

    public var description: String {
        switch self {
        case .unpriced(let reason): reason
        case .outOfScope(let keys): "not allowed to send readings for \(keys.prefix(5).joined(separator: ", "))\(keys.count > 5 ? " and \(keys.count - 5) more" : "")"
        }
    }
}
