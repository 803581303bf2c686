import CarbonKit
import CityCarbonPages
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The report's routes: the public list, page, CSVs and JSON of each year's latest version,
/// and the climate office's build button.
struct PlanReportPages: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache
    var auditKey: AuditKey?

    func stored(_ plan: String, _ year: Int) throws -> (StoredPlanReport, StoredPlanReport?) {
        let repository = PlanReportRepository(database)
        guard let report = try repository.report(plan: plan, year: year) else { throw ProblemDetails(.notFound, "plan \(plan) has no report for \(year)") }
        return (report, try repository.report(plan: plan, year: year - 1))
    }

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "plans/:plan/reports") { request, context in
            let plan = try context.parameters.decoded("plan")
            let t = Localizer(Language.of(request))
            return Layout.response(try pages.page("reports/\(t.language.rawValue)/\(plan)") {
                guard let loaded = try PlanRepository(database).plan(plan) else { throw ProblemDetails(.notFound, "no plan named \(plan)") }
                let lang = t.language.rawValue
                let years = try PlanReportRepository(database).years(plan: plan)
                let items = years.reversed().html {
                    "<li><a href=\"/plans/\(Markup.percentEncoded(plan))/reports/\($0.year)\">\($0.year)</a> · \(t("report.version", ["version": String($0.version), "at": t.date($0.createdAt)]))</li>"
                }
                return Layout.page(t, title: t("report.list", ["plan": loaded.name.text(lang)]), body: "<main id=\"main\"><ul class=\"reports\">\(items)</ul>\(years.isEmpty ? "<p>\(t("report.none"))</p>" as HTML : "")</main>",
                                   query: [], footer: t("plans.footer"))
            })
        }
        routes.open(.get, "plans/:plan/reports/:year") { request, context in
            let (plan, year) = (try context.parameters.decoded("plan"), try context.parameters.require("year", as: Int.self))
            let t = Localizer(Language.of(request))
            return Layout.response(try pages.page("report/\(t.language.rawValue)/\(plan)/\(year)") {
                let (report, previous) = try stored(plan, year)
                return PlanReport.html(report, previous: previous, t: t)
            })
        }
        for (file, render) in [("actions.csv", PlanReport.actionsCSV), ("indicators.csv", PlanReport.indicatorsCSV)] {
            routes.open(.get, "plans/:plan/reports/:year/\(file)") { _, context in
                let (plan, year) = (try context.parameters.decoded("plan"), try context.parameters.require("year", as: Int.self))
                let (report, _) = try stored(plan, year)
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(plan)-\(year)-\(file)\""],
                                body: .init(byteBuffer: ByteBuffer(string: render(report))))
            }
        }
        routes.open(.get, "plans/:plan/reports/:year/report.xlsx") { _, context in
            let (plan, year) = (try context.parameters.decoded("plan"), try context.parameters.require("year", as: Int.self))
            let (report, _) = try stored(plan, year)
            return Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                   .contentDisposition: "attachment; filename=\"\(plan)-\(year)-report.xlsx\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: PlanReport.xlsx(report))))
        }
        routes.open(.get, "api/v1/plans/:plan/reports/:year") { _, context in
            let (plan, year) = (try context.parameters.decoded("plan"), try context.parameters.require("year", as: Int.self))
            let (report, _) = try stored(plan, year)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let snapshot = JSONValue(parsing: String(decoding: try encoder.encode(report.snapshot), as: UTF8.self)) ?? .null
            return JSONValue.object([("plan", .string(plan)), ("year", .integer(year)), ("version", .integer(report.version)), ("digest", .string(report.digest)),
                                     ("created_at", .string(report.createdAt)), ("created_by", .string(report.createdBy)),
                                     ("audit_checkpoint", report.checkpoint?.json ?? .null), ("snapshot", snapshot)]).httpResponse()
        }
        routes.staff(.post, "staff/plans/:plan/reports", .managePlans) { _, context, call in
            let plan = try context.parameters.decoded("plan")
            guard let yearText = call.form["year"], let year = Int(yearText) else {
                throw InputErrors([InputIssue(InputLocation(field: "year"), value: call.form["year"], reason: "is not a year")])
            }
            try PlanReport.build(database: database, plan: plan, year: year, actor: call.actor, key: auditKey)
            return StaffLayout.redirect("/plans/\(Markup.percentEncoded(plan))/reports/\(year)")
        }
    }
}
