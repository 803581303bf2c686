import CarbonAccounting
import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation

/// The indicator catalogue as the public sees it: the emissions indicators read from the
/// published inventories and statistics (total, per capita, per unit of GDP, by sector), then
/// the city's own indicators with the binding dual-control ones computed from data. The
/// indicator pages, the API and the yearly report all read it here.
package struct IndicatorCatalogue: Sendable {
    package static let emissionsID = EmissionsIndicators.totalID

    package let database: CityCarbonDatabase
    package let cache: InventoryCache

    package init(database: CityCarbonDatabase, cache: InventoryCache) {
        (self.database, self.cache) = (database, cache)
    }

    /// The catalogue with the emissions indicators first — total, per capita, per unit of GDP
    /// and by sector — then the city's own, as ``EmissionsIndicators`` derives them from the
    /// published inventories and statistics.
    package func entries() throws -> [CatalogueIndicator] {
        @Sendable func both(_ key: String, _ values: (Language) -> [String: String] = { _ in [:] }) -> Multilingual {
            Multilingual(Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, Localizer($0)(key, values($0))) }))
        }
        let tree = try JurisdictionRepository(database).tree()
        let statistics = try tree.roots.first.map { try StatisticsRepository(database).aggregated($0, tree: tree, edition: .published) } ?? [:]
        let published = try PublicationRepository(database).publishedYears().compactMap { year in try cache.published(year: year).map { (year, $0) } }
        let names = EmissionsIndicators.Names(total: both("indicators.emissions.total"), perCapita: both("indicators.emissions.capita"),
                                              perGDP: both("indicators.emissions.gdp")) { sector in
            both("indicators.emissions.sector") { ["sector": Localizer($0)("sector.\(sector)")] }
        }
        let derived = EmissionsIndicators.derived(published: published, statistics: statistics,
                                                  level: try CitySettingsRepository(database).current().headlineLevel, names: names)
        let own = try IndicatorRepository(database).all(edition: .published)
        let computed = EmissionsIndicators.computed(own.map(\.indicator), published: published, statistics: statistics)
        return derived.map { CatalogueIndicator(indicator: $0, group: "emissions", note: nil) }
            + zip(own, computed).map { CatalogueIndicator(indicator: $1, group: $0.group, note: $0.note) }
    }

    /// An indicator value as the pages print it, in the page's number form: whole above a
    /// million, two decimals under ten, one otherwise, none for a whole number.
    package static func format(_ x: Double, _ t: Localizer) -> String {
        t.number(x, decimals: abs(x) >= 1e6 || x == x.rounded() ? 0 : abs(x) < 10 ? 2 : 1)
    }
}
