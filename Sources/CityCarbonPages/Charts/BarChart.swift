/// Horizontal bars with their values, as SVG. Names wrap onto two lines beside their bar;
/// bars grow from zero either way, so a negative value (a sink) points left.
package struct BarChart {
    package struct Bar {
        package var label: String
        package var value: Double
        package var color: String
        package var link: String?
        package init(label: String, value: Double, color: String, link: String?) {
            self.label = label
            self.value = value
            self.color = color
            self.link = link
        }
    }

    package var title: String
    package var description: String
    package var bars: [Bar]
    package var format: (Double) -> String
    /// The unit of the values, written beside the chart's axis.
    package var unit: String

    package init(title: String, description: String, bars: [Bar], format: @escaping (Double) -> String, unit: String) {
        self.title = title
        self.description = description
        self.bars = bars
        self.format = format
        self.unit = unit
    }

    package func html(id: String, t: Localizer, width: ChartFigure.Width = .card) -> HTML {
        let table = ChartFigure.DataTable(caption: ChartFigure.DataTable.caption(title, unit: unit), columns: ["", unit], rows: bars.map { (head: $0.label, cells: [format($0.value)]) })
        return ChartFigure.html(id: id, width: width, keys: [], table: table, t: t) { svg(size: $0, id: $1, className: $2) }
    }

    package func svg(size: ChartSize, id: String, className: String = "chart") -> HTML {
        let line = ChartText.size + 3
        let labelWidth = size.width * 0.38
        let names = bars.map { ChartText.wrap($0.label, width: labelWidth - 10, lines: 2) }
        let rows = names.map { Double(max(1, $0.count)) * line + 12 }
        let height = rows.reduce(0, +) + ChartText.size * 2 + 20
        let valueRoom = (bars.map { ChartText.width(format($0.value)) }.max() ?? 0) + 8
        var canvas = ChartCanvas(size: ChartSize(width: size.width, height: height), id: id, className: className, title: title, description: description,
                                 linked: bars.contains { $0.link != nil }, leftLabels: [], yTitle: unit, bottomLines: 0, rightRoom: 0)
        let plotLeft = labelWidth, plotWidth = size.width - labelWidth - valueRoom
        let hasNegative = bars.contains { $0.value < 0 }
        let axis = ValueAxis(values: bars.map(\.value), count: 4)
        let leftRoom = hasNegative ? valueRoom : 0
        func x(_ v: Double) -> Double { plotLeft + leftRoom + (plotWidth - leftRoom) * axis.fraction(v) }
        var y = canvas.top
        for (i, bar) in bars.enumerated() {
            let zero = x(0), end = x(bar.value)
            var row: HTML = ""
            let textTop = y + (rows[i] - Double(names[i].count) * line) / 2 + ChartText.size - 1
            for (k, part) in names[i].enumerated() {
                row += #"<text x="\#(Markup.coordinate(labelWidth - 8))" y="\#(Markup.coordinate(textTop + Double(k) * line))" text-anchor="end" class="label">\#(part)</text>"#
            }
            let barTop = y + 5, barHeight = rows[i] - 10
            row += #"<rect x="\#(Markup.coordinate(min(zero, end)))" y="\#(Markup.coordinate(barTop))" width="\#(Markup.coordinate(max(1, abs(end - zero))))" height="\#(Markup.coordinate(barHeight))" fill="\#(bar.color)"><title>\#("\(bar.label): \(format(bar.value)) \(unit)")</title></rect>"#
            let valueX = bar.value < 0 ? min(zero, end) - 6 : max(zero, end) + 6
            row += #"<text x="\#(Markup.coordinate(valueX))" y="\#(Markup.coordinate(barTop + barHeight / 2 + ChartText.size * 0.35))" text-anchor="\#(bar.value < 0 ? "end" : "start")" class="value">\#(format(bar.value))</text>"#
            canvas.append(bar.link.map { #"<a href="\#($0)">\#(row)</a>"# } ?? row)
            y += rows[i]
        }
        canvas.append(#"<line x1="\#(Markup.coordinate(x(0)))" x2="\#(Markup.coordinate(x(0)))" y1="\#(Markup.coordinate(canvas.top))" y2="\#(Markup.coordinate(y))" class="axis"/>"#)
        return canvas.finished()
    }
}
