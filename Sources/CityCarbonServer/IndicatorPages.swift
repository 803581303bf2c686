import CarbonAccounting
import CarbonKit
import CityCarbonPages
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

    static let emissionsID = IndicatorCatalogue.emissionsID

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

    func catalogue() throws -> [CatalogueIndicator] { try IndicatorCatalogue(database: database, cache: cache).entries() }

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


    func list(_ t: Localizer) throws -> HTML {
        let lang = t.language.rawValue
        var body: HTML = "<main id=\"main\"><table class=\"indicators\"><caption>\(t("indicators.caption"))</caption><thead><tr>"
        body += Table.headings(["indicators.name", "indicators.unit", "indicators.kind", "indicators.latest", "indicators.goal", "indicators.status"], t)
        body += "</tr></thead><tbody>"
        for entry in try catalogue() {
            let i = entry.indicator, a = IndicatorAssessment.assess(i)
            let goal = i.goals.last.map { g in g.value.map { "\(IndicatorCatalogue.format($0, t)) (\(g.year))" } ?? t("indicators.pending", ["year": String(g.year)]) } ?? "—"
            let latest = i.series().last.map { "\(IndicatorCatalogue.format($0.value, t)) (\($0.year))" } ?? "—"
            body += "<tr><td><a href=\"/indicators/\(i.identifier)\">\(i.name.text(lang))</a></td><td>\(t.unit(i.unit))</td>"
            body += "<td>\(t("indicators.kind.\(i.kind.rawValue)"))</td><td class=\"n\">\(latest)</td><td class=\"n\">\(goal)</td>"
            body += "<td>\(t("indicators.status.\(a.status.rawValue)"))\(a.earlyWarning ? " · " + HTML(text: t("indicators.warning")) : "")</td></tr>"
        }
        body += "</tbody></table><p>\(t.html("plans.download", ["json": "<a href=\"/api/v1/indicators\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("indicators.title"), body: body, query: [], footer: t("indicators.footer"))
    }

    func detail(_ id: String, t: Localizer) throws -> HTML {
        let lang = t.language.rawValue
        guard let entry = try catalogue().first(where: { $0.indicator.identifier == id }) else { throw ProblemDetails(.notFound, "no indicator \(id)") }
        let i = entry.indicator, a = IndicatorAssessment.assess(i)
        var lines = [LineChart.Line(label: t("indicators.values"), color: Palette.categorical[0], points: i.series().map { ($0.year, $0.value) })]
        if let base = i.series().first, let goal = a.goal, let target = goal.value {
            lines.append(LineChart.Line(label: t("indicators.path"), color: Palette.categorical[6], points: [(base.year, base.value), (goal.year, target)], dashed: true))
        }
        let markers = i.goals.compactMap { g in g.value.map { (t("indicators.goal"), g.year, $0) } }
        let chart = LineChart(title: "\(i.name.text(lang)) (\(t.unit(i.unit)))", description: t("indicators.chart.desc"), lines: lines, markers: markers, format: { IndicatorCatalogue.format($0, t) }, unit: t.unit(i.unit))
        var body: HTML = "<main id=\"main\"><p><a href=\"/indicators\">\(t("indicators.back"))</a></p>"
        body += "<p class=\"status\">\(t("indicators.status.\(a.status.rawValue)"))"
        if let expected = a.expected { body += " · " + HTML(text: t("indicators.expected", ["value": IndicatorCatalogue.format(expected, t)])) }
        if a.earlyWarning, let projected = a.projected { body += " · <strong>\(t("indicators.projected", ["value": IndicatorCatalogue.format(projected, t)]))</strong>" }
        body += "</p><figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: "indicator", t: t))</figure>"
        body += "<table><caption>\(t("indicators.data"))</caption><thead><tr><th scope=\"col\">\(t("indicators.year"))</th>"
        body += "<th scope=\"col\">\(t("indicators.value"))</th><th scope=\"col\">\(t("indicators.source"))</th></tr></thead><tbody>"
        for v in i.values.sorted(by: { ($0.jurisdiction ?? "", $0.dimension ?? "", $0.year) < ($1.jurisdiction ?? "", $1.dimension ?? "", $1.year) }) {
            let part = [v.jurisdiction, v.dimension].compactMap { $0 }.joined(separator: ", ")
            body += "<tr><td>\(v.year)\(part.isEmpty ? "" : " · " + HTML(text: part))</td><td class=\"n\">\(IndicatorCatalogue.format(v.value, t))</td><td>\(v.sourcePhrase.map { HTML(text: t.phrase($0)) } ?? t.content(v.source ?? ""))</td></tr>"
        }
        for g in i.goals {
            body += "<tr><td>\(g.year) (\(t("indicators.goal")))</td><td class=\"n\">\(g.value.map { IndicatorCatalogue.format($0, t) } ?? t("indicators.pending", ["year": String(g.year)]))</td><td>\(t.content(g.source ?? ""))</td></tr>"
        }
        body += "</tbody></table>"
        if let note = entry.note { body += "<p>\(t.content(note))</p>" }
        body += "</main>"
        return Layout.page(t, title: i.name.text(lang), body: body, query: [], footer: t("indicators.footer"))
    }
}
