import CityCarbonPages
import CarbonKit
import CarbonPathways
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// The public page of a scenario: wedges, net emissions with sinks and the uncertainty band,
/// targets, cost curve, decomposition, by sector and district.
extension PathwayPages {
    /// The body of a scenario's page, shared by the public page and the staff preview.
    func detail(_ c: Computed, t: Localizer, district: String?, base: String) -> HTML {
        let r = c.result, s = c.scenario, lang = t.language.rawValue
        let tons = { (x: Double) in t.number(x, decimals: 0) }
        let mt = { (x: Double) in t.number(x / 1e6, decimals: 2) }
        let path = "\(base)/\(Markup.percentEncoded(s.identifier))"
        var body: HTML = ""
        if let text = s.description?[lang] ?? s.description?["en"] { body += "<p class=\"lead\">\(text)</p>" }
        body += "<dl class=\"facts\" id=\"analysis\">"
        let peak = r.analysis.peak
        let peakText = peak.map {
            t("pathways.peakValue", ["year": String($0.year), "value": mt($0.value), "status": t("pathways.status.\($0.status.rawValue)"),
                                     "from": String($0.plateauFrom), "to": String($0.plateauTo), "tolerance": t.number(r.analysis.plateauTolerance * 100, decimals: 0)])
        } ?? "—"
        body += "<dt>\(t("pathways.peak"))</dt><dd data-peak=\"\(peak?.year ?? 0)\">\(peakText)</dd>"
        body += "<dt>\(t("pathways.neutrality"))</dt><dd data-neutrality=\"\(r.analysis.neutralityYear ?? 0)\">\(r.analysis.neutralityYear.map(String.init) ?? t("pathways.notWithin"))</dd>"
        body += "<dt>\(t("pathways.grossZero"))</dt><dd>\(r.analysis.grossZeroYear.map(String.init) ?? t("pathways.notWithin"))</dd>"
        if let mc = c.monteCarlo, let peakTarget = r.analysis.targets.first(where: { $0.kind == "peak_by" }), let p = mc.probabilityOfPeaking(by: peakTarget.year) {
            body += "<dt>\(t("pathways.peakChance", ["year": String(peakTarget.year)]))</dt><dd>\(t.number(p * 100, decimals: 0)) %</dd>"
        }
        // The platform's own words are in the page's language; a source the scenario names is data, marked with its language.
        let baseSource = (try? PathwayInputs(database, rows: .published).baseSourcePhrase(s)).flatMap { $0.map { HTML(text: t.phrase($0)) } }
            ?? t.content(r.baseSource ?? "")
        body += "<dt>\(t("pathways.base"))</dt><dd>\(s.baseYear): \(mt(r.gross[0])) \(t("unit.mt")) · \(baseSource)</dd></dl>"

        let chart = PathwayChart(title: t("pathways.chart", ["name": r.name]), description: t("pathways.chartDesc"), result: r, band: c.monteCarlo,
                                 labels: .init(gross: t("pathways.gross"), baseline: t("pathways.baseline"), net: t("pathways.net"), band: t("pathways.band"),
                                               history: t("pathways.history"), others: t("pathways.otherMeasures"), target: t("pathways.targetMark")),
                                 format: { t.number($0 / 1e6, decimals: 1) }, unit: t("unit.mtYear"))
        body += "<figure id=\"pathway-chart\"><figcaption>\(chart.title)</figcaption>\(chart.html(id: "pathway", t: t))"
        body += "<p class=\"note\">\(t("pathways.chartCaption"))</p>"
        if c.bandsPending {
            let runs = t.number(Double(min(s.monteCarlo?.runs ?? 0, PathwayPages.maximumRunsOnline)), decimals: 0)
            body += "<p class=\"note\" id=\"band-pending\" role=\"status\">\(t("pathways.bandPending", ["runs": runs]))</p>"
        }
        // A budget counts tonnes over years: told in a sentence, never drawn on the chart's tonnes-a-year axis.
        for o in r.analysis.targets where o.kind == "budget" {
            guard let allowed = o.allowed, let used = o.value else { continue }
            let key = used <= allowed ? "pathways.budgetWithin" : "pathways.budgetOver"
            body += "<p class=\"budget\" data-target=\"\(o.id)\">\(t(key, ["name": o.name, "used": mt(used), "allowed": mt(allowed), "share": t.number(used / max(allowed, 1) * 100, decimals: 0)]))</p>"
        }
        body += "</figure>"

        if !r.analysis.targets.isEmpty {
            body += "<table id=\"targets\"><caption>\(t("pathways.targets"))</caption><thead><tr>"
            let keys = ["pathways.target", "pathways.year", "pathways.allowed", "pathways.value", "pathways.gap", "pathways.met", "pathways.probability"]
            body += "\(Table.headings(keys, t))</tr></thead><tbody>"
            for o in r.analysis.targets {
                let chance = c.monteCarlo?.targets.first { $0.id == o.id }.map { t.number($0.probability * 100, decimals: 0) + " %" } ?? "—"
                let isIntensity = o.kind == "intensity_reduction"
                let show = { (x: Double?) in x.map { isIntensity ? t.number($0, decimals: 2) : tons($0) } ?? "—" }
                body += "<tr data-target=\"\(o.id)\" data-met=\"\(String(o.met))\"><th scope=\"row\">\(o.name)</th><td class=\"n\">\(o.year)</td>"
                let gap = (o.gap ?? 0) > 0 ? show(o.gap) : "—"
                body += "<td class=\"n\">\(show(o.allowed))</td><td class=\"n\">\(show(o.value))</td><td class=\"n\">\(gap)</td>"
                // The central estimate and the runs can disagree: say so rather than print "yes" beside 0 %.
                let p = c.monteCarlo?.targets.first { $0.id == o.id }?.probability
                let caveat = p.map { o.met && $0 < 0.5 ? "pathways.metNarrowly" : !o.met && $0 >= 0.5 ? "pathways.missedNarrowly" : nil } ?? nil
                let note: HTML? = caveat.map { " <small>(\(t($0)))</small>" }
                body += "<td>\(t(o.met ? "edit.yes" : "edit.no"))\(note)</td><td class=\"n\">\(chance)</td></tr>"
            }
            body += "</tbody></table>"
        }

        let milestones = r.years.indices.filter { $0 == 0 || $0 == r.years.count - 1 || r.years[$0] % 5 == 0 }
        func yearHeads() -> HTML { milestones.html { "<th scope=\"col\">\(r.years[$0])</th>" } }
        body += "<table id=\"wedges\"><caption>\(t("pathways.wedges"))</caption><thead><tr><th scope=\"col\">\(t("pathways.measure"))</th>\(yearHeads())</tr></thead><tbody>"
        body += "<tr><th scope=\"row\">\(t("pathways.baseline"))</th>" + milestones.html { "<td class=\"n\">\(tons(r.baseline[$0]))</td>" } + "</tr>"
        for (k, w) in r.wedges.enumerated() {
            let measure = s.measures[k]
            let link = measure.plan.flatMap { plan in measure.action.map { "/plans/\(Markup.percentEncoded(plan))/actions/\(Markup.percentEncoded($0))" } }
            let name: HTML = link.map { "<a href=\"\($0)\">\(w.name)</a>" } ?? HTML(text: w.name)
            body += "<tr data-wedge=\"\(w.id)\"><th scope=\"row\">− \(name) <small>(\(t("pathways.measureKind.\(w.kind)")))</small></th>"
            body += milestones.html { "<td class=\"n\">\(tons(w.tonnes[$0]))</td>" } + "</tr>"
        }
        body += "<tr><th scope=\"row\">= \(t("pathways.gross"))</th>" + milestones.html { "<td class=\"n\">\(tons(r.gross[$0]))</td>" } + "</tr>"
        for sink in r.sinks {
            body += "<tr data-sink=\"\(sink.id)\"><th scope=\"row\">− \(t.content(sink.name)) <small>(\(t("pathways.sink")))</small></th>"
            body += milestones.html { "<td class=\"n\">\(tons(sink.tonnes[$0]))</td>" } + "</tr>"
        }
        if r.offsets.contains(where: { $0 != 0 }) {
            body += "<tr><th scope=\"row\">− \(t("pathways.offsets"))</th>" + milestones.html { "<td class=\"n\">\(tons(r.offsets[$0]))</td>" } + "</tr>"
        }
        body += "<tr><th scope=\"row\">= \(t("pathways.net"))</th>" + milestones.html { "<td class=\"n\">\(tons(r.net[$0]))</td>" } + "</tr>"
        if let mc = c.monteCarlo {
            body += "<tr><th scope=\"row\">\(t("pathways.bandRow"))</th>" + milestones.html { "<td class=\"n\">\(tons(mc.net.p10[$0])) – \(tons(mc.net.p90[$0]))</td>" } + "</tr>"
        }
        body += "</tbody></table>"
        if !r.stocks.isEmpty {
            body += "<ul id=\"stocks\">" + r.stocks.html { "<li>\(t("pathways.stock", ["name": $0.name, "tonnes": tons($0.tonnes.first ?? 0)]))\($0.source.map { " — " + t.content($0) } ?? "")</li>" } + "</ul>"
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
        body += "<section id=\"by-sector\"><h2>\(t("pathways.bySector"))</h2>"
        if districts.count > 1 {
            body += "<form method=\"get\" action=\"\(path)\"><label>\(t("assessments.district")) <select name=\"district\"><option value=\"\">\(s.jurisdiction)</option>"
            body += districts.filter { $0 != s.jurisdiction }.html { "<option\($0 == district ? " selected" : "")>\($0)</option>" } + "</select></label> <button type=\"submit\">\(t("inventory.filter.apply"))</button></form>"
        }
        let sectorNames = Dictionary((s.sectors ?? []).map { ($0.id, $0.name?[lang] ?? $0.name?["en"] ?? $0.id) }, uniquingKeysWith: { a, _ in a })
        // Captioned, so its scrolling region has a name of its own (a second region named "Table" is not unique).
        let scope = district ?? s.jurisdiction
        body += "<table id=\"sectors\"><caption>\(t("pathways.bySector")) · \(scope)</caption><thead><tr><th scope=\"col\">\(t("pathways.sector"))</th>\(yearHeads())</tr></thead><tbody>"
        for sector in bySector.keys.sorted() {
            body += "<tr data-sector=\"\(sector)\"><th scope=\"row\">\(sector == (sectorNames[sector] ?? sector) ? sector : "\(sector) \(sectorNames[sector]!)")</th>"
            body += milestones.html { "<td class=\"n\">\(tons(bySector[sector]![$0]))</td>" } + "</tr>"
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
            body += "<p>\(sentence)</p>"
        }
        body += "</section>"
        if let health = c.health {
            body += HealthSections.scenario(.success(health), milestones: milestones, t: t) { HealthSections.sectorName($0, t) }
        } else if r.energyCells != nil {
            body += HealthSections.scenario(.failure(.noStatistics), milestones: milestones, t: t) { $0 }
        }

        if let macc = c.macc {
            let currency = macc.bars.first?.currency ?? "CNY"
            let chart = AbatementCurveChart(title: t("pathways.macc", ["year": String(macc.year)]), description: t("pathways.maccDesc"), curve: macc,
                                            formatCost: { t.number($0, decimals: 0) }, formatTonnes: { t.number($0 / 1e6, decimals: 1) },
                                            costTitle: t("pathways.costAxis", ["currency": t.money(currency)]),
                                            abatementTitle: t("pathways.abatementAxis", ["year": String(macc.year)]), gapLabel: t("pathways.gapMark"))
            let keys = [ChartFigure.Key(t("pathways.savesMoney"), color: Palette.saving), ChartFigure.Key(t("pathways.costsMoney"), color: Palette.categorical[0]),
                        ChartFigure.Key(t("pathways.gapKey"), color: Palette.rising, mark: .dashed)]
            body += "<section id=\"macc\"><h2>\(t("pathways.macc", ["year": String(macc.year)]))</h2><figure>\(chart.html(id: "macc-chart", t: t, keys: keys))<figcaption>\(t("pathways.maccCaption", ["rate": t.number(macc.discountRate * 100, decimals: 1), "life": String(macc.defaultLifetimeYears)]))</figcaption></figure>"
            body += "<table><thead><tr>" + Table.headings(["pathways.measure", "pathways.abatement", "pathways.costPerTonne", "pathways.cumulative"], t) + "</tr></thead><tbody>"
            for bar in macc.bars {
                body += "<tr data-macc=\"\(bar.id)\"\(bar.closesGap ? " class=\"closes-gap\"" as HTML : "")><th scope=\"row\">\(bar.name)\(bar.noRegret ? " <small>(\(t("pathways.noRegret")))</small>" as HTML : "")</th>"
                body += "<td class=\"n\">\(tons(bar.abatementTonnes))</td><td class=\"n\">\(t.number(bar.costPerTonne, decimals: 0)) \(bar.currency)</td><td class=\"n\">\(tons(bar.cumulativeTo))</td></tr>"
            }
            body += "</tbody></table>"
            if let gap = macc.targetGap {
                body += "<p>\(t("pathways.maccGap", ["gap": tons(gap), "year": String(macc.year), "total": tons(macc.totalAbatement)]))</p>"
            }
            body += "</section>"
        }

        if s.base.fromInventory == true, let first = r.historyYears?.first, let lmdi = try? PathwayRepository(database).decomposition(from: first, to: s.baseYear) {
            let steps = LMDI.Effect.allCases.map { (label: t("pathways.effect.\($0.rawValue)"), value: lmdi.effect($0)) }
            let chart = WaterfallChart(title: t("pathways.lmdi", ["from": String(first), "to": String(s.baseYear)]), description: t("pathways.lmdiDesc"),
                                       start: (String(first), lmdi.from), steps: steps, end: (String(s.baseYear), lmdi.to), format: { mt($0) }, unit: t("unit.mt"))
            body += "<section id=\"lmdi\"><h2>\(t("pathways.lmdi", ["from": String(first), "to": String(s.baseYear)]))</h2><figure>\(chart.html(id: "lmdi-chart", t: t))<figcaption>\(t("pathways.lmdiCaption"))</figcaption></figure>"
            body += "<table><thead><tr><th scope=\"col\">\(t("pathways.effect"))</th><th scope=\"col\">t CO2e</th></tr></thead><tbody>"
            body += steps.html { "<tr><th scope=\"row\">\($0.label)</th><td class=\"n\">\(tons($0.value))</td></tr>" }
            body += "<tr><th scope=\"row\">\(t("pathways.change"))</th><td class=\"n\">\(tons(lmdi.change))</td></tr></tbody></table></section>"
        }
        if base == "/pathways" {
            body += "<p>\(t.html("pathways.downloads", ["json": "<a href=\"/api/v1/pathways/\(Markup.percentEncoded(s.identifier))\">JSON</a>", "csv": "<a href=\"\(path)/pathway.csv\">CSV</a>", "scenario": "<a href=\"\(path)/scenario.json\">\(t("pathways.scenarioFile"))</a>"]))</p>"
        }
        return body
    }
}
