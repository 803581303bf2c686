import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// The factor library as the public reads it: every set with its method, source and year,
/// and each set's numbers with their own source, year, unit and confidence, filterable by fuel.
struct FactorLibraryPage: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "factors") { request, _ in
            let language = Language.of(request)
            let body = try pages.page("factors/\(language.rawValue)") { try list(Localizer(language)) }
            return Layout.response(body)
        }
        routes.open(.get, "factors/:name") { request, context in
            let name = try context.parameters.decoded("name")
            let fuel = request.uri.queryParameters.get("fuel").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
            let language = Language.of(request)
            let library = try FactorSetRepository(database).library()
            guard let set = try? library.set(named: name) else { throw ProblemDetails(.notFound, "no factor set named \(name)") }
            if let fuel, !set.fuels.contains(fuel) { throw ProblemDetails(.notFound, "the factor set \(name) has no fuel \(fuel)") }
            let body = try pages.page("factors/\(language.rawValue)/\(name)/\(fuel ?? "")") { detail(set, fuel: fuel, t: Localizer(language)) }
            return Layout.response(body)
        }
    }

    func list(_ t: Localizer) throws -> String {
        let sets = try FactorSetRepository(database).library().sets.values.sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
        var body = "<main id=\"main\"><p>\(Markup.escape(t("factors.intro")))</p>"
        for kind in [FactorSetKind.library, .grid, .custom] {
            let group = sets.filter { $0.kind == kind }
            guard !group.isEmpty else { continue }
            body += "<table class=\"factors\"><caption>\(Markup.escape(t("factors.kind.\(kind.rawValue)")))</caption><thead><tr>"
            for key in ["factors.set", "factors.settitle", "factors.method", "factors.source", "factors.year", "factors.numbers"] {
                body += "<th scope=\"col\">\(Markup.escape(t(key)))</th>"
            }
            body += "</tr></thead><tbody>"
            for set in group {
                body += "<tr><th scope=\"row\"><a href=\"/factors/\(Markup.escape(set.name))\">\(Markup.escape(set.name))</a></th><td>\(t.content(set.title))</td>" +
                    "<td>\(t.content(set.method))</td><td>\(t.content(set.source))</td><td>\(set.year.map(String.init) ?? "")</td><td class=\"n\">\(set.records.count)</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "</main>"
        return Layout.page(t, title: t("factors.title"), body: body, query: [], footer: t("factors.footer"))
    }

    func detail(_ set: FactorSet, fuel: String?, t: Localizer) -> String {
        let records = fuel.map { set.records(for: $0) } ?? set.records
        var body = "<main id=\"main\"><p><a href=\"/factors\">\(Markup.escape(t("factors.back")))</a></p>"
        body += "<p>\(t.content(set.title)) · \(t.content(set.method)) · \(t.content(set.source))\(set.year.map { " · \($0)" } ?? "")</p>"
        body += "<p><small>SHA-256 \(Markup.escape(set.fingerprint))</small></p>"
        if !set.fuels.isEmpty {
            body += "<form class=\"filters\" method=\"get\"><div><label for=\"fuel\">\(Markup.escape(t("factors.fuel")))</label><select id=\"fuel\" name=\"fuel\">" +
                "<option value=\"\">\(Markup.escape(t("factors.allfuels")))</option>" +
                set.fuels.map { "<option value=\"\(Markup.escape($0))\"\($0 == fuel ? " selected" : "")>\(Markup.escape(t.fuel($0)))</option>" }.joined() +
                "</select></div><div><button type=\"submit\">\(Markup.escape(t("inventory.filter.apply")))</button></div></form>"
        }
        body += "<table class=\"factors\"><caption>\(Markup.escape(t("factors.caption", ["count": String(records.count)])))</caption><thead><tr>"
        for key in ["factors.fuel", "factors.appliesto", "factors.technology", "factors.quantity", "factors.value", "factors.unit", "factors.source", "factors.year", "factors.confidence", "factors.note"] {
            body += "<th scope=\"col\">\(Markup.escape(t(key)))</th>"
        }
        body += "</tr></thead><tbody>"
        for r in records {
            let technology = (r.technology ?? "") + (r.isDefaultTechnology ? " (\(t("factors.default")))" : "")
            body += "<tr><td>\(Markup.escape(t.fuel(r.fuel)))</td><td>\(Markup.escape(r.appliesTo.joined(separator: ", ")))</td><td>\(Markup.escape(technology))</td>" +
                "<td>\(Markup.escape(t.factorQuantity(r.quantity)))</td><td class=\"n\">\(Markup.escape(Self.plain(r.value)))</td><td>\(t.content(r.unit))</td>" +
                "<td>\(t.content(r.source))</td><td>\(r.year.map(String.init) ?? "")</td><td>\(Markup.escape(r.confidence ?? ""))</td><td>\(t.content(r.note ?? ""))</td></tr>"
        }
        body += "</tbody></table><p>\(t("factors.download", ["json": "<a href=\"/api/v1/factor-sets/\(Markup.escape(set.name))/factors?per_page=500\">JSON</a>", "csv": "<a href=\"/api/v1/factor-sets/\(Markup.escape(set.name))/factors?format=csv\">CSV</a>"]))</p></main>"
        return Layout.page(t, title: t("factors.settitle.page", ["name": set.name]), body: body, query: fuel.map { [("fuel", $0)] } ?? [], footer: t("factors.footer"))
    }

    /// A factor as published: every significant digit, no grouping that could hide one.
    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
