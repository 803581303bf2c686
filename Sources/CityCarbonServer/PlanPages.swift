import CityCarbonPages
import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation
import Hummingbird

/// A climate plan as the public reads it: its actions with status, completion and how
/// recently each was updated, filterable by area, status and organisation, each action on
/// its own page; and the same through `/api/v1/plans`. Plans are loaded by the climate
/// office (`citycarbon plan import`), which is their publication.
struct PlanPages: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "plans") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("plans/\(language.rawValue)") { try list(Localizer(language)) })
        }
        routes.open(.get, "plans/:plan") { request, context in
            let plan = try context.parameters.decoded("plan")
            let language = Language.of(request)
            let filter = Filter(request)
            return Layout.response(try pages.page("plan/\(language.rawValue)/\(plan)/\(filter.key)") { try planPage(plan, filter: filter, t: Localizer(language)) })
        }
        routes.open(.get, "plans/:plan/actions/:action") { request, context in
            let plan = try context.parameters.decoded("plan"), action = try context.parameters.decoded("action")
            let language = Language.of(request)
            return Layout.response(try pages.page("action/\(language.rawValue)/\(plan)/\(action)") { try actionPage(plan, action, t: Localizer(language)) })
        }
        routes.open(.get, "api/v1/plans") { _, _ in
            let repository = PlanRepository(database)
            return JSONValue.object([("items", .array(try repository.plans().map { plan in
                .object([("identifier", .string(plan.identifier)), ("name", Self.json(plan.name)),
                         ("actions", .integer(try repository.actions(plan: plan.identifier).count))])
            }))]).httpResponse()
        }
        routes.open(.get, "api/v1/plans/:plan/actions") { request, context in
            let (plan, actions) = try load(try context.parameters.decoded("plan"))
            let filter = Filter(request)
            let today = Day.today
            let selected = try filter.apply(actions, plan: plan, today: today)
            let paging = try Paging(request, defaultPerPage: 50)
            return paging.envelope(paging.slice(selected).map { Self.json($0, plan: plan, today: today) }, total: selected.count).httpResponse()
        }
        routes.open(.get, "api/v1/plans/:plan/actions/:action") { _, context in
            let (plan, actions) = try load(try context.parameters.decoded("plan"))
            let id = try context.parameters.decoded("action")
            guard let action = actions.first(where: { $0.identifier == id }) else { throw ProblemDetails(.notFound, "plan \(plan.identifier) has no action \(id)") }
            guard case .object(var members) = Self.json(action, plan: plan, today: Day.today) else { return Self.json(action, plan: plan, today: Day.today).httpResponse() }
            if let effect = action.airEffect {
                let (districts, statistics) = try HealthSections.inputs(database)
                members.append(("health", HealthSections.json(HealthCoBenefits.ofAction(effect, districts: districts, statistics: statistics))))
            }
            return JSONValue.object(members).httpResponse()
        }
    }

    func load(_ identifier: String) throws -> (Plan, [PlanAction]) {
        let repository = PlanRepository(database)
        guard let plan = try repository.plan(identifier) else { throw ProblemDetails(.notFound, "no plan named \(identifier)") }
        return (plan, try repository.actions(plan: identifier))
    }

    /// `?category=&status=&organisation=&timeliness=stale` of the action list.
    struct Filter {
        var category: String?
        var status: String?
        var organisation: String?
        /// Only `stale`: still to be done and not updated within the plan's limit, or never (``PlanStatusCounts``).
        var timeliness: String?

        init(_ request: Request) {
            func value(_ name: String) -> String? { request.uri.queryParameters.get(name).map { String($0) }.flatMap { $0.isEmpty ? nil : $0 } }
            (category, status, organisation, timeliness) = (value("category"), value("status"), value("organisation"), value("timeliness"))
        }

        var key: String { "\(category ?? "")|\(status ?? "")|\(organisation ?? "")|\(timeliness ?? "")" }

        func apply(_ actions: [PlanAction], plan: Plan, today: Day) throws -> [PlanAction] {
            if let status, ActionStatus(rawValue: status) == nil {
                throw InputErrors([InputIssue(InputLocation(field: "status"), value: status, reason: "is not a status",
                                              suggestion: ActionStatus.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            if let timeliness, timeliness != "stale" {
                throw InputErrors([InputIssue(InputLocation(field: "timeliness"), value: timeliness, reason: "is not a filter of timeliness", suggestion: "stale")])
            }
            // Only values the plan has: anything else is not found, never rendered (or cached) as a page.
            if let category, !plan.categoryTypes.flatMap(\.categories).contains(where: { $0.identifier == category }) {
                throw ProblemDetails(.notFound, "\(category) is not a category of this plan")
            }
            if let organisation, !actions.contains(where: { $0.responsibleParties.contains { $0.organisation == organisation } }) {
                throw ProblemDetails(.notFound, "\(organisation) is responsible for no action of this plan")
            }
            let categories = category.map { id in Set(plan.categoryTypes.flatMap { $0.subtree(of: id) }) }
            return actions.filter { action in
                (categories.map { set in action.categories.contains(where: set.contains) } ?? true)
                    && (status.map { ActionProgress.of(action, on: today, settings: plan.settings).effectiveStatus(of: action).rawValue == $0 } ?? true)
                    && (organisation.map { org in action.responsibleParties.contains { $0.organisation == org } } ?? true)
                    && (timeliness == nil || ActionProgress.of(action, on: today, settings: plan.settings).isStale(action))
            }
        }
    }

    static func json(_ text: Multilingual) -> JSONValue {
        .object(text.values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    static func json(_ action: PlanAction, plan: Plan, today: Day) -> JSONValue {
        let progress = ActionProgress.of(action, on: today, settings: plan.settings)
        func day(_ d: Day?) -> JSONValue { d.map { .string($0.description) } ?? .null }
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let responsible: [JSONValue] = action.responsibleParties.map {
            .object([("organisation", .string($0.organisation)), ("role", .string($0.role.rawValue))])
        }
        let tasks: [JSONValue] = action.tasks.map {
            .object([("name", json($0.name)), ("due", .string($0.dueDate.description)), ("completed", day($0.completedOn))])
        }
        let costs: [JSONValue] = action.costs.map {
            .object([("year", .integer($0.year)), ("kind", .string($0.kind.rawValue)), ("amount", .number($0.amount)),
                     ("currency", .string($0.currency)), ("source", text($0.source))])
        }
        let reductions: [JSONValue] = action.reductions.map {
            .object([("year", .integer($0.year)), ("t_co2e", .number($0.tonnesCO2e)), ("method", text($0.method)), ("source", text($0.source))])
        }
        let indicators: [JSONValue] = action.indicators.map { .object([("indicator", .string($0.indicator)), ("effect", .string($0.effect.rawValue))]) }
        var members: [(String, JSONValue)] = [
            ("identifier", .string(action.identifier)), ("name", json(action.name)), ("description", json(action.description)),
            ("categories", .array(action.categories.map(JSONValue.string))),
            ("status", .string(progress.effectiveStatus(of: action).rawValue)), ("phase", text(action.phase?.rawValue)),
        ]
        members += [
            ("completion", progress.completion.map(JSONValue.number) ?? .null), ("timeliness", .string(progress.timeliness.rawValue)),
            ("updated_on", day(action.updatedOn)), ("start_date", day(action.startDate)), ("end_date", day(action.endDate)),
        ]
        members += [("responsible", .array(responsible)), ("tasks", .array(tasks)), ("costs", .array(costs)),
                    ("reductions", .array(reductions)), ("indicators", .array(indicators))]
        members += [("co_benefits", .array(action.coBenefits.map { .object([("kind", .string($0.kind)), ("description", json($0.description))]) })),
                    ("air_effect", action.airEffect.map { e in
                        .object([("pollutant", .string(e.pollutant.rawValue)), ("district", text(e.district)),
                                 ("concentration_reduction", e.concentrationReduction.map(JSONValue.number) ?? .null),
                                 ("emission_reduction_t", e.emissionReductionTonnes.map(JSONValue.number) ?? .null), ("source", text(e.source))])
                    } ?? .null)]
        return .object(members)
    }

    func languageCode(_ t: Localizer) -> String { t.language.rawValue }

    func list(_ t: Localizer) throws -> HTML {
        let repository = PlanRepository(database)
        var body: HTML = "<main id=\"main\"><ul class=\"plans\">"
        for plan in try repository.plans() {
            let count = try repository.actions(plan: plan.identifier).count
            body += "<li><a href=\"/plans/\(plan.identifier)\">\(plan.name.text(languageCode(t)))</a> · \(t("plans.count", ["count": String(count)]))"
            body += " · <a href=\"/plans/\(Markup.percentEncoded(plan.identifier))/reports\">\(t("plans.reports"))</a></li>"
        }
        body += "</ul></main>"
        return Layout.page(t, title: t("plans.title"), body: body, query: [], footer: t("plans.footer"))
    }

    func planPage(_ identifier: String, filter: Filter, t: Localizer) throws -> HTML {
        let (plan, actions) = try load(identifier)
        let today = Day.today, lang = languageCode(t)
        let shown = try filter.apply(actions, plan: plan, today: today)
        let counts = PlanStatusCounts.of(actions, plan: plan, today: today).byStatus
        let chart = BarChart(title: t("plans.chart.title"), description: t("plans.chart.desc", ["count": String(actions.count)]),
                             bars: ActionStatus.allCases.map { BarChart.Bar(label: t("status.\($0.rawValue)"), value: Double(counts[$0] ?? 0),
                                                                            color: Palette.actionStatus[$0.rawValue]!, link: "/plans/\(identifier)?status=\($0.rawValue)") },
                             format: { String(Int($0)) }, unit: t("plans.chart.unit"))
        var body: HTML = "<main id=\"main\"><p><a href=\"/plans/\(Markup.percentEncoded(identifier))/reports\">\(t("plans.reports"))</a></p>"
        body += "<figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: "status", t: t))</figure>"
        func option(_ value: String, _ label: String, _ selected: String?) -> HTML {
            "<option value=\"\(value)\"\(value == selected ? " selected" : "")>\(label)</option>"
        }
        let categories = plan.categoryTypes.flatMap(\.categories)
        let organisations = Set(actions.flatMap { $0.responsibleParties.map(\.organisation) }).sorted()
        body += "<form class=\"filters\" method=\"get\"><label>\(t("plans.filter.area")) <select name=\"category\">" + option("", t("inventory.filter.all"), filter.category)
        body += categories.map { option($0.identifier, ($0.parent == nil ? "" : "— ") + $0.name.text(lang), filter.category) }.joined() + "</select></label>"
        body += "<label>\(t("plans.filter.status")) <select name=\"status\">" + option("", t("inventory.filter.all"), filter.status)
        body += ActionStatus.allCases.map { option($0.rawValue, t("status.\($0.rawValue)"), filter.status) }.joined() + "</select></label>"
        if !organisations.isEmpty {
            body += "<label>\(t("plans.filter.organisation")) <select name=\"organisation\">" + option("", t("inventory.filter.all"), filter.organisation)
            body += organisations.map { option($0, $0, filter.organisation) }.joined() + "</select></label>"
        }
        // A stale-only list (from the dashboard's count) says so and keeps the filter through the form.
        if filter.timeliness == "stale" {
            body += "<label><input type=\"checkbox\" name=\"timeliness\" value=\"stale\" checked> \(t("plans.filter.stale", ["days": String(plan.settings.staleAfterDays)]))</label>"
        }
        body += "<button type=\"submit\">\(t("inventory.filter.apply"))</button></form>"
        let names = Dictionary(uniqueKeysWithValues: categories.map { ($0.identifier, $0.name.text(lang)) })
        body += "<table class=\"actions\"><caption>\(t("plans.table.caption", ["shown": String(shown.count), "count": String(actions.count)]))</caption><thead><tr>"
        body += Table.headings(["plans.col.id", "plans.col.action", "plans.col.area", "plans.col.status", "plans.col.done", "plans.col.updated"], t)
        body += "</tr></thead><tbody>"
        for action in shown {
            let progress = ActionProgress.of(action, on: today, settings: plan.settings)
            body += "<tr><td class=\"n\">\(action.identifier)</td><td><a href=\"/plans/\(identifier)/actions/\(action.identifier)\">\(action.name.text(lang))</a></td>"
            body += "<td>\(action.categories.compactMap { names[$0] }.joined(separator: ", "))</td><td>\(t("status.\(progress.effectiveStatus(of: action).rawValue)"))</td>"
            body += "<td class=\"n\">\(progress.completion.map { "\(Int(($0 * 100).rounded())) %" } ?? "")</td><td>\(t("timeliness.\(progress.timeliness.rawValue)"))</td></tr>"
        }
        body += "</tbody></table><p>\(t.html("plans.download", ["json": "<a href=\"/api/v1/plans/\(identifier)/actions?per_page=500\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: plan.name.text(lang), body: body, query: [("category", filter.category ?? ""), ("status", filter.status ?? ""), ("organisation", filter.organisation ?? "")],
                           footer: t("plans.footer"))
    }
}
