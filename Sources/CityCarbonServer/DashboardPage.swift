import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityProgramme
import CityCarbonStore
import Foundation
import Hummingbird

/// The public dashboard, "one screen": the latest published totals, the change since the base
/// year, per resident and per unit of GDP, the trend by sector, the sector breakdown and the
/// districts on a map. Rendered on the server; works without JavaScript; prints cleanly.
struct DashboardPage {
    let database: CityCarbonDatabase
    let cache: InventoryCache
    let pages: PageCache
    let live: LiveFigures

    func render(_ t: Localizer, layer: DistrictMap.Layer) throws -> HTML {
        let published = try PublicationRepository(database).publishedYears()
        let inventories = try published.compactMap { year in try cache.published(year: year).map { (year, $0) } }
        let root = try JurisdictionRepository(database).tree().roots.first ?? "CityCarbon"
        // The city's name in the page's language, from its settings; the jurisdiction's name otherwise.
        let cityName = try CitySettingsRepository(database).current().name(in: t.language.rawValue, fallback: root)
        guard let (year, latest) = inventories.last, let (base, first) = inventories.first else {
            return page(t, city: cityName, body: "<main id=\"main\"><h2>\(t("empty.title"))</h2><p>\(t("empty.text"))</p></main>", footer: "")
        }
        let totals = latest.totals(year: year)
        let statistics = try StatisticsRepository(database).aggregated(root, tree: try JurisdictionRepository(database).tree(), edition: .published)
        let level = try CitySettingsRepository(database).current().headlineLevel
        let figures = CityFigures(year: year, totals: totals, statistics: statistics[year], level: level)
        let baseFigures = CityFigures(year: base, totals: first.totals(year: base), statistics: statistics[base], level: level)
        let levelName = level == .basic ? "BASIC" : "BASIC+"
        let mt = { (x: Double) in t.number(x / 1e6, decimals: 2) }
        var cards = [
            card(t("headline.basic", ["year": String(year)]), mt(totals.basic), t("unit.mt"), "/inventory/\(year)"),
            card(t("headline.basicplus", ["year": String(year)]), mt(totals.basicPlus), t("unit.mt"), "/inventory/\(year)"),
        ]
        let statisticsLink = "/api/v1/jurisdictions/\(root.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? root)/statistics"
        if base != year, let change = figures.change(since: baseFigures) {
            cards.append(card(t("headline.change", ["base": String(base)]), t.percent(change), levelName, "/inventory/\(year)?compare=\(base)"))
        }
        if let perCapita = figures.perCapita {
            cards.append(card(t("headline.percapita", ["year": String(year)]), t.number(perCapita, decimals: 2), "\(t("unit.t")) · \(levelName)", statisticsLink))
        }
        if let perGDP = figures.perGDP {
            cards.append(card(t("headline.pergdp", ["year": String(year)]), t.number(perGDP.value, decimals: 2),
                              t("unit.tper", ["unit": t.money(perGDP.unit)]) + " · \(levelName)", statisticsLink))
        }
        let sectors = ["I", "II", "III", "IV", "V"]
        let trend = StackedAreaChart(
            title: t("chart.trend.title", ["first": String(base), "last": String(year)]), description: t("chart.trend.desc"),
            years: inventories.map(\.0),
            series: sectors.map { s in .init(label: t("sector.\(s)"), color: Palette.sectors[s]!, values: inventories.map { ($1.bySector(year: $0)[s] ?? 0) / 1e6 }) },
            unit: t("unit.mt"), format: { t.number($0, decimals: 1) }, totalLabel: t("chart.total"))
        let bySector = latest.bySector(year: year)
        let bars = BarChart(
            title: t("chart.sectors.title", ["year": String(year)]), description: t("chart.sectors.desc", ["year": String(year)]),
            bars: sectors.map { s in .init(label: t("sector.\(s)"), value: (bySector[s] ?? 0) / 1e6, color: Palette.sectors[s]!, link: "/inventory/\(year)?sector=\(s)") },
            format: { t.number($0, decimals: 2) }, unit: t("unit.mt"))
        var body: HTML = "<main id=\"main\">"
        body += #"<section class="headlines">\#(cards.joined())</section>"#
        // Where the city stands: the path to its targets, the plan's actions and the warnings.
        let overview = try CityOverview.load(database: database, cache: cache, language: t.language)
        body += """
            <section class="overview">\(OverviewPanels.standing(overview, t: t))<div class="panels">\(LiveFigures.marker("today"))\
            \(OverviewPanels.plan(overview, t: t))\(OverviewPanels.warnings(overview, t: t))</div><p><a href="/ioc">\(t("overview.wall")) →</a></p></section>
            """
        body += #"<section class="figures">"#
        body += figure(trend.title, trend.html(id: "trend", t: t), "/inventory/\(year)?compare=\(base)", t("detail"), method: Layout.methodLink("levels", t))
        body += figure(bars.title, bars.html(id: "sectors", t: t), "/inventory/\(year)", t("detail"), method: Layout.methodLink("sectors", t))
        body += layer == .live ? LiveFigures.marker("map")
            : DistrictMap.html(try DistrictFigures.load(database: database, cache: cache, nowcast: nil), layer: layer,
                               boundaries: try BoundaryRepository(database).featureCollection(), page: "/", t: t)
        body += "</section>"
        body += #"<section class="opendata" id="open-data"><h2>\#(t("opendata.title"))</h2><p>\#(t("opendata.text"))</p><ul>"#
        for y in published.reversed() {
            body += #"<li><a href="/inventory/\#(y)">\#(y)</a>: <a href="/api/v1/inventories/\#(y)">\#(t("opendata.json", ["year": String(y)]))</a> · <a href="/api/v1/inventories/\#(y)?format=csv">\#(t("opendata.csv", ["year": String(y)]))</a>"#
            body += #" · \#(t("opendata.activities")) <a href="/api/v1/activities?year=\#(y)&amp;per_page=500">JSON</a> · <a href="/api/v1/activities?year=\#(y)&amp;format=csv">CSV</a></li>"#
        }
        let rootPath = root.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? root
        body += #"<li>\#(t("opendata.statistics")) <a href="/api/v1/jurisdictions/\#(rootPath)/statistics">JSON</a> · <a href="/api/v1/jurisdictions/\#(rootPath)/statistics?format=csv">CSV</a></li>"#
        body += #"<li>\#(t("opendata.jurisdictions")) <a href="/api/v1/jurisdictions?per_page=500">JSON</a> · <a href="/api/v1/boundaries">GeoJSON</a></li>"#
        body += #"<li><a href="/factors">\#(t("opendata.factors"))</a></li>"#
        for plan in try PlanRepository(database).plans() {
            body += #"<li><a href="/plans/\#(Markup.percentEncoded(plan.identifier))/reports">\#(t("opendata.reports", ["plan": plan.name.text(t.language.rawValue)]))</a></li>"#
        }
        body += "</ul></section></main>"
        let provenance = latest.provenance
        let footer = t("footer.provenance", ["gwp": latest.gwp, "sets": try FactorLibraryPage.titles(provenance.factorSets.map(\.name), database: database),
                                               "fingerprint": String(provenance.inputFingerprint.prefix(23))])
        let computed = try PublicationRepository(database).published().first { $0.year == year }.map { t("footer.updated", ["date": t.date($0.computedAt)]) } ?? ""
        return page(t, city: cityName, body: body, footer: footer + " · " + computed, query: layer == .emissions ? [] : [("layer", layer.rawValue)])
    }

    private func card(_ label: String, _ value: String, _ unit: String, _ link: String) -> HTML {
        #"<a class="headline" href="\#(link)"><div class="label">\#(label)</div><div class="value">\#(value)</div><div class="unit">\#(unit)</div></a>"#
    }

    private func figure(_ caption: String, _ svg: HTML, _ link: String, _ detail: String, method: HTML) -> HTML {
        #"<figure><figcaption>\#(caption)</figcaption>\#(svg)<a class="detail" href="\#(link)">\#(detail) →</a> · \#(method)</figure>"#
    }

    private func page(_ t: Localizer, city: String, body: HTML, footer: String, query: [(String, String)] = []) -> HTML {
        Layout.page(t, title: t("site.title", ["city": city]), body: body, query: query, footer: footer)
    }
}

extension DashboardPage {
    /// The page as an HTTP response (a language chosen with `?lang=` is remembered by ``EdgeMiddleware``).
    func response(_ request: Request) throws -> Response {
        let language = Language.of(request)
        let layer = try DistrictMap.Layer.parse(request.uri.queryParameters.get("layer").map { String($0) })
        let t = Localizer(language)
        let key = "dashboard/\(language.rawValue)/\(layer.rawValue)"
        let page = try pages.versionedPage(key) { try render(t, layer: layer) }
        let body = try live.spliced(key, page: page) {
            var parts = try DistrictPages(database: database, cache: cache, pages: pages, live: live).liveParts(t, layer: layer, page: "/")
            parts["today"] = try live.part("today/\(language.rawValue)") { MonitoringPages.panel($0, t: t) }
            return parts
        }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
