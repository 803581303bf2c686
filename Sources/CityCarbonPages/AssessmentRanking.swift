import ClimatePlans
import Foundation

/// A district assessment's ranking: the chart by light, the table with every score and the
/// evidence behind each; shared by the public page and the yearly report.
package enum AssessmentRanking {

    package static func html(_ a: DistrictAssessment, t: Localizer, id: String = "ranking") -> HTML {
        let lang = t.language.rawValue
        let chart = BarChart(title: t("assessments.chart", ["year": String(a.year)]), description: t("assessments.chart.desc"),
                             bars: a.results.map { BarChart.Bar(label: $0.jurisdiction, value: $0.total, color: Palette.lights[$0.light.rawValue]!, link: nil) },
                             format: { t.number($0, decimals: 1) }, unit: t("assessments.points"))
        var body: HTML = "<figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: "\(id)-chart", t: t))</figure>"
        body += "<table id=\"\(id)\"><caption>\(t("assessments.caption", ["green": t.number(a.scheme.green, decimals: 0), "amber": t.number(a.scheme.amber, decimals: 0)]))</caption><thead><tr>"
        body += "<th scope=\"col\">\(t("assessments.rank"))</th><th scope=\"col\">\(t("assessments.district"))</th>"
        body += a.scheme.components.html { "<th scope=\"col\">\($0.name.text(lang)) (\(t.number($0.weight, decimals: 0)))</th>" }
        body += "<th scope=\"col\">\(t("assessments.total"))</th><th scope=\"col\">\(t("assessments.light"))</th></tr></thead><tbody>"
        for r in a.results {
            body += "<tr data-district=\"\(r.jurisdiction)\"><td class=\"n\">\(r.rank)</td><th scope=\"row\">\(r.jurisdiction)</th>"
            for component in a.scheme.components {
                let score = r.scores.first { $0.component == component.identifier }
                body += "<td class=\"n\" title=\"\(score.map { evidence($0, t) } ?? "")\">\(score.map { t.number($0.score, decimals: 1) } ?? "—")</td>"
            }
            body += "<td class=\"n total\">\(t.number(r.total, decimals: 1))</td><td class=\"light-\(r.light.rawValue)\">\(t("assessments.light.\(r.light.rawValue)"))</td></tr>"
        }
        body += "</tbody></table><table class=\"evidence\"><caption>\(t("assessments.evidence"))</caption><tbody>"
        for r in a.results {
            for score in r.scores {
                let name = a.scheme.components.first { $0.identifier == score.component }?.name.text(lang) ?? score.component
                body += "<tr><th scope=\"row\">\(r.jurisdiction)</th><td>\(name)</td><td>\(score.evidencePhrases == nil ? t.content(evidence(score, t)) : HTML(text: evidence(score, t)))</td></tr>"
            }
        }
        return body + "</tbody></table>"
    }

    /// A score's evidence in the page's language where the platform wrote it, as written otherwise.
    static func evidence(_ score: ComponentScore, _ t: Localizer) -> String {
        (score.evidencePhrases?.map(t.phrase) ?? score.evidence).joined(separator: "; ")
    }
}
