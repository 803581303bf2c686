import CarbonKit
import CityCarbonPages
import CityProgramme
import ClimatePlans
import Foundation

/// The sections of a district's page (``DistrictPages``), each from ``DistrictProfile``.
enum DistrictSections {
    static let sectors = ["I", "II", "III", "IV", "V"]

    /// Its emissions: a sentence on the latest year, the trend by sector, and the latest year's
    /// sectors, each linking to the inventory's sub-sectors of that sector in the district.
    static func emissions(_ p: DistrictProfile, t: Localizer) -> HTML {
        var out: HTML = "<section id=\"emissions\"><h2>\(t("districts.emissions"))</h2>"
        guard let latest = p.history.last else { return out + "<p>\(t("districts.noInventory"))</p></section>" }
        let level = latest.level == .basic ? "BASIC" : "BASIC+"
        let name = p.row.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        var sentence = t("districts.emissions.text", ["year": String(latest.year), "value": t.number(latest.tonnes / 1000, decimals: 0), "level": level])
        if let perCapita = latest.perCapita { sentence += " " + t("districts.emissions.perCapita", ["value": t.number(perCapita, decimals: 1)]) }
        if let first = p.history.first, first.year != latest.year, let change = latest.change(since: first) {
            sentence += " " + t("districts.emissions.change", ["change": t.percent(change), "base": String(first.year)])
        }
        out += "<p class=\"lead\">\(sentence)</p>"
        if p.history.count > 1 {
            let chart = StackedAreaChart(
                title: t("districts.chart", ["district": p.row.name, "level": level]), description: t("chart.trend.desc"),
                years: p.history.map(\.year),
                series: sectors.map { s in .init(label: t("sector.\(s)"), color: Palette.sectors[s]!, values: p.history.map { ($0.bySector[s] ?? 0) / 1000 }) },
                unit: t("unit.kt"), format: { t.number($0, decimals: 0) }, totalLabel: t("chart.total"))
            out += "<figure><figcaption>\(chart.title)</figcaption>\(chart.html(id: "district-trend", t: t))</figure>"
        }
        out += "<table id=\"district-sectors\"><caption>\(t("districts.sectors", ["year": String(latest.year)]))</caption><thead><tr>"
            + Table.headings(["inventory.filter.sector", "districts.emissions.kt", "districts.share"], t)
            + "</tr></thead><tbody>"
        let shares = latest.sectorShares
        for s in sectors {
            let href = "/inventory/\(latest.year)?jurisdiction=\(name)&sector=\(s)"
            out += "<tr><th scope=\"row\"><a href=\"\(href)\">\(s) \(t("sector.\(s)"))</a></th>"
            out += "<td class=\"n\">\(t.number((latest.bySector[s] ?? 0) / 1000, decimals: 1))</td><td class=\"n\">\(t.share(shares[s] ?? 0))</td></tr>"
        }
        out += "</tbody></table><p><a href=\"/inventory/\(latest.year)?jurisdiction=\(name)\">\(t("districts.inventory", ["year": String(latest.year)])) →</a>"
            + " · \(Layout.methodLink("sectors", t)) · \(Layout.methodLink("per-resident", t))</p>"
        return out + "</section>"
    }

    /// Its share of each city target split by district, and any target of its own.
    static func targets(_ p: DistrictProfile, t: Localizer) -> HTML {
        var out: HTML = "<section id=\"targets\"><h2>\(t("districts.targets"))</h2>"
        if p.shares.isEmpty && p.ownTargets.isEmpty { return out + "<p>\(t("districts.targets.none"))</p></section>" }
        out += "<ul>"
        let lang = t.language.rawValue
        for share in p.shares {
            let target = share.progress.target
            var text = t("districts.targets.share", [
                "target": target.name.text(lang), "level": TargetPages.format(share.level, unit: share.progress.unit, t: t),
                "year": String(target.targetYear), "method": t("targets.method.\(share.allocation.method.rawValue)"),
            ])
            if let basis = share.basisShare { text += " " + t("districts.targets.basis", ["share": t.share(basis)]) }
            // What the level asks of the district itself, against its own emissions in the target's base year.
            if share.progress.unit == "t CO2e", let base = p.history.first(where: { $0.year == target.baseYear })?.tonnes, base > 0 {
                text += " " + t("districts.targets.own", ["change": t.percent(share.level / base - 1), "year": String(target.baseYear)])
            }
            out += "<li><a href=\"/targets#target-\(target.identifier)\">\(target.name.text(lang))</a>: \(text)</li>"
        }
        for progress in p.ownTargets {
            out += "<li><a href=\"/targets#target-\(progress.target.identifier)\">\(progress.target.name.text(lang))</a>: \(t("indicators.status.\(progress.assessment.status.rawValue)"))</li>"
        }
        return out + "</ul><p>\(Layout.methodLink("targets", t))</p></section>"
    }

    static func assessment(_ p: DistrictProfile, t: Localizer) -> HTML {
        var out: HTML = "<section id=\"assessment\"><h2>\(t("districts.assessment"))</h2>"
        guard let (a, r) = p.assessment else { return out + "<p>\(t("districts.assessment.none"))</p></section>" }
        out += "<p class=\"lead\"><span class=\"light light-\(r.light.rawValue)\">\(t("assessments.light.\(r.light.rawValue)"))</span> · "
        out += HTML(text: t("districts.assessment.text", ["year": String(a.year), "total": t.number(r.total, decimals: 1),
                                                           "rank": String(r.rank), "count": String(a.results.count)]))
        out += " <a href=\"/assessments/\(a.year)\">\(t("districts.assessment.link")) →</a> · \(Layout.methodLink("assessment", t))</p>"
        let lang = t.language.rawValue
        out += "<table id=\"district-scores\"><caption>\(t("assessments.year", ["year": String(a.year)]))</caption><tbody>"
        for score in r.scores {
            let name = a.scheme.components.first { $0.identifier == score.component }?.name.text(lang) ?? score.component
            out += "<tr><th scope=\"row\">\(name)</th><td class=\"n\">\(t.number(score.score, decimals: 1))</td></tr>"
        }
        return out + "</tbody></table></section>"
    }

    /// The actions its office answers for, counted by the plan page's rule, each linked.
    static func plans(_ p: DistrictProfile, t: Localizer) -> HTML {
        var out: HTML = "<section id=\"actions\"><h2>\(t("districts.actions"))</h2>"
        guard let office = p.row.jurisdiction.office, !p.plans.isEmpty else {
            return out + "<p>\(t("districts.actions.none"))</p></section>"
        }
        let lang = t.language.rawValue
        for share in p.plans {
            let plan = Markup.percentEncoded(share.plan.identifier)
            // Every status the plan page counts, in its order: the parts add up to the whole.
            let parts = ActionStatus.allCases.compactMap { status in
                share.counts.byStatus[status].map { "\(t("status.\(status.rawValue)")) \($0)" }
            }.joined(separator: ", ")
            out += "<p>" + HTML(text: t("districts.actions.text", [
                "office": office, "count": String(share.counts.total), "plan": share.plan.name.text(lang), "statuses": parts,
                "stale": String(share.counts.stale), "days": String(share.plan.settings.staleAfterDays),
            ])) + " <a href=\"/plans/\(plan)?organisation=\(Markup.percentEncoded(office))\">\(t("districts.actions.link")) →</a></p><ul class=\"actions\">"
            for action in share.actions {
                // The status the plan page shows: late when an end date or a task has passed.
                let status = ActionProgress.of(action, on: Day.today, settings: share.plan.settings).effectiveStatus(of: action)
                out += "<li><a href=\"/plans/\(plan)/actions/\(Markup.percentEncoded(action.identifier))\">\(action.name.text(lang))</a> · \(t("status.\(status.rawValue)"))</li>"
            }
            out += "</ul>"
        }
        return out + "</section>"
    }

    /// How many sites are monitored in it, by kind (their names stay with their owners and staff).
    static func sites(_ p: DistrictProfile, t: Localizer) -> HTML {
        guard !p.sites.isEmpty else { return "" }
        let kinds = p.sites.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\(t("monitoring.siteKind.\($0.key.rawValue)")): \($0.value)" }.joined(separator: ", ")
        return "<p>\(t("districts.sites", ["count": String(p.sites.values.reduce(0, +)), "kinds": kinds]))</p>"
    }
}
