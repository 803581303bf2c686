import CarbonPathways
import Foundation

/// The pathway in one SVG: the scenario's gross emissions with each measure's wedge stacked
/// on top up to the baseline, net emissions after sinks and offsets as a line that may go
/// below zero, the Monte Carlo P10–P90 band around it, past inventories as points and the
/// targets as diamonds. Every shape carries its numbers as a title.
package struct PathwayChart {
    package var title: String
    package var description: String
    package var result: PathwayResult
    package var band: MonteCarloResult?
    package var labels: Labels
    package var format: (Double) -> String
    package var width = 760.0
    package var height = 380.0

    package struct Labels {
        package var gross: String, baseline: String, net: String, band: String, history: String
        package init(gross: String, baseline: String, net: String, band: String, history: String) {
            (self.gross, self.baseline, self.net, self.band, self.history) = (gross, baseline, net, band, history)
        }
    }

    /// `#rrggbb`, spelled so that it can sit inside a `#"…"#` literal.
    package static func hex(_ digits: String) -> String { "#" + digits }

    package static let palette = ["#2b6cb0", "#38a169", "#d69e2e", "#805ad5", "#dd6b20", "#319795", "#e53e3e", "#718096",
                          "#b7791f", "#2c7a7b", "#6b46c1", "#c05621", "#276749", "#9c4221", "#44337a"]

    package func svg(id: String) -> String {
        let left = 72.0, right = 16.0, top = 16.0, bottom = 96.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let history = zip(result.historyYears ?? [], (result.history ?? []).compactMap { $0 }).map { (year: $0, value: $1) }
        let years = result.years
        let firstYear = history.first?.year ?? years.first ?? 0, lastYear = max(years.last ?? 1, firstYear + 1)
        var values = result.baseline + result.gross + result.net + history.map(\.value)
        if let band { values += band.net.p10 + band.net.p90 }
        let targetMarks = result.analysis.targets.compactMap { t in t.allowed.map { (label: t.name, year: t.year, value: $0) } }
        values += targetMarks.map(\.value)
        let (ticks, low, high) = Self.ticks(min: values.min() ?? 0, max: values.max() ?? 1)
        func x(_ year: Int) -> Double { left + plotWidth * Double(year - firstYear) / Double(lastYear - firstYear) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / (high - low)) }
        func points(_ pairs: [(Int, Double)]) -> String { pairs.map { "\(Markup.coordinate(x($0.0))),\(Markup.coordinate(y($0.1)))" }.joined(separator: " ") }
        var out = Markup.svgOpen(width: width, height: height, id: id, class: "chart pathway", linked: false)
        out += #"<title id="\#(id)-t">\#(Markup.escape(title))</title><desc id="\#(id)-d">\#(Markup.escape(description))</desc>"#
        for t in ticks {
            out += #"<line x1="\#(Markup.coordinate(left))" x2="\#(Markup.coordinate(width - right))" y1="\#(Markup.coordinate(y(t)))" y2="\#(Markup.coordinate(y(t)))" class="\#(t == 0 ? "axis" : "grid")"/>"#
            out += #"<text x="\#(Markup.coordinate(left - 6))" y="\#(Markup.coordinate(y(t) + 4))" text-anchor="end" class="tick">\#(Markup.escape(format(t)))</text>"#
        }
        let step = max(1, (lastYear - firstYear + 9) / 10)
        for year in stride(from: firstYear, through: lastYear, by: step) {
            out += #"<text x="\#(Markup.coordinate(x(year)))" y="\#(Markup.coordinate(top + plotHeight + 16))" text-anchor="middle" class="tick">\#(year)</text>"#
        }
        // Gross emissions, then the wedges stacked on it (a wedge that adds emissions is drawn as nothing).
        var lower = result.gross
        var legend: [(String, String, Bool)] = [(labels.gross, "#a0aec0", false)]
        out += #"<polygon points="\#(points(years.indices.map { (years[$0], result.gross[$0]) }) + " " + points(years.indices.reversed().map { (years[$0], 0) }))" fill="\#(PathwayChart.hex("a0aec0"))" data-series="gross"><title>\#(Markup.escape(labels.gross))</title></polygon>"#
        for (k, wedge) in result.wedges.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let upper = years.indices.map { lower[$0] + max(0, wedge.tonnes[$0]) }
            let summary = years.indices.filter { years[$0] % 5 == 0 }.map { "\(years[$0]): \(format(wedge.tonnes[$0]))" }.joined(separator: "; ")
            out += #"<polygon points="\#(points(years.indices.map { (years[$0], upper[$0]) }) + " " + points(years.indices.reversed().map { (years[$0], lower[$0]) }))" fill="\#(color)" data-wedge="\#(Markup.escape(wedge.id))"><title>\#(Markup.escape("\(wedge.name) — \(summary)"))</title></polygon>"#
            legend.append((wedge.name, color, false))
            lower = upper
        }
        if let band {
            out += #"<polygon points="\#(points(years.indices.map { (years[$0], band.net.p90[$0]) }) + " " + points(years.indices.reversed().map { (years[$0], band.net.p10[$0]) }))" fill="\#(PathwayChart.hex("1a202c"))" fill-opacity="0.15" data-series="band"><title>\#(Markup.escape(labels.band))</title></polygon>"#
        }
        out += #"<polyline points="\#(points(years.indices.map { (years[$0], result.baseline[$0]) }))" fill="none" stroke="\#(PathwayChart.hex("1a202c"))" stroke-width="2" stroke-dasharray="6 4" data-series="baseline"/>"#
        out += #"<polyline points="\#(points(years.indices.map { (years[$0], result.net[$0]) }))" fill="none" stroke="\#(PathwayChart.hex("1a202c"))" stroke-width="2.5" data-series="net"/>"#
        legend.append((labels.baseline, "#1a202c", true))
        legend.append((labels.net, "#1a202c", false))
        for p in history {
            out += #"<circle cx="\#(Markup.coordinate(x(p.year)))" cy="\#(Markup.coordinate(y(p.value)))" r="4" fill="\#(PathwayChart.hex("1a202c"))" data-series="history"><title>\#(Markup.escape("\(labels.history), \(p.year): \(format(p.value))"))</title></circle>"#
        }
        for m in targetMarks {
            let cx = x(m.year), cy = y(m.value)
            let diamond = [(cx, cy - 7), (cx + 7, cy), (cx, cy + 7), (cx - 7, cy)].map { "\(Markup.coordinate($0.0)),\(Markup.coordinate($0.1))" }.joined(separator: " ")
            out += #"<polygon points="\#(diamond)" fill="\#(LineChart.goalColor)" stroke="\#(PathwayChart.hex("fff"))" data-target="\#(m.year)"><title>\#(Markup.escape("\(m.label), \(m.year): \(format(m.value))"))</title></polygon>"#
        }
        var legendX = left, legendY = top + plotHeight + 34
        for (label, color, dashed) in legend {
            let shown = label.count > 40 ? String(label.prefix(39)) + "…" : label
            let labelWidth = shown.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 11 : 6) }
            if legendX + 18 + labelWidth > width - right, legendX > left { legendX = left; legendY += 16 }
            if dashed || label == labels.net {
                out += #"<line x1="\#(Markup.coordinate(legendX))" x2="\#(Markup.coordinate(legendX + 14))" y1="\#(Markup.coordinate(legendY + 5))" y2="\#(Markup.coordinate(legendY + 5))" stroke="\#(color)" stroke-width="2"\#(dashed ? #" stroke-dasharray="4 3""# : "")/>"#
            } else {
                out += #"<rect x="\#(Markup.coordinate(legendX))" y="\#(Markup.coordinate(legendY))" width="10" height="10" fill="\#(color)"/>"#
            }
            out += #"<text x="\#(Markup.coordinate(legendX + 18))" y="\#(Markup.coordinate(legendY + 9))" class="legend">\#(Markup.escape(shown))</text>"#
            legendX += 18 + labelWidth + 14
        }
        out += "</svg>"
        return out
    }

    /// Round ticks covering `min…max`, including zero and negative values.
    package static func ticks(min: Double, max: Double) -> (ticks: [Double], low: Double, high: Double) {
        let upper = Markup.ticks(upTo: Swift.max(max, 1e-9))
        guard min < 0 else { return (upper, 0, upper.last ?? 1) }
        let spacing = upper.count > 1 ? upper[1] : 1
        var ticks = upper
        var v = 0.0
        while v > min { v -= spacing; ticks.insert(v, at: 0) }
        return (ticks, ticks.first!, ticks.last!)
    }
    package init(title: String, description: String, result: PathwayResult, band: MonteCarloResult?, labels: Labels, format: @escaping (Double) -> String, width: Double = 760.0, height: Double = 380.0) {
        self.title = title
        self.description = description
        self.result = result
        self.band = band
        self.labels = labels
        self.format = format
        self.width = width
        self.height = height
    }
}

/// The marginal abatement cost curve: each measure a bar as wide as the tonnes it abates in
/// the chosen year and as high as its cost per tonne, cheapest first; bars below the axis
/// save money.
package struct AbatementCurveChart {
    package var title: String
    package var description: String
    package var curve: MarginalAbatementCurve
    package var format: (Double) -> String
    package var width = 760.0
    package var height = 320.0

    package func svg(id: String) -> String {
        let left = 72.0, right = 16.0, top = 16.0, bottom = 40.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let total = Swift.max(curve.totalAbatement, 1)
        let costs = curve.bars.map(\.costPerTonne)
        let (ticks, low, high) = PathwayChart.ticks(min: Swift.min(0, costs.min() ?? 0), max: Swift.max(costs.max() ?? 1, 1))
        func x(_ t: Double) -> Double { left + plotWidth * t / total }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / (high - low)) }
        var out = Markup.svgOpen(width: width, height: height, id: id, class: "chart macc", linked: false)
        out += #"<title id="\#(id)-t">\#(Markup.escape(title))</title><desc id="\#(id)-d">\#(Markup.escape(description))</desc>"#
        for t in ticks {
            out += #"<line x1="\#(Markup.coordinate(left))" x2="\#(Markup.coordinate(width - right))" y1="\#(Markup.coordinate(y(t)))" y2="\#(Markup.coordinate(y(t)))" class="\#(t == 0 ? "axis" : "grid")"/>"#
            out += #"<text x="\#(Markup.coordinate(left - 6))" y="\#(Markup.coordinate(y(t) + 4))" text-anchor="end" class="tick">\#(Markup.escape(format(t)))</text>"#
        }
        for (k, bar) in curve.bars.enumerated() {
            let x0 = x(bar.cumulativeFrom), x1 = x(bar.cumulativeTo)
            let y0 = y(Swift.max(0, bar.costPerTonne)), y1 = y(Swift.min(0, bar.costPerTonne))
            let color = bar.noRegret ? "#38a169" : PathwayChart.palette[k % PathwayChart.palette.count]
            out += #"<rect x="\#(Markup.coordinate(x0))" y="\#(Markup.coordinate(y0))" width="\#(Markup.coordinate(Swift.max(0.5, x1 - x0)))" height="\#(Markup.coordinate(Swift.max(0.5, y1 - y0)))" fill="\#(color)" stroke="\#(PathwayChart.hex("fff"))" data-measure="\#(Markup.escape(bar.id))"><title>\#(Markup.escape("\(bar.name): \(format(bar.abatementTonnes)) t, \(format(bar.costPerTonne)) \(bar.currency)/t"))</title></rect>"#
        }
        if let gap = curve.targetGap, gap > 0, gap <= total * 1.5 {
            let gx = x(Swift.min(gap, total))
            out += #"<line x1="\#(Markup.coordinate(gx))" x2="\#(Markup.coordinate(gx))" y1="\#(Markup.coordinate(top))" y2="\#(Markup.coordinate(top + plotHeight))" stroke="\#(PathwayChart.hex("e53e3e"))" stroke-width="2" stroke-dasharray="5 3" data-series="gap"><title>\#(Markup.escape(format(gap)))</title></line>"#
        }
        for k in 0...4 {
            let t = total * Double(k) / 4
            out += #"<text x="\#(Markup.coordinate(x(t)))" y="\#(Markup.coordinate(top + plotHeight + 16))" text-anchor="middle" class="tick">\#(Markup.escape(format(t)))</text>"#
        }
        out += "</svg>"
        return out
    }
    package init(title: String, description: String, curve: MarginalAbatementCurve, format: @escaping (Double) -> String, width: Double = 760.0, height: Double = 320.0) {
        self.title = title
        self.description = description
        self.curve = curve
        self.format = format
        self.width = width
        self.height = height
    }
}

/// An LMDI decomposition as a waterfall: the first year's emissions, each effect rising or
/// falling from there, and the last year's emissions.
package struct WaterfallChart {
    package var title: String
    package var description: String
    package var start: (label: String, value: Double)
    package var steps: [(label: String, value: Double)]
    package var end: (label: String, value: Double)
    package var format: (Double) -> String
    package var width = 760.0
    package var height = 300.0

    package func svg(id: String) -> String {
        let left = 72.0, right = 16.0, top = 16.0, bottom = 48.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var running = start.value, levels = [start.value]
        for s in steps { running += s.value; levels.append(running) }
        let (ticks, low, high) = PathwayChart.ticks(min: Swift.min(0, levels.min() ?? 0), max: Swift.max(levels.max() ?? 1, end.value))
        let count = Double(steps.count + 2), slot = plotWidth / count
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / (high - low)) }
        var out = Markup.svgOpen(width: width, height: height, id: id, class: "chart waterfall", linked: false)
        out += #"<title id="\#(id)-t">\#(Markup.escape(title))</title><desc id="\#(id)-d">\#(Markup.escape(description))</desc>"#
        for t in ticks {
            out += #"<line x1="\#(Markup.coordinate(left))" x2="\#(Markup.coordinate(width - right))" y1="\#(Markup.coordinate(y(t)))" y2="\#(Markup.coordinate(y(t)))" class="\#(t == 0 ? "axis" : "grid")"/>"#
            out += #"<text x="\#(Markup.coordinate(left - 6))" y="\#(Markup.coordinate(y(t) + 4))" text-anchor="end" class="tick">\#(Markup.escape(format(t)))</text>"#
        }
        func bar(_ i: Int, from a: Double, to b: Double, color: String, label: String, value: Double) {
            let x0 = left + slot * Double(i) + slot * 0.15
            out += #"<rect x="\#(Markup.coordinate(x0))" y="\#(Markup.coordinate(y(Swift.max(a, b))))" width="\#(Markup.coordinate(slot * 0.7))" height="\#(Markup.coordinate(Swift.max(0.5, abs(y(a) - y(b)))))" fill="\#(color)" data-step="\#(Markup.escape(label))"><title>\#(Markup.escape("\(label): \(format(value))"))</title></rect>"#
            out += #"<text x="\#(Markup.coordinate(x0 + slot * 0.35))" y="\#(Markup.coordinate(top + plotHeight + 16))" text-anchor="middle" class="tick">\#(Markup.escape(label))</text>"#
        }
        bar(0, from: 0, to: start.value, color: "#718096", label: start.label, value: start.value)
        var level = start.value
        for (i, s) in steps.enumerated() {
            bar(i + 1, from: level, to: level + s.value, color: s.value >= 0 ? "#e53e3e" : "#38a169", label: s.label, value: s.value)
            level += s.value
        }
        bar(steps.count + 1, from: 0, to: end.value, color: "#718096", label: end.label, value: end.value)
        out += "</svg>"
        return out
    }
    package init(title: String, description: String, start: (label: String, value: Double), steps: [(label: String, value: Double)], end: (label: String, value: Double), format: @escaping (Double) -> String, width: Double = 760.0, height: Double = 300.0) {
        self.title = title
        self.description = description
        self.start = start
        self.steps = steps
        self.end = end
        self.format = format
        self.width = width
        self.height = height
    }
}
