import Foundation

/// A stacked area chart of series over years, drawn as SVG: readable without JavaScript,
/// with a title and a description for screen readers.
package struct StackedAreaChart {
    package struct Series {
        package var label: String
        package var color: String
        package var values: [Double]
        package init(label: String, color: String, values: [Double]) {
            self.label = label
            self.color = color
            self.values = values
        }
    }

    package var title: String
    package var description: String
    package var years: [Int]
    package var series: [Series]
    package var unit: String
    package var format: (Double) -> String
    package var width = 640.0
    package var height = 300.0

    package func svg(id: String) -> String {
        let left = 64.0, right = 16.0, top = 16.0, bottom = 72.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let totals = years.indices.map { i in series.reduce(0) { $0 + max(0, $1.values[i]) } }
        let ticks = Markup.ticks(upTo: totals.max() ?? 1)
        let topValue = ticks.last ?? 1
        func x(_ i: Int) -> Double { years.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(i) / Double(years.count - 1) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - v / topValue) }
        var out = Markup.svgOpen(width: width, height: height, id: id, class: "chart", linked: false)
        out += #"<title id="\#(id)-t">\#(Markup.escape(title))</title><desc id="\#(id)-d">\#(Markup.escape(description))</desc>"#
        for t in ticks {
            out += #"<line x1="\#(Markup.coordinate(left))" x2="\#(Markup.coordinate(width - right))" y1="\#(Markup.coordinate(y(t)))" y2="\#(Markup.coordinate(y(t)))" class="grid"/>"#
            out += #"<text x="\#(Markup.coordinate(left - 6))" y="\#(Markup.coordinate(y(t) + 4))" text-anchor="end" class="tick">\#(Markup.escape(format(t)))</text>"#
        }
        var base = [Double](repeating: 0, count: years.count)
        for s in series {
            let upper = years.indices.map { base[$0] + max(0, s.values[$0]) }
            var points = years.indices.map { "\(Markup.coordinate(x($0))),\(Markup.coordinate(y(upper[$0])))" }
            points += years.indices.reversed().map { "\(Markup.coordinate(x($0))),\(Markup.coordinate(y(base[$0])))" }
            let summary = years.indices.map { "\(years[$0]): \(format(s.values[$0]))" }.joined(separator: "; ")
            out += #"<polygon points="\#(points.joined(separator: " "))" fill="\#(s.color)"><title>\#(Markup.escape("\(s.label) — \(summary) \(unit)"))</title></polygon>"#
            base = upper
        }
        for (i, year) in years.enumerated() {
            out += #"<text x="\#(Markup.coordinate(x(i)))" y="\#(Markup.coordinate(top + plotHeight + 16))" text-anchor="middle" class="tick">\#(year)</text>"#
        }
        // The legend wraps onto a second line when it would leave the chart; CJK characters count double.
        var legendX = left, legendY = height - 38
        for s in series {
            let labelWidth = s.label.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 11 : 6) }
            if legendX + 14 + labelWidth > width - right, legendX > left { legendX = left; legendY += 16 }
            out += #"<rect x="\#(Markup.coordinate(legendX))" y="\#(Markup.coordinate(legendY))" width="10" height="10" fill="\#(s.color)"/>"#
            out += #"<text x="\#(Markup.coordinate(legendX + 14))" y="\#(Markup.coordinate(legendY + 9))" class="legend">\#(Markup.escape(s.label))</text>"#
            legendX += 14 + labelWidth + 16
        }
        out += "</svg>"
        return out
    }
    package init(title: String, description: String, years: [Int], series: [Series], unit: String, format: @escaping (Double) -> String, width: Double = 640.0, height: Double = 300.0) {
        self.title = title
        self.description = description
        self.years = years
        self.series = series
        self.unit = unit
        self.format = format
        self.width = width
        self.height = height
    }
}
