import CarbonInclusion
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// The city's carbon-inclusion figures for the public (`/inclusion`, `/api/v1/inclusion`):
/// reductions credited to residents by behaviour, month and district, beside the published
/// inventory of the same year (``InclusionShare``), with every methodology version and its
/// source. Only totals: no resident, device or trip is ever shown.
struct InclusionFigures: Sendable {
    let database: CityCarbonDatabase
    let cache: InventoryCache

    struct Year: Sendable {
        var year: Int
        var total: InclusionTotal
        var byBehaviour: [InclusionTotal]
        var byMonth: [InclusionTotal]
        var byDistrict: [InclusionTotal]
        var share: InclusionShare
    }

    func year(_ asked: Int?) throws -> Year {
        let reads = InclusionReads(database)
        let latest = try reads.years().first
        let year = asked ?? latest ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let total = try reads.total(year: year)
        var inventory: CityFigures?
        if try PublicationRepository(database).isPublished(year), let published = try cache.published(year: year) {
            inventory = CityFigures(year: year, totals: published.totals(year: year), statistics: nil,
                                    level: try CitySettingsRepository(database).current().headlineLevel)
        }
        return Year(year: year, total: total, byBehaviour: try reads.totals(by: .behaviour, year: year),
                    byMonth: try reads.totals(by: .month, year: year), byDistrict: try reads.totals(by: .district, year: year),
                    share: InclusionShare(year: year, inclusionTonnes: total.tonnes, inventory: inventory))
    }

    func json(year asked: Int? = nil) throws -> JSONValue {
        let figures = try year(asked)
        func rows(_ totals: [InclusionTotal], _ key: String) -> JSONValue {
            .array(totals.map { .object([(key, .string($0.key)), ("tonnes", .number(Self.sixPlaces($0.tonnes))), ("credits", .integer(Int($0.credits))),
                                         ("residents", .integer(Int($0.accounts)))]) })
        }
        return .object([
            ("year", .integer(figures.year)), ("years", .array(try InclusionReads(database).years().map(JSONValue.integer))),
            ("tonnes", .number(Self.sixPlaces(figures.total.tonnes))), ("credits", .integer(Int(figures.total.credits))),
            ("residents", .integer(Int(figures.total.accounts))),
            ("inventoryTonnes", figures.share.inventoryTonnes.map(JSONValue.number) ?? .null),
            ("inventoryLevel", figures.share.level.map { .string($0.rawValue) } ?? .null),
            ("shareOfInventory", figures.share.share.map(JSONValue.number) ?? .null),
            ("byBehaviour", rows(figures.byBehaviour, "behaviour")), ("byMonth", rows(figures.byMonth, "month")),
            ("byDistrict", rows(figures.byDistrict, "district")),
            ("methodologies", .array(MethodologyCatalogue.shipped.methodologies.map(Self.json))),
        ])
    }

    /// Tonnes to the gram, without binary noise (0.034164532722000006 is 0.034165).
    static func sixPlaces(_ tonnes: Double) -> Double { (tonnes * 1e6).rounded() / 1e6 }

    static func json(_ m: Methodology) -> JSONValue {
        .object([("code", .string(m.code)), ("version", .string(m.version)), ("behaviour", .string(m.behaviour)),
                 ("activity", .string(m.activity)), ("unit", .string(m.unit)), ("baselineGrams", .string(m.baseline_g.description)),
                 ("projectGrams", .string(m.project_g.description)), ("per", .string(m.per.description)),
                 ("dailyCapGrams", m.daily_cap_g.map { .string($0.description) } ?? .null), ("validFrom", .string(m.valid_from.description)),
                 ("validTo", m.valid_to.map { .string($0.description) } ?? .null), ("source", .string(m.source))])
    }
}

struct InclusionPages: Sendable {
    let figures: InclusionFigures

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "inclusion") { request, _ in
            let t = Localizer(Language.of(request))
            let asked = try request.uri.queryParameters.get("year").map { text -> Int in
                guard let year = Int(text), (2000...2100).contains(year) else { throw ProblemDetails(.badRequest, "year must be 2000–2100") }
                return year
            }
            return Layout.response(ByteBuffer(string: page(try figures.year(asked), t).markup))
        }
        routes.open(.get, "api/v1/inclusion") { request, _ in
            let asked = try request.uri.queryParameters.get("year").map { text -> Int in
                guard let year = Int(text), (2000...2100).contains(year) else {
                    throw InputErrors([InputIssue(InputLocation(field: "year"), value: String(text.prefix(20)), reason: "must be a year 2000–2100")])
                }
                return year
            }
            return try figures.json(year: asked).httpResponse()
        }
    }

    static func tonnes(_ t: Localizer, _ value: Double) -> String { t.number(value, decimals: value < 100 ? 3 : 1) }

    /// The mass unit a page's figures read best in: kilograms while the largest is under ten
    /// tonnes (a young scheme's months and districts), tonnes after.
    struct Mass {
        let kilograms: Bool
        init(largestTonnes: Double) { kilograms = largestTonnes < 10 }
        func value(_ t: Localizer, _ tonnes: Double) -> String {
            kilograms ? t.number(tonnes * 1000, decimals: tonnes * 1000 < 100 ? 1 : 0) : InclusionPages.tonnes(t, tonnes)
        }
        func unit(_ t: Localizer) -> String { t(kilograms ? "inclusion.unitKg" : "inclusion.unit") }
        var heading: String { kilograms ? "inclusion.kilograms" : "inclusion.tonnes" }
        func scaled(_ tonnes: Double) -> Double { kilograms ? tonnes * 1000 : tonnes }
    }

    /// A small share with two significant digits, so 0.0000076 % does not read as zero.
    static func share(_ t: Localizer, _ fraction: Double) -> String {
        let percent = fraction * 100
        let decimals = percent >= 1 ? 2 : min(12, max(2, Int(-log10(percent).rounded(.down)) + 2))
        return t.number(percent, decimals: decimals) + " %"
    }

    /// A scenario's name as residents know it: its methodology's behaviour, in the page's language.
    static func scenarioName(_ t: Localizer, _ scenario: String, scheme: String = "city") -> String {
        let catalogue = MethodologyCatalogue.shipped
        guard let id = catalogue.scheme(scheme)?.scenarios[scenario], let methodology = catalogue.methodology(id) else { return scenario }
        return t("inclusion.behaviour.\(methodology.behaviour)")
    }

    func page(_ year: InclusionFigures.Year, _ t: Localizer) -> HTML {
        var body: HTML = "<main id=\"main\"><p>\(t("inclusion.intro"))</p>"
        let years = (try? InclusionReads(figures.database).years()) ?? []
        if years.count > 1 {
            body += "<nav aria-label=\"\(t("inclusion.years"))\"><p>\(t("inclusion.years")): "
            body += HTML(verbatim: years.sorted().map { y in
                y == year.year ? "<strong>\(y)</strong>" : "<a href=\"/inclusion?year=\(y)\">\(y)</a>" }.joined(separator: " · "))
            body += "</p></nav>"
        }
        let mass = Mass(largestTonnes: year.total.tonnes)
        var cards: [HTML] = [
            card(t("inclusion.credited", ["year": String(year.year)]), mass.value(t, year.total.tonnes), mass.unit(t)),
            card(t("inclusion.residents"), t.whole(year.total.accounts), t("inclusion.residentsUnit")),
            card(t("inclusion.credits"), t.whole(year.total.credits), t("inclusion.creditsUnit")),
        ]
        if let share = year.share.share, let level = year.share.level {
            cards.append(card(t("inclusion.share", ["year": String(year.year)]), Self.share(t, share),
                              t("inclusion.shareUnit", ["level": level == .basic ? "BASIC" : "BASIC+",
                                                        "total": t.number((year.share.inventoryTonnes ?? 0) / 1e6, decimals: 2)])))
        }
        body += "<section class=\"headlines\">\(cards.reduce(HTML.empty, +))</section>"
        if year.share.share == nil { body += "<p><small>\(t("inclusion.noInventory", ["year": String(year.year)]))</small></p>" }
        if year.byBehaviour.isEmpty {
            body += "<p>\(t("inclusion.none", ["year": String(year.year)]))</p>"
        } else {
            let chart = BarChart(title: t("inclusion.chart.title", ["year": String(year.year)]), description: t("inclusion.chart.desc"),
                                 bars: year.byBehaviour.sorted { $0.grams > $1.grams }.map {
                                     BarChart.Bar(label: t("inclusion.behaviour.\($0.key)"), value: mass.scaled($0.tonnes), color: "#2e7d32", link: nil)
                                 }, format: { t.number($0, decimals: mass.kilograms ? ($0 < 100 ? 1 : 0) : ($0 < 100 ? 3 : 1)) }, unit: mass.unit(t))
            body += chart.html(id: "by-behaviour", t: t, width: .wide)
            body += table(t, mass, id: "by-month", caption: t("inclusion.byMonth"), head: "inclusion.month", rows: year.byMonth, label: { $0 })
            body += table(t, mass, id: "by-district", caption: t("inclusion.byDistrict"), head: "inclusion.district", rows: year.byDistrict,
                          label: { $0.isEmpty ? t("inclusion.districtUnknown") : $0 })
        }
        body += "<h2 id=\"methods\">\(t("inclusion.methodologies"))</h2><p>\(t("inclusion.methodologies.intro"))</p>"
        body += Self.methodologyTable(t)
        body += "<p>\(t.html("inclusion.download", ["json": "<a href=\"/api/v1/inclusion?year=\(year.year)\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("inclusion.title"), body: body, query: [], footer: t("inclusion.footer"))
    }

    private func card(_ label: String, _ value: String, _ unit: String) -> HTML {
        "<div class=\"headline\"><div class=\"label\">\(label)</div><div class=\"value\">\(value)</div><div class=\"unit\">\(unit)</div></div>"
    }

    private func table(_ t: Localizer, _ mass: Mass, id: String, caption: String, head: String, rows: [InclusionTotal], label: (String) -> String) -> HTML {
        var html: HTML = "<table id=\"\(id)\"><caption>\(caption)</caption><thead><tr>"
        html += Table.headings([head, mass.heading, "inclusion.credits", "inclusion.residents"], t) + "</tr></thead><tbody>"
        for row in rows {
            html += "<tr><td>\(label(row.key))</td><td class=\"n\">\(mass.value(t, row.tonnes))</td>"
            html += "<td class=\"n\">\(t.whole(row.credits))</td><td class=\"n\">\(t.whole(row.accounts))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// Every methodology version with its formula and source, for the public and the desk alike.
    static func methodologyTable(_ t: Localizer) -> HTML {
        var html: HTML = "<table id=\"methodologies\"><caption>\(t("inclusion.methodologies.caption"))</caption><thead><tr>"
        html += Table.headings(["inclusion.behaviour", "inclusion.formula", "inclusion.cap", "inclusion.validFrom", "inclusion.source"], t)
        html += "</tr></thead><tbody>"
        for m in MethodologyCatalogue.shipped.methodologies.sorted(by: { ($0.behaviour, $0.code, $0.version) < ($1.behaviour, $1.code, $1.version) }) {
            let unit = t("inclusion.per.\(m.unit)")
            let per = m.per == Micro(whole: 1) ? unit : "\(m.per) \(t("inclusion.units.\(m.unit)"))"
            let formula = m.project_g.millionths == 0
                ? t("inclusion.formula.net", ["g": m.baseline_g.description, "per": per])
                : t("inclusion.formula.difference", ["baseline": m.baseline_g.description, "project": m.project_g.description, "per": per])
            let source = t.language == .zhHans ? m.source_zh : m.source
            // The version under the behaviour's name, so a phone's narrow table keeps its rows short;
            // there the date and source follow it too, in place of their columns (site.css).
            html += "<tr><td><span class=\"nowrap\">\(t("inclusion.behaviour.\(m.behaviour)"))</span><br><small><code>\(m.id)</code></small>"
            html += "<small class=\"inline-source\">\(m.valid_from.description) · \(source)</small></td>"
            html += "<td>\(formula)</td>"
            html += "<td class=\"n nowrap\">\(m.daily_cap_g.map { t("inclusion.grams.value", ["g": $0.description]) } ?? "—")</td>"
            html += "<td class=\"nowrap valid-from\">\(m.valid_from.description)</td>"
            html += "<td class=\"source\"><small>\(source)</small></td></tr>"
        }
        return html + "</tbody></table>"
    }
}
