import CarbonAccounting
import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation
import Hummingbird

/// The indicator catalogue for the public: each indicator's values, its goal, the straight
/// path between them and where it stands (on track, at risk, off track, early warning), as
/// pages with line charts and through `/api/v1/indicators`. The city's total emissions are an
/// indicator too, read from the published inventories rather than typed in again.
struct IndicatorPages: Sendable {
    let database: CityCarbonDatabase
    let cache: InventoryCache
    let pages: PageCache

    static let emissionsID = "emissions_basic_plus"

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "indicators") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("indicators/\(language.rawValue)") { try list(Localizer(language)) })
        }
        routes.open(.get, "indicators/:indicator") { request, context in
            let id = try context.parameters.decoded("indicator")
            let language = Language.of(request)
            return Layout.response(try pages.page("indicator/\(language.rawValue)/\(id)") { try detail(id, t: Localizer(language)) })
        }
        routes.open(.get, "api/v1/indicators") { _, _ in
            JSONValue.object([("items", .array(try catalogue().map { Self.json($0) }))]).httpResponse()
        }
        routes.open(.get, "api/v1/indicators/:indicator") { _, context in
            let id = try context.parameters.decoded("indicator")
            guard let entry = try catalogue().first(where: { $0.indicator.identifier == id }) else { throw ProblemDetails(.notFound, "no indicator \(id)") }
            return Self.json(entry).httpResponse()
        }
    }

    /// The catalogue with the emissions indicators first — total, per capita, per unit of GDP
    /// and by sector — their values read from the published inventories and the statistics.
    func catalogue() throws -> [CatalogueIndicator] {
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

    static func json(_ entry: CatalogueIndicator) -> JSONValue {
        let i = entry.indicator
        let a = IndicatorAssessment.assess(i)
        func number(_ x: Double?) -> JSONValue { x.map(JSONValue.number) ?? .null }
        let source: JSONValue = switch i.source {
        case .entered: .string("entered")
        case .inventory(let measure): .string("inventory:\(measure.rawValue)")
        }
        let values: [JSONValue] = i.values.map {
            .object([("year", .integer($0.year)), ("value", .number($0.value)), ("jurisdiction", $0.jurisdiction.map(JSONValue.string) ?? .null),
                     ("dimension", $0.dimension.map(JSONValue.string) ?? .null), ("source", $0.source.map(JSONValue.string) ?? .null)])
        }
        let goals: [JSONValue] = i.goals.map { .object([("year", .integer($0.year)), ("value", number($0.value)), ("source", $0.source.map(JSONValue.string) ?? .null)]) }
        let assessment: JSONValue = .object([("status", .string(a.status.rawValue)), ("expected", number(a.expected)), ("projected", number(a.projected)),
                                             ("early_warning", .bool(a.earlyWarning))])
        return .object([("identifier", .string(i.identifier)), ("name", PlanPages.json(i.name)), ("unit", .string(i.unit)),
                        ("direction", .string(i.direction.rawValue)), ("kind", .string(i.kind.rawValue)), ("group", entry.group.map(JSONValue.string) ?? .null),
                        ("source", source), ("values", .array(values)), ("goals", .array(goals)), ("assessment", assessment),
                        ("note", entry.note.map(JSONValue.string) ?? .null)])
    }

    static func format(_ x: Double) -> String {
        abs(x) >= 1e6 ? GroupedNumber.format(x, decimals: 0, minus: "−") : GroupedNumber.format(x, decimals: abs(x) < 10 && x != x.rounded() ? 2 : (x == x.rounded() ? 0 : 1), minus: "−")
    }

    func list(_ t: Localizer) throws -> String {
        let lang = t.language == .zhHans ? "zh-Hans" : "en"
        var body = "<main><table class=\"indicators\"><caption>\(Markup.escape(t("indicators.caption")))</caption><thead><tr>"
        for key in ["indicators.name", "indicators.unit", "indicators.kind", "indicators.latest", "indicators.goal", "indicators.status"] {
            body += "<th scope=\"col\">\(Markup.escape(t(key)))</th>"
        }
        body += "</tr></thead><tbody>"
        for entry in try catalogue() {
            let i = entry.indicator, a = IndicatorAssessment.assess(i)
            let goal = i.goals.last.map { g in g.value.map { "\(Self.format($0)) (\(g.year))" } ?? t("indicators.pending", ["year": String(g.year)]) } ?? "—"
            let latest = i.series().last.map { "\(Self.format($0.value)) (\($0.year))" } ?? "—"
            body += "<tr><td><a href=\"/indicators/\(Markup.escape(i.identifier))\">\(Markup.escape(i.name.text(lang)))</a></td><td>\(Markup.escape(i.unit))</td>"
            body += "<td>\(Markup.escape(t("indicators.kind.\(i.kind.rawValue)")))</td><td class=\"n\">\(Markup.escape(latest))</td><td class=\"n\">\(Markup.escape(goal))</td>"
            body += "<td>\(Markup.escape(t("indicators.status.\(a.status.rawValue)")))\(a.earlyWarning ? " · " + Markup.escape(t("indicators.warning")) : "")</td></tr>"
        }
        body += "</tbody></table><p>\(t("plans.download", ["json": "<a href=\"/api/v1/indicators\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("indicators.title"), body: body, query: [], footer: t("indicators.footer"))
    }

    func detail(_ id: String, t: Localizer) throws -> String {
        let lang = t.language == .zhHans ? "zh-Hans" : "en"
        guard let entry = try catalogue().first(where: { $0.indicator.identifier == id }) else { throw ProblemDetails(.notFound, "no indicator \(id)") }
        let i = entry.indicator, a = IndicatorAssessment.assess(i)
        var lines = [LineChart.Line(label: t("indicators.values"), color: "#2b6cb0", points: i.series().map { ($0.year, $0.value) })]
        if let base = i.series().first, let goal = a.goal, let target = goal.value {
            lines.append(LineChart.Line(label: t("indicators.path"), color: "#a0aec0", points: [(base.year, base.value), (goal.year, target)], dashed: true))
        }
        let markers = i.goals.compactMap { g in g.value.map { (t("indicators.goal"), g.year, $0) } }
        let chart = LineChart(title: "\(i.name.text(lang)) (\(i.unit))", description: t("indicators.chart.desc"), lines: lines, markers: markers, format: Self.format)
        var body = "<main><p><a href=\"/indicators\">\(Markup.escape(t("indicators.back")))</a></p>"
        body += "<p class=\"status\">\(Markup.escape(t("indicators.status.\(a.status.rawValue)")))"
        if let expected = a.expected { body += " · " + Markup.escape(t("indicators.expected", ["value": Self.format(expected)])) }
        if a.earlyWarning, let projected = a.projected { body += " · <strong>" + Markup.escape(t("indicators.projected", ["value": Self.format(projected)])) + "</strong>" }
        body += "</p><figure><figcaption>\(Markup.escape(chart.title))</figcaption>\(chart.svg(id: "indicator"))</figure>"
        body += "<table><caption>\(Markup.escape(t("indicators.data")))</caption><thead><tr><th scope=\"col\">\(Markup.escape(t("indicators.year")))</th>"
        body += "<th scope=\"col\">\(Markup.escape(t("indicators.value")))</th><th scope=\"col\">\(Markup.escape(t("indicators.source")))</th></tr></thead><tbody>"
        for v in i.values.sorted(by: { ($0.jurisdiction ?? "", $0.dimension ?? "", $0.year) < ($1.jurisdiction ?? "", $1.dimension ?? "", $1.year) }) {
            let part = [v.jurisdiction, v.dimension].compactMap { $0 }.joined(separator: ", ")
            body += "<tr><td>\(v.year)\(part.isEmpty ? "" : " · " + Markup.escape(part))</td><td class=\"n\">\(Markup.escape(Self.format(v.value)))</td><td>\(Markup.escape(v.source ?? ""))</td></tr>"
        }
        for g in i.goals {
            body += "<tr><td>\(g.year) (\(Markup.escape(t("indicators.goal"))))</td><td class=\"n\">\(Markup.escape(g.value.map(Self.format) ?? t("indicators.pending", ["year": String(g.year)])))</td><td>\(Markup.escape(g.source ?? ""))</td></tr>"
        }
        body += "</tbody></table>"
        if let note = entry.note { body += "<p>\(Markup.escape(note))</p>" }
        body += "</main>"
        return Layout.page(t, title: i.name.text(lang), body: body, query: [], footer: t("indicators.footer"))
    }
}
