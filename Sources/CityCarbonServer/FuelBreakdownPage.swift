import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// The last step of the drill-down from a sector figure: one reference (or sub-sector) of a
/// published inventory, in the city or a district, by fuel — from the rows the publication
/// pinned, computed as the inventory computes them, so the fuels add up to the figure the
/// inventory table shows beside the reference.
struct FuelBreakdownPage: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "inventory/:year/fuels") { request, context in
            let year = try context.parameters.require("year", as: Int.self)
            let query = request.uri.queryParameters
            let ref = query.get("ref").map { String($0) } ?? ""
            guard ref.contains("."), GPCTaxonomy.standard.entries.contains(where: { $0.ref == ref || $0.ref.hasPrefix(ref + ".") }) else {
                throw InputErrors([InputIssue(InputLocation(field: "ref"), value: String(ref.prefix(64)), reason: "is no GPC reference or sub-sector",
                                              suggestion: "a reference such as I.1.1 or a sub-sector such as I.1, as the inventory table lists them")])
            }
            let district = query.get("jurisdiction").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
            if let district, !(try JurisdictionRepository(database).tree().contains(district)) {
                throw ProblemDetails(.notFound, "no jurisdiction named \(district)")
            }
            let language = Language.of(request)
            return Layout.response(try pages.page("fuels/\(language.rawValue)/\(year)/\(district ?? "")/\(ref)") {
                guard let breakdown = try InventoryRepository(database).publishedFuelBreakdown(year: year, jurisdiction: district, gpcRef: ref) else {
                    throw ProblemDetails(.notFound, "no published inventory for \(year)")
                }
                // A reference the inventory does not report here (no rows, or only a notation key) has no fuels to show.
                guard !breakdown.parts.isEmpty else {
                    throw ProblemDetails(.notFound, "\(ref) is not reported in \(district ?? "the city") in \(year)")
                }
                return page(breakdown, district: district, t: Localizer(language))
            })
        }
    }

    func page(_ b: FuelBreakdown, district: String?, t: Localizer) -> HTML {
        // A reference is named by its sub-sector and source; a sub-sector by its name alone.
        let zh = t.language == .zhHans
        let entries = GPCTaxonomy.standard.entries
        let name = entries.first { $0.ref == b.gpcRef }.map { zh ? $0.subsectorName.zhHans + " · " + $0.sourceName.zhHans : $0.subsectorName.en + " · " + $0.sourceName.en }
            ?? entries.first { $0.ref.hasPrefix(b.gpcRef + ".") }.map { zh ? $0.subsectorName.zhHans : $0.subsectorName.en }
        let place = district ?? t("fuels.city")
        let title = t("fuels.title", ["ref": b.gpcRef, "name": name ?? "", "place": place, "year": String(b.year)])
        let total = b.co2eTonnes
        let fuelName = { (part: FuelBreakdown.Part) in part.fuel.map(t.fuel) ?? t("fuels.none") }
        let chart = BarChart(title: title, description: t("fuels.chart.desc"),
                             bars: b.parts.enumerated().map { i, part in
                                 .init(label: fuelName(part), value: part.co2eTonnes, color: Palette.categorical[i % 7], link: nil)
                             },
                             format: { t.number($0, decimals: 0) }, unit: t("unit.t"))
        let rows = b.parts.html { part in
            let share = total > 0 ? t.share(part.co2eTonnes / total) : "—"
            return """
                <tr><th scope="row">\(fuelName(part))</th><td class="n">\(t.number(part.co2eTonnes, decimals: 1))</td>\
                <td class="n">\(share)</td><td class="n">\(part.rows)</td></tr>
                """
        }
        let sector = String(b.gpcRef.prefix { $0 != "." })
        var back = "/inventory/\(b.year)?sector=\(sector)"
        if let district { back += "&jurisdiction=\(district.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        let columns = Table.headings(["fuels.col.fuel", "fuels.col.tonnes", "fuels.col.share", "fuels.col.rows"], t)
        let foot: HTML = """
            <tr><th scope="row">\(t("chart.total"))</th><td class="n">\(t.number(total, decimals: 1))</td>\
            <td class="n">\(total > 0 ? t.share(1) : "—")</td><td class="n">\(b.parts.reduce(0) { $0 + $1.rows })</td></tr>
            """
        let body: HTML = """
            <main id="main"><p class="lead">\(t("fuels.lead", ["total": t.number(total, decimals: 1), "place": place, "year": String(b.year)]))</p>\
            \(b.parts.isEmpty ? nil : "<figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: "fuels", t: t, width: .wide))</figure>" as HTML)\
            \(Table.html(id: "fuels-table", caption: t("fuels.caption", ["year": String(b.year)]), headings: columns, rows: rows, foot: foot))\
            <p><a href="\(back)">\(t("fuels.back")) →</a> · \(Layout.methodLink("factors", t))</p></main>
            """
        return Layout.page(t, title: title, body: body, query: [("ref", b.gpcRef)] + (district.map { [("jurisdiction", $0)] } ?? []),
                           footer: t("fuels.footer"))
    }
}
