import CityCarbonPages
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The low-carbon pilot registry for the public: the plan's goals against the active pilots
/// of each kind, and every pilot with its stage, latest score and history; also as
/// `/api/v1/pilots`.
struct PilotPages: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "pilots") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("pilots/\(language.rawValue)") { try page(Localizer(language)) })
        }
        routes.open(.get, "api/v1/pilots") { _, _ in
            let repository = PilotRepository(database)
            let pilots = try repository.all()
            let goals: [JSONValue] = try repository.goals().map { goal, source in
                let count = goal.count(in: pilots)
                return .object([("kind", .string(goal.kind.rawValue)), ("minimum", .integer(goal.minimum)), ("maximum", goal.maximum.map(JSONValue.integer) ?? .null),
                                ("active", .integer(count.active)), ("met", .bool(count.met)), ("source", source.map(JSONValue.string) ?? .null)])
            }
            return JSONValue.object([("goals", .array(goals)), ("items", .array(pilots.map(Self.json)))]).httpResponse()
        }
    }

    static func json(_ pilot: Pilot) -> JSONValue {
        .object([("identifier", .string(pilot.identifier)), ("name", PlanPages.json(pilot.name)), ("kind", .string(pilot.kind.rawValue)),
                 ("jurisdiction", .string(pilot.jurisdiction)), ("stage", .string(pilot.stage.rawValue)), ("active", .bool(pilot.isActive)),
                 ("history", .array(pilot.history.map { e in
                     .object([("stage", .string(e.stage.rawValue)), ("on", .string(e.on.description)), ("score", e.score.map(JSONValue.number) ?? .null),
                              ("note", e.note.map(JSONValue.string) ?? .null)])
                 }))])
    }

    func page(_ t: Localizer) throws -> HTML {
        let lang = t.language.rawValue
        let repository = PilotRepository(database)
        let pilots = try repository.all()
        var body: HTML = "<main id=\"main\"><table id=\"pilot-goals\"><caption>\(t("pilots.goals"))</caption><thead><tr>"
        body += Table.headings(["pilots.kind", "pilots.goal", "pilots.active", "pilots.met", "indicators.source"], t) + "</tr></thead><tbody>"
        for (goal, source) in try repository.goals() {
            let count = goal.count(in: pilots)
            let range = goal.maximum.map { "\(goal.minimum)–\($0)" } ?? "≥ \(goal.minimum)"
            body += "<tr data-kind=\"\(goal.kind.rawValue)\"><td>\(t("pilots.kind.\(goal.kind.rawValue)"))</td><td class=\"n\">\(range)</td><td class=\"n\">\(count.active)</td>"
            body += "<td>\(t(count.met ? "edit.yes" : "edit.no"))</td><td>\(source ?? "")</td></tr>"
        }
        body += "</tbody></table><table id=\"pilots\"><caption>\(t("pilots.registry", ["count": String(pilots.count)]))</caption><thead><tr>"
        body += Table.headings(["pilots.name", "pilots.kind", "assessments.district", "pilots.stage", "pilots.score", "pilots.history"], t) + "</tr></thead><tbody>"
        for pilot in pilots {
            let score = pilot.history.last { $0.score != nil }
            body += "<tr data-pilot=\"\(pilot.identifier)\"><td>\(pilot.name.text(lang))</td><td>\(t("pilots.kind.\(pilot.kind.rawValue)"))</td>"
            body += "<td>\(pilot.jurisdiction)</td><td>\(t("pilots.stage.\(pilot.stage.rawValue)"))</td>"
            body += "<td class=\"n\">\(score.flatMap { e in e.score.map { "\(t.number($0, decimals: 0)) (\(e.on))" } } ?? "—")</td><td><ol>"
            body += pilot.history.html { "<li>\($0.on) \(t("pilots.stage.\($0.stage.rawValue)"))\($0.note.map { ": " + t.content($0) } ?? "")</li>" } + "</ol></td></tr>"
        }
        body += "</tbody></table><p>\(t.html("plans.download", ["json": "<a href=\"/api/v1/pilots\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("pilots.title"), body: body, query: [], footer: t("pilots.footer"))
    }
}
