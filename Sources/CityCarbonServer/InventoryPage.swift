import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// The GPC table of a published year: every reference with its scope, level, gases, CO2e,
/// notation keys and data quality, filtered by district and sector, compared with another
/// year. Filtering is a plain GET form, so it works without JavaScript.
struct InventoryPage {
    let database: CityCarbonDatabase
    let cache: InventoryCache
    let pages: PageCache

    struct Selection: Hashable {
        var year: Int
        var jurisdiction: String?
        var sector: String?
        var compare: Int?

        /// The selection as a query string, for links that keep it (the language switch).
        var query: [(String, String)] {
            var items: [(String, String)] = []
            if let jurisdiction { items.append(("jurisdiction", jurisdiction)) }
            if let sector { items.append(("sector", sector)) }
            items.append(("compare", compare.map(String.init) ?? "none"))
            return items
        }
    }

    func response(_ request: Request, year: Int) throws -> Response {
        let published = try PublicationRepository(database).publishedYears()
        guard published.contains(year) else { throw ProblemDetails(.notFound, "no published inventory for \(year)") }
        let query = request.uri.queryParameters
        let district = query.get("jurisdiction").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        if let district, !(try JurisdictionRepository(database).tree().contains(district)) {
            throw ProblemDetails(.notFound, "no jurisdiction named \(district)")
        }
        let sector = query.get("sector").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        if let sector, !GPCTaxonomy.sectors.contains(sector) {
            throw InputErrors([InputIssue(InputLocation(field: "sector"), value: String(sector.prefix(64)), reason: "is no GPC sector",
                                          suggestion: GPCTaxonomy.sectors.joined(separator: ", "))])
        }
        var compare = published.last { $0 < year }
        if let text = query.get("compare").map({ String($0) }) {
            // "none" (or nothing) compares with nothing; anything else must be another published year.
            compare = Int(text).flatMap { published.contains($0) && $0 != year ? $0 : nil }
            if compare == nil, !["", "none"].contains(text) {
                throw InputErrors([InputIssue(InputLocation(field: "compare"), value: String(text.prefix(64)), reason: "is no other published year",
                                              suggestion: (["none"] + published.filter { $0 != year }.map(String.init)).joined(separator: ", "))])
            }
        }
        let selection = Selection(year: year, jurisdiction: district, sector: sector, compare: compare)
        let language = Language.of(request)
        let key = "inventory-page/\(language.rawValue)/\(year)/\(district ?? "")/\(sector ?? "")/\(compare.map(String.init) ?? "-")"
        let body = try pages.page(key) { try render(selection, published: published, t: Localizer(language)) }
        return Layout.response(body)
    }

    func render(_ s: Selection, published: [Int], t: Localizer) throws -> HTML {
        guard let inventory = try cache.published(year: s.year) else { throw ProblemDetails(.notFound, "no inventory for \(s.year)") }
        let other = try s.compare.flatMap { try cache.published(year: $0) }
        let root = try JurisdictionRepository(database).tree().roots.first ?? "CityCarbon"
        if let district = s.jurisdiction, !inventory.jurisdictions.contains(where: { $0.name == district }) {
            throw ProblemDetails(.notFound, "no jurisdiction named \(district) in the \(s.year) inventory")
        }
        func cells(_ inv: Inventory, _ year: Int) -> [InventoryCell] {
            inv.cells(year: year, jurisdiction: s.jurisdiction).filter { s.sector == nil || $0.sector == s.sector }
        }
        let current = cells(inventory, s.year)
        let previous = other.map { cells($0, s.compare!) } ?? []
        var totals = InventoryTotals()
        for cell in current { totals.add(cell) }
        var before = InventoryTotals()
        for cell in previous { before.add(cell) }

        let taxonomy = GPCTaxonomy.standard
        let tons = { (x: Double) in t.number(x, decimals: 0) }
        let small = { (x: Double) in t.number(x, decimals: 2) }
        let isChinese = t.language == .zhHans
        var rows: HTML = ""
        for entry in taxonomy.entries {
            let mine = current.filter { $0.gpcRef == entry.ref }
            let theirs = previous.filter { $0.gpcRef == entry.ref }
            guard !mine.isEmpty || !theirs.isEmpty else { continue }
            var gases: [GasGroup: Double] = [:]
            var co2e = 0.0, keys: [String] = [], ad: DataQuality?, ef: DataQuality?
            for cell in mine {
                co2e += cell.co2eTonnes
                for (gas, kg) in cell.gasesKg where gas != Gas.co2Biogenic.key {
                    gases[GasCatalog.standard.gases[gas]?.group ?? .co2e, default: 0] += kg / 1000
                }
                keys += cell.notationKeys.map { $0.key.rawValue + ($0.ieRef.map { " → \($0)" } ?? "") }
                ad = [ad, cell.adQuality].compactMap { $0 }.min()
                ef = [ef, cell.efQuality].compactMap { $0 }.min()
            }
            let reported = mine.contains { $0.rows > 0 }
            let then = theirs.reduce(0) { $0 + $1.co2eTonnes }
            let change = then > 0 && reported ? t.percent(co2e / then - 1) : ""
            let name = isChinese ? entry.subsectorName.zhHans + " · " + entry.sourceName.zhHans : entry.subsectorName.en + " · " + entry.sourceName.en
            let f = { (g: GasGroup) in reported ? small(gases[g] ?? 0) : "" }
            let nonKyotoCO2e = reported ? max(0, co2e - (gases[.co2] ?? 0) - gasCO2e(mine, groups: [.ch4, .n2o], gwp: inventory.gwp)) : 0
            // A reported reference leads on to its fuels.
            var fuels = "/inventory/\(s.year)/fuels?ref=\(entry.ref)"
            if let district = s.jurisdiction { fuels += "&jurisdiction=\(district.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            let ref: HTML = reported ? "<a href=\"\(fuels)\" title=\"\(t("inventory.byFuel"))\">\(entry.ref)</a>" : "\(entry.ref)"
            rows += "<tr><th scope=\"row\">\(ref)</th><td>\(name)</td><td>\(entry.scope)</td><td>\(entry.level.rawValue)</td>"
            rows += "<td class=\"n\">\(f(.co2))</td><td class=\"n\">\(f(.ch4))</td><td class=\"n\">\(f(.n2o))</td>"
            rows += "<td class=\"n\">\(reported ? tons(nonKyotoCO2e) : "")</td><td class=\"n total\">\(reported ? tons(co2e) : "")</td>"
            if s.compare != nil { rows += "<td class=\"n\">\(theirs.isEmpty ? "" : tons(then))</td><td class=\"n\">\(change)</td>" }
            rows += "<td>\(Array(Set(keys)).sorted().joined(separator: ", "))</td><td>\(ad?.rawValue ?? "–")/\(ef?.rawValue ?? "–")</td></tr>"
        }

        func option(_ value: String, _ label: String, selected: Bool) -> HTML {
            "<option value=\"\(value)\"\(selected ? " selected" : "")>\(label)</option>"
        }
        var form: HTML = "<form method=\"get\" class=\"filters\"><label>\(t("inventory.filter.district")) <select name=\"jurisdiction\">"
        form += option("", t("inventory.filter.all"), selected: s.jurisdiction == nil)
        for j in inventory.jurisdictions where j.name != root { form += option(j.name, j.name, selected: s.jurisdiction == j.name) }
        form += "</select></label> <label>\(t("inventory.filter.sector")) <select name=\"sector\">"
        form += option("", t("inventory.filter.all"), selected: s.sector == nil)
        for sector in ["I", "II", "III", "IV", "V", "VI"] {
            let label = sector == "VI" ? "VI" : "\(sector) \(t("sector.\(sector)"))"
            form += option(sector, label, selected: s.sector == sector)
        }
        form += "</select></label> <label>\(t("inventory.filter.compare")) <select name=\"compare\">"
        form += option("none", t("inventory.filter.none"), selected: s.compare == nil)
        for y in published where y != s.year { form += option(String(y), String(y), selected: s.compare == y) }
        form += "</select></label> <button type=\"submit\">\(t("inventory.filter.apply"))</button></form>"

        let totalRows: [(String, Double, Double)] = [
            ("inventory.total.basic", totals.basic, before.basic), ("inventory.total.basicplus", totals.basicPlus, before.basicPlus),
            ("inventory.total.territorial", totals.territorial, before.territorial), ("inventory.total.scope1", totals.scope1, before.scope1),
            ("inventory.total.scope2", totals.scope2, before.scope2), ("inventory.total.scope3", totals.scope3, before.scope3),
            ("inventory.total.biogenic", totals.biogenicCO2, before.biogenicCO2),
        ]
        // Column headings say the year and the unit of every figure, and what the change compares.
        var columns = [t("inventory.col.measure"), t("inventory.col.compare", ["year": String(s.year)])]
        if let compare = s.compare { columns += [t("inventory.col.compare", ["year": String(compare)]), t("inventory.col.change")] }
        var summary: HTML = "<table class=\"totals\"><caption>\(t("inventory.totals"))</caption><thead><tr>"
            + columns.html { "<th scope=\"col\">\($0)</th>" } + "</tr></thead><tbody>"
        for (key, now, then) in totalRows {
            summary += "<tr><th scope=\"row\">\(t(key))</th><td class=\"n\">\(tons(now))</td>"
            if s.compare != nil { summary += "<td class=\"n\">\(tons(then))</td><td class=\"n\">\(then > 0 ? t.percent(now / then - 1) : "")</td>" }
            summary += "</tr>"
        }
        summary += "</tbody></table>"

        var header = ["inventory.col.ref", "inventory.col.source", "inventory.col.scope", "inventory.col.level", "inventory.col.co2", "inventory.col.ch4",
                      "inventory.col.n2o", "inventory.col.other", "inventory.col.total"].map { t($0) }
        if let compare = s.compare { header += [t("inventory.col.compare", ["year": String(compare)]), t("inventory.col.change")] }
        header += [t("inventory.col.key"), t("inventory.col.quality")]
        let table: HTML = rows.isEmpty ? "<p>\(t("inventory.empty"))</p>" :
            "<table class=\"gpc\"><caption>\(t("inventory.caption", ["year": String(s.year)]))</caption><thead><tr>" +
            header.html { "<th scope=\"col\">\($0)</th>" } + "</tr></thead><tbody>\(rows)</tbody></table>"

        let years = published.html(separator: " · ") { y in y == s.year ? "<strong>\(y)</strong>" : "<a href=\"/inventory/\(y)\">\(y)</a>" }
        let base = "/api/v1/inventories/\(s.year)"
        func link(_ layout: InventoryLayout) -> HTML {
            "<a href=\"\(base)?format=csv&amp;layout=\(layout.rawValue)\">CSV</a> · <a href=\"\(base)?format=xlsx&amp;layout=\(layout.rawValue)\">XLSX</a>"
        }
        let downloads = t.html("inventory.download", ["json": "<a href=\"\(base)\">JSON</a>", "csv": link(.gpc)])
            + "<br>" + t.html("inventory.download.others", ["ciris": link(.ciris), "cdp": link(.cdp)])
        let methods = ["levels", "notation-keys", "quality", "gwp"].html(separator: " · ") { "<a href=\"/methods#\($0)\">\(t("methods.\($0)"))</a>" }
        let explained: HTML = "<p class=\"method\">\(t("methods.link")): \(methods)</p>"
        let body: HTML = "<main id=\"main\"><p class=\"years\">\(t("inventory.years")) \(years)</p>\(form)\(summary)\(explained)\(table)<p>\(downloads)</p></main>"
        let city = try CitySettingsRepository(database).current().name(in: t.language.rawValue, fallback: root)
        return Layout.page(t, title: t("inventory.title", ["city": city, "year": String(s.year)]), body: body, query: s.query,
                           footer: t("footer.provenance", ["gwp": inventory.gwp, "sets": try FactorLibraryPage.titles(inventory.provenance.factorSets.map(\.name), database: database),
                                                            "fingerprint": String(inventory.provenance.inputFingerprint.prefix(23))]))
    }

    /// CO2e of the given gas groups in these cells under the inventory's GWP set.
    private func gasCO2e(_ cells: [InventoryCell], groups: Set<GasGroup>, gwp: String) -> Double {
        guard let set = try? GasCatalog.standard.gwpSet(gwp) else { return 0 }
        var total = 0.0
        for cell in cells {
            for (key, kg) in cell.gasesKg {
                guard let gas = GasCatalog.standard.gases[key], groups.contains(gas.group) else { continue }
                total += kg / 1000 * ((try? set.potential(of: gas)) ?? 0)
            }
        }
        return total
    }
}
