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
    package static let emissionsID = "emissions_basic_plus"

    package let database: CityCarbonDatabase
    package let cache: InventoryCache

    package init(database: CityCarbonDatabase, cache: InventoryCache) {
        (self.database, self.cache) = (database, cache)
    }

    /// The catalogue with the emissions indicators first — total, per capita, per unit of GDP
    /// and by sector — their values read from the published inventories and the statistics.
    package func entries() throws -> [CatalogueIndicator] {
        func both(_ key: String, _ values: [String: String] = [:]) -> Multilingual {
            Multilingual(["en": Localizer(.en)(key, values), "zh-Hans": Localizer(.zhHans)(key, values)])
        }
        let tree = try JurisdictionRepository(database).tree()
        let city = tree.roots.first
        let statistics = try city.map { try StatisticsRepository(database).aggregated($0, tree: tree, edition: .published) } ?? [:]
        let gdpUnit = statistics.values.compactMap { $0.gdpUnit.flatMap(MoneyUnit.init)?.intensityDenominator }.first ?? "unit of GDP"
        var total = Indicator(identifier: Self.emissionsID, name: both("indicators.emissions.total"), unit: "t CO2e", direction: .decrease, kind: .binding,
                              source: .inventory(.basicPlusTotal))
        var perCapita = Indicator(identifier: "emissions_per_capita", name: both("indicators.emissions.capita"), unit: "t CO2e per person", direction: .decrease,
                                  source: .inventory(.perCapita))
        var perGDP = Indicator(identifier: "emissions_per_gdp", name: both("indicators.emissions.gdp"), unit: "t CO2e per \(gdpUnit)", direction: .decrease,
                               kind: .binding, source: .inventory(.perGDP))
        var sectors: [String: Indicator] = [:]
        let level = try CitySettingsRepository(database).current().headlineLevel
        for year in try PublicationRepository(database).publishedYears() {
            guard let inventory = try cache.published(year: year) else { continue }
            let source = "published inventory \(year)"
            let figures = CityFigures(year: year, totals: inventory.totals(year: year), statistics: statistics[year], level: level)
            total.values.append(IndicatorValue(year: year, value: figures.tonnes, source: source))
            if let value = figures.perCapita {
                perCapita.values.append(IndicatorValue(year: year, value: value, source: "\(source) ÷ population (\(statistics[year]?.source ?? ""))"))
            }
            if let value = figures.perGDP?.value {
                perGDP.values.append(IndicatorValue(year: year, value: value, source: "\(source) ÷ GDP (\(statistics[year]?.source ?? ""))"))
            }
            for (sector, tonnes) in inventory.bySector(year: year) {
                sectors[sector, default: Indicator(identifier: "emissions_sector_\(sector)", name: both("indicators.emissions.sector", ["sector": Localizer(.en)("sector.\(sector)")]),
                                                   unit: "t CO2e", direction: .decrease, source: .inventory(.basicPlusTotal))].values.append(IndicatorValue(year: year, value: tonnes, source: source))
            }
        }
        for key in sectors.keys { sectors[key]!.name["zh-Hans"] = Localizer(.zhHans)("indicators.emissions.sector", ["sector": Localizer(.zhHans)("sector.\(key)")]) }
        let derived = [total, perCapita, perGDP] + sectors.keys.sorted().map { sectors[$0]! }
        // The binding intensity cuts, computed from the published inventories and statistics.
        var dualControl: [Int: DualControl] = [:]
        for year in try PublicationRepository(database).publishedYears() {
            guard let inventory = try cache.published(year: year), let figures = statistics[year] else { continue }
            dualControl[year] = DualControl(year: year, statistics: figures, energyCO2Tonnes: DualControl.energyCO2Tonnes(inventory, year: year))
        }
        let catalogue = try IndicatorRepository(database).all(edition: .published).map { entry in
            var entry = entry
            entry.indicator = ComputedIndicators.fill(entry.indicator, dualControl: dualControl) { year in
                "published inventory \(year) (energy CO2) and statistics (\(statistics[year]?.source ?? ""), constant prices)"
            }
            return entry
        }
        return derived.map { CatalogueIndicator(indicator: $0, group: "emissions", note: nil) } + catalogue
    }

    /// An indicator value as the pages print it.
    package static func format(_ x: Double) -> String {
        abs(x) >= 1e6 ? GroupedNumber.format(x, decimals: 0, minus: "−") : GroupedNumber.format(x, decimals: abs(x) < 10 && x != x.rounded() ? 2 : (x == x.rounded() ? 0 : 1), minus: "−")
    }
}
