import CarbonPathways
import Foundation

/// The pathway in one SVG: the scenario's gross emissions with each measure's wedge stacked
/// on top up to the baseline, net emissions after sinks and offsets as a line that may go
/// below zero, the Monte Carlo P10–P90 band around it, past inventories as points and the
/// targets in tonnes a year as diamonds. Only annual tonnes share the axis: a budget
/// (cumulative tonnes) or an intensity target is told in words beside the chart. The six
/// largest wedges are drawn one by one and the rest as one, so the colours stay tellable.
package struct PathwayChart {
    package var title: String
    package var description: String
    package var result: PathwayResult
    package var band: MonteCarloResult?
    package var labels: Labels
    package var format: (Double) -> String
    /// The unit of the vertical axis: emissions a year.
    package var unit: String
    /// How many wedges are drawn apart before the rest are merged.
    package static let separateWedges = 6

    package struct Labels {
        package var gross: String, baseline: String, net: String, band: String, history: String
        /// The merged smaller wedges, with `{count}`.
        package var others: String
        package var target: String
        package init(gross: String, baseline: String, net: String, band: String, history: String, others: String, target: String) {
            (self.gross, self.baseline, self.net, self.band, self.history) = (gross, baseline, net, band, history)
            (self.others, self.target) = (others, target)
        }
    }

    package init(title: String, description: String, result: PathwayResult, band: MonteCarloResult?, labels: Labels,
                 format: @escaping (Double) -> String, unit: String) {
        self.title = title
        self.description = description
        self.result = result
        self.band = band
        self.labels = labels
        self.format = format
        self.unit = unit
    }

    /// The kinds of target whose level is tonnes in one year, drawn on the annual axis.
    package static let annualKinds: Set<String> = ["reduction", "net_zero_by", "gross_by"]

    /// The wedges as drawn: the largest apart, in the scenario's order, the rest summed last.
    package func drawnWedges() -> [(name: String, color: String, tonnes: [Double], id: String?)] {
        let size = { (w: PathwayResult.Wedge) in w.tonnes.reduce(0) { $0 + max(0, $1) } }
        let ranked = result.wedges.indices.sorted { size(result.wedges[$0]) > size(result.wedges[$1]) }
        let kept = Set(ranked.prefix(result.wedges.count > Self.separateWedges + 1 ? Self.separateWedges : Self.separateWedges + 1))
        var drawn: [(name: String, color: String, tonnes: [Double], id: String?)] = []
        for (k, w) in result.wedges.enumerated() where kept.contains(k) {
            drawn.append((w.name, Palette.categorical[drawn.count % Palette.categorical.count], w.tonnes, w.id))
        }
        let rest = result.wedges.indices.filter { !kept.contains($0) }
        if !rest.isEmpty {
            let sum = result.years.indices.map { i in rest.reduce(0) { $0 + max(0, result.wedges[$1].tonnes[i]) } }
            drawn.append((labels.others.replacingOccurrences(of: "{count}", with: String(rest.count)), Palette.categorical[Self.separateWedges], sum, nil))
        }
        return drawn
    }

    package func html(id: String, t: Localizer) -> HTML {
        var keys = [ChartFigure.Key(labels.gross, color: Palette.remainder)]
        keys += drawnWedges().map { ChartFigure.Key($0.name, color: $0.color) }
        if band != nil { keys.append(.init(labels.band, color: Palette.ink, mark: .dotted)) }
        keys += [.init(labels.baseline, color: Palette.ink, mark: .dashed), .init(labels.net, color: Palette.ink, mark: .line)]
        if result.history?.contains(where: { $0 != nil }) == true { keys.append(.init(labels.history, color: Palette.ink, mark: .point)) }
        if result.analysis.targets.contains(where: { Self.annualKinds.contains($0.kind) && $0.allowed != nil }) {
            keys.append(.init(labels.target, color: Palette.goal, mark: .diamond))
        }
        return ChartFigure.html(id: id, width: .wide, keys: keys, table: nil, t: t) { svg(size: $0, id: $1, className: $2 + " pathway") }
    }

    package func svg(size: ChartSize, id: String, className: String = "chart pathway") -> HTML {
        let history = zip(result.historyYears ?? [], result.history ?? []).compactMap { y, v in v.map { (year: y, value: $0) } }
        let years = result.years
        let targetMarks = result.analysis.targets.filter { Self.annualKinds.contains($0.kind) }.compactMap { t in
            t.allowed.map { (label: t.name, year: t.year, value: $0) }
        }
        var values = result.baseline + result.gross + result.net + history.map(\.value) + targetMarks.map(\.value)
        if let band { values += band.net.p10 + band.net.p90 }
        let axis = ValueAxis(values: values, count: size.height < 320 ? 4 : 6)
        var canvas = ChartCanvas(size: size, id: id, className: className, title: title, description: description, linked: false,
                                 leftLabels: axis.ticks.map(format), yTitle: unit, bottomLines: 1)
        let time = YearAxis(history.map(\.year) + years, plotWidth: canvas.plotWidth)
        canvas.valueGrid(axis, format: format)
        canvas.yearLabels(time)
        func x(_ year: Int) -> Double { canvas.x(time.fraction(Double(year))) }
        func y(_ v: Double) -> Double { canvas.y(axis.fraction(v)) }
        func points(_ pairs: [(Int, Double)]) -> String { pairs.map { "\(Markup.coordinate(x($0.0))),\(Markup.coordinate(y($0.1)))" }.joined(separator: " ") }
        func area(_ upper: [Double], _ lower: [Double]) -> String {
            points(years.indices.map { (years[$0], upper[$0]) }) + " " + points(years.indices.reversed().map { (years[$0], lower[$0]) })
        }
        // Gross emissions, then the wedges stacked on it (a wedge that adds emissions is drawn as nothing).
        let zero = [Double](repeating: 0, count: years.count)
        canvas.append(#"<polygon points="\#(area(result.gross, zero))" fill="\#(Palette.remainder)" class="area" data-series="gross"><title>\#(labels.gross)</title></polygon>"#)
        var lower = result.gross
        for wedge in drawnWedges() {
            let upper = years.indices.map { lower[$0] + max(0, wedge.tonnes[$0]) }
            let summary = years.indices.filter { years[$0] % 5 == 0 }.map { "\(years[$0]): \(format(wedge.tonnes[$0]))" }.joined(separator: "; ")
            let data: HTML = wedge.id.map { #" data-wedge="\#($0)""# } ?? #" data-wedge="others""#
            canvas.append(#"<polygon points="\#(area(upper, lower))" fill="\#(wedge.color)" class="area"\#(data)><title>\#("\(wedge.name) — \(summary) \(unit)")</title></polygon>"#)
            lower = upper
        }
        if let band {
            // The band as its two edges: a shade would darken every wedge it crosses.
            canvas.append(#"<g data-series="band"><title>\#(labels.band)</title>"#)
            for edge in [band.net.p10, band.net.p90] {
                canvas.append(#"<polyline points="\#(points(years.indices.map { (years[$0], edge[$0]) }))" fill="none" stroke="\#(Palette.ink)" stroke-width="1.5" stroke-dasharray="1.5 2.5"/>"#)
            }
            canvas.append("</g>")
        }
        canvas.append(#"<polyline points="\#(points(years.indices.map { (years[$0], result.baseline[$0]) }))" fill="none" stroke="\#(Palette.ink)" stroke-width="2" stroke-dasharray="6 4" data-series="baseline"/>"#)
        canvas.append(#"<polyline points="\#(points(years.indices.map { (years[$0], result.net[$0]) }))" fill="none" stroke="\#(Palette.ink)" stroke-width="2.5" data-series="net"/>"#)
        for p in history {
            canvas.append(#"<circle cx="\#(Markup.coordinate(x(p.year)))" cy="\#(Markup.coordinate(y(p.value)))" r="4" fill="\#(Palette.ink)" data-series="history"><title>\#("\(labels.history), \(p.year): \(format(p.value)) \(unit)")</title></circle>"#)
        }
        for m in targetMarks {
            let cx = x(m.year), cy = y(m.value)
            let diamond = [(cx, cy - 7), (cx + 7, cy), (cx, cy + 7), (cx - 7, cy)].map { "\(Markup.coordinate($0.0)),\(Markup.coordinate($0.1))" }.joined(separator: " ")
            canvas.append(#"<polygon points="\#(diamond)" fill="\#(Palette.goal)" stroke="white" data-target="\#(m.year)"><title>\#("\(m.label), \(m.year): \(format(m.value)) \(unit)")</title></polygon>"#)
        }
        return canvas.finished()
    }
}
