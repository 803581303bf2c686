import CarbonPathways
import Foundation

/// The marginal abatement cost curve: each measure a bar as wide as the tonnes it abates in
/// the chosen year and as high as its cost per tonne, cheapest first; bars below the axis
/// save money. A measure far dearer than the rest is cut at the top of the axis with a
/// break mark and its cost written, so the others keep their height.
package struct AbatementCurveChart {
    package var title: String
    package var description: String
    package var curve: MarginalAbatementCurve
    /// Costs per tonne, in the curve's currency.
    package var formatCost: (Double) -> String
    /// Tonnes abated, for the horizontal axis and the gap.
    package var formatTonnes: (Double) -> String
    package var costTitle: String
    package var abatementTitle: String
    /// The label of the line where the cumulative abatement meets the target's gap, with `{gap}`.
    package var gapLabel: String

    package init(title: String, description: String, curve: MarginalAbatementCurve, formatCost: @escaping (Double) -> String,
                 formatTonnes: @escaping (Double) -> String, costTitle: String, abatementTitle: String, gapLabel: String) {
        self.title = title
        self.description = description
        self.curve = curve
        self.formatCost = formatCost
        self.formatTonnes = formatTonnes
        self.costTitle = costTitle
        self.abatementTitle = abatementTitle
        self.gapLabel = gapLabel
    }

    package func html(id: String, t: Localizer, keys: [ChartFigure.Key]) -> HTML {
        ChartFigure.html(id: id, width: .wide, keys: keys, table: nil, t: t) { svg(size: $0, id: $1, className: $2 + " macc") }
    }

    package func svg(size: ChartSize, id: String, className: String = "chart macc") -> HTML {
        let total = Swift.max(curve.totalAbatement, 1)
        let costs = curve.bars.map(\.costPerTonne)
        let axis = ValueAxis(values: costs, count: size.height < 320 ? 4 : 5, clipOutliers: true)
        var canvas = ChartCanvas(size: size, id: id, className: className, title: title, description: description, linked: false,
                                 leftLabels: axis.ticks.map(formatCost), yTitle: costTitle, bottomLines: 2)
        let (across, labelled) = ChartCanvas.horizontalAxis(values: [0, total], width: canvas.plotWidth, format: formatTonnes)
        canvas.valueGrid(axis, format: formatCost)
        for (i, t) in across.ticks.enumerated() where labelled[i] {
            canvas.horizontalTick(formatTonnes(t), x: canvas.x(across.fraction(t)), baseline: canvas.top + canvas.plotHeight,
                                  first: i == 0, last: i == across.ticks.count - 1)
        }
        canvas.bottomTitle(abatementTitle)
        func x(_ tonnes: Double) -> Double { canvas.x(across.fraction(tonnes)) }
        func y(_ v: Double) -> Double { canvas.y(axis.fraction(v)) }
        var shade = 0
        for bar in curve.bars {
            let x0 = x(bar.cumulativeFrom), x1 = x(bar.cumulativeTo)
            let top = y(Swift.max(0, bar.costPerTonne)), bottom = y(Swift.min(0, bar.costPerTonne))
            let color = bar.costPerTonne < 0 ? Palette.saving : [Palette.categorical[0], Palette.categorical[5]][shade % 2]
            if bar.costPerTonne >= 0 { shade += 1 }
            let width = Swift.max(1.5, x1 - x0)
            canvas.append(#"<rect x="\#(Markup.coordinate(x0))" y="\#(Markup.coordinate(top))" width="\#(Markup.coordinate(width))" height="\#(Markup.coordinate(Swift.max(1, bottom - top)))" fill="\#(color)" stroke="white" stroke-width="0.5" data-measure="\#(bar.id)"><title>\#("\(bar.name): \(formatTonnes(bar.abatementTonnes)), \(formatCost(bar.costPerTonne)) \(bar.currency)/t")</title></rect>"#)
            if axis.isClipped(bar.costPerTonne) {
                let high = bar.costPerTonne > 0
                let cut = high ? top + 14 : bottom - 14
                canvas.breakMark(x: x0 + width / 2, y: cut, width: width)
                let labelX = x0 + width / 2 > canvas.x(0.7) ? x0 - 4 : x0 + width + 4
                canvas.text(formatCost(bar.costPerTonne), x: labelX, y: high ? top + ChartText.size : bottom - 4,
                            anchor: labelX < x0 ? "end" : "start", class: "value clipped")
            }
        }
        if let gap = curve.targetGap, gap > 0, gap <= total * 1.5 {
            let gx = x(Swift.min(gap, total))
            canvas.append(#"<line x1="\#(Markup.coordinate(gx))" x2="\#(Markup.coordinate(gx))" y1="\#(Markup.coordinate(canvas.top))" y2="\#(Markup.coordinate(canvas.top + canvas.plotHeight))" stroke="\#(Palette.rising)" stroke-width="2" stroke-dasharray="5 3" data-series="gap"/>"#)
            let label = gapLabel.replacingOccurrences(of: "{gap}", with: formatTonnes(gap))
            let fitsRight = gx + 4 + ChartText.width(label) <= canvas.x(1)
            // At the foot of the line: the top is where cut bars write their costs.
            canvas.text(label, x: fitsRight ? gx + 4 : gx - 4, y: canvas.top + canvas.plotHeight - 6, anchor: fitsRight ? "start" : "end", class: "value gap")
        }
        return canvas.finished()
    }
}
