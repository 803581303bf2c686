/// An LMDI decomposition as a waterfall lying on its side: the first year's emissions, each
/// effect as a bar floating from the level before it (red where it adds, green where it
/// cuts), and the last year's emissions. Names sit left of their bars, so a phone's width
/// never crowds them.
package struct WaterfallChart {
    package var title: String
    package var description: String
    package var start: (label: String, value: Double)
    package var steps: [(label: String, value: Double)]
    package var end: (label: String, value: Double)
    package var format: (Double) -> String
    package var unit: String

    package init(title: String, description: String, start: (label: String, value: Double), steps: [(label: String, value: Double)],
                 end: (label: String, value: Double), format: @escaping (Double) -> String, unit: String) {
        self.title = title
        self.description = description
        self.start = start
        self.steps = steps
        self.end = end
        self.format = format
        self.unit = unit
    }

    package func html(id: String, t: Localizer) -> HTML {
        ChartFigure.html(id: id, width: .wide, keys: [], table: nil, t: t) { svg(size: $0, id: $1, className: $2 + " waterfall") }
    }

    package func svg(size: ChartSize, id: String, className: String = "chart waterfall") -> HTML {
        var level = start.value
        var rows: [(label: String, from: Double, to: Double, value: Double, color: String)] = [(start.label, 0, start.value, start.value, Palette.categorical[6])]
        for s in steps {
            rows.append((s.label, level, level + s.value, s.value, s.value >= 0 ? Palette.rising : Palette.saving))
            level += s.value
        }
        rows.append((end.label, 0, end.value, end.value, Palette.categorical[6]))
        let line = ChartText.size + 3, rowHeight = ChartText.size * 2 + 10
        let labelWidth = size.width * 0.3
        let names = rows.map { ChartText.wrap($0.label, width: labelWidth - 10, lines: 2) }
        let valueRoom = (rows.map { ChartText.width(format($0.value)) }.max() ?? 0) + 8
        let (axis, labelled) = ChartCanvas.horizontalAxis(values: rows.flatMap { [$0.from, $0.to] }, width: size.width - labelWidth - 2 * valueRoom, format: format)
        let height = rowHeight * Double(rows.count) + ChartText.size * 4 + 20
        var canvas = ChartCanvas(size: ChartSize(width: size.width, height: height), id: id, className: className, title: title, description: description,
                                 linked: false, leftLabels: [], yTitle: unit, bottomLines: 1, rightRoom: valueRoom)
        let plotLeft = labelWidth + valueRoom, plotWidth = size.width - plotLeft - valueRoom
        func x(_ v: Double) -> Double { plotLeft + plotWidth * axis.fraction(v) }
        for (i, t) in axis.ticks.enumerated() {
            canvas.append(#"<line x1="\#(Markup.coordinate(x(t)))" x2="\#(Markup.coordinate(x(t)))" y1="\#(Markup.coordinate(canvas.top))" y2="\#(Markup.coordinate(canvas.top + rowHeight * Double(rows.count)))" class="\#(t == 0 ? "axis" : "grid")"/>"#)
            if labelled[i] { canvas.horizontalTick(format(t), x: x(t), baseline: canvas.top + rowHeight * Double(rows.count), first: i == 0, last: i == axis.ticks.count - 1) }
        }
        for (i, row) in rows.enumerated() {
            let y = canvas.top + rowHeight * Double(i)
            let textTop = y + (rowHeight - Double(names[i].count) * line) / 2 + ChartText.size - 1
            for (k, part) in names[i].enumerated() {
                canvas.text(part, x: labelWidth - 8, y: textTop + Double(k) * line, anchor: "end", class: "label")
            }
            let a = x(min(row.from, row.to)), b = x(max(row.from, row.to))
            canvas.append(#"<rect x="\#(Markup.coordinate(a))" y="\#(Markup.coordinate(y + 6))" width="\#(Markup.coordinate(max(1, b - a)))" height="\#(Markup.coordinate(rowHeight - 12))" fill="\#(row.color)" data-step="\#(row.label)"><title>\#("\(row.label): \(format(row.value)) \(unit)")</title></rect>"#)
            let rising = row.to >= row.from
            canvas.text(format(row.value), x: rising ? b + 6 : a - 6, y: y + rowHeight / 2 + ChartText.size * 0.35, anchor: rising ? "start" : "end", class: "value")
        }
        return canvas.finished()
    }
}
