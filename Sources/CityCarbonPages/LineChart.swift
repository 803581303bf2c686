import Foundation

/// Lines over years, drawn as SVG: an indicator's values, the straight path to its goal
/// (dashed), and the goal itself as a marker. Each point carries its value as a title, so the
/// chart reads without JavaScript and to screen readers.
package struct LineChart {
    package struct Line {
        package var label: String
        package var color: String
        package var points: [(year: Int, value: Double)]
        package var dashed = false
        package init(label: String, color: String, points: [(year: Int, value: Double)], dashed: Bool = false) {
            self.label = label
            self.color = color
            self.points = points
            self.dashed = dashed
        }
    }

    package var title: String
    package var description: String
    package var lines: [Line]
    /// Single points drawn as diamonds: goals.
    package var markers: [(label: String, year: Int, value: Double)] = []
    package var format: (Double) -> String
    package var width = 640.0
    package var height = 280.0
    package static let goalColor = "#38a169"

    package func svg(id: String) -> String {
        let left = 64.0, right = 16.0, top = 16.0, bottom = 56.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let years = lines.flatMap { $0.points.map(\.year) } + markers.map(\.year)
        let values = lines.flatMap { $0.points.map(\.value) } + markers.map(\.value)
        let firstYear = years.min() ?? 0, lastYear = max(years.max() ?? 1, firstYear + 1)
        let ticks = Markup.ticks(upTo: max(values.max() ?? 1, 1e-9))
        let topValue = ticks.last ?? 1
        let bottomValue = min(0, values.min() ?? 0)
        func x(_ year: Int) -> Double { left + plotWidth * Double(year - firstYear) / Double(lastYear - firstYear) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - bottomValue) / (topValue - bottomValue)) }
        var out = Markup.svgOpen(width: width, height: height, id: id, class: "chart", linked: false)
        out += #"<title id="\#(id)-t">\#(Markup.escape(title))</title><desc id="\#(id)-d">\#(Markup.escape(description))</desc>"#
        for t in ticks {
            out += #"<line x1="\#(Markup.coordinate(left))" x2="\#(Markup.coordinate(width - right))" y1="\#(Markup.coordinate(y(t)))" y2="\#(Markup.coordinate(y(t)))" class="grid"/>"#
            out += #"<text x="\#(Markup.coordinate(left - 6))" y="\#(Markup.coordinate(y(t) + 4))" text-anchor="end" class="tick">\#(Markup.escape(format(t)))</text>"#
        }
        let step = max(1, (lastYear - firstYear + 9) / 10)
        for year in stride(from: firstYear, through: lastYear, by: step) {
            out += #"<text x="\#(Markup.coordinate(x(year)))" y="\#(Markup.coordinate(top + plotHeight + 16))" text-anchor="middle" class="tick">\#(year)</text>"#
        }
        for line in lines where !line.points.isEmpty {
            let path = line.points.map { "\(Markup.coordinate(x($0.year))),\(Markup.coordinate(y($0.value)))" }.joined(separator: " ")
            out += #"<polyline points="\#(path)" fill="none" stroke="\#(line.color)" stroke-width="2"\#(line.dashed ? #" stroke-dasharray="6 4""# : "")/>"#
            for p in line.points where !line.dashed {
                out += #"<circle cx="\#(Markup.coordinate(x(p.year)))" cy="\#(Markup.coordinate(y(p.value)))" r="3.5" fill="\#(line.color)"><title>\#(Markup.escape("\(line.label), \(p.year): \(format(p.value))"))</title></circle>"#
            }
        }
        for m in markers {
            let cx = x(m.year), cy = y(m.value)
            let diamond = [(cx, cy - 6), (cx + 6, cy), (cx, cy + 6), (cx - 6, cy)].map { "\(Markup.coordinate($0.0)),\(Markup.coordinate($0.1))" }.joined(separator: " ")
            out += #"<polygon points="\#(diamond)" fill="\#(Self.goalColor)"><title>\#(Markup.escape("\(m.label), \(m.year): \(format(m.value))"))</title></polygon>"#
        }
        var legendX = left
        let legendY = height - 18
        for line in lines {
            out += #"<line x1="\#(Markup.coordinate(legendX))" x2="\#(Markup.coordinate(legendX + 16))" y1="\#(Markup.coordinate(legendY))" y2="\#(Markup.coordinate(legendY))" stroke="\#(line.color)" stroke-width="2"\#(line.dashed ? #" stroke-dasharray="4 3""# : "")/>"#
            out += #"<text x="\#(Markup.coordinate(legendX + 20))" y="\#(Markup.coordinate(legendY + 4))" class="legend">\#(Markup.escape(line.label))</text>"#
            legendX += 28 + line.label.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 11 : 6) } + 12
        }
        out += "</svg>"
        return out
    }
    package init(title: String, description: String, lines: [Line], markers: [(label: String, year: Int, value: Double)] = [], format: @escaping (Double) -> String, width: Double = 640.0, height: Double = 280.0) {
        self.title = title
        self.description = description
        self.lines = lines
        self.markers = markers
        self.format = format
        self.width = width
        self.height = height
    }
}
