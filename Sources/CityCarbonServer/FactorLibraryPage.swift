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

    func list(_ t: Localizer) throws -> HTML {
        let sets = try FactorSetRepository(database).library().sets.values.sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
        var body: HTML = "<main id=\"main\"><p>\(t("factors.intro"))</p>"
        for kind in [FactorSetKind.library, .grid, .custom] {
            let group = sets.filter { $0.kind == kind }
            guard !group.isEmpty else { continue }
            body += "<table class=\"factors\"><caption>\(t("factors.kind.\(kind.rawValue)"))</caption><thead><tr>"
            body += Table.headings(["factors.set", "factors.settitle", "factors.method", "factors.source", "factors.year", "factors.numbers"], t)
            body += "</tr></thead><tbody>"
            for set in group {
                body += "<tr><th scope=\"row\"><a href=\"/factors/\(set.name)\">\(set.name)</a></th><td>\(t.content(set.title))</td>" +
                    "<td>\(t.content(set.method))</td><td>\(t.content(set.source))</td><td>\(set.year.map(String.init) ?? "")</td><td class=\"n\">\(set.records.count)</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "</main>"
        return Layout.page(t, title: t("factors.title"), body: body, query: [], footer: t("factors.footer"))
    }

    func detail(_ set: FactorSet, fuel: String?, t: Localizer) -> HTML {
        let records = fuel.map { set.records(for: $0) } ?? set.records
        var body: HTML = "<main id=\"main\"><p><a href=\"/factors\">\(t("factors.back"))</a></p>"
        body += "<p>\(t.content(set.title)) · \(t.content(set.method)) · \(t.content(set.source))\(set.year.map { " · \($0)" } ?? "")</p>"
        body += "<p><small>SHA-256 \(set.fingerprint)</small></p>"
        if !set.fuels.isEmpty {
            body += "<form class=\"filters\" method=\"get\"><div><label for=\"fuel\">\(t("factors.fuel"))</label><select id=\"fuel\" name=\"fuel\">" +
                "<option value=\"\">\(t("factors.allfuels"))</option>" +
                set.fuels.html { "<option value=\"\($0)\"\($0 == fuel ? " selected" : "")>\(t.fuel($0))</option>" } +
                "</select></div><div><button type=\"submit\">\(t("inventory.filter.apply"))</button></div></form>"
        }
        body += "<table class=\"factors\"><caption>\(t("factors.caption", ["count": String(records.count)]))</caption><thead><tr>"
        body += Table.headings(["factors.fuel", "factors.appliesto", "factors.technology", "factors.quantity", "factors.value", "factors.unit", "factors.source", "factors.year", "factors.confidence", "factors.note"], t)
        body += "</tr></thead><tbody>"
        for r in records {
            let technology = (r.technology ?? "") + (r.isDefaultTechnology ? " (\(t("factors.default")))" : "")
            body += "<tr><td>\(t.fuel(r.fuel))</td><td>\(r.appliesTo.joined(separator: ", "))</td><td>\(technology)</td>" +
                "<td>\(t.factorQuantity(r.quantity))</td><td class=\"n\">\(Self.plain(r.value))</td><td>\(t.content(r.unit))</td>" +
                "<td>\(t.content(r.source))</td><td>\(r.year.map(String.init) ?? "")</td><td>\(r.confidence ?? "")</td><td>\(t.content(r.note ?? ""))</td></tr>"
        }
        body += "</tbody></table><p>\(t.html("factors.download", ["json": "<a href=\"/api/v1/factor-sets/\(set.name)/factors?per_page=500\">JSON</a>", "csv": "<a href=\"/api/v1/factor-sets/\(set.name)/factors?format=csv\">CSV</a>"]))</p></main>"
        return Layout.page(t, title: t("factors.settitle.page", ["name": set.name]), body: body, query: fuel.map { [("fuel", $0)] } ?? [], footer: t("factors.footer"))
    }

    /// A factor as published: every significant digit, no grouping that could hide one.
    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// Factor sets as a reader knows them, by their titles ("IPCC 2006 Guidelines …"), not their keys.
    static func titles(_ names: [String], database: CityCarbonDatabase) throws -> String {
        let library = try FactorSetRepository(database).library()
        return names.map { library.sets[$0]?.title ?? $0 }.joined(separator: "; ")
    }
}
