import Foundation

/// Lines over years (or hours), drawn as SVG: an indicator's values, the straight path to its
/// goal (dashed), and the goal itself as a marker. Time runs proportionally; the value axis
/// carries the unit in its title and reaches below zero when a value does. Each point
/// carries its value as a title, and the figure holds the same numbers as a table.
package struct LineChart {
    package struct Line {
        package var label: String
        package var color: String
        package var points: [(year: Int, value: Double)]
        package var dashed = false
        /// Whether each value gets a dot (measured values do; a modelled yearly series does not).
        package var showsPoints = true
        package init(label: String, color: String, points: [(year: Int, value: Double)], dashed: Bool = false, showsPoints: Bool = true) {
            self.label = label
            self.color = color
            self.points = points
            self.dashed = dashed
            self.showsPoints = showsPoints
        }
    }

    package var title: String
    package var description: String
    package var lines: [Line]
    /// Single points drawn as diamonds: goals.
    package var markers: [(label: String, year: Int, value: Double)] = []
    package var format: (Double) -> String
    /// The unit of the values, the vertical axis's title.
    package var unit: String
    /// What the horizontal axis counts, when it is not plainly years.
    package var timeTitle: String?
    /// How a time is written on the axis, in the table and in a point's title (days as `12-06`).
    package var timeLabel: @Sendable (Int) -> String = { String($0) }
    package static let goalColor = Palette.goal

    package init(title: String, description: String, lines: [Line], markers: [(label: String, year: Int, value: Double)] = [],
                 format: @escaping (Double) -> String, unit: String, timeTitle: String? = nil) {
        self.title = title
        self.description = description
        self.lines = lines
        self.markers = markers
        self.format = format
        self.unit = unit
        self.timeTitle = timeTitle
    }

    /// The chart with its key and its numbers, as a figure shows it.
    package func html(id: String, t: Localizer, width: ChartFigure.Width = .card) -> HTML {
        let keys = lines.map { ChartFigure.Key($0.label, color: $0.color, mark: $0.dashed ? .dashed : .line) }
            + (markers.isEmpty ? [] : [ChartFigure.Key(markers[0].label, color: Self.goalColor, mark: .diamond)])
        return ChartFigure.html(id: id, width: width, keys: keys, table: dataTable(t), t: t) { svg(size: $0, id: $1, className: $2) }
    }

    func dataTable(_ t: Localizer) -> ChartFigure.DataTable {
        let years = Array(Set(lines.flatMap { $0.points.map(\.year) } + markers.map(\.year))).sorted()
        let columns = [timeTitle ?? t("chart.year")] + lines.map(\.label) + (markers.isEmpty ? [] : [markers[0].label])
        let rows = years.map { year in
            (head: timeLabel(year), cells: lines.map { line in line.points.first { $0.year == year }.map { format($0.value) } ?? "" }
                + (markers.isEmpty ? [] : [markers.first { $0.year == year }.map { format($0.value) } ?? ""]))
        }
        return .init(caption: ChartFigure.DataTable.caption(title, unit: unit), columns: columns, rows: rows)
    }

    package func svg(size: ChartSize, id: String, className: String = "chart") -> HTML {
        let values = lines.flatMap { $0.points.map(\.value) } + markers.map(\.value)
        let axis = ValueAxis(values: values, count: size.height < 320 ? 4 : 5)
        let labels = axis.ticks.map(format)
        var canvas = ChartCanvas(size: size, id: id, className: className, title: title, description: description, linked: false,
                                 leftLabels: labels, yTitle: unit, bottomLines: timeTitle == nil ? 1 : 2)
        let time = YearAxis(lines.flatMap { $0.points.map(\.year) } + markers.map(\.year), plotWidth: canvas.plotWidth, label: timeLabel)
        canvas.valueGrid(axis, format: format)
        canvas.yearLabels(time, label: timeLabel)
        if let timeTitle { canvas.bottomTitle(timeTitle) }
        func x(_ year: Int) -> Double { canvas.x(time.fraction(Double(year))) }
        func y(_ v: Double) -> Double { canvas.y(axis.fraction(v)) }
        for line in lines where !line.points.isEmpty {
            let path = line.points.map { "\(Markup.coordinate(x($0.year))),\(Markup.coordinate(y($0.value)))" }.joined(separator: " ")
            canvas.append(#"<polyline points="\#(path)" fill="none" stroke="\#(line.color)" stroke-width="2.5"\#(line.dashed ? #" stroke-dasharray="6 4""# as HTML : "")/>"#)
            for p in line.points where !line.dashed && line.showsPoints {
                canvas.append(#"<circle cx="\#(Markup.coordinate(x(p.year)))" cy="\#(Markup.coordinate(y(p.value)))" r="3.5" fill="\#(line.color)"><title>\#("\(line.label), \(timeLabel(p.year)): \(format(p.value)) \(unit)")</title></circle>"#)
            }
        }
        for m in markers {
            let cx = x(m.year), cy = y(m.value)
            let diamond = [(cx, cy - 6), (cx + 6, cy), (cx, cy + 6), (cx - 6, cy)].map { "\(Markup.coordinate($0.0)),\(Markup.coordinate($0.1))" }.joined(separator: " ")
            canvas.append(#"<polygon points="\#(diamond)" fill="\#(Self.goalColor)"><title>\#("\(m.label), \(m.year): \(format(m.value)) \(unit)")</title></polygon>"#)
        }
        return canvas.finished()
    }
}
