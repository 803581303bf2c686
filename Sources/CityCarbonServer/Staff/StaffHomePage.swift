import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The staff's start page: who is signed in and what they may do, and every inventory year
/// with what the public sees of it. Admins publish, republish and withdraw here; editors
/// recompute a year after loading data.
struct StaffHomePage: Sendable {
    let database: CityCarbonDatabase
    /// Signs the audit head after each publication, when the server was given a key.
    var auditKey: AuditKey?

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff", .signIn) { _, _, call in try render(call) }
        routes.staff(.post, "staff/inventories/:year/compute", .computeInventories) { _, context, call in
            let year = try context.parameters.require("year", as: Int.self)
            _ = try InventoryRepository(database).compute(year: year, gwp: nil, as: call.principal)
            return StaffLayout.redirect("/staff?notice=computed&year=\(year)")
        }
        routes.staff(.post, "staff/inventories/:year/publish", .publish) { _, context, call in
            let year = try context.parameters.require("year", as: Int.self)
            try PublicationRepository(database).publish(year: year, by: call.actor, key: auditKey)
            return StaffLayout.redirect("/staff?notice=published&year=\(year)")
        }
        routes.staff(.post, "staff/inventories/:year/withdraw", .publish) { _, context, call in
            let year = try context.parameters.require("year", as: Int.self)
            guard try PublicationRepository(database).withdraw(year: year, by: call.actor) else {
                throw ProblemDetails(.conflict, call.t("staff.years.notpublished", ["year": String(year)]))
            }
            return StaffLayout.redirect("/staff?notice=withdrawn&year=\(year)")
        }
        routes.staff(.post, "staff/statistics/publish", .publish) { _, _, call in
            let changed = try StatisticsRepository(database).publish(by: call.actor, key: auditKey)
            return StaffLayout.redirect("/staff?notice=\(changed == 0 ? "nothing" : "statistics")&rows=\(changed)")
        }
        routes.staff(.post, "staff/indicators/publish", .publish) { _, _, call in
            let published = try IndicatorRepository(database).publish(by: call.actor, key: auditKey)
            return StaffLayout.redirect("/staff?notice=\(published.isEmpty ? "nothing" : "indicators")&rows=\(published.count)")
        }
    }

    func render(_ call: StaffCall) throws -> Response {
        let t = call.t, principal = call.principal, account = call.session.account
        var body: HTML = "<section><h2>\(t("staff.home.welcome", ["name": account.displayName]))</h2><p>"
        body += "\(t("staff.home.role", ["role": t("role.\(account.role.rawValue)")]))"
        if let organisation = account.organisation { body += " · \(organisation)" }
        if principal.role.isScoped { body += " · \(t("staff.home.scope", ["jurisdictions": account.jurisdictions.joined(separator: ", ")]))" }
        body += "</p></section>"
        if principal.may(.readDrafts) {
            body += try years(call)
            body += try drafts(call)
            let plans = try PlanRepository(database).plans()
            if !plans.isEmpty {
                let lang = t.language.rawValue
                let items = plans.html { "<li><a href=\"/staff/plans/\(segment: $0.identifier)\">\($0.name.text(lang))</a></li>" }
                body += "<section><h2>\(t("staff.nav.plans"))</h2><ul>\(items)</ul></section>"
            }
        }
        let notice = call.form["notice"].flatMap { key -> String? in
            guard ["computed", "published", "withdrawn", "imported", "statistics", "indicators", "nothing"].contains(key) else { return nil }
            return t("notice.\(key)", ["year": call.form["year"] ?? "", "rows": call.form["rows"] ?? ""])
        }
        return StaffLayout.page(t, call, title: t("staff.home.title"), notice: notice, body: body)
    }

    func years(_ call: StaffCall) throws -> HTML {
        let t = call.t, principal = call.principal
        let status = try PublicationRepository(database).status()
        let computed = Set(status.map(\.year))
        let uncomputed = try ActivityRepository(database).years().filter { !computed.contains($0) }
        func mt(_ tonnes: Double?) -> String { tonnes.map { t.number($0 / 1e6, decimals: 3) } ?? "—" }
        func button(_ year: Int, _ action: String, _ label: String, secondary: Bool = false) -> HTML {
            "<form class=\"inline\" method=\"post\" action=\"/staff/inventories/\(year)/\(action)\">\(StaffLayout.csrfField(call))<button type=\"submit\"\(secondary ? " class=\"secondary\"" as HTML : "") data-action=\"\(action)-\(year)\">\(t(label))</button></form> "
        }
        var html: HTML = "<section><h2>\(t("staff.years.title"))</h2><table id=\"years\"><thead><tr>"
        html += Table.headings(["staff.years.year", "staff.years.computed", "staff.years.basic", "staff.years.basicplus", "staff.years.status", "staff.years.public", "staff.years.actions"], t)
        html += "</tr></thead><tbody>"
        for row in status.reversed() {
            let state: HTML = row.hasNewerDraft ? "<span class=\"status-draft\">\(t("staff.status.newer"))</span>"
                : row.isPublished ? "<span class=\"status-published\">\(t("staff.status.published"))</span>"
                : "<span class=\"status-draft\">\(t("staff.status.draft"))</span>"
            var actions: HTML = ""
            if principal.may(.publish) {
                if !row.isPublished || row.hasNewerDraft {
                    actions += StaffLayout.confirmLink("/staff/inventories/\(row.year)/publish", dataAction: "publish-\(row.year)",
                                                       label: t(row.isPublished ? "staff.action.republish" : "staff.action.publish"))
                }
                if row.isPublished {
                    actions += StaffLayout.confirmLink("/staff/inventories/\(row.year)/withdraw", dataAction: "withdraw-\(row.year)",
                                                       label: t("staff.action.withdraw"), secondary: true)
                }
            }
            if principal.may(.computeInventories) { actions += button(row.year, "compute", "staff.action.compute", secondary: true) }
            let published = row.isPublished ? "\(mt(row.publishedBasicPlusTonnes)) · \(row.publishedBy ?? "") \(row.publishedAt.map(t.date) ?? "")" : "—"
            html += "<tr data-year=\"\(row.year)\"><th scope=\"row\"><a href=\"/staff/inventories/\(row.year)\">\(row.year)</a></th><td>\(t.date(row.computedAt))</td><td class=\"n\">\(mt(row.basicTonnes))</td><td class=\"n\">\(mt(row.basicPlusTonnes))</td><td>\(state)</td><td>\(published)</td><td>\(actions)</td></tr>"
        }
        for year in uncomputed.reversed() {
            let actions: HTML = principal.may(.computeInventories) ? button(year, "compute", "staff.action.compute") : ""
            html += "<tr data-year=\"\(year)\"><th scope=\"row\">\(year)</th><td>—</td><td class=\"n\">—</td><td class=\"n\">—</td><td><span class=\"status-draft\">\(t("staff.status.uncomputed"))</span></td><td>—</td><td>\(actions)</td></tr>"
        }
        return html + "</tbody></table><p>\(t("staff.years.note"))</p></section>"
    }

    /// The statistics and indicator values that differ from what the public sees, with the
    /// button that publishes them for those allowed.
    func drafts(_ call: StaffCall) throws -> HTML {
        let t = call.t
        let statistics = try StatisticsRepository(database).unpublishedChanges()
        let indicators = try IndicatorRepository(database).unpublished()
        func row(_ id: String, _ label: String, _ state: String, pending: Bool) -> HTML {
            var html: HTML = "<tr data-draft=\"\(id)\"><th scope=\"row\">\(t(label))</th><td>"
            html += "<span class=\"\(pending ? "status-draft" : "status-published")\">\(state)</span></td><td>"
            if pending && call.principal.may(.publish) {
                html += StaffLayout.confirmLink("/staff/\(id)/publish", dataAction: "publish-\(id)", label: t("staff.action.publish"))
            }
            return html + "</td></tr>"
        }
        var html: HTML = "<section><h2>\(t("staff.drafts.title"))</h2><table id=\"drafts\"><thead><tr>"
        html += Table.headings(["staff.drafts.data", "staff.years.status", "staff.years.actions"], t)
        html += "</tr></thead><tbody>"
        html += row("statistics", "staff.drafts.statistics",
                    statistics == 0 ? t("staff.drafts.uptodate") : t("staff.drafts.statisticspending", ["count": String(statistics)]), pending: statistics > 0)
        html += row("indicators", "staff.drafts.indicators",
                    indicators.isEmpty ? t("staff.drafts.uptodate")
                        : t("staff.drafts.indicatorspending", ["count": String(indicators.count), "names": indicators.prefix(8).joined(separator: ", ")]),
                    pending: !indicators.isEmpty)
        return html + "</tbody></table><p>\(t("staff.drafts.note"))</p></section>"
    }
}
