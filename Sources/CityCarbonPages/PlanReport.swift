import CarbonKit
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation

/// Builds, renders and serves a plan's yearly report: the snapshot is taken once and stored
/// with its digest; the printable HTML (with charts), the CSV tables and the JSON all render
/// from the stored snapshot, so what was reported stays what it was.
public enum PlanReport {
    /// Freezes the report of `year`: the plan and its actions as they are, judged as of the
    /// year's last day (or `today` within the year), with indicators, targets, the year's
    /// assessment once frozen, and the pilots as they stood. With `key`, the audit chain's head
    /// is signed once the version is stored, and the report quotes that checkpoint.
    @discardableResult
    public static func build(database: CityCarbonDatabase, plan identifier: String, year: Int, today: Day = Day.today, actor: String,
                             key: AuditKey? = nil) throws -> StoredPlanReport {
        let repository = PlanRepository(database)
        guard let plan = try repository.plan(identifier) else {
            throw InputErrors([InputIssue(InputLocation(field: "plan"), value: identifier, reason: "is not a plan",
                                          suggestion: Suggestion.didYouMean(identifier, among: try repository.plans().map(\.identifier)))])
        }
        guard let asOf = YearlyReport.asOf(year: year, today: today) else {
            throw InputErrors([InputIssue(InputLocation(field: "year"), value: String(year), reason: "is not a year that has begun", suggestion: "1990 … \(today.year)")])
        }
        let catalogue = try IndicatorCatalogue(database: database, cache: InventoryCache(database)).entries()
        let snapshot = YearlyReport.snapshot(plan: plan, year: year, asOf: asOf, actions: try repository.actions(plan: identifier),
                                             indicators: catalogue.map { ($0.indicator, $0.group) }, targets: try TargetRepository(database).all(),
                                             assessment: try AssessmentRepository(database).assessment(year: year), pilots: try PilotRepository(database).all())
        return try PlanReportRepository(database).save(snapshot, actor: actor, key: key)
    }

    /// The demo plan's reports of 2022 and 2023, so the demo shows a report and its comparison.
    public static func seedDemo(_ database: CityCarbonDatabase, actor: String, key: AuditKey? = nil) throws {
        for year in [2022, 2023] { try build(database: database, plan: "helsinki-2035", year: year, actor: actor, key: key) }
    }

    /// The printable report as a file that stands alone (its stylesheet inlined), with the
    /// comparison to the previous year's report when there is one.
    public static func standaloneHTML(_ report: StoredPlanReport, previous: StoredPlanReport?, english: Bool = true) -> String {
        let html = html(report, previous: previous, t: Localizer(english ? .en : .zhHans))
        // The downloads sit beside the file, as `report build` writes them.
        let base = "/plans/\(Markup.percentEncoded(report.snapshot.plan.identifier))/reports/\(report.snapshot.year)"
        let page = html.replacingOccurrences(of: "href=\"/api/v1\(base)\"", with: "href=\"snapshot.json\"").replacingOccurrences(of: "href=\"\(base)/", with: "href=\"")
        guard let css = try? Asset.bytes("site.css") else { return page }
        return page.replacingOccurrences(of: "<link rel=\"stylesheet\" href=\"/assets/site.css\">", with: "<style>\(String(decoding: css, as: UTF8.self))</style>")
    }

    package static func html(_ report: StoredPlanReport, previous: StoredPlanReport?, t: Localizer) -> String {
        let s = report.snapshot, lang = t.language.rawValue
        let categories = s.plan.categoryTypes.flatMap(\.categories)
        let names = Dictionary(categories.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        func area(_ action: PlanAction) -> Category? {
            var current = action.categories.first.flatMap { names[$0] }
            while let c = current, let parent = c.parent, let up = names[parent] { current = up }
            return current
        }
        func percent(_ x: Double?) -> String { x.map { "\(Int(($0 * 100).rounded())) %" } ?? "—" }
        var body = "<main id=\"main\" class=\"report\"><p class=\"report-meta\">" + Markup.escape(t("report.meta", [
            "asof": s.asOf.description, "version": String(report.version), "at": report.createdAt, "by": report.createdBy, "digest": String(report.digest.prefix(16)),
        ])) + "</p>" + checkpointLine(report, t: t)
        // 1. Actions by status.
        var counts: [ActionStatus: Int] = [:]
        for line in s.lines { counts[line.status, default: 0] += 1 }
        let chart = BarChart(title: t("report.status.chart", ["year": String(s.year)]), description: t("plans.chart.desc", ["count": String(s.lines.count)]),
                             bars: ActionStatus.allCases.map { BarChart.Bar(label: t("status.\($0.rawValue)"), value: Double(counts[$0] ?? 0), color: Palette.actionStatus[$0.rawValue]!, link: nil) },
                             format: { String(Int($0)) }, unit: t("plans.chart.unit"))
        body += "<section><h2>\(Markup.escape(t("report.actions")))</h2><figure><figcaption>\(Markup.escape(chart.title))</figcaption>\(chart.html(id: "report-status", t: t))</figure>"
        let reduction = s.lines.compactMap(\.reductionThisYear).reduce(0, +)
        var costs: [String: Double] = [:]
        for line in s.lines { for (currency, amount) in line.costThisYear { costs[currency, default: 0] += amount } }
        body += "<p id=\"report-totals\">" + Markup.escape(t("report.totals", ["year": String(s.year), "reduction": t.number(reduction, decimals: 0),
            "costs": costs.isEmpty ? "—" : costs.sorted { $0.key < $1.key }.map { "\(t.number($0.value, decimals: 0)) \($0.key)" }.joined(separator: ", ")])) + "</p>"
        // By area.
        body += "<table id=\"report-areas\"><caption>\(Markup.escape(t("report.areas")))</caption><thead><tr><th scope=\"col\">\(Markup.escape(t("plans.col.area")))</th>"
        body += ActionStatus.allCases.map { "<th scope=\"col\">\(Markup.escape(t("status.\($0.rawValue)")))</th>" }.joined() + "</tr></thead><tbody>"
        let lines = Dictionary(s.lines.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        for top in categories where top.parent == nil {
            let inArea = s.actions.filter { area($0)?.identifier == top.identifier }.compactMap { lines[$0.identifier] }
            body += "<tr><th scope=\"row\">\(Markup.escape(top.name.text(lang)))</th>" + ActionStatus.allCases.map { status in
                "<td class=\"n\">\(inArea.filter { $0.status == status }.count)</td>"
            }.joined() + "</tr>"
        }
        body += "</tbody></table>"
        body += "<table id=\"report-actions\"><caption>\(Markup.escape(t("report.action.table", ["count": String(s.actions.count)])))</caption><thead><tr>"
        body += ["plans.col.id", "plans.col.action", "plans.responsible", "plans.col.status", "plans.col.done", "report.reduction", "report.cost"].map { "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined()
        body += "</tr></thead><tbody>"
        for action in s.actions {
            guard let line = lines[action.identifier] else { continue }
            body += "<tr data-action=\"\(Markup.escape(action.identifier))\"><td class=\"n\">\(Markup.escape(action.identifier))</td><td>\(Markup.escape(action.name.text(lang)))</td>"
            body += "<td>\(t.content(action.primaryOrganisation ?? ""))</td><td>\(Markup.escape(t("status.\(line.status.rawValue)")))</td><td class=\"n\">\(percent(line.completion))</td>"
            body += "<td class=\"n\">\(line.reductionThisYear.map { t.number($0, decimals: 0) } ?? "")</td>"
            body += "<td class=\"n\">\(Markup.escape(line.costThisYear.sorted { $0.key < $1.key }.map { "\(t.number($0.value, decimals: 0)) \($0.key)" }.joined(separator: ", ")))</td></tr>"
        }
        body += "</tbody></table></section>"
        // 2. Indicators.
        body += "<section><h2>\(Markup.escape(t("nav.indicators")))</h2>"
        if let emissions = s.indicators.first(where: { $0.indicator.identifier == IndicatorCatalogue.emissionsID }), !emissions.indicator.values.isEmpty {
            let line = LineChart(title: t("report.emissions.chart"), description: t("indicators.chart.desc"),
                                 lines: [LineChart.Line(label: t("indicators.values"), color: Palette.categorical[0], points: emissions.indicator.values.map { ($0.year, $0.value / 1e6) })],
                                 format: { t.number($0, decimals: 2) }, unit: t("unit.mt"))
            body += "<figure><figcaption>\(Markup.escape(line.title))</figcaption>\(line.html(id: "report-emissions", t: t))</figure>"
        }
        body += "<table id=\"report-indicators\"><thead><tr>" + ["indicators.name", "indicators.unit", "indicators.latest", "indicators.goal", "indicators.status"].map {
            "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
        for line in s.indicators {
            let i = line.indicator
            let latest = i.series().last.map { "\(IndicatorCatalogue.format($0.value, t)) (\($0.year))" } ?? "—"
            let goal = i.goals.last.map { g in g.value.map { "\(IndicatorCatalogue.format($0, t)) (\(g.year))" } ?? t("indicators.pending", ["year": String(g.year)]) } ?? "—"
            body += "<tr><td>\(Markup.escape(i.name.text(lang)))</td><td>\(Markup.escape(t.unit(i.unit)))</td><td class=\"n\">\(Markup.escape(latest))</td><td class=\"n\">\(Markup.escape(goal))</td>"
            body += "<td>\(Markup.escape(t("indicators.status.\(line.status)")))\(line.earlyWarning ? " · " + Markup.escape(t("indicators.warning")) : "")</td></tr>"
        }
        body += "</tbody></table></section>"
        // 3. Targets.
        if !s.targets.isEmpty {
            body += "<section><h2>\(Markup.escape(t("targets.title")))</h2><ul>"
            for target in s.targets {
                let value: String = switch target.value {
                case .reduction(let share): t("targets.reduction", ["share": t.number(share * 100, decimals: 1), "year": String(target.baseYear)])
                case .level(let level): IndicatorCatalogue.format(level, t)
                case .pending: t("targets.pending")
                }
                body += "<li>\(Markup.escape(target.name.text(lang))): \(Markup.escape(value)) · \(target.targetYear)"
                if !target.allocations.isEmpty {
                    body += " (" + Markup.escape(target.allocations.map { t("targets.allocation.\($0.dimension.rawValue)", ["method": t("targets.method.\($0.method.rawValue)")]) }.joined(separator: "; ")) + ")"
                }
                body += "</li>"
            }
            body += "</ul></section>"
        }
        // 4. Assessment.
        if let assessment = s.assessment {
            body += "<section><h2>\(Markup.escape(t("assessments.year", ["year": String(s.year)])))</h2>" + AssessmentRanking.html(assessment, t: t, id: "report-ranking") + "</section>"
        }
        // 5. Pilots.
        if !s.pilots.isEmpty {
            body += "<section><h2>\(Markup.escape(t("pilots.title")))</h2><table id=\"report-pilots\"><thead><tr>" + ["pilots.name", "pilots.kind", "pilots.stage"].map {
                "<th scope=\"col\">\(Markup.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
            for pilot in s.pilots {
                body += "<tr><td>\(Markup.escape(pilot.name.text(lang)))</td><td>\(Markup.escape(t("pilots.kind.\(pilot.kind.rawValue)")))</td><td>\(Markup.escape(t("pilots.stage.\(pilot.stage.rawValue)")))</td></tr>"
            }
            body += "</tbody></table></section>"
        }
        // 6. Against the previous year.
        if let previous {
            let comparison = PlanReportComparison(current: s, previous: previous.snapshot)
            body += "<section id=\"report-comparison\"><h2>\(Markup.escape(t("report.compare", ["previous": String(comparison.previousYear)])))</h2>"
            body += "<table id=\"report-status-change\"><thead><tr><th scope=\"col\">\(Markup.escape(t("plans.col.status")))</th><th scope=\"col\">\(comparison.previousYear)</th><th scope=\"col\">\(s.year)</th></tr></thead><tbody>"
            for status in ActionStatus.allCases {
                let c = comparison.statusCounts[status] ?? (0, 0)
                body += "<tr><th scope=\"row\">\(Markup.escape(t("status.\(status.rawValue)")))</th><td class=\"n\">\(c.previous)</td><td class=\"n\">\(c.current)</td></tr>"
            }
            body += "</tbody></table><table id=\"report-action-changes\"><caption>\(Markup.escape(t("report.moved", ["count": String(comparison.actions.count)])))</caption><tbody>"
            for change in comparison.actions {
                body += "<tr><td class=\"n\">\(Markup.escape(change.identifier))</td><td>\(Markup.escape(change.previous.map { t("status.\($0.rawValue)") } ?? "—")) → \(Markup.escape(t("status.\(change.current.rawValue)")))</td>"
                body += "<td class=\"n\">\(percent(change.previousCompletion)) → \(percent(change.currentCompletion))</td></tr>"
            }
            body += "</tbody></table><table id=\"report-indicator-changes\"><caption>\(Markup.escape(t("report.indicators.moved")))</caption><tbody>"
            for change in comparison.indicators {
                let name = s.indicators.first { $0.indicator.identifier == change.identifier }?.indicator.name.text(lang) ?? change.identifier
                func value(_ v: IndicatorValue?) -> String { v.map { "\(IndicatorCatalogue.format($0.value, t)) (\($0.year))" } ?? "—" }
                body += "<tr><td>\(Markup.escape(name))</td><td class=\"n\">\(Markup.escape(value(change.previous)))</td><td class=\"n\">\(Markup.escape(value(change.current)))</td>"
                body += "<td>\(Markup.escape(t("indicators.status.\(change.currentStatus)")))</td></tr>"
            }
            body += "</tbody></table></section>"
        } else {
            body += "<p id=\"report-comparison\">\(Markup.escape(t("report.noprevious", ["previous": String(s.year - 1)])))</p>"
        }
        let base = "/plans/\(Markup.percentEncoded(s.plan.identifier))/reports/\(s.year)"
        body += "<p class=\"downloads\">\(Markup.escape(t("report.downloads"))) <a href=\"\(base)/report.xlsx\">XLSX</a> · <a href=\"\(base)/actions.csv\">actions.csv</a> · "
            + "<a href=\"\(base)/indicators.csv\">indicators.csv</a> · <a href=\"/api/v1\(base)\">JSON</a></p></main>"
        return Layout.page(t, title: t("report.title", ["plan": s.plan.name.text(lang), "year": String(s.year)]), body: body, query: [],
                           footer: t("report.footer", ["digest": report.digest]))
    }

    /// The signed audit head the version was frozen with, in full so a reader can check it
    /// (`citycarbon audit verify --checkpoints`), or nothing when no key signed it.
    package static func checkpointLine(_ report: StoredPlanReport, t: Localizer) -> String {
        guard let c = report.checkpoint else { return "" }
        return "<p class=\"report-checkpoint\" id=\"audit-checkpoint\">" + Markup.escape(t("report.checkpoint", [
            "event": String(c.event), "hash": c.hash, "key": c.publicKey, "at": c.at,
        ])) + " <code class=\"signature\">\(Markup.escape(c.signature))</code></p>"
    }

    /// One row per action: its progress as the report states it.
    public static func actionsCSV(_ report: StoredPlanReport) -> String {
        let s = report.snapshot
        let lines = Dictionary(s.lines.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        var out = "identifier,name_en,name_zh,categories,organisation,status,completion,timeliness,late,reduction_t_co2e,costs\n"
        for action in s.actions {
            guard let line = lines[action.identifier] else { continue }
            let fields = [action.identifier, action.name["en"] ?? "", action.name["zh-Hans"] ?? "", action.categories.joined(separator: ";"), action.primaryOrganisation ?? "",
                          line.status.rawValue, line.completion.map { String($0) } ?? "", line.timeliness, line.late ? "yes" : "no",
                          line.reductionThisYear.map { String($0) } ?? "", line.costThisYear.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ";")]
            out += fields.map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// One row per indicator value up to the report's year, with the indicator's status.
    public static func indicatorsCSV(_ report: StoredPlanReport) -> String {
        var out = "identifier,name_en,unit,year,value,jurisdiction,dimension,status,source\n"
        for line in report.snapshot.indicators {
            let i = line.indicator
            for v in i.values {
                out += [i.identifier, i.name["en"] ?? "", i.unit, String(v.year), String(v.value), v.jurisdiction ?? "", v.dimension ?? "", line.status, v.source ?? ""]
                    .map(csvField).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// The report's tables as a workbook: actions, indicator values, target shares, the
    /// assessment with its evidence, and the pilots.
    public static func xlsx(_ report: StoredPlanReport) -> [UInt8] {
        let s = report.snapshot
        typealias C = XLSXWriter.Cell
        func text(_ x: String?) -> C { x.map(C.text) ?? .empty }
        func number(_ x: Double?) -> C { x.map(C.number) ?? .empty }
        let lines = Dictionary(s.lines.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        var actions: [[C]] = [["identifier", "name_en", "name_zh", "categories", "organisation", "status", "completion", "timeliness", "late",
                               "reduction_t_co2e", "costs"].map(C.text)]
        for action in s.actions {
            guard let line = lines[action.identifier] else { continue }
            actions.append([.text(action.identifier), text(action.name["en"]), text(action.name["zh-Hans"]), .text(action.categories.joined(separator: ";")),
                            text(action.primaryOrganisation), .text(line.status.rawValue), number(line.completion), .text(line.timeliness), .text(line.late ? "yes" : "no"),
                            number(line.reductionThisYear), .text(line.costThisYear.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ";"))])
        }
        var indicators: [[C]] = [["identifier", "name_en", "unit", "year", "value", "jurisdiction", "dimension", "status", "source"].map(C.text)]
        for line in s.indicators {
            for v in line.indicator.values {
                indicators.append([.text(line.indicator.identifier), text(line.indicator.name["en"]), .text(line.indicator.unit), .number(Double(v.year)), .number(v.value),
                                   text(v.jurisdiction), text(v.dimension), .text(line.status), text(v.source)])
            }
        }
        var targets: [[C]] = [["target", "name_en", "base_year", "target_year", "dimension", "method", "part", "basis", "level_t_co2e"].map(C.text)]
        for target in s.targets {
            for allocation in target.allocations {
                for (part, level) in allocation.parts.sorted(by: { $0.key < $1.key }) {
                    targets.append([.text(target.identifier), text(target.name["en"]), .number(Double(target.baseYear)), .number(Double(target.targetYear)),
                                    .text(allocation.dimension.rawValue), .text(allocation.method.rawValue), .text(part), number(allocation.basis[part]), .number(level)])
                }
            }
        }
        var sheets = [XLSXWriter.Sheet(name: "Actions \(s.year)", rows: actions), XLSXWriter.Sheet(name: "Indicators", rows: indicators),
                      XLSXWriter.Sheet(name: "Target shares", rows: targets)]
        if let assessment = s.assessment {
            var rows: [[C]] = [["rank", "district", "total", "light", "component", "weight", "score", "evidence"].map(C.text)]
            for result in assessment.results {
                for component in assessment.scheme.components {
                    let score = result.scores.first { $0.component == component.identifier }
                    rows.append([.number(Double(result.rank)), .text(result.jurisdiction), .number(result.total), .text(result.light.rawValue), .text(component.identifier),
                                 .number(component.weight), number(score?.score), .text(score?.evidence.joined(separator: "; ") ?? "")])
                }
            }
            sheets.append(XLSXWriter.Sheet(name: "Assessment \(s.year)", rows: rows))
        }
        sheets.append(XLSXWriter.Sheet(name: "Pilots", rows: [["identifier", "name_en", "kind", "jurisdiction", "stage", "since"].map(C.text)] + s.pilots.map {
            [.text($0.identifier), text($0.name["en"]), .text($0.kind.rawValue), .text($0.jurisdiction), .text($0.stage.rawValue), .text($0.history.last!.on.description)]
        }))
        return XLSXWriter(sheets: sheets).bytes()
    }

    package static func csvField(_ text: String) -> String { CSVOutput.field(text) }
}
