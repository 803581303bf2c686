import CityCarbonPages
import CarbonKit
import CarbonPathways
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

extension PathwayPages {
    /// Every published scenario side by side: where each peaks, when it reaches neutrality and
    /// which targets it meets.
    func comparison(_ t: Localizer) throws -> HTML {
        let repository = PathwayRepository(database)
        let stored = try repository.scenarios(publishedOnly: true)
        var body: HTML = "<main id=\"main\"><p>\(t("pathways.intro"))</p>"
        guard !stored.isEmpty else { return Layout.page(t, title: t("pathways.title"), body: body + "<p>\(t("pathways.none"))</p></main>", query: [], footer: t("pathways.footer")) }
        var runs: [(Scenario, PathwayResult)] = [], broken: [(Scenario, InputErrors)] = []
        // One set of inputs: scenarios on the same base year share its computation.
        let inputs = PathwayInputs(database, rows: .published)
        for s in stored {
            do {
                runs.append((s.scenario, try inputs.model(s.scenario, file: s.scenario.identifier, saved: true).run(language: t.language.rawValue)))
            } catch let errors as InputErrors {
                broken.append((s.scenario, errors))
            }
        }
        let tons = { (x: Double) in t.number(x / 1e6, decimals: 2) }
        body += "<table id=\"scenarios\"><caption>\(t("pathways.compare"))</caption><thead><tr>"
        body += ["pathways.scenario", "pathways.kind", "pathways.jurisdiction", "pathways.peak", "pathways.neutrality", "pathways.gross2030", "pathways.net2035", "pathways.netEnd", "pathways.targetsMet"]
            .html { "<th scope=\"col\">\(t($0))</th>" } + "</tr></thead><tbody>"
        for (scenario, r) in runs {
            let peak = r.analysis.peak.map { p in
                let status = t("pathways.status." + p.status.rawValue)
                return "\(p.year) · \(tons(p.value)) \(t("unit.mtShort")) · \(status)"
            } ?? "—"
            body += "<tr data-scenario=\"\(scenario.identifier)\"><th scope=\"row\"><a href=\"/pathways/\(Markup.percentEncoded(scenario.identifier))\">\(r.name)</a></th>"
            body += "<td>\(t("pathways.kind." + scenario.kind.rawValue))</td><td>\(scenario.jurisdiction)</td><td>\(peak)</td>"
            body += "<td class=\"n\">\(r.analysis.neutralityYear.map(String.init) ?? "—")</td>"
            body += "<td class=\"n\">\(r.value(r.gross, in: 2030).map(tons) ?? "—")</td><td class=\"n\">\(r.value(r.net, in: 2035).map(tons) ?? "—")</td>"
            body += "<td class=\"n\">\(tons(r.net.last ?? 0)) (\(r.years.last ?? 0))</td><td class=\"n\">\(r.analysis.targets.filter(\.met).count) / \(r.analysis.targets.count)</td></tr>"
        }
        for (scenario, errors) in broken {
            body += "<tr data-scenario=\"\(scenario.identifier)\"><th scope=\"row\">\(scenario.name(t.language.rawValue))</th>"
            body += "<td colspan=\"8\" class=\"problem\">\(t("pathways.broken", ["problem": errors.issues.map(\.description).joined(separator: "; ")]))</td></tr>"
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
            body += "<figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: id, t: t, width: .wide))</figure>"
        }
        body += "<p>\(t.html("plans.download", ["json": "<a href=\"/api/v1/pathways\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("pathways.title"), body: body, query: [], footer: t("pathways.footer"))
    }
}
