import CarbonAccounting
import CarbonKit
import ClimatePlans
import Foundation

/// The indicators every city has without typing them in: its total, per resident, per unit of
/// GDP and by sector, one value per published inventory, each from ``CityFigures`` so that
/// they are the dashboard's numbers; and the binding dual-control cuts of the city's own
/// indicators, computed from the same inventories and statistics.
public enum EmissionsIndicators {
    public static let totalID = "emissions_basic_plus"

    /// The indicators' names in each language (the pages' text, handed in).
    public struct Names: Sendable {
        public var total: Multilingual, perCapita: Multilingual, perGDP: Multilingual
        public var sector: @Sendable (String) -> Multilingual

        public init(total: Multilingual, perCapita: Multilingual, perGDP: Multilingual, sector: @escaping @Sendable (String) -> Multilingual) {
            (self.total, self.perCapita, self.perGDP, self.sector) = (total, perCapita, perGDP, sector)
        }
    }

    /// Total, per capita, per GDP and one indicator per sector, over the `published` years.
    public static func derived(published: [(year: Int, inventory: Inventory)], statistics: [Int: JurisdictionStatistic], level: HeadlineLevel,
                               names: Names) -> [Indicator] {
        let gdpUnit = statistics.keys.sorted().compactMap { statistics[$0]?.gdpUnit.flatMap(MoneyUnit.init)?.intensityDenominator }.first ?? "unit of GDP"
        var total = Indicator(identifier: totalID, name: names.total, unit: "t CO2e", direction: .decrease, kind: .binding, source: .inventory(.basicPlusTotal))
        var perCapita = Indicator(identifier: "emissions_per_capita", name: names.perCapita, unit: "t CO2e per person", direction: .decrease,
                                  source: .inventory(.perCapita))
        var perGDP = Indicator(identifier: "emissions_per_gdp", name: names.perGDP, unit: "t CO2e per \(gdpUnit)", direction: .decrease,
                               kind: .binding, source: .inventory(.perGDP))
        var sectors: [String: Indicator] = [:]
        for (year, inventory) in published.sorted(by: { $0.year < $1.year }) {
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
                sectors[sector, default: Indicator(identifier: "emissions_sector_\(sector)", name: names.sector(sector), unit: "t CO2e",
                                                   direction: .decrease, source: .inventory(.basicPlusTotal))]
                    .values.append(IndicatorValue(year: year, value: tonnes, source: source))
            }
        }
        return [total, perCapita, perGDP] + sectors.keys.sorted().map { sectors[$0]! }
    }

    /// `indicators` with the binding intensity cuts computed from the published inventories
    /// and statistics (``ComputedIndicators``); other indicators as they are.
    public static func computed(_ indicators: [Indicator], published: [(year: Int, inventory: Inventory)],
                                statistics: [Int: JurisdictionStatistic]) -> [Indicator] {
        var dualControl: [Int: DualControl] = [:]
        for (year, inventory) in published {
            guard let figures = statistics[year] else { continue }
            dualControl[year] = DualControl(year: year, statistics: figures, energyCO2Tonnes: DualControl.energyCO2Tonnes(inventory, year: year))
        }
        return indicators.map { indicator in
            ComputedIndicators.fill(indicator, dualControl: dualControl) { year in
                "published inventory \(year) (energy CO2) and statistics (\(statistics[year]?.source ?? ""), constant prices)"
            }
        }
    }
}
