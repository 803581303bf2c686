import CityCarbonPages
import CarbonKit
import CarbonPathways
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// The pathway scenarios: a comparison of the published ones, a page per scenario (wedges,
/// net emissions with sinks and the uncertainty band, targets, abatement cost curve, the
/// LMDI waterfall of the past), the same as JSON and CSV, and the staff pages to edit,
/// preview and publish them.
struct PathwayPages: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache
    var monteCarlo = MonteCarloCache()
    var bandsInBackground = true

    /// One run of a scenario with everything the page and the API show.
    struct Computed: Encodable {
        var scenario: Scenario
        var result: PathwayResult
        var monteCarlo: MonteCarloResult?
        /// The scenario asks for Monte Carlo runs that are still under way (a page answered without waiting).
        var bandsPending = false
        var macc: MarginalAbatementCurve?
        /// The PM2.5 the measures keep out of the air and the deaths it spares, year by year.
        var health: HealthCoBenefits.Scenario?
        var published: Bool
        var updatedAt: String

        /// What the API sends: the pending state is the page's, not the data's.
        enum CodingKeys: String, CodingKey { case scenario, result, monteCarlo, macc, health, published, updatedAt }
    }

    static let maximumRunsOnline = 20_000

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "pathways") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("pathways/\(language.rawValue)") { try comparison(Localizer(language)) })
        }
        routes.open(.get, "pathways/:scenario") { request, context in
            let id = try context.parameters.require("scenario")
            let language = Language.of(request)
            let district = request.uri.queryParameters.get("district").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
            let key = "pathways/\(id)/\(language.rawValue)/\(district ?? "")"
            // A page without its band is answered, not kept: the next request after the runs shows it whole.
            return Layout.response(try pages.page(key, keepIf: { !$0.bandsPending }) {
                let t = Localizer(language)
                let computed = try compute(id, publishedOnly: true, language: language, waitForBands: !bandsInBackground)
                if let district, !computed.result.cells.contains(where: { $0.district == district }) {
                    throw ProblemDetails(.notFound, "the scenario \(id) has no district \(district)")
                }
                let page = Layout.page(t, title: computed.result.name, body: "<main id=\"main\">\(detail(computed, t: t, district: district, base: "/pathways"))</main>",
                                       query: district.map { [("district", $0)] } ?? [], footer: t("pathways.footer"))
                return (page, computed)
            })
        }
        routes.open(.get, "pathways/:scenario/pathway.csv") { _, context in
            let computed = try compute(try context.parameters.require("scenario"), publishedOnly: true, language: .en)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(computed.scenario.identifier).csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: Self.csv(computed))))
        }
        routes.open(.get, "pathways/:scenario/scenario.json") { _, context in
            let id = try context.parameters.require("scenario")
            guard let stored = try PathwayRepository(database).scenario(id, published: true) else { throw ProblemDetails(.notFound, "no published scenario '\(id)'") }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: ScenarioFile.encode(stored.scenario))))
        }
        routes.open(.get, "api/v1/pathways") { request, _ in
            let language = Language.of(request)
            let body = try pages.page("api/pathways/\(language.rawValue)") {
                let items: [JSONValue] = try PathwayRepository(database).scenarios(publishedOnly: true).map { stored in
                    do {
                        let result = try PathwayRepository(database).model(stored.scenario.identifier, rows: .published).run(language: language.rawValue)
                        return Self.summary(stored.scenario, result)
                    } catch let errors as InputErrors {
                        return Self.summary(stored.scenario, nil, problem: errors.issues.map(\.description).joined(separator: "; "))
                    }
                }
                return JSONValue.object([("items", .array(items))]).serialized()
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        }
        routes.open(.get, "api/v1/pathways/:scenario") { request, context in
            let id = try context.parameters.require("scenario")
            let language = Language.of(request)
            let body = try pages.page("api/pathways/\(id)/\(language.rawValue)") {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                return String(decoding: try encoder.encode(try compute(id, publishedOnly: true, language: language)), as: UTF8.self)
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        }
        routes.open(.get, "api/v1/decomposition") { request, _ in
            guard let fromText = request.uri.queryParameters.get("from"), let toText = request.uri.queryParameters.get("to") else {
                throw ProblemDetails(.badRequest, "give the years as ?from=2015&to=2023")
            }
            let from: Int, to: Int
            do throws(InputIssue) {
                from = try InputNumber.integer(fromText, field: "from", in: Scenario.years)
                to = try InputNumber.integer(toText, field: "to", in: Scenario.years)
            } catch { throw InputErrors([error]) }
            let published = try PublicationRepository(database).publishedYears()
            for year in [from, to] where !published.contains(year) { throw ProblemDetails(.notFound, "\(year) has no published inventory") }
            return Self.json(try PathwayRepository(database).decomposition(from: from, to: to)).httpResponse()
        }

        routes.staff(.get, "staff/pathways", .readDrafts) { _, _, call in try staffList(call) }
        routes.staff(.post, "staff/pathways", .editPlans, bodyLimit: BodyLimit.form * 4) { _, _, call in
            let text = call.form.files["file"].map { $0.bytes } ?? Array((call.form["document"] ?? "").utf8)
            do {
                let scenario = try PathwayRepository(database).save(text, file: call.form.files["file"]?.filename ?? "scenario.json", actor: call.actor)
                return StaffLayout.redirect("/staff/pathways/\(Markup.percentEncoded(scenario.identifier))")
            } catch let errors as InputErrors {
                return try staffList(call, errors: errors, status: .unprocessableContent)
            }
        }
        routes.staff(.get, "staff/pathways/:scenario", .readDrafts) { _, context, call in
            try staffScenario(call, id: try context.parameters.require("scenario"))
        }
        routes.staff(.post, "staff/pathways/:scenario", .editPlans, bodyLimit: BodyLimit.form * 4) { _, context, call in
            let id = try context.parameters.require("scenario")
            guard let stored = try PathwayRepository(database).scenario(id) else { throw ProblemDetails(.notFound, "no scenario '\(id)'") }
            do {
                let edited = try Self.apply(call.form, to: stored.scenario)
                guard edited.identifier == id else {
                    throw InputErrors([InputIssue(InputLocation(field: "identifier"), value: edited.identifier, reason: "cannot change here; save a copy from the scenario list")])
                }
                try PathwayRepository(database).save(edited, file: id, actor: call.actor)
                return try staffScenario(call, id: id, notice: call.t("pathways.saved"))
            } catch let errors as InputErrors {
                return try staffScenario(call, id: id, errors: errors, submitted: call.form, status: .unprocessableContent)
            }
        }
        // Draft → review → published: an editor submits the saved version, the climate office
        // publishes exactly the version it reviewed (its digest is in the form), or withdraws.
        let steps: [(String, Permission, @Sendable (String, StaffCall) throws -> Void)] = [
            ("submit", .editPlans, { id, call in try PathwayRepository(database).submit(id, actor: call.actor) }),
            ("publish", .managePlans, { id, call in try PathwayRepository(database).publish(id, actor: call.actor, seen: call.form["digest"] ?? "") }),
            ("withdraw", .managePlans, { id, call in try PathwayRepository(database).setPublished(id, false, actor: call.actor) }),
        ]
        for (step, permission, act) in steps {
            routes.staff(.post, "staff/pathways/:scenario/\(step)", permission) { _, context, call in
                let id = try context.parameters.require("scenario")
                do { try act(id, call) } catch let error as PathwayError {
                    if case .unknownScenario = error { throw ProblemDetails(.notFound, error.description) }
                    throw ProblemDetails(.conflict, error.description)
                }
                return try staffScenario(call, id: id, notice: call.t("pathways.notice.\(step)"))
            }
        }
    }

    // MARK: Computing

    func compute(_ id: String, publishedOnly: Bool, language: Language, waitForBands: Bool = true) throws -> Computed {
        let repository = PathwayRepository(database)
        guard let stored = try repository.scenario(id, published: publishedOnly) else {
            throw ProblemDetails(.notFound, "no published scenario '\(id)'")
        }
        let model: PathwayModel
        do {
            model = try PathwayInputs(database, rows: publishedOnly ? .published : .current).model(stored.scenario, file: id, saved: true)
        } catch let errors as InputErrors {
            throw ProblemDetails(.conflict, "scenario '\(id)' no longer runs against the workspace's data", issues: errors.issues)
        }
        let result = model.run(language: language.rawValue)
        // A page answers within a second or so: a scenario asking for more runs gets them from the CLI.
        let runs = min(model.scenario.monteCarlo?.runs ?? 0, Self.maximumRunsOnline)
        let seed = model.scenario.monteCarlo?.seed ?? 1
        let mc = runs == 0 ? nil : waitForBands ? monteCarlo.result(model, runs: runs, seed: seed, language: language.rawValue)
            : monteCarlo.ifReady(model, runs: runs, seed: seed, language: language.rawValue)
        let macc = MarginalAbatementCurve(scenario: model.scenario, result: result)
        let (districts, statistics) = try HealthSections.inputs(database, edition: publishedOnly ? .published : .current)
        let health = try? HealthCoBenefits.ofScenario(result, districts: districts, statistics: statistics)?.get()
        return Computed(scenario: model.scenario, result: result, monteCarlo: mc, bandsPending: runs > 0 && mc == nil, macc: macc.bars.isEmpty ? nil : macc,
                        health: health, published: stored.isPublished, updatedAt: stored.updatedAt)
    }

    /// A scenario in the list; one that no longer runs carries its problem instead of results.
    static func summary(_ scenario: Scenario, _ r: PathwayResult?, problem: String? = nil) -> JSONValue {
        let peak = r?.analysis.peak
        return .object([
            ("identifier", .string(scenario.identifier)), ("name", .string(r?.name ?? scenario.name("en"))), ("kind", .string(scenario.kind.rawValue)),
            ("jurisdiction", .string(scenario.jurisdiction)), ("baseYear", .integer(scenario.baseYear)), ("endYear", .integer(scenario.endYear)),
            ("peak", peak.map { .object([("year", .integer($0.year)), ("value", .number($0.value)), ("status", .string($0.status.rawValue))]) } ?? .null),
            ("neutralityYear", r?.analysis.neutralityYear.map(JSONValue.integer) ?? .null),
            ("grossZeroYear", r?.analysis.grossZeroYear.map(JSONValue.integer) ?? .null),
            ("targetsMet", .integer(r?.analysis.targets.filter(\.met).count ?? 0)), ("targets", .integer(r?.analysis.targets.count ?? 0)),
            ("href", .string("/api/v1/pathways/\(Markup.percentEncoded(scenario.identifier))")),
            ("problem", problem.map(JSONValue.string) ?? .null),
        ])
    }

    static func json(_ r: LMDI.Result) -> JSONValue {
        func effects(_ map: [LMDI.Effect: Double]) -> JSONValue { .object(LMDI.Effect.allCases.map { ($0.rawValue, .number(map[$0] ?? 0)) }) }
        return .object([("fromYear", .integer(r.fromYear)), ("toYear", .integer(r.toYear)), ("from", .number(r.from)), ("to", .number(r.to)),
                        ("change", .number(r.change)), ("effects", effects(r.effects)),
                        ("bySector", .object(r.bySector.keys.sorted().map { ($0, effects(r.bySector[$0]!)) }))])
    }

    static func csv(_ c: Computed) -> String {
        let r = c.result
        var header = ["year", "baseline_t", "gross_t"] + r.wedges.map { "wedge_\($0.id)_t" } + r.sinks.map { "sink_\($0.id)_t" } + ["offsets_t", "net_t"]
        if c.monteCarlo != nil { header += ["net_p10_t", "net_p50_t", "net_p90_t", "probability_peaked"] }
        var text = header.joined(separator: ",") + "\r\n"
        for (t, year) in r.years.enumerated() {
            var cells = [String(year), String(r.baseline[t]), String(r.gross[t])] + r.wedges.map { String($0.tonnes[t]) } + r.sinks.map { String($0.tonnes[t]) }
            cells += [String(r.offsets[t]), String(r.net[t])]
            if let mc = c.monteCarlo { cells += [String(mc.net.p10[t]), String(mc.net.p50[t]), String(mc.net.p90[t]), String(mc.peakedBy[t])] }
            text += cells.joined(separator: ",") + "\r\n"
        }
        return text
    }
}
