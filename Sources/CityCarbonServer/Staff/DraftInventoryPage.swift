import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// What an admin approves when publishing: the year's latest computation beside the one the
/// public sees, GPC reference by reference, with notation keys, data quality and provenance.
struct DraftInventoryPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/inventories/:year", .readDrafts) { _, context, call in
            try render(call, year: context.parameters.require("year", as: Int.self))
        }
    }

    func render(_ call: StaffCall, year: Int) throws -> Response {
        let t = call.t
        let inventories = InventoryRepository(database)
        guard let draft = try inventories.latest(year: year) else {
            throw ProblemDetails(.notFound, t("draft.none", ["year": String(year)]))
        }
        let publishedID = try PublicationRepository(database).publishedInventoryID(year: year)
        let published = try publishedID.flatMap { try inventories.inventory(id: $0) }
        let isChinese = t.language == .zhHans
        let draftRefs = draft.byGPCRef(year: year), publicRefs = published?.byGPCRef(year: year) ?? [:]
        let kt = { (x: Double?) in x.map { t.number($0 / 1000, decimals: 1) } ?? "—" }
        var html: HTML = "<section><p>\(t("draft.intro", ["year": String(year), "gwp": draft.gwp, "rows": String(draft.provenance.rows)]))</p>"
        html += "<p><small>\(t("draft.provenance", ["sets": draft.provenance.factorSets.map(\.name).joined(separator: ", "), "fingerprint": String(draft.provenance.inputFingerprint.prefix(23))]))</small></p>"
        if call.principal.may(.publish), publishedID != (try inventories.latestID(year: year)) {
            html += "<p>" + StaffLayout.confirmLink("/staff/inventories/\(year)/publish", dataAction: "publish-\(year)", label: t("staff.action.publish")) + "</p>"
        }
        html += "</section><section><table class=\"gpc\" id=\"draft\"><caption>\(t("draft.caption", ["year": String(year)]))</caption><thead><tr>"
        html += Table.headings(["draft.ref", "draft.source", "draft.scope", "draft.published", "draft.draft", "draft.change", "draft.keys", "draft.quality"], t)
        html += "</tr></thead><tbody>"
        let cells = draft.cells(year: year)
        for entry in GPCTaxonomy.standard.entries where draftRefs[entry.ref] != nil || publicRefs[entry.ref] != nil {
            let mine = cells.filter { $0.gpcRef == entry.ref }
            let keys = Set(mine.flatMap { $0.notationKeys.map { $0.key.rawValue + ($0.ieRef.map { " → \($0)" } ?? "") } }).sorted().joined(separator: ", ")
            let ad = mine.compactMap(\.adQuality).min(), ef = mine.compactMap(\.efQuality).min()
            let now = draftRefs[entry.ref], then = publicRefs[entry.ref]
            let change = now.flatMap { n in then.map { n - $0 } }.map { abs($0) < 0.05 ? "" : ($0 > 0 ? "+" : "") + kt($0) } ?? ""
            let name = isChinese ? entry.subsectorName.zhHans + " · " + entry.sourceName.zhHans : entry.subsectorName.en + " · " + entry.sourceName.en
            html += "<tr><th scope=\"row\">\(entry.ref)</th><td>\(name)</td><td>\(entry.scope)</td><td class=\"n\">\(kt(then))</td>" +
                "<td class=\"n\">\(kt(now))</td><td class=\"n\">\(change)</td><td>\(keys)</td><td>\(ad?.rawValue ?? "–")/\(ef?.rawValue ?? "–")</td></tr>"
        }
        let a = draft.totals(year: year), b = published?.totals(year: year)
        for (label, now, then) in [(t("upload.total.basic"), a.basic, b?.basic), (t("upload.total.basicplus"), a.basicPlus, b?.basicPlus)] {
            html += "<tr><th scope=\"row\" colspan=\"3\">\(label)</th><td class=\"n total\">\(kt(then))</td><td class=\"n total\">\(kt(now))</td>" +
                "<td class=\"n total\">\(then.map { kt(now - $0) } ?? "")</td><td></td><td></td></tr>"
        }
        html += "</tbody></table><p>\(t("upload.unit"))</p></section>"
        return StaffLayout.page(t, call, title: t("draft.title", ["year": String(year)]), body: html)
    }
}
