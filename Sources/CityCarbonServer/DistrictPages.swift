import CarbonKit
import CityCarbonPages
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation
import Hummingbird

/// The districts for the public: `/districts` lists them with the map's layers, and
/// `/districts/<name>` shows one district whole: its emissions by year and sector (each sector
/// drilling down to the inventory's sub-sectors), its share of the city's targets, its
/// assessment, the plan actions its office answers for, and its monitored sites today.
/// Everything but today's figures is kept until the data changes; today's are put in on each
/// answer (``LiveFigures``).
struct DistrictPages: Sendable {
    let database: CityCarbonDatabase
    let cache: InventoryCache
    let pages: PageCache
    let live: LiveFigures

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "districts") { request, _ in
            let language = Language.of(request)
            let layer = try DistrictMap.Layer.parse(request.uri.queryParameters.get("layer").map { String($0) })
            let page = try pages.page("districts/\(language.rawValue)/\(layer.rawValue)") { try list(Localizer(language), layer: layer) }
            return Layout.response(LiveFigures.splice(page, try liveParts(Localizer(language), layer: layer)))
        }
        routes.open(.get, "districts/:name") { request, context in
            let name = try context.parameters.decoded("name")
            let language = Language.of(request)
            // A name that is no district is refused before anything is loaded for it.
            guard try JurisdictionRepository(database).tree().nodes[name]?.parent != nil else {
                throw ProblemDetails(.notFound, "no district named “\(name)”")
            }
            let page = try pages.page("district/\(language.rawValue)/\(name)") { try district(name, t: Localizer(language)) }
            let t = Localizer(language)
            let part = try live.part("district/\(language.rawValue)/\(name)") { nowcast in
                Self.today(nowcast.districts.first { $0.name == name }, day: nowcast.day.description, hours: nowcast.hoursElapsed, t: t)
            }
            return Layout.response(LiveFigures.splice(page, ["district": part]))
        }
    }

    /// The live parts of a page with the district map: the map itself when its layer is today's.
    func liveParts(_ t: Localizer, layer: DistrictMap.Layer, page: String = "/districts") throws -> [String: HTML] {
        guard layer == .live else { return [:] }
        return ["map": try live.part("map/\(t.language.rawValue)\(page)") { nowcast in
            let figures = try DistrictFigures.load(database: database, cache: cache, nowcast: nowcast)
            return DistrictMap.html(figures, layer: .live, boundaries: try BoundaryRepository(database).featureCollection(), page: page, t: t,
                                    day: nowcast.day.description, hours: nowcast.hoursElapsed)
        }]
    }

    func list(_ t: Localizer, layer: DistrictMap.Layer) throws -> HTML {
        let figures = try DistrictFigures.load(database: database, cache: cache, nowcast: nil)
        var body: HTML = "<main id=\"main\"><p>\(t("districts.intro"))</p>"
        body += layer == .live ? LiveFigures.marker("map")
            : DistrictMap.html(figures, layer: layer, boundaries: try BoundaryRepository(database).featureCollection(), page: "/districts", t: t)
        let columns = ["assessments.district", "districts.emissions.col", "districts.perCapita", "assessments.light"]
        body += "<table id=\"district-list\"><caption>\(t("districts.caption", ["year": figures.year.map(String.init) ?? "—"]))</caption><thead><tr>"
            + Table.headings(columns, t) + "</tr></thead><tbody>"
        for row in figures.rows {
            body += "<tr><th scope=\"row\"><a href=\"/districts/\(Markup.percentEncoded(row.name))\">\(row.name)</a></th>"
            body += "<td class=\"n\">\(row.figures.map { t.number($0.tonnes / 1000, decimals: 0) } ?? "—")</td>"
            body += "<td class=\"n\">\(row.figures?.perCapita.map { t.number($0, decimals: 1) } ?? "—")</td>"
            body += "<td>\(row.assessment.map { HTML(text: t("assessments.light.\($0.light.rawValue)")) } ?? "—")</td></tr>"
        }
        body += "</tbody></table>"
        let sum = figures.rows.compactMap { $0.figures?.tonnes }.reduce(0, +)
        if let city = figures.cityTonnes, let year = figures.year, abs(city - sum) > 0.5 {
            body += "<p>\(t("districts.sum", ["districts": t.number(sum / 1000, decimals: 0), "city": t.number(city / 1000, decimals: 0), "year": String(year)]))</p>"
        }
        body += "</main>"
        return Layout.page(t, title: t("districts.title", ["city": try cityName(t)]), body: body,
                           query: layer == .emissions ? [] : [("layer", layer.rawValue)], footer: t("districts.footer"))
    }

    func district(_ name: String, t: Localizer) throws -> HTML {
        let figures = try DistrictFigures.load(database: database, cache: cache, nowcast: nil)
        guard let profile = try DistrictProfile.load(name, database: database, cache: cache, districts: figures) else {
            throw ProblemDetails(.notFound, "no district named “\(name)”")
        }
        var body: HTML = "<main id=\"main\" class=\"district\">" + DistrictSections.emissions(profile, t: t)
        body += DistrictSections.targets(profile, t: t) + DistrictSections.assessment(profile, t: t) + DistrictSections.plans(profile, t: t)
        body += "<section id=\"today\"><h2>\(t("districts.today"))</h2>" + LiveFigures.marker("district")
        body += DistrictSections.sites(profile, t: t) + "</section>"
        body += "<p><a href=\"/districts\">\(t("districts.all")) →</a></p></main>"
        return Layout.page(t, title: t("districts.page", ["district": name, "city": try cityName(t)]), body: body, query: [],
                           footer: t("districts.footer"))
    }

    /// "Today so far 12.3 t CO2e from the monitored sites; a typical day by this hour 11.0 t (+12 %)."
    static func today(_ area: Nowcast.Area?, day: String, hours: Int, t: Localizer) -> HTML {
        guard let area else { return "<p>\(t("districts.today.none"))</p>" }
        return "<p class=\"lead\">" + HTML(text: t("districts.today.text", [
            "day": t.date(day), "hours": String(hours), "today": MonitoringPages.tonnes(area.todayKg, t),
            "typical": area.typicalKg.map { MonitoringPages.tonnes($0, t) } ?? "—", "change": area.change.map(t.percent) ?? "—",
        ])) + " <a href=\"/monitoring\">\(t("monitoring.title")) →</a> · \(Layout.methodLink("today", t))</p>"
    }

    private func cityName(_ t: Localizer) throws -> String {
        try CitySettingsRepository(database).current().name(in: t.language.rawValue,
                                                            fallback: try JurisdictionRepository(database).tree().roots.first ?? "CityCarbon")
    }
}
