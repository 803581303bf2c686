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

    /// One run of a scenario with everything the page and the API show.
    struct Computed: Encodable {
        var scenario: Scenario
        var result: PathwayResult
        var monteCarlo: MonteCarloResult?
        var macc: MarginalAbatementCurve?
        var published: Bool
        var updatedAt: String
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
            return Layout.response(try pages.page(key) {
                let t = Localizer(language)
                let computed = try compute(id, publishedOnly: true, language: language)
                if let district, !computed.result.cells.contains(where: { $0.district == district }) {
                    throw ProblemDetails(.notFound, "the scenario \(id) has no district \(district)")
                }
                return Layout.page(t, title: computed.result.name, body: "<main id=\"main\">" + detail(computed, t: t, district: district, base: "/pathways") + "</main>",
                                   query: district.map { [("district", $0)] } ?? [], footer: t("pathways.footer"))
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

    func compute(_ id: String, publishedOnly: Bool, language: Language) throws -> Computed {
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
        let mc = runs > 0 ? monteCarlo.result(model, runs: runs, seed: model.scenario.monteCarlo?.seed ?? 1, language: language.rawValue) : nil
        let macc = MarginalAbatementCurve(scenario: model.scenario, result: result)
        return Computed(scenario: model.scenario, result: result, monteCarlo: mc, macc: macc.bars.isEmpty ? nil : macc,
                        published: stored.isPublished, updatedAt: stored.updatedAt)
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

    // MARK: Pages

    func comparison(_ t: Localizer) throws -> String {
        let repository = PathwayRepository(database)
        let stored = try repository.scenarios(publishedOnly: true)
        var body = "<main id=\"main\"><p>\(Markup.escape(t("pathways.intro")))</p>"
        guard !stored.isEmpty else { return Layout.page(t, title: t("pathways.title"), body: body + "<p>\(Markup.escape(t("pathways.none")))</p></main>", query: [], footer: t("pathways.footer")) }
        var runs: [(Scenario, PathwayResult)] = [], broken: [(Scenario, InputErrors)] = []
        for s in stored {
            do { runs.append((s.scenario, try repository.model(s.scenario.identifier, rows: .published).run(language: t.language.rawValue))) } catch let errors as InputErrors {
                broken.append((s.scenario, errors))
            }
        }
        let tons = { (x: Double) in t.number(x / 1e6, decimals: 2) }
        body += "<table id=\"scenarios\"><caption>\(Markup.escape(t("pathways.compare")))</caption><thead><tr>"
        body += ["pathways.scenario", "pathways.kind", "pathways.jurisdiction", "pathways.peak", "pathways.neutrality", "pathways.gross2030", "pathways.net2035", "pathways.netEnd", "pathways.targetsMet"]
            .map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
        for (scenario, r) in runs {
            let peak = r.analysis.peak.map { p in
                let status = t("pathways.status." + p.status.rawValue)
                return "\(p.year) · \(tons(p.value)) \(t("unit.mtShort")) · \(status)"
            } ?? "—"
            body += "<tr data-scenario=\"\(Markup.escape(scenario.identifier))\"><th scope=\"row\"><a href=\"/pathways/\(Markup.percentEncoded(scenario.identifier))\">\(Markup.escape(r.name))</a></th>"
            body += "<td>\(Markup.escape(t("pathways.kind." + scenario.kind.rawValue)))</td><td>\(Markup.escape(scenario.jurisdiction))</td><td>\(Markup.escape(peak))</td>"
            body += "<td class=\"n\">\(r.analysis.neutralityYear.map(String.init) ?? "—")</td>"
            body += "<td class=\"n\">\(r.value(r.gross, in: 2030).map(tons) ?? "—")</td><td class=\"n\">\(r.value(r.net, in: 2035).map(tons) ?? "—")</td>"
            body += "<td class=\"n\">\(tons(r.net.last ?? 0)) (\(r.years.last ?? 0))</td><td class=\"n\">\(r.analysis.targets.filter(\.met).count) / \(r.analysis.targets.count)</td></tr>"
        }
        for (scenario, errors) in broken {
            body += "<tr data-scenario=\"\(Markup.escape(scenario.identifier))\"><th scope=\"row\">\(Markup.escape(scenario.name(t.language.rawValue)))</th>"
            body += "<td colspan=\"8\" class=\"problem\">\(Markup.escape(t("pathways.broken", ["problem": errors.issues.map(\.description).joined(separator: "; ")])))</td></tr>"
        }
        body += "</tbody></table>"
        // One chart per jurisdiction: scenarios of the same city side by side.
        for jurisdiction in Array(Set(runs.map(\.0.jurisdiction))).sorted() {
            let same = runs.filter { $0.0.jurisdiction == jurisdiction }
            let lines = same.enumerated().map { k, pair in
                LineChart.Line(label: pair.1.name, color: Palette.categorical[k % Palette.categorical.count], points: zip(pair.1.years, pair.1.net).map { ($0, $1) })
            }
            let chart = LineChart(title: t("pathways.compareChart", ["jurisdiction": jurisdiction]), description: t("pathways.compareChartDesc"),
                                  lines: lines, format: { tons($0) }, unit: t("unit.mtYear"))
            let id = "compare-\(Markup.percentEncoded(jurisdiction).replacingOccurrences(of: "%", with: ""))"
            body += "<figure><figcaption>\(Markup.escape(chart.title))</figcaption>\(chart.html(id: id, t: t, width: .wide))</figure>"
        }
        body += "<p>\(t("plans.download", ["json": "<a href=\"/api/v1/pathways\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("pathways.title"), body: body, query: [], footer: t("pathways.footer"))
    }

    /// The body of a scenario's page, shared by the public page and the staff preview.
    func detail(_ c: Computed, t: Localizer, district: String?, base: String) -> String {
        let r = c.result, s = c.scenario, lang = t.language.rawValue
        let tons = { (x: Double) in t.number(x, decimals: 0) }
        let mt = { (x: Double) in t.number(x / 1e6, decimals: 2) }
        let path = "\(base)/\(Markup.percentEncoded(s.identifier))"
        var body = ""
        if let text = s.description?[lang] ?? s.description?["en"] { body += "<p class=\"lead\">\(Markup.escape(text))</p>" }
        body += "<dl class=\"facts\" id=\"analysis\">"
        let peak = r.analysis.peak
        body += "<dt>\(Markup.escape(t("pathways.peak")))</dt><dd data-peak=\"\(peak?.year ?? 0)\">" + (peak.map {
            t("pathways.peakValue", ["year": String($0.year), "value": mt($0.value), "status": t("pathways.status.\($0.status.rawValue)"),
                                     "from": String($0.plateauFrom), "to": String($0.plateauTo), "tolerance": t.number(r.analysis.plateauTolerance * 100, decimals: 0)])
        } ?? "—") + "</dd>"
        body += "<dt>\(Markup.escape(t("pathways.neutrality")))</dt><dd data-neutrality=\"\(r.analysis.neutralityYear ?? 0)\">\(r.analysis.neutralityYear.map(String.init) ?? Markup.escape(t("pathways.notWithin")))</dd>"
        body += "<dt>\(Markup.escape(t("pathways.grossZero")))</dt><dd>\(r.analysis.grossZeroYear.map(String.init) ?? Markup.escape(t("pathways.notWithin")))</dd>"
        if let mc = c.monteCarlo, let peakTarget = r.analysis.targets.first(where: { $0.kind == "peak_by" }), let p = mc.probabilityOfPeaking(by: peakTarget.year) {
            body += "<dt>\(Markup.escape(t("pathways.peakChance", ["year": String(peakTarget.year)])))</dt><dd>\(t.number(p * 100, decimals: 0)) %</dd>"
        }
        // The platform's own words are in the page's language; a source the scenario names is data, marked with its language.
        let baseSource = (try? PathwayInputs(database, rows: .published).baseSourcePhrase(s)).flatMap { $0.map { Markup.escape(t.phrase($0)) } }
            ?? t.content(r.baseSource ?? "")
        body += "<dt>\(Markup.escape(t("pathways.base")))</dt><dd>\(s.baseYear): \(mt(r.gross[0])) \(Markup.escape(t("unit.mt"))) · \(baseSource)</dd></dl>"

        let chart = PathwayChart(title: t("pathways.chart", ["name": r.name]), description: t("pathways.chartDesc"), result: r, band: c.monteCarlo,
                                 labels: .init(gross: t("pathways.gross"), baseline: t("pathways.baseline"), net: t("pathways.net"), band: t("pathways.band"),
                                               history: t("pathways.history"), others: t("pathways.otherMeasures"), target: t("pathways.targetMark")),
                                 format: { t.number($0 / 1e6, decimals: 1) }, unit: t("unit.mtYear"))
        body += "<figure id=\"pathway-chart\"><figcaption>\(Markup.escape(chart.title))</figcaption>\(chart.html(id: "pathway", t: t))"
        body += "<p class=\"note\">\(Markup.escape(t("pathways.chartCaption")))</p>"
        // A budget counts tonnes over years: told in a sentence, never drawn on the chart's tonnes-a-year axis.
        for o in r.analysis.targets where o.kind == "budget" {
            guard let allowed = o.allowed, let used = o.value else { continue }
            let key = used <= allowed ? "pathways.budgetWithin" : "pathways.budgetOver"
            body += "<p class=\"budget\" data-target=\"\(Markup.escape(o.id))\">\(Markup.escape(t(key, ["name": o.name, "used": mt(used), "allowed": mt(allowed), "share": t.number(used / max(allowed, 1) * 100, decimals: 0)])))</p>"
        }
        body += "</figure>"

        if !r.analysis.targets.isEmpty {
            body += "<table id=\"targets\"><caption>\(Markup.escape(t("pathways.targets")))</caption><thead><tr>"
            body += ["pathways.target", "pathways.year", "pathways.allowed", "pathways.value", "pathways.gap", "pathways.met", "pathways.probability"].map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
            for o in r.analysis.targets {
                let chance = c.monteCarlo?.targets.first { $0.id == o.id }.map { t.number($0.probability * 100, decimals: 0) + " %" } ?? "—"
                let isIntensity = o.kind == "intensity_reduction"
                let show = { (x: Double?) in x.map { isIntensity ? t.number($0, decimals: 2) : tons($0) } ?? "—" }
                body += "<tr data-target=\"\(Markup.escape(o.id))\" data-met=\"\(o.met)\"><th scope=\"row\">\(Markup.escape(o.name))</th><td class=\"n\">\(o.year)</td>"
                body += "<td class=\"n\">\(show(o.allowed))</td><td class=\"n\">\(show(o.value))</td><td class=\"n\">\((o.gap ?? 0) > 0 ? show(o.gap) : "—")</td>"
                // The central estimate and the runs can disagree: say so rather than print "yes" beside 0 %.
                let p = c.monteCarlo?.targets.first { $0.id == o.id }?.probability
                let caveat = p.map { o.met && $0 < 0.5 ? "pathways.metNarrowly" : !o.met && $0 >= 0.5 ? "pathways.missedNarrowly" : nil } ?? nil
                body += "<td>\(Markup.escape(t(o.met ? "edit.yes" : "edit.no")))\(caveat.map { " <small>(\(Markup.escape(t($0))))</small>" } ?? "")</td><td class=\"n\">\(chance)</td></tr>"
            }
            body += "</tbody></table>"
        }

        let milestones = r.years.indices.filter { $0 == 0 || $0 == r.years.count - 1 || r.years[$0] % 5 == 0 }
        func yearHeads() -> String { milestones.map { "<th scope=\"col\">\(r.years[$0])</th>" }.joined() }
        body += "<table id=\"wedges\"><caption>\(Markup.escape(t("pathways.wedges")))</caption><thead><tr><th scope=\"col\">\(Markup.escape(t("pathways.measure")))</th>\(yearHeads())</tr></thead><tbody>"
        body += "<tr><th scope=\"row\">\(Markup.escape(t("pathways.baseline")))</th>" + milestones.map { "<td class=\"n\">\(tons(r.baseline[$0]))</td>" }.joined() + "</tr>"
        for (k, w) in r.wedges.enumerated() {
            let measure = s.measures[k]
            let link = measure.plan.flatMap { plan in measure.action.map { "/plans/\(Markup.percentEncoded(plan))/actions/\(Markup.percentEncoded($0))" } }
            let name = link.map { "<a href=\"\($0)\">\(Markup.escape(w.name))</a>" } ?? Markup.escape(w.name)
            body += "<tr data-wedge=\"\(Markup.escape(w.id))\"><th scope=\"row\">− \(name) <small>(\(Markup.escape(t("pathways.measureKind.\(w.kind)"))))</small></th>"
            body += milestones.map { "<td class=\"n\">\(tons(w.tonnes[$0]))</td>" }.joined() + "</tr>"
        }
        body += "<tr><th scope=\"row\">= \(Markup.escape(t("pathways.gross")))</th>" + milestones.map { "<td class=\"n\">\(tons(r.gross[$0]))</td>" }.joined() + "</tr>"
        for sink in r.sinks {
            body += "<tr data-sink=\"\(Markup.escape(sink.id))\"><th scope=\"row\">− \(t.content(sink.name)) <small>(\(Markup.escape(t("pathways.sink"))))</small></th>"
            body += milestones.map { "<td class=\"n\">\(tons(sink.tonnes[$0]))</td>" }.joined() + "</tr>"
        }
        if r.offsets.contains(where: { $0 != 0 }) {
            body += "<tr><th scope=\"row\">− \(Markup.escape(t("pathways.offsets")))</th>" + milestones.map { "<td class=\"n\">\(tons(r.offsets[$0]))</td>" }.joined() + "</tr>"
        }
        body += "<tr><th scope=\"row\">= \(Markup.escape(t("pathways.net")))</th>" + milestones.map { "<td class=\"n\">\(tons(r.net[$0]))</td>" }.joined() + "</tr>"
        if let mc = c.monteCarlo {
            body += "<tr><th scope=\"row\">\(Markup.escape(t("pathways.bandRow")))</th>" + milestones.map { "<td class=\"n\">\(tons(mc.net.p10[$0])) – \(tons(mc.net.p90[$0]))</td>" }.joined() + "</tr>"
        }
        body += "</tbody></table>"
        if !r.stocks.isEmpty {
            body += "<ul id=\"stocks\">" + r.stocks.map { "<li>\(Markup.escape(t("pathways.stock", ["name": $0.name, "tonnes": tons($0.tonnes.first ?? 0)])))\($0.source.map { " — " + t.content($0) } ?? "")</li>" }.joined() + "</ul>"
        }

        // By sector, for the whole jurisdiction or one district.
        let districts = Array(Set(r.cells.map(\.district))).sorted()
        let cells = district.map { d in r.cells.filter { $0.district == d } } ?? r.cells
        var bySector: [String: [Double]] = [:]
        for cell in cells {
            var series = bySector[cell.sector] ?? Array(repeating: 0, count: r.years.count)
            for i in series.indices { series[i] += cell.scenario[i] }
            bySector[cell.sector] = series
        }
        body += "<section id=\"by-sector\"><h2>\(Markup.escape(t("pathways.bySector")))</h2>"
        if districts.count > 1 {
            body += "<form method=\"get\" action=\"\(path)\"><label>\(Markup.escape(t("assessments.district"))) <select name=\"district\"><option value=\"\">\(Markup.escape(s.jurisdiction))</option>"
            body += districts.filter { $0 != s.jurisdiction }.map { "<option\($0 == district ? " selected" : "")>\(Markup.escape($0))</option>" }.joined() + "</select></label> <button type=\"submit\">\(Markup.escape(t("inventory.filter.apply")))</button></form>"
        }
        let sectorNames = Dictionary((s.sectors ?? []).map { ($0.id, $0.name?[lang] ?? $0.name?["en"] ?? $0.id) }, uniquingKeysWith: { a, _ in a })
        // Captioned, so its scrolling region has a name of its own (a second region named "Table" is not unique).
        let scope = district ?? s.jurisdiction
        body += "<table id=\"sectors\"><caption>\(Markup.escape(t("pathways.bySector"))) · \(Markup.escape(scope))</caption><thead><tr><th scope=\"col\">\(Markup.escape(t("pathways.sector")))</th>\(yearHeads())</tr></thead><tbody>"
        for sector in bySector.keys.sorted() {
            body += "<tr data-sector=\"\(Markup.escape(sector))\"><th scope=\"row\">\(Markup.escape(sector == (sectorNames[sector] ?? sector) ? sector : "\(sector) \(sectorNames[sector]!)"))</th>"
            body += milestones.map { "<td class=\"n\">\(tons(bySector[sector]![$0]))</td>" }.joined() + "</tr>"
        }
        body += "</tbody></table>"
        if let population = r.population, let gdp = r.gdp, district == nil, let last = r.years.indices.last,
           let capita = CityFigures.perCapita(tonnes: r.gross[0], population: population[0]),
           let capitaEnd = CityFigures.perCapita(tonnes: r.gross[last], population: population[last]),
           let perGDP = CityFigures.perGDP(tonnes: r.gross[0], gdp: gdp[0], unit: r.gdpUnit),
           let perGDPEnd = CityFigures.perGDP(tonnes: r.gross[last], gdp: gdp[last], unit: r.gdpUnit) {
            let sentence = t("pathways.intensities", ["capita": t.number(capita, decimals: 2), "capitaEnd": t.number(capitaEnd, decimals: 2),
                                                      "gdp": t.number(perGDP.value, decimals: 2), "gdpEnd": t.number(perGDPEnd.value, decimals: 2),
                                                      "unit": t.money(perGDP.unit), "end": String(r.years[last])])
            body += "<p>\(Markup.escape(sentence))</p>"
        }
        body += "</section>"

        if let macc = c.macc {
            let currency = macc.bars.first?.currency ?? "CNY"
            let chart = AbatementCurveChart(title: t("pathways.macc", ["year": String(macc.year)]), description: t("pathways.maccDesc"), curve: macc,
                                            formatCost: { t.number($0, decimals: 0) }, formatTonnes: { t.number($0 / 1e6, decimals: 1) },
                                            costTitle: t("pathways.costAxis", ["currency": t.money(currency)]),
                                            abatementTitle: t("pathways.abatementAxis", ["year": String(macc.year)]), gapLabel: t("pathways.gapMark"))
            let keys = [ChartFigure.Key(t("pathways.savesMoney"), color: Palette.saving), ChartFigure.Key(t("pathways.costsMoney"), color: Palette.categorical[0]),
                        ChartFigure.Key(t("pathways.gapKey"), color: Palette.rising, mark: .dashed)]
            body += "<section id=\"macc\"><h2>\(Markup.escape(t("pathways.macc", ["year": String(macc.year)])))</h2><figure>\(chart.html(id: "macc-chart", t: t, keys: keys))<figcaption>\(Markup.escape(t("pathways.maccCaption", ["rate": t.number(macc.discountRate * 100, decimals: 1), "life": String(macc.defaultLifetimeYears)])))</figcaption></figure>"
            body += "<table><thead><tr>" + ["pathways.measure", "pathways.abatement", "pathways.costPerTonne", "pathways.cumulative"].map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
            for bar in macc.bars {
                body += "<tr data-macc=\"\(Markup.escape(bar.id))\"\(bar.closesGap ? " class=\"closes-gap\"" : "")><th scope=\"row\">\(Markup.escape(bar.name))\(bar.noRegret ? " <small>(\(Markup.escape(t("pathways.noRegret"))))</small>" : "")</th>"
                body += "<td class=\"n\">\(tons(bar.abatementTonnes))</td><td class=\"n\">\(t.number(bar.costPerTonne, decimals: 0)) \(Markup.escape(bar.currency))</td><td class=\"n\">\(tons(bar.cumulativeTo))</td></tr>"
            }
            body += "</tbody></table>"
            if let gap = macc.targetGap {
                body += "<p>\(Markup.escape(t("pathways.maccGap", ["gap": tons(gap), "year": String(macc.year), "total": tons(macc.totalAbatement)])))</p>"
            }
            body += "</section>"
        }

        if s.base.fromInventory == true, let first = r.historyYears?.first, let lmdi = try? PathwayRepository(database).decomposition(from: first, to: s.baseYear) {
            let steps = LMDI.Effect.allCases.map { (label: t("pathways.effect.\($0.rawValue)"), value: lmdi.effect($0)) }
            let chart = WaterfallChart(title: t("pathways.lmdi", ["from": String(first), "to": String(s.baseYear)]), description: t("pathways.lmdiDesc"),
                                       start: (String(first), lmdi.from), steps: steps, end: (String(s.baseYear), lmdi.to), format: { mt($0) }, unit: t("unit.mt"))
            body += "<section id=\"lmdi\"><h2>\(Markup.escape(t("pathways.lmdi", ["from": String(first), "to": String(s.baseYear)])))</h2><figure>\(chart.html(id: "lmdi-chart", t: t))<figcaption>\(Markup.escape(t("pathways.lmdiCaption")))</figcaption></figure>"
            body += "<table><thead><tr><th scope=\"col\">\(Markup.escape(t("pathways.effect")))</th><th scope=\"col\">t CO2e</th></tr></thead><tbody>"
            body += steps.map { "<tr><th scope=\"row\">\(Markup.escape($0.label))</th><td class=\"n\">\(tons($0.value))</td></tr>" }.joined()
            body += "<tr><th scope=\"row\">\(Markup.escape(t("pathways.change")))</th><td class=\"n\">\(tons(lmdi.change))</td></tr></tbody></table></section>"
        }
        if base == "/pathways" {
            body += "<p>\(t("pathways.downloads", ["json": "<a href=\"/api/v1/pathways/\(Markup.percentEncoded(s.identifier))\">JSON</a>", "csv": "<a href=\"\(path)/pathway.csv\">CSV</a>", "scenario": "<a href=\"\(path)/scenario.json\">\(Markup.escape(t("pathways.scenarioFile")))</a>"]))</p>"
        }
        return body
    }

    // MARK: Staff

    func staffList(_ call: StaffCall, errors: InputErrors? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t
        var body = ""
        if let errors { body += Self.problems(errors, t) }
        body += "<table id=\"staff-scenarios\"><thead><tr>" + ["pathways.scenario", "pathways.kind", "pathways.jurisdiction", "pathways.state", "pathways.updated"].map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
        for stored in try PathwayRepository(database).scenarios() {
            let s = stored.scenario
            body += "<tr data-scenario=\"\(Markup.escape(s.identifier))\"><th scope=\"row\"><a href=\"/staff/pathways/\(Markup.percentEncoded(s.identifier))\">\(Markup.escape(s.name(t.language.rawValue)))</a></th>"
            body += "<td>\(Markup.escape(t("pathways.kind.\(s.kind.rawValue)")))</td><td>\(Markup.escape(s.jurisdiction))</td>"
            let state = stored.submittedBy != nil ? "pathways.inReview" : stored.isPublished ? "pathways.published" : "pathways.draft"
            body += "<td>\(Markup.escape(t(state)))</td><td>\(Markup.escape(t.date(stored.updatedAt))) · \(Markup.escape(stored.updatedBy))</td></tr>"
        }
        body += "</tbody></table>"
        if call.principal.may(.editPlans) {
            body += "<form method=\"post\" action=\"/staff/pathways\" enctype=\"multipart/form-data\" id=\"new-scenario\">\(StaffLayout.csrfField(call))"
            body += "<h2>\(Markup.escape(t("pathways.new")))</h2><p>\(Markup.escape(t("pathways.newHelp")))</p>"
            body += "<label>\(Markup.escape(t("pathways.file"))) <input type=\"file\" name=\"file\" accept=\"application/json,.json\"></label>"
            body += "<button type=\"submit\">\(Markup.escape(t("pathways.save")))</button></form>"
        }
        return StaffLayout.page(t, call, title: t("pathways.title"), status: status, body: body)
    }

    func staffScenario(_ call: StaffCall, id: String, notice: String? = nil, errors: InputErrors? = nil, submitted: FormData? = nil,
                       status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t
        guard let stored = try PathwayRepository(database).scenario(id) else { throw ProblemDetails(.notFound, "no scenario '\(id)'") }
        let s = stored.scenario
        var body = "<p>\(Markup.escape(t(stored.isPublished ? "pathways.published" : "pathways.draft")))"
        if stored.isPublished { body += " · <a href=\"/pathways/\(Markup.percentEncoded(id))\">\(Markup.escape(t("pathways.publicPage")))</a>" }
        if stored.hasUnpublishedChanges { body += " · " + Markup.escape(t("pathways.unpublishedChanges")) }
        if let by = stored.submittedBy { body += " · " + Markup.escape(t("pathways.submitted", ["who": by])) }
        body += "</p>"
        func button(_ step: String, digest: String? = nil) -> String {
            "<form method=\"post\" action=\"/staff/pathways/\(Markup.percentEncoded(id))/\(step)\">\(StaffLayout.csrfField(call))"
                + (digest.map { "<input type=\"hidden\" name=\"digest\" value=\"\($0)\">" } ?? "")
                + "<button type=\"submit\" data-action=\"\(step)\">\(Markup.escape(t("pathways.\(step)")))</button></form>"
        }
        // The version shown below is the one a submission or a publication is of.
        if stored.hasDraft, stored.submittedBy == nil, call.principal.may(.editPlans) { body += button("submit") }
        if call.principal.may(.managePlans) {
            if stored.submittedBy != nil {
                body += StaffLayout.confirmLink("/staff/pathways/\(Markup.percentEncoded(id))/publish", dataAction: "publish", label: t("pathways.publish"))
            }
            if stored.isPublished {
                body += StaffLayout.confirmLink("/staff/pathways/\(Markup.percentEncoded(id))/withdraw", dataAction: "withdraw", label: t("pathways.withdraw"), secondary: true)
            }
        }
        if let errors { body += Self.problems(errors, t) }
        if call.principal.may(.editPlans) {
            // A lever that names a plan action without a name of its own is shown by the action's name.
            let resolved = (try? PathwayInputs(database).model(s, file: id, saved: true))?.scenario.measures ?? []
            let names = Dictionary(resolved.map { ($0.id, $0.name(t.language.rawValue)) }, uniquingKeysWith: { a, _ in a })
            body += Self.editForm(s, call: call, submitted: submitted, names: names)
        }
        if let computed = try? compute(id, publishedOnly: false, language: t.language) {
            body += "<section id=\"preview\"><h2>\(Markup.escape(t("pathways.preview")))</h2>" + detail(computed, t: t, district: nil, base: "/staff/pathways") + "</section>"
        }
        return StaffLayout.page(t, call, title: s.name(t.language.rawValue), status: status, notice: notice, body: body)
    }

    static func problems(_ errors: InputErrors, _ t: Localizer) -> String {
        "<div class=\"problem\" role=\"alert\"><p>\(Markup.escape(t("pathways.problems", ["count": String(errors.issues.count)])))</p><ul>"
            + errors.issues.map { "<li>\(Markup.escape($0.description))</li>" }.joined() + "</ul></div>"
    }

    /// The scenario's levers as fields (share or reduction, ramp years), its end year, and the
    /// whole document for anything else.
    static func editForm(_ s: Scenario, call: StaffCall, submitted: FormData?, names: [String: String] = [:]) -> String {
        let t = call.t
        func value(_ name: String, _ current: String) -> String { Markup.escape(submitted?[name] ?? current) }
        func number(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        var form = "<form method=\"post\" action=\"/staff/pathways/\(Markup.percentEncoded(s.identifier))\" id=\"edit-scenario\">\(StaffLayout.csrfField(call))"
        form += "<h2>\(Markup.escape(t("pathways.edit")))</h2>"
        form += "<label>\(Markup.escape(t("pathways.endYear"))) <input name=\"endYear\" inputmode=\"numeric\" value=\"\(value("endYear", String(s.endYear)))\"></label>"
        form += "<table id=\"levers\"><thead><tr>" + ["pathways.measure", "pathways.kind", "pathways.amount", "pathways.rampStart", "pathways.rampFull"].map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
        for (i, m) in s.measures.enumerated() {
            let amount = m.kind == .action ? nil : (m.share ?? m.reduction)
            form += "<tr data-measure=\"\(Markup.escape(m.id))\"><th scope=\"row\">\(Markup.escape(m.name == nil ? names[m.id] ?? m.id : m.name(t.language.rawValue)))</th><td>\(Markup.escape(t("pathways.measureKind.\(m.kind.rawValue)")))</td>"
            form += amount == nil && m.kind == .action ? "<td>\(Markup.escape(t("pathways.fromPlan")))</td>" : "<td><input name=\"amount.\(i)\" inputmode=\"decimal\" size=\"6\" value=\"\(value("amount.\(i)", number(amount)))\" aria-label=\"\(Markup.escape(t("pathways.amount")))\"></td>"
            form += "<td><input name=\"start.\(i)\" inputmode=\"numeric\" size=\"5\" value=\"\(value("start.\(i)", m.ramp.map { String($0.start) } ?? ""))\" aria-label=\"\(Markup.escape(t("pathways.rampStart")))\"></td>"
            form += "<td><input name=\"full.\(i)\" inputmode=\"numeric\" size=\"5\" value=\"\(value("full.\(i)", m.ramp.map { String($0.full) } ?? ""))\" aria-label=\"\(Markup.escape(t("pathways.rampFull")))\"></td></tr>"
        }
        form += "</tbody></table>"
        let document = String(decoding: ScenarioFile.encode(s), as: UTF8.self)
        form += "<details><summary>\(Markup.escape(t("pathways.document")))</summary><textarea name=\"document\" rows=\"24\" cols=\"100\" spellcheck=\"false\">\(Markup.escape(submitted?["document"] ?? document))</textarea>"
        form += "<input type=\"hidden\" name=\"original\" value=\"\(Markup.escape(document))\"></details>"
        form += "<button type=\"submit\">\(Markup.escape(t("pathways.save")))</button></form>"
        return form
    }

    /// The scenario after a staff form: the JSON document when it was changed, else the
    /// lever fields applied to the saved scenario. Every bad field is reported together.
    static func apply(_ form: FormData, to stored: Scenario) throws -> Scenario {
        if let document = form["document"], let original = form["original"], document != original {
            return try ScenarioFile.decode(Array(document.utf8), file: nil)
        }
        var s = stored
        var issues: [InputIssue] = []
        if let text = form["endYear"] {
            if let year = Int(text.trimmingCharacters(in: .whitespaces)) { s.endYear = year } else {
                issues.append(InputIssue(InputLocation(field: "endYear"), value: text, reason: "is not a year"))
            }
        }
        for i in s.measures.indices {
            let m = s.measures[i]
            if let text = form["amount.\(i)"], m.kind != .action, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                let isShare = m.share != nil || m.kind == .renewables || m.kind == .fuelSwitch || m.kind == .electrification || m.kind == .coalPhaseOut
                do throws(InputIssue) {
                    let x = try InputNumber.decimal(text, field: "measures[\(i)].\(isShare ? "share" : "reduction")")
                    if isShare { s.measures[i].share = x } else { s.measures[i].reduction = x }
                } catch {
                    issues.append(error)
                }
            }
            let start = form["start.\(i)"]?.trimmingCharacters(in: .whitespaces) ?? "", full = form["full.\(i)"]?.trimmingCharacters(in: .whitespaces) ?? ""
            if start.isEmpty && full.isEmpty { continue }
            guard let a = Int(start), let b = Int(full.isEmpty ? start : full) else {
                issues.append(InputIssue(InputLocation(field: "measures[\(i)].ramp"), value: "\(start)–\(full)", reason: "give the start and full years as numbers"))
                continue
            }
            s.measures[i].ramp = Ramp(start: a, full: b, shape: m.ramp?.shape ?? .linear)
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return s
    }
}
