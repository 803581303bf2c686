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
            let source = Sources.inventory(year)
            let figures = CityFigures(year: year, totals: inventory.totals(year: year), statistics: statistics[year], level: level)
            total.values.append(IndicatorValue(year: year, value: figures.tonnes, phrase: source))
            if let value = figures.perCapita {
                perCapita.values.append(IndicatorValue(year: year, value: value, phrase: Sources.perCapita(year, statistics: statistics[year])))
            }
            if let value = figures.perGDP?.value {
                perGDP.values.append(IndicatorValue(year: year, value: value, phrase: Sources.perGDP(year, statistics: statistics[year])))
            }
            for (sector, tonnes) in inventory.bySector(year: year) {
                sectors[sector, default: Indicator(identifier: "emissions_sector_\(sector)", name: names.sector(sector), unit: "t CO2e",
                                                   direction: .decrease, source: .inventory(.basicPlusTotal))]
                    .values.append(IndicatorValue(year: year, value: tonnes, phrase: source))
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
            ComputedIndicators.fill(indicator, dualControl: dualControl) { year in Sources.dualControl(year, statistics: statistics[year]) }
        }
    }

    /// Where derived values come from, in words a page translates (``Phrase``).
    public enum Sources {
        public static func inventory(_ year: Int) -> Phrase {
            Phrase(key: "source.inventory", arguments: ["year": .number(year)], english: "published inventory \(year)")
        }

        static func statistics(_ s: JurisdictionStatistic?) -> Phrase { s?.sourcePhrase ?? .literal(s?.source ?? "") }

        static func perCapita(_ year: Int, statistics s: JurisdictionStatistic?) -> Phrase {
            let st = statistics(s)
            return Phrase(key: "source.perCapita", arguments: ["year": .number(year), "statistics": st],
                          english: "published inventory \(year) ÷ population (\(st.english))")
        }

        static func perGDP(_ year: Int, statistics s: JurisdictionStatistic?) -> Phrase {
            let st = statistics(s)
            return Phrase(key: "source.perGDP", arguments: ["year": .number(year), "statistics": st],
                          english: "published inventory \(year) ÷ GDP (\(st.english))")
        }

        static func dualControl(_ year: Int, statistics s: JurisdictionStatistic?) -> Phrase {
            let st = statistics(s)
            return Phrase(key: "source.dualControl", arguments: ["year": .number(year), "statistics": st],
                          english: "published inventory \(year) (energy CO2) and statistics (\(st.english), constant prices)")
        }
    }
}
