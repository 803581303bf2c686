import CarbonKit
import CityCarbonPages
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The district assessment (考核): the public sees published years only — the ranking with
/// each district's light, its component scores and the evidence behind each; the climate
/// office freezes a year's results and then publishes them.
struct AssessmentPages: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "assessments") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("assessments/\(language.rawValue)") { try list(Localizer(language)) })
        }
        routes.open(.get, "assessments/:year") { request, context in
            let year = try context.parameters.require("year", as: Int.self)
            let language = Language.of(request)
            return Layout.response(try pages.page("assessment/\(language.rawValue)/\(year)") { try page(year, t: Localizer(language)) })
        }
        routes.open(.get, "api/v1/assessments") { _, _ in
            JSONValue.object([("items", .array(try published().map { .object([("year", .integer($0.year)), ("published_at", $0.publishedAt.map(JSONValue.string) ?? .null)]) }))]).httpResponse()
        }
        routes.open(.get, "api/v1/assessments/:year") { _, context in
            let year = try context.parameters.require("year", as: Int.self)
            guard let assessment = try published().first(where: { $0.year == year }) else { throw ProblemDetails(.notFound, "no published assessment of \(year)") }
            return Self.json(assessment).httpResponse()
        }
        routes.staff(.get, "staff/assessments", .readDrafts) { _, _, call in try staff(call) }
        for step in ["freeze", "publish"] {
            routes.staff(.post, "staff/assessments/:year/\(step)", .managePlans) { _, context, call in
                let year = try context.parameters.require("year", as: Int.self)
                do {
                    if step == "freeze" { try AssessmentRepository(database).freeze(year: year, actor: call.actor) } else { try AssessmentRepository(database).publish(year: year, actor: call.actor) }
                } catch let error as AssessmentError {
                    throw ProblemDetails(error == .notRun(year: year) ? .notFound : .conflict, error.description)
                }
                return try staff(call, notice: call.t("assessments.notice.\(step)", ["year": String(year)]))
            }
        }
    }

    func published() throws -> [DistrictAssessment] { try AssessmentRepository(database).all().filter { $0.state == .published } }

    static func json(_ a: DistrictAssessment) -> JSONValue {
        .object([("year", .integer(a.year)), ("state", .string(a.state.rawValue)), ("frozen_at", a.frozenAt.map(JSONValue.string) ?? .null),
                 ("published_at", a.publishedAt.map(JSONValue.string) ?? .null),
                 ("scheme", .object([("green", .number(a.scheme.green)), ("amber", .number(a.scheme.amber)), ("components", .array(a.scheme.components.map {
                     .object([("identifier", .string($0.identifier)), ("name", PlanPages.json($0.name)), ("weight", .number($0.weight))])
                 }))])),
                 ("results", .array(a.results.map { r in
                     .object([("jurisdiction", .string(r.jurisdiction)), ("rank", .integer(r.rank)), ("total", .number(r.total)), ("light", .string(r.light.rawValue)),
                              ("scores", .array(r.scores.map { .object([("component", .string($0.component)), ("score", .number($0.score)), ("evidence", .array($0.evidence.map(JSONValue.string)))]) }))])
                 }))])
    }


    func list(_ t: Localizer) throws -> HTML {
        var body: HTML = "<main id=\"main\"><ul class=\"assessments\">"
        for a in try published().reversed() {
            let counts = Dictionary(grouping: a.results, by: \.light).mapValues(\.count)
            let lights = t("assessments.lights", ["green": String(counts[.green] ?? 0), "amber": String(counts[.amber] ?? 0), "red": String(counts[.red] ?? 0)])
            body += "<li><a href=\"/assessments/\(a.year)\">\(t("assessments.year", ["year": String(a.year)]))</a> · \(lights)</li>"
        }
        body += "</ul></main>"
        return Layout.page(t, title: t("assessments.title"), body: body, query: [], footer: t("assessments.footer"))
    }

    static func ranking(_ a: DistrictAssessment, t: Localizer, id: String = "ranking") -> HTML { AssessmentRanking.html(a, t: t, id: id) }

    func page(_ year: Int, t: Localizer) throws -> HTML {
        guard let a = try published().first(where: { $0.year == year }) else { throw ProblemDetails(.notFound, "no published assessment of \(year)") }
        let frozen = t("assessments.frozen", ["at": a.frozenAt.map(t.dateTime) ?? "", "published": a.publishedAt.map(t.dateTime) ?? ""])
        let download = t.html("plans.download", ["json": "<a href=\"/api/v1/assessments/\(year)\">JSON</a>"])
        let body: HTML = """
            <main id="main"><p>\(frozen)</p>\(Self.ranking(a, t: t))<p>\(download) · \(Layout.methodLink("assessment", t))</p></main>
            """
        return Layout.page(t, title: t("assessments.year", ["year": String(year)]), body: body, query: [], footer: t("assessments.footer"))
    }

    func staff(_ call: StaffCall, notice: String? = nil) throws -> Response {
        let t = call.t
        var body: HTML = ""
        for a in try AssessmentRepository(database).all().reversed() {
            body += "<section id=\"assessment-\(a.year)\"><h2>\(t("assessments.year", ["year": String(a.year)])) · \(t("assessments.state.\(a.state.rawValue)"))</h2>"
            if call.principal.may(.managePlans), a.state == .draft {
                body += "<form method=\"post\" action=\"/staff/assessments/\(a.year)/freeze\">\(StaffLayout.csrfField(call))<button type=\"submit\" data-action=\"freeze-\(a.year)\">\(t("assessments.freeze"))</button></form>"
            } else if call.principal.may(.managePlans), a.state == .frozen {
                body += "<p>\(StaffLayout.confirmLink("/staff/assessments/\(a.year)/publish", dataAction: "publish-\(a.year)", label: t("assessments.publish")))</p>"
            }
            body += Self.ranking(a, t: t, id: "ranking-\(a.year)") + "</section>"
        }
        if body.isEmpty { body = "<p>\(t("assessments.none"))</p>" }
        return StaffLayout.page(t, call, title: t("assessments.title"), notice: notice, body: body)
    }
}
