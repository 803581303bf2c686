import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation

/// The printable yearly report, section by section, from the stored snapshot: the actions by
/// status and by area, the indicators, the targets, the assessment, the pilots and the change
/// against the previous year's report.
extension PlanReport {
    package static func html(_ report: StoredPlanReport, previous: StoredPlanReport?, t: Localizer) -> HTML {
        let s = report.snapshot, lang = t.language.rawValue
        let meta = t("report.meta", ["asof": t.date(s.asOf), "version": String(report.version), "at": t.dateTime(report.createdAt),
                                     "by": report.createdBy, "digest": String(report.digest.prefix(16))])
        let base = "/plans/\(Markup.percentEncoded(s.plan.identifier))/reports/\(s.year)"
        let assessment = s.assessment.map { a -> HTML in
            "<section><h2>\(t("assessments.year", ["year": String(s.year)]))</h2>\(AssessmentRanking.html(a, t: t, id: "report-ranking"))</section>"
        }
        let body: HTML = """
            <main id="main" class="report"><p class="report-meta">\(meta)</p>\(checkpointLine(report, t: t))\
            \(actions(s, t: t))\(indicators(s, t: t))\(targets(s, t: t))\
            \(assessment)\
            \(pilots(s, t: t))\(comparison(s, previous: previous?.snapshot, t: t))\
            <p class="downloads">\(t("report.downloads")) <a href="\(base)/report.xlsx">XLSX</a> · <a href="\(base)/actions.csv">actions.csv</a> · \
            <a href="\(base)/indicators.csv">indicators.csv</a> · <a href="/api/v1\(base)">JSON</a></p></main>
            """
        return Layout.page(t, title: t("report.title", ["plan": s.plan.name.text(lang), "year": String(s.year)]), body: body, query: [],
                           footer: t("report.footer", ["digest": report.digest]))
    }

    /// The signed audit head the version was frozen with, in full so a reader can check it
    /// (`citycarbon audit verify --checkpoints`), or nothing when no key signed it.
    package static func checkpointLine(_ report: StoredPlanReport, t: Localizer) -> HTML? {
        guard let c = report.checkpoint else { return nil }
        let text = t("report.checkpoint", ["event": String(c.event), "hash": c.hash, "key": c.publicKey, "at": t.dateTime(c.at)])
        return #"<p class="report-checkpoint" id="audit-checkpoint">\#(text) <code class="signature">\#(c.signature)</code></p>"#
    }

    static func percent(_ x: Double?) -> String { x.map { "\(Int(($0 * 100).rounded())) %" } ?? "—" }

        /// 1. The actions: a chart by status, the year's totals, a table by area and one per action.
    static func actions(_ s: PlanReportSnapshot, t: Localizer) -> HTML {
        let lang = t.language.rawValue
        let categories = s.plan.categoryTypes.flatMap(\.categories)
        let names = Dictionary(categories.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        func area(_ action: PlanAction) -> Category? {
            var current = action.categories.first.flatMap { names[$0] }
            while let c = current, let parent = c.parent, let up = names[parent] { current = up }
            return current
        }
        var counts: [ActionStatus: Int] = [:]
        for line in s.lines { counts[line.status, default: 0] += 1 }
        let chart = BarChart(title: t("report.status.chart", ["year": String(s.year)]), description: t("plans.chart.desc", ["count": String(s.lines.count)]),
                             bars: ActionStatus.allCases.map {
                                 BarChart.Bar(label: t("status.\($0.rawValue)"), value: Double(counts[$0] ?? 0), color: Palette.actionStatus[$0.rawValue]!, link: nil)
                             },
                             format: { String(Int($0)) }, unit: t("plans.chart.unit"))
        let reduction = s.lines.compactMap(\.reductionThisYear).reduce(0, +)
        var costs: [String: Double] = [:]
        for line in s.lines { for (currency, amount) in line.costThisYear { costs[currency, default: 0] += amount } }
        let costText = costs.isEmpty ? "—" : costs.sorted { $0.key < $1.key }.map { "\(t.number($0.value, decimals: 0)) \($0.key)" }.joined(separator: ", ")
        let totals = t("report.totals", ["year": String(s.year), "reduction": t.number(reduction, decimals: 0), "costs": costText])
        let lines = Dictionary(s.lines.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        let byArea = categories.filter { $0.parent == nil }.html { top -> HTML in
            let inArea = s.actions.filter { area($0)?.identifier == top.identifier }.compactMap { lines[$0.identifier] }
            let cells = ActionStatus.allCases.html { status in #"<td class="n">\#(inArea.filter { $0.status == status }.count)</td>"# }
            return #"<tr><th scope="row">\#(top.name.text(lang))</th>\#(cells)</tr>"#
        }
        let rows = s.actions.html { action -> HTML in
            guard let line = lines[action.identifier] else { return "" }
            let cost = line.costThisYear.sorted { $0.key < $1.key }.map { "\(t.number($0.value, decimals: 0)) \($0.key)" }.joined(separator: ", ")
            return """
                <tr data-action="\(action.identifier)"><td class="n">\(action.identifier)</td><td>\(action.name.text(lang))</td>\
                <td>\(t.content(action.primaryOrganisation ?? ""))</td><td class="status">\(t("status.\(line.status.rawValue)"))</td>\
                <td class="n">\(percent(line.completion))</td><td class="n">\(line.reductionThisYear.map { t.number($0, decimals: 0) } ?? "")</td>\
                <td class="n">\(cost)</td></tr>
                """
        }
        let columns = ["plans.col.id", "plans.col.action", "plans.responsible", "plans.col.status", "plans.col.done", "report.reduction", "report.cost"]
        return """
            <section><h2>\(t("report.actions"))</h2><figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: "report-status", t: t))</figure>\
            <p id="report-totals">\(totals)</p>\
            <table id="report-areas"><caption>\(t("report.areas"))</caption><thead><tr><th scope="col">\(t("plans.col.area"))</th>\
            \(ActionStatus.allCases.html { #"<th scope="col">\#(t("status.\($0.rawValue)"))</th>"# })</tr></thead><tbody>\(byArea)</tbody></table>\
            <table id="report-actions"><caption>\(t("report.action.table", ["count": String(s.actions.count)]))</caption>\
            <thead><tr>\(Table.headings(columns, t))</tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    /// 2. The indicators: the city's emissions as a chart, every indicator's latest value and goal.
    static func indicators(_ s: PlanReportSnapshot, t: Localizer) -> HTML {
        let lang = t.language.rawValue
        var chart: HTML?
        if let emissions = s.indicators.first(where: { $0.indicator.identifier == IndicatorCatalogue.emissionsID }), !emissions.indicator.values.isEmpty {
            let line = LineChart(title: t("report.emissions.chart"), description: t("indicators.chart.desc"),
                                 lines: [LineChart.Line(label: t("indicators.values"), color: Palette.categorical[0],
                                                        points: emissions.indicator.values.map { ($0.year, $0.value / 1e6) })],
                                 format: { t.number($0, decimals: 2) }, unit: t("unit.mt"))
            chart = "<figure><figcaption>\(line.title)</figcaption>\(line.html(id: "report-emissions", t: t))</figure>"
        }
        let rows = s.indicators.html { line -> HTML in
            let i = line.indicator
            let latest = i.series().last.map { "\(IndicatorCatalogue.format($0.value, t)) (\($0.year))" } ?? "—"
            let goal = i.goals.last.map { g in
                g.value.map { "\(IndicatorCatalogue.format($0, t)) (\(g.year))" } ?? t("indicators.pending", ["year": String(g.year)])
            } ?? "—"
            let status = t("indicators.status.\(line.status)") + (line.earlyWarning ? " · " + t("indicators.warning") : "")
            return """
                <tr><td>\(i.name.text(lang))</td><td>\(t.unit(i.unit))</td><td class="n">\(latest)</td><td class="n">\(goal)</td>\
                <td>\(status)</td></tr>
                """
        }
        let columns = ["indicators.name", "indicators.unit", "indicators.latest", "indicators.goal", "indicators.status"]
        return """
            <section><h2>\(t("nav.indicators"))</h2>\(chart)<table id="report-indicators"><thead><tr>\(Table.headings(columns, t))</tr></thead>\
            <tbody>\(rows)</tbody></table></section>
            """
    }

    /// 3. The targets, each with its level and how it is shared out.
    static func targets(_ s: PlanReportSnapshot, t: Localizer) -> HTML? {
        guard !s.targets.isEmpty else { return nil }
        let items = s.targets.html { target -> HTML in
            let value: String = switch target.value {
            case .reduction(let share): t("targets.reduction", ["share": t.number(share * 100, decimals: 1), "year": String(target.baseYear)])
            case .level(let level): IndicatorCatalogue.format(level, t)
            case .pending: t("targets.pending")
            }
            let shares = target.allocations.map {
                t("targets.allocation.\($0.dimension.rawValue)", ["method": t("targets.method.\($0.method.rawValue)")])
            }.joined(separator: "; ")
            return "<li>\(target.name.text(t.language.rawValue)): \(value) · \(target.targetYear)\(shares.isEmpty ? "" : " (\(shares))")</li>"
        }
        return "<section><h2>\(t("targets.title"))</h2><ul>\(items)</ul></section>"
    }

    /// 5. The pilots and the stage each has reached.
    static func pilots(_ s: PlanReportSnapshot, t: Localizer) -> HTML? {
        guard !s.pilots.isEmpty else { return nil }
        let rows = s.pilots.html { pilot in
            """
            <tr><td>\(pilot.name.text(t.language.rawValue))</td><td>\(t("pilots.kind.\(pilot.kind.rawValue)"))</td>\
            <td>\(t("pilots.stage.\(pilot.stage.rawValue)"))</td></tr>
            """
        }
        return """
            <section><h2>\(t("pilots.title"))</h2><table id="report-pilots"><thead><tr>\(Table.headings(["pilots.name", "pilots.kind", "pilots.stage"], t))\
            </tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    /// 6. What moved since the previous year's report: actions by status, the actions that
    /// moved, the indicators that moved.
    static func comparison(_ s: PlanReportSnapshot, previous: PlanReportSnapshot?, t: Localizer) -> HTML {
        guard let previous else { return #"<p id="report-comparison">\#(t("report.noprevious", ["previous": String(s.year - 1)]))</p>"# }
        let comparison = PlanReportComparison(current: s, previous: previous)
        let statuses = ActionStatus.allCases.html { status -> HTML in
            let c = comparison.statusCounts[status] ?? (0, 0)
            return #"<tr><th scope="row">\#(t("status.\(status.rawValue)"))</th><td class="n">\#(c.previous)</td><td class="n">\#(c.current)</td></tr>"#
        }
        let actions = comparison.actions.html { change in
            """
            <tr><td class="n">\(change.identifier)</td>\
            <td>\(change.previous.map { t("status.\($0.rawValue)") } ?? "—") → \(t("status.\(change.current.rawValue)"))</td>\
            <td class="n">\(percent(change.previousCompletion)) → \(percent(change.currentCompletion))</td></tr>
            """
        }
        func value(_ v: IndicatorValue?) -> String { v.map { "\(IndicatorCatalogue.format($0.value, t)) (\($0.year))" } ?? "—" }
        let indicators = comparison.indicators.html { change -> HTML in
            let name = s.indicators.first { $0.indicator.identifier == change.identifier }?.indicator.name.text(t.language.rawValue) ?? change.identifier
            return """
                <tr><td>\(name)</td><td class="n">\(value(change.previous))</td><td class="n">\(value(change.current))</td>\
                <td>\(t("indicators.status.\(change.currentStatus)"))</td></tr>
                """
        }
        return """
            <section id="report-comparison"><h2>\(t("report.compare", ["previous": String(comparison.previousYear)]))</h2>\
            <table id="report-status-change"><thead><tr><th scope="col">\(t("plans.col.status"))</th>\
            <th scope="col">\(comparison.previousYear)</th><th scope="col">\(s.year)</th></tr></thead><tbody>\(statuses)</tbody></table>\
            <table id="report-action-changes"><caption>\(t("report.moved", ["count": String(comparison.actions.count)]))</caption>\
            <tbody>\(actions)</tbody></table>\
            <table id="report-indicator-changes"><caption>\(t("report.indicators.moved"))</caption><tbody>\(indicators)</tbody></table></section>
            """
    }
}
