import CarbonAccounting
import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans

/// Where each district of the city stands, one row per district: its emissions in the latest
/// published inventory at the city's headline level, per resident, its light in the latest
/// published assessment, and today's monitored emissions against a typical day. The map's
/// layers, the district list and each district's page read these rows, so a district's figure
/// is the same wherever it shows.
package struct DistrictFigures: Sendable {
    package struct Row: Sendable {
        package var jurisdiction: Jurisdiction
        /// The latest published year's figures (nil when no inventory is published).
        package var figures: CityFigures?
        package var assessment: DistrictResult?
        /// Today so far and a typical day, from the monitored sites (nil without any).
        package var live: Nowcast.Area?
        package var name: String { jurisdiction.name }
    }

    /// The city (the tree's root) the districts belong to.
    package var city: String
    package var year: Int?
    /// The city's headline level, which every row's emissions are at.
    package var level: HeadlineLevel
    package var assessmentYear: Int?
    /// The whole city's emissions in `year` at the same level: the districts need not add up
    /// to it (aviation, waste or grid rows kept for the city as a whole).
    package var cityTonnes: Double?
    package var rows: [Row]

    package func row(_ name: String) -> Row? { rows.first { $0.name == name } }

    /// The districts are the root's children, in the tree's order.
    package static func load(database: CityCarbonDatabase, cache: InventoryCache, nowcast: Nowcast?) throws -> DistrictFigures {
        let tree = try JurisdictionRepository(database).tree()
        let city = tree.roots.first ?? "CityCarbon"
        let districts = tree.order.compactMap { tree.nodes[$0] }.filter { $0.parent == city }
        let year = try PublicationRepository(database).publishedYears().last
        let inventory = try year.flatMap { try cache.published(year: $0) }
        let level = try CitySettingsRepository(database).current().headlineLevel
        let statistics = StatisticsRepository(database)
        let assessment = try AssessmentRepository(database).all().last { $0.state == .published }
        var rows: [Row] = []
        for district in districts {
            var figures: CityFigures?
            if let year, let inventory, inventory.jurisdictions.contains(where: { $0.name == district.name }) {
                let statistic = try statistics.aggregated(district.name, tree: tree, edition: .published)[year]
                figures = CityFigures(year: year, totals: inventory.totals(year: year, jurisdiction: district.name),
                                      bySector: inventory.bySector(year: year, jurisdiction: district.name), statistics: statistic, level: level)
            }
            rows.append(Row(jurisdiction: district, figures: figures,
                            assessment: assessment?.results.first { $0.jurisdiction == district.name },
                            live: nowcast?.districts.first { $0.name == district.name }))
        }
        let cityTonnes = year.flatMap { y in inventory.map { level.tonnes($0.totals(year: y)) } }
        return DistrictFigures(city: city, year: year, level: level, assessmentYear: assessment?.year, cityTonnes: cityTonnes, rows: rows)
    }
}
