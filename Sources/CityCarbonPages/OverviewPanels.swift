import CarbonKit
import ClimatePlans
import Foundation

/// The panels of the city's one-screen view, shared by the dashboard and the control-room
/// screen: the path to the targets (chart and sentences), the plan's actions, the warnings.
package enum OverviewPanels {
    /// History, the adopted pathway and each target with its straight path, on one chart in
    /// Mt CO2e a year; beneath it, where the city stands against each path, in words.
    package static func standing(_ o: CityOverview, t: Localizer, id: String = "standing") -> HTML {
        let mt = { (x: Double) in x / 1e6 }
        var lines: [LineChart.Line] = []
        if let history = o.emissions?.series(), !history.isEmpty {
            lines.append(.init(label: t("overview.history"), color: Palette.ink, points: history.map { ($0.year, mt($0.value)) }))
        }
        if let (_, r) = o.scenario {
            lines.append(.init(label: t("overview.pathway", ["name": r.name]), color: Palette.categorical[0],
                               points: zip(r.years, r.net).map { ($0, mt($1)) }, showsPoints: false))
        }
        for p in o.targets {
            guard let base = p.baseValue, let level = p.level else { continue }
            lines.append(.init(label: t("overview.straightPath", ["year": String(p.target.targetYear)]), color: Palette.categorical[7],
                               points: [(p.target.baseYear, mt(base)), (p.target.targetYear, mt(level))], dashed: true))
        }
        let markers = o.targets.compactMap { p in p.level.map { (t("overview.target"), p.target.targetYear, mt($0)) } }
        guard !lines.isEmpty else { return "" }
        let chart = LineChart(title: t("overview.chart"), description: t("overview.chartDesc"), lines: lines, markers: markers,
                              format: { t.number($0, decimals: 1) }, unit: t("unit.mtYear"))
        var out: HTML = #"<figure class="standing"><figcaption>\#(chart.title)</figcaption>\#(chart.html(id: id, t: t, width: .wide))"#
        out += #"<ul class="standing">"# + sentences(o, t: t).html { "<li>\($0)</li>" } + "</ul>"
        out += #"<a class="detail" href="/targets">\#(t("overview.targetsLink")) →</a> · \#(Layout.methodLink("targets", t))</figure>"#
        return out
    }

    /// "2023: 16.10 Mt CO2e, 20.1 % above the straight path to …": one sentence per target and
    /// one for the adopted pathway.
    static func sentences(_ o: CityOverview, t: Localizer) -> [HTML] {
        var out: [HTML] = []
        let lang = t.language.rawValue
        for p in o.targets {
            let a = p.assessment
            guard let latest = a.latest, let level = p.level else { continue }
            let values = ["year": String(latest.year), "value": t.number(latest.value / 1e6, decimals: 2), "target": p.target.name.text(lang),
                          "level": t.number(level / 1e6, decimals: 2), "targetYear": String(p.target.targetYear),
                          "status": t("indicators.status.\(a.status.rawValue)")]
            if let d = a.distanceFromPath {
                let side = abs(d) < 0.0005 ? t("overview.onPath") : t(d > 0 ? "overview.above" : "overview.below", ["pct": t.number(abs(d) * 100, decimals: 1)])
                out.append("\(t("overview.standingPath", values.merging(["distance": side]) { $1 }))")
            } else {
                out.append("\(t("overview.standingNoPath", values))")
            }
        }
        if let (identifier, r) = o.scenario {
            let link: HTML = #"<a href="/pathways/\#(segment: identifier)">\#(r.name)</a>"#
            let text = r.analysis.neutralityYear.map { t("overview.neutralIn", ["year": String($0)]) }
                ?? t("overview.notNeutral", ["year": String(r.years.last ?? 0)])
            let peak = r.analysis.peak.map { t("overview.peak", ["year": String($0.year), "value": t.number($0.value / 1e6, decimals: 2)]) } ?? ""
            out.append(t.html("overview.adopted", ["pathway": link]) + " \(peak + text)")
        }
        return out
    }

    /// The plan's actions by status, late and stale, each a link to the actions it counts.
    package static func plan(_ o: CityOverview, t: Localizer) -> HTML {
        guard let (plan, counts) = o.plan else { return "" }
        let base = "/plans/\(Markup.percentEncoded(plan.identifier))"
        var out: HTML = #"<section class="panel plan-progress"><h2>\#(t("overview.plan", ["plan": plan.name.text(t.language.rawValue)]))</h2>"#
        out += #"<p class="big"><a href="\#(base)?status=late">\#(t("overview.late", ["count": String(counts.byStatus[.late] ?? 0)]))</a>"#
        out += #" · <a href="\#(base)?timeliness=stale">\#(t("overview.stale", ["count": String(counts.stale), "days": String(plan.settings.staleAfterDays)]))</a></p><ul>"#
        for status in ActionStatus.allCases {
            let n = counts.byStatus[status] ?? 0
            out += #"<li><a href="\#(base)?status=\#(status.rawValue)">\#(t("status.\(status.rawValue)"))</a>: <span class="n">\#(n)</span></li>"#
        }
        return out + #"</ul><p>\#(t("plans.count", ["count": String(counts.total)]))</p></section>"#
    }

    /// Targets and indicators off track, or whose trend misses the goal, each linked: the same
    /// judgement the targets and indicator pages show.
    package static func warnings(_ o: CityOverview, t: Localizer) -> HTML {
        let targets = o.targets.filter { $0.assessment.status == .offTrack || $0.assessment.earlyWarning }
        var out: HTML = #"<section class="panel warnings"><h2>\#(t("overview.warnings", ["count": String(targets.count + o.warnings.count)]))</h2>"#
        guard !o.warnings.isEmpty || !targets.isEmpty else { return out + "<p>\(t("overview.noWarnings"))</p></section>" }
        out += "<ul>"
        for p in targets {
            let a = p.assessment
            let why = [a.status == .offTrack ? t("indicators.status.off_track") : nil, a.earlyWarning ? t("indicators.warning") : nil].compactMap { $0 }.joined(separator: " · ")
            out += #"<li><a href="/targets#target-\#(Markup.percentEncoded(p.target.identifier))">\#(p.target.name.text(t.language.rawValue))</a>: \#(why)</li>"#
        }
        for (indicator, a) in o.warnings {
            let why = a.status == .offTrack ? t("indicators.status.off_track") : t("indicators.warning")
            out += #"<li><a href="/indicators/\#(Markup.percentEncoded(indicator.identifier))">\#(indicator.name.text(t.language.rawValue))</a>: \#(why)</li>"#
        }
        return out + "</ul></section>"
    }
}
