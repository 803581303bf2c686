import CarbonAccounting
import CityCarbonPages
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// Before anything reaches or leaves the public: a page that says what will change (the public
/// figures now and after), who drafted it, and the one button that does it. Publish and
/// withdraw buttons elsewhere link here (a `GET` of the step's own address); the step itself
/// is still the `POST` it always was, so the API and scripts are unchanged.
struct PublishConfirmation: Sendable {
    let database: CityCarbonDatabase

    /// One line of the summary: what it is, what the public sees now, what it will see.
    struct Line {
        var label: String
        var now: String
        var after: String
    }

    func addRoutes(to routes: RouteRegistrar) {
        for step in ["publish", "withdraw"] {
            routes.staff(.get, "staff/inventories/:year/\(step)", .publish) { _, context, call in
                try inventory(call, year: try context.parameters.require("year", as: Int.self), step: step)
            }
            routes.staff(.get, "staff/pathways/:scenario/\(step)", .managePlans) { _, context, call in
                try pathway(call, id: try context.parameters.decoded("scenario"), step: step)
            }
        }
        routes.staff(.get, "staff/statistics/publish", .publish) { _, _, call in try statistics(call) }
        routes.staff(.get, "staff/indicators/publish", .publish) { _, _, call in try indicators(call) }
        routes.staff(.get, "staff/assessments/:year/publish", .managePlans) { _, context, call in
            try assessment(call, year: try context.parameters.require("year", as: Int.self))
        }
    }

    func inventory(_ call: StaffCall, year: Int, step: String) throws -> Response {
        let t = call.t
        guard let row = try PublicationRepository(database).status().first(where: { $0.year == year }) else {
            throw ProblemDetails(.notFound, t("staff.years.none", ["year": String(year)]))
        }
        let inventories = InventoryRepository(database)
        let draft = try inventories.inventory(id: row.latestInventoryID)
        let published = try row.publishedInventoryID.flatMap { try inventories.inventory(id: $0) }
        func mt(_ x: Double?) -> String { x.map { "\(t.number($0 / 1e6, decimals: 3)) \(t("unit.mtShort"))" } ?? "—" }
        let now = published?.totals(year: year), next = step == "publish" ? draft?.totals(year: year) : nil
        var lines = [
            Line(label: "BASIC", now: mt(now?.basic), after: mt(next?.basic)),
            Line(label: "BASIC+", now: mt(now?.basicPlus), after: mt(next?.basicPlus)),
            Line(label: t("inventory.total.territorial"), now: mt(now?.territorial), after: mt(next?.territorial)),
        ]
        if step == "publish", let draft {
            let before = published?.byGPCRef(year: year) ?? [:], after = draft.byGPCRef(year: year)
            let changed = Set(before.keys).union(after.keys).filter { abs((before[$0] ?? 0) - (after[$0] ?? 0)) > 0.5 }.count
            lines.append(Line(label: t("confirm.rowsChanged"), now: "", after: String(changed)))
        } else {
            let others = try PublicationRepository(database).publishedYears().filter { $0 != year }
            lines.append(Line(label: t("confirm.latestYear"), now: String(try PublicationRepository(database).publishedYears().last ?? year),
                              after: others.last.map(String.init) ?? t("confirm.nothing")))
        }
        let drafted = try AuditTrail(database).draftedBy(AuditTrail.Filter(entity: "inventory", entityID: String(year)), actions: ["compute"],
                                                         since: AuditTrail.Filter(entity: "publication", entityID: String(year)))
        let who = step == "publish" ? t("confirm.computed", ["at": t.date(row.computedAt), "who": drafted.isEmpty ? "—" : drafted.joined(separator: ", ")])
            : t("confirm.publishedBy", ["at": row.publishedAt.map(t.date) ?? "—", "who": row.publishedBy ?? "—"])
        return page(call, title: t("confirm.inventory.\(step)", ["year": String(year)]), lines: lines, who: who,
                    detail: "/staff/inventories/\(year)", action: "/staff/inventories/\(year)/\(step)", dataAction: "\(step)-\(year)",
                    button: t(step == "publish" ? "staff.action.publish" : "staff.action.withdraw"),
                    nothing: step == "publish" ? (row.isPublished && !row.hasNewerDraft) : !row.isPublished)
    }

    func statistics(_ call: StaffCall) throws -> Response {
        let t = call.t
        let count = try StatisticsRepository(database).unpublishedChanges()
        let drafted = try AuditTrail(database).draftedBy(AuditTrail.Filter(entity: "statistics"), actions: ["import"],
                                                         since: AuditTrail.Filter(entity: "statistics", action: "publish"))
        return page(call, title: t("confirm.statistics"), lines: [Line(label: t("confirm.statisticRows"), now: "", after: String(count))],
                    who: t("confirm.draftedBy", ["who": drafted.isEmpty ? "—" : drafted.joined(separator: ", ")]), detail: "/staff/city-data",
                    action: "/staff/statistics/publish", dataAction: "publish-statistics", button: t("staff.action.publish"), nothing: count == 0)
    }

    func indicators(_ call: StaffCall) throws -> Response {
        let t = call.t
        let names = try IndicatorRepository(database).unpublished()
        var drafted: [String] = []
        for name in names {
            drafted += try AuditTrail(database).draftedBy(AuditTrail.Filter(entity: "indicator", entityID: name), actions: ["update", "import", "create"],
                                                          since: AuditTrail.Filter(entity: "indicator", entityID: name, action: "publish"))
        }
        return page(call, title: t("confirm.indicators"), lines: names.map { Line(label: $0, now: "", after: t("confirm.changed")) },
                    who: t("confirm.draftedBy", ["who": drafted.isEmpty ? "—" : Array(Set(drafted)).sorted().joined(separator: ", ")]),
                    detail: "/staff/indicators", action: "/staff/indicators/publish", dataAction: "publish-indicators", button: t("staff.action.publish"),
                    nothing: names.isEmpty)
    }

    func pathway(_ call: StaffCall, id: String, step: String) throws -> Response {
        let t = call.t, lang = t.language.rawValue
        let repository = PathwayRepository(database)
        guard let stored = try repository.scenario(id) else { throw ProblemDetails(.notFound, "no scenario '\(id)'") }
        let public_ = try repository.scenario(id, published: true)
        let lines = [
            Line(label: t("confirm.scenario"), now: public_.map { _ in t("pathways.published") } ?? "—",
                 after: step == "publish" ? t("confirm.version", ["at": t.dateTime(stored.updatedAt), "who": stored.updatedBy]) : "—"),
            Line(label: t("confirm.measures"), now: public_.map { String($0.scenario.measures.count) } ?? "—",
                 after: step == "publish" ? String(stored.scenario.measures.count) : "—"),
        ]
        let who = step == "publish" ? t("confirm.submittedBy", ["who": stored.submittedBy ?? "—", "editor": stored.updatedBy])
            : t("confirm.publishedAt", ["at": stored.publishedAt.map(t.date) ?? "—"])
        return page(call, title: t("confirm.pathway.\(step)", ["name": stored.scenario.name(lang)]), lines: lines, who: who,
                    detail: "/staff/pathways/\(Markup.percentEncoded(id))", action: "/staff/pathways/\(Markup.percentEncoded(id))/\(step)",
                    dataAction: step, button: t("pathways.\(step)"), hidden: step == "publish" ? [("digest", stored.digest)] : [],
                    nothing: step == "publish" ? stored.submittedBy == nil : !stored.isPublished)
    }

    func assessment(_ call: StaffCall, year: Int) throws -> Response {
        let t = call.t
        guard let a = try AssessmentRepository(database).assessment(year: year) else { throw ProblemDetails(.notFound, "no assessment of \(year)") }
        let counts = Dictionary(grouping: a.results, by: \.light).mapValues(\.count)
        let lines = ["green", "amber", "red"].map { light in
            Line(label: t("assessments.light.\(light)"), now: "", after: String(counts[DistrictResult.Light(rawValue: light)!] ?? 0))
        }
        return page(call, title: t("confirm.assessment", ["year": String(year)]), lines: lines,
                    who: t("confirm.frozenBy", ["who": a.frozenBy ?? "—", "at": a.frozenAt.map(t.dateTime) ?? "—"]), detail: "/staff/assessments#assessment-\(year)",
                    action: "/staff/assessments/\(year)/publish", dataAction: "publish-\(year)", button: t("assessments.publish"), nothing: a.state != .frozen)
    }

    /// The page: the summary as a table, who drafted it, the button and a way back.
    /// With `nothing`, the step would change nothing the public sees (or is not ready): the page says so and offers no button.
    func page(_ call: StaffCall, title: String, lines: [Line], who: String, detail: String, action: String, dataAction: String, button: String,
              hidden: [(String, String)] = [], nothing: Bool = false) -> Response {
        let t = call.t
        if nothing {
            return StaffLayout.page(t, call, title: title, body: "<p class=\"notice\" id=\"nothing\">\(t("confirm.nothing.todo"))</p>"
                                        + "<p><a href=\"\(detail)\">\(t("confirm.back")) →</a></p>")
        }
        var body: HTML = "<p>\(t("confirm.intro"))</p><table id=\"confirm-summary\"><caption>\(t("confirm.caption"))</caption><thead><tr>"
        body += Table.headings(["confirm.what", "confirm.now", "confirm.after"], t) + "</tr></thead><tbody>"
        for line in lines {
            body += "<tr><th scope=\"row\">\(line.label)</th><td class=\"n\">\(line.now)</td><td class=\"n\">\(line.after)</td></tr>"
        }
        body += "</tbody></table><p id=\"drafted-by\">\(who)</p><p><a href=\"\(detail)\">\(t("confirm.detail")) →</a></p>"
        body += "<form method=\"post\" action=\"\(action)\">\(StaffLayout.csrfField(call))"
        body += hidden.html { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" }
        let warning: HTML = dataAction.hasPrefix("withdraw") ? " class=\"danger\"" : ""
        body += "<p><button type=\"submit\"\(warning) data-action=\"\(dataAction)\">\(button)</button> "
        body += "<a href=\"\(detail)\">\(t("confirm.cancel"))</a></p></form>"
        return StaffLayout.page(t, call, title: title, body: body)
    }
}
