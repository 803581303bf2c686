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
        let html = html(report, previous: previous, t: Localizer(english ? .en : .zhHans)).markup
        // The downloads sit beside the file, as `report build` writes them.
        let base = "/plans/\(Markup.percentEncoded(report.snapshot.plan.identifier))/reports/\(report.snapshot.year)"
        let page = html.replacingOccurrences(of: "href=\"/api/v1\(base)\"", with: "href=\"snapshot.json\"").replacingOccurrences(of: "href=\"\(base)/", with: "href=\"")
        guard let css = try? Asset.bytes("site.css") else { return page }
        return page.replacingOccurrences(of: "<link rel=\"stylesheet\" href=\"/assets/site.css\">", with: "<style>\(String(decoding: css, as: UTF8.self))</style>")
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
