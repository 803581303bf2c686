import CarbonAccounting
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// How every published figure is counted (`/methods`), for a reader who asks where a number
/// comes from: the reporting levels and scopes, the sectors, notation keys, data-quality
/// letters, the global warming potentials in use, the emission-factor sources, the per-resident
/// and per-GDP figures, the straight path to a target, the assessment's lights and today's
/// figures from the meters. Figures link to its sections by anchor. The tables are read from
/// the data the figures use (the GWP file, the factor library, the settings, the assessment),
/// so the page cannot say one thing while the numbers do another.
struct MethodsPage: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    /// The page's sections, in order; figures link to `/methods#<anchor>`.
    static let sections = ["levels", "scopes", "sectors", "notation-keys", "quality", "gwp", "factors", "per-resident", "targets",
                           "assessment", "today"]

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "methods") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("methods/\(language.rawValue)") { try page(Localizer(language)) })
        }
    }

    func page(_ t: Localizer) throws -> HTML {
        let settings = try CitySettingsRepository(database).current()
        var body: HTML = "<main id=\"main\" class=\"methods\"><p>\(t("methods.intro"))</p><nav aria-label=\"\(t("methods.contents"))\"><ul>"
        body += Self.sections.html { "<li><a href=\"#\($0)\">\(t("methods.\($0)"))</a></li>" } + "</ul></nav>"
        for anchor in Self.sections {
            body += "<section id=\"\(anchor)\"><h2>\(t("methods.\(anchor)"))</h2>"
            body += "<p>\(t("methods.\(anchor).text", ["level": settings.headlineLevel == .basic ? "BASIC" : "BASIC+", "gwp": settings.gwp]))</p>"
            body += try detail(anchor, t: t, gwp: settings.gwp)
            body += "</section>"
        }
        body += "</main>"
        return Layout.page(t, title: t("methods.title"), body: body, query: [], footer: t("methods.footer"))
    }

    /// What a section shows beyond its text, read from the data the figures use.
    private func detail(_ anchor: String, t: Localizer, gwp: String) throws -> HTML {
        switch anchor {
        case "sectors":
            return "<ul>" + ["I", "II", "III", "IV", "V", "VI"].html { "<li>\($0) \(t("sector.\($0)"))</li>" } + "</ul>"
        case "notation-keys":
            return Self.terms(NotationKey.allCases.map { ($0.rawValue, t("methods.key.\($0.rawValue)")) })
        case "quality":
            return Self.terms(DataQuality.allCases.map { ($0.rawValue, t("methods.quality.\($0.rawValue)")) })
        case "gwp":
            return Self.gwpTable(t, inUse: gwp)
        case "factors":
            let library = try FactorSetRepository(database).library()
            let sets = library.sets.values.filter { $0.kind != .grid }.sorted { $0.name < $1.name }
            return "<ul>" + sets.map { set in
                "<li><a href=\"/factors/\(Markup.percentEncoded(set.name))\">\(t.content(set.title))</a>: \(t.content(set.source))"
                    + (set.year.map { " (\($0))" } ?? "") + "</li>"
            }.joined() + "<li>\(t("methods.factors.grid", ["count": String(library.gridSeries.count)])) <a href=\"/factors\">\(t("opendata.factors")) →</a></li></ul>"
        case "assessment":
            guard let scheme = try AssessmentRepository(database).all().last(where: { $0.state == .published })?.scheme else { return "" }
            let lang = t.language.rawValue
            return "<p>\(t("methods.assessment.lights", ["green": t.number(scheme.green, decimals: 0), "amber": t.number(scheme.amber, decimals: 0)]))</p><ul>"
                + scheme.components.html { "<li>\($0.name.text(lang)): \(t.number($0.weight, decimals: 0))</li>" } + "</ul>"
        default:
            return ""
        }
    }

    /// As many decimals as the published value has (27.9 stays 27.9, 28 stays 28), at most four.
    static func decimals(of x: Double) -> Int {
        (0...4).first { d in
            let scaled = x * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, abs(scaled))
        } ?? 4
    }

    private static func terms(_ items: [(String, String)]) -> HTML {
        "<dl class=\"terms\">" + items.html { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" } + "</dl>"
    }

    /// Every gas with its 100-year GWP in each set of the GWP file; the set the city uses first.
    private static func gwpTable(_ t: Localizer, inUse: String) -> HTML {
        let catalog = GasCatalog.standard
        let sets = catalog.sets.keys.sorted { ($0 == inUse ? 0 : 1, $0) < ($1 == inUse ? 0 : 1, $1) }
        let gases = catalog.gases.values.filter { $0.group != .co2e && !$0.isBiogenicCO2 }.sorted { ($0.group.rawValue, $0.key) < ($1.group.rawValue, $1.key) }
        var out: HTML = "<table id=\"gwp-table\"><caption>\(t("methods.gwp.caption", ["gwp": inUse]))</caption><thead><tr><th scope=\"col\">\(t("methods.gwp.gas"))</th>"
        out += sets.html { "<th scope=\"col\">\($0 == inUse ? t("methods.gwp.inUse", ["set": $0]) : $0)</th>" } + "</tr></thead><tbody>"
        for gas in gases {
            out += "<tr><th scope=\"row\">\(gas.key)</th>" + sets.map { name in
                "<td class=\"n\">\(catalog.sets[name]?.potentials[gas.key].map { t.number($0, decimals: Self.decimals(of: $0)) } ?? "—")</td>"
            }.joined() + "</tr>"
        }
        out += "</tbody></table><ul class=\"sources\">"
        for name in sets { if let source = catalog.sets[name]?.sources["CH4"] { out += "<li>\(name): \(source)</li>" } }
        return out + "</ul>"
    }
}
