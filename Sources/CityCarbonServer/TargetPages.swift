import CityCarbonPages
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The city's targets for the public: each with its base-year value and level, the actual
/// values from the published inventories on the straight path, its status, and how it is
/// shared out to districts and sectors (with what the split followed); also as `/api/v1/targets`.
struct TargetPages: Sendable {
    let database: CityCarbonDatabase
    let pages: PageCache

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "targets") { request, _ in
            let language = Language.of(request)
            return Layout.response(try pages.page("targets/\(language.rawValue)") { try page(Localizer(language)) })
        }
        routes.open(.get, "api/v1/targets") { _, _ in
            JSONValue.object([("items", .array(try TargetRepository(database).progress().map(Self.json)))]).httpResponse()
        }
    }

    static func json(_ p: TargetProgress) -> JSONValue {
        func number(_ x: Double?) -> JSONValue { x.map(JSONValue.number) ?? .null }
        let value: JSONValue = switch p.target.value {
        case .reduction(let share): .object([("kind", .string("reduction")), ("share", .number(share))])
        case .level(let level): .object([("kind", .string("level")), ("level", .number(level))])
        case .pending: .object([("kind", .string("pending"))])
        }
        let allocations: [JSONValue] = p.target.allocations.map { a in
            .object([("dimension", .string(a.dimension.rawValue)), ("method", .string(a.method.rawValue)), ("whole", .number(a.whole)),
                     ("basis_source", a.basisSource.map(JSONValue.string) ?? .null),
                     ("parts", .array(a.parts.sorted { $0.key < $1.key }.map { .object([("name", .string($0.key)), ("level", .number($0.value)), ("basis", number(a.basis[$0.key]))]) }))])
        }
        return .object([("identifier", .string(p.target.identifier)), ("name", PlanPages.json(p.target.name)), ("metric", .string(p.target.metric.rawValue)),
                        ("jurisdiction", .string(p.target.jurisdiction)), ("base_year", .integer(p.target.baseYear)), ("target_year", .integer(p.target.targetYear)),
                        ("value", value), ("handed_down_from", p.target.handedDownFrom.map(JSONValue.string) ?? .null), ("unit", .string(p.unit)),
                        ("base_value", number(p.baseValue)), ("level", number(p.level)),
                        ("actual", .array(p.actual.map { .object([("year", .integer($0.year)), ("value", .number($0.value))]) })),
                        ("status", .string(p.assessment.status.rawValue)), ("early_warning", .bool(p.assessment.earlyWarning)),
                        ("allocations", .array(allocations))])
    }

    /// A target's level or value in its unit: emissions in Mt, any other unit as it is.
    static func format(_ x: Double, unit: String, t: Localizer) -> String {
        unit == "t CO2e" ? "\(t.number(x / 1e6, decimals: 2)) \(t("unit.mtShort"))" : t.number(x, decimals: x < 10 ? 4 : 1)
    }

    func page(_ t: Localizer) throws -> HTML {
        let lang = t.language.rawValue
        func format(_ x: Double, unit: String) -> String { Self.format(x, unit: unit, t: t) }
        var body: HTML = "<main id=\"main\">"
        for (index, p) in try TargetRepository(database).progress().enumerated() {
            let target = p.target
            body += "<section class=\"target\" id=\"target-\(target.identifier)\"><h2>\(target.name.text(lang))</h2><table class=\"facts\"><tbody>"
            func fact(_ key: String, _ value: String) { body += "<tr><th scope=\"row\">\(t(key))</th><td>\(value)</td></tr>" }
            fact("targets.jurisdiction", target.jurisdiction)
            let value: String = switch target.value {
            case .reduction(let share): t("targets.reduction", ["share": t.number(share * 100, decimals: 1), "year": String(target.baseYear)])
            case .level(let level): format(level, unit: p.unit)
            case .pending: t("targets.pending")
            }
            fact("targets.value", "\(value) · \(target.targetYear)")
            if let base = p.baseValue { fact("targets.base", "\(format(base, unit: p.unit)) (\(target.baseYear))") }
            if let level = p.level { fact("targets.level", "\(format(level, unit: p.unit)) (\(target.targetYear))") }
            if let latest = p.actual.last { fact("targets.latest", "\(format(latest.value, unit: p.unit)) (\(latest.year))") }
            fact("indicators.status", t("indicators.status.\(p.assessment.status.rawValue)") + (p.assessment.earlyWarning ? " · " + t("indicators.warning") : ""))
            if let from = target.handedDownFrom { fact("targets.from", from) }
            body += "</tbody></table>"
            if let base = p.baseValue, let level = p.level {
                let scale = p.unit == "t CO2e" ? 1e-6 : 1
                let chart = LineChart(title: t("targets.chart", ["unit": p.unit == "t CO2e" ? t("unit.mt") : t.unit(p.unit)]), description: t("indicators.chart.desc"),
                                      lines: [LineChart.Line(label: t("indicators.values"), color: Palette.categorical[0], points: [(target.baseYear, base * scale)] + p.actual.map { ($0.year, $0.value * scale) }),
                                              LineChart.Line(label: t("indicators.path"), color: Palette.categorical[6], points: [(target.baseYear, base * scale), (target.targetYear, level * scale)], dashed: true)],
                                      markers: [(t("indicators.goal"), target.targetYear, level * scale)], format: { t.number($0, decimals: 2) },
                                      unit: p.unit == "t CO2e" ? t("unit.mt") : t.unit(p.unit))
                body += "<figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: "target\(index)", t: t))</figure>"
            }
            for allocation in target.allocations {
                let total = allocation.basis.values.reduce(0, +)
                body += "<table class=\"allocation\" id=\"allocation-\(target.identifier)-\(allocation.dimension.rawValue)\"><caption>"
                body += HTML(text: t("targets.allocation.\(allocation.dimension.rawValue)", ["method": t("targets.method.\(allocation.method.rawValue)")])) + "</caption><thead><tr>"
                body += Table.headings(["targets.part", "targets.basis", "targets.share", "targets.level"], t) + "</tr></thead><tbody>"
                for (name, part) in allocation.parts.sorted(by: { $0.value > $1.value }) {
                    let basis = allocation.basis[name].map { format($0, unit: p.unit) } ?? "—"
                    body += "<tr><td>\(allocation.dimension == .sector ? t("sector.\(name)") : name)</td><td class=\"n\">\(basis)</td>"
                    body += "<td class=\"n\">\(allocation.basisShare(of: name).map(t.share) ?? "—")</td><td class=\"n\">\(format(part, unit: p.unit))</td></tr>"
                }
                body += "<tr><td class=\"total\">\(t("targets.whole"))</td><td class=\"n\">\(total > 0 ? HTML(text: format(total, unit: p.unit)) : "")</td><td></td>"
                body += "<td class=\"n total\">\(format(allocation.parts.values.reduce(0, +), unit: p.unit))</td></tr></tbody></table>"
                if let source = allocation.basisSourcePhrase.map(t.phrase) ?? allocation.basisSource { body += "<p class=\"source\">\(t("targets.basis.source", ["source": source]))</p>" }
            }
            body += "</section>"
        }
        body += "<p>\(t.html("plans.download", ["json": "<a href=\"/api/v1/targets\">JSON</a>"])) · \(Layout.methodLink("targets", t))</p></main>"
        return Layout.page(t, title: t("targets.title"), body: body, query: [], footer: t("targets.footer"))
    }
}
