import CarbonAccounting
import CarbonKit
import CarbonMonitoring
import Foundation

/// Metered sites against the inventory: what the meters add up to in each GPC row of each
/// district, month by month, beside the published inventory's cell for the same row.
public struct ReconciliationRow: Sendable, Hashable {
    public let jurisdiction: String
    /// The inventory row: the site's sub-sector with .1 (fuels, scope 1) or .2 (grid energy, scope 2).
    public let gpcRef: String
    public let fuel: String
    /// The quantity's default unit: meters in kWh and MWh are added up in it.
    public let unit: String
    public let datastreams: Int
    public let monthlyConsumption: [Double]
    public let monthlyKg: [Double]
    /// The published inventory's CO2e for the row, in tonnes; nil when the year is not published.
    public let inventoryTonnes: Double?
    /// The factor set ingestion priced this consumption with, when one set did for the whole
    /// year (`grid:cn_national:2023`, `IPCC2006`); nil when hourly series or several years took part.
    public let factorSet: String?

    public var consumption: Double { monthlyConsumption.reduce(0, +) }
    public var tonnes: Double { monthlyKg.reduce(0, +) / 1000 }
    /// The share of the inventory row the meters account for.
    public var coverage: Double? { inventoryTonnes.flatMap { $0 > 0 ? tonnes / $0 : nil } }
}

public struct MonitoringReconciliation: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    public func rows(year: Int) throws -> [ReconciliationRow] {
        let library = FactorLibrary.standard
        let quantities = MeterQuantityCatalog.standard
        return try database.read { db in
            let config = try MonitoringRegistry.config(db)
            let calendar = config.calendar
            let first = Day(year: year, month: 1, day: 1)!, last = Day(year: year, month: 12, day: 31)!
            let inventoryID = try Int64.fetchOne(db, sql: "SELECT inventory_id FROM inventory_publication WHERE year = ?", arguments: [year])
            let series = try MonitoringRegistry.factorSeries(db)
            let yearStartHour = calendar.start(ofDay: first) / 3600, yearEndHour = calendar.start(ofDay: last.adding(days: 1)) / 3600
            let seriesOverlap = series.contains { $0.startHour < yearEndHour && $0.endHour > yearStartHour }
            let rows = try SQLRow.fetchAll(db, sql: """
                SELECT j.name AS jurisdiction, s.gpc_ref, ds.quantity, ds.factor_set, d.day, COUNT(DISTINCT ds.id) AS streams,
                  SUM(d.consumption) AS consumption, SUM(d.kg_co2e) AS kg
                FROM monitor_datastream_day d JOIN monitor_datastream ds ON ds.id = d.datastream_id
                JOIN monitor_site s ON s.id = ds.site_id JOIN jurisdiction j ON j.id = ds.jurisdiction_id
                WHERE d.day BETWEEN ? AND ? GROUP BY j.name, s.gpc_ref, ds.quantity, ds.factor_set, d.day
                """, arguments: [first.ordinal, last.ordinal])
            struct Key: Hashable { let jurisdiction, gpcRef, fuel, unit: String; let factorSet: String? }
            var sums: [Key: (streams: Int, consumption: [Double], kg: [Double])] = [:]
            for row in rows {
                guard let quantity = quantities[row["quantity"]], let fuel = quantity.fuel, quantity.direction == .consumption,
                      let fuelEntry = library.fuels[fuel], let gpcRow = library.taxonomy.energyRow(subsector: row["gpc_ref"], fuel: fuelEntry) else { continue }
                let key = Key(jurisdiction: row["jurisdiction"], gpcRef: gpcRow.ref,
                              fuel: fuel, unit: quantity.defaultUnit, factorSet: row["factor_set"])
                let month = Day(ordinal: row["day"]).month - 1
                var entry = sums[key] ?? (0, Array(repeating: 0, count: 12), Array(repeating: 0, count: 12))
                entry.streams = max(entry.streams, row["streams"])
                entry.consumption[month] += row["consumption"]
                entry.kg[month] += row["kg"]
                sums[key] = entry
            }
            let gridYear = (library.gridSeries[config.gridSeries] ?? []).filter { $0 <= year }.max()
            return try sums.keys.sorted { ($0.jurisdiction, $0.gpcRef, $0.fuel, $0.unit) < ($1.jurisdiction, $1.gpcRef, $1.fuel, $1.unit) }.map { key in
                let entry = sums[key]!
                let inventory = try inventoryID.flatMap { id in
                    try Double.fetchOne(db, sql: """
                        SELECT c.co2e_t FROM inventory_cell c JOIN jurisdiction j ON j.id = c.jurisdiction_id
                        WHERE c.inventory_id = ? AND j.name = ? AND c.gpc_ref = ?
                        """, arguments: [id, key.jurisdiction, key.gpcRef])
                }
                let factorSet: String? = key.factorSet ?? (key.fuel == "electricity"
                    ? (seriesOverlap ? nil : gridYear.map { "grid:\(config.gridSeries):\($0)" })
                    : config.fuelFactorSet)
                return ReconciliationRow(jurisdiction: key.jurisdiction, gpcRef: key.gpcRef, fuel: key.fuel, unit: key.unit, datastreams: entry.streams,
                                         monthlyConsumption: entry.consumption, monthlyKg: entry.kg, inventoryTonnes: inventory, factorSet: factorSet)
            }
        }
    }

    /// The year's metered consumption as activity rows the inventory imports (`citycarbon
    /// import`), priced with the factor set ingestion used, so that the inventory's rows for
    /// covered sites equal what the meters add up to.
    public func activityCSV(year: Int) throws -> String {
        var text = "year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,source\n"
        for row in try rows(year: year) where row.consumption > 0 {
            let source = "metered: \(row.datastreams) datastream\(row.datastreams == 1 ? "" : "s")"
            text += "\(year),\(Self.csv(row.jurisdiction)),\(row.gpcRef),\(row.fuel),\(JSONValue.format(row.consumption)),\(row.unit),\(row.factorSet ?? ""),H,\(source)\n"
        }
        return text
    }

    static func csv(_ field: String) -> String { CSVOutput.field(field) }
}
