import Foundation

/// A stacked area chart of series over years, drawn as SVG: years proportional to time, with
/// a dot on the total for each year that has data (so a gap between 2015 and 2018 reads as
/// one), positive parts stacked up from zero and negative parts (sinks) down from it.
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
    /// The name of the total row of the data table.
    package var totalLabel: String

    package init(title: String, description: String, years: [Int], series: [Series], unit: String, format: @escaping (Double) -> String,
                 totalLabel: String = "Total") {
        self.title = title
        self.description = description
        self.years = years
        self.series = series
        self.unit = unit
        self.format = format
        self.totalLabel = totalLabel
    }

    package func html(id: String, t: Localizer, width: ChartFigure.Width = .card) -> HTML {
        let keys = series.map { ChartFigure.Key($0.label, color: $0.color) }
        var rows = series.map { s in (head: s.label, cells: years.indices.map { format(value(s, $0)) }) }
        rows.append((head: totalLabel, cells: years.indices.map { i in format(series.reduce(0) { $0 + value($1, i) }) }))
        let table = ChartFigure.DataTable(caption: ChartFigure.DataTable.caption(title, unit: unit), columns: [""] + years.map(String.init), rows: rows)
        return ChartFigure.html(id: id, width: width, keys: keys, table: table, t: t) { svg(size: $0, id: $1, className: $2) }
    }

    private func value(_ s: Series, _ i: Int) -> Double { i < s.values.count && s.values[i].isFinite ? s.values[i] : 0 }

    package func svg(size: ChartSize, id: String, className: String = "chart") -> HTML {
        let ups = years.indices.map { i in series.reduce(0) { $0 + max(0, value($1, i)) } }
        let downs = years.indices.map { i in series.reduce(0) { $0 + min(0, value($1, i)) } }
        let axis = ValueAxis(values: ups + downs, count: size.height < 320 ? 4 : 5)
        var canvas = ChartCanvas(size: size, id: id, className: className, title: title, description: description, linked: false,
                                 leftLabels: axis.ticks.map(format), yTitle: unit, bottomLines: 1)
        let time = YearAxis(years, plotWidth: canvas.plotWidth)
        canvas.valueGrid(axis, format: format)
        canvas.yearLabels(time)
        func x(_ i: Int) -> Double { canvas.x(time.fraction(Double(years[i]))) }
        func y(_ v: Double) -> Double { canvas.y(axis.fraction(v)) }
        var above = [Double](repeating: 0, count: years.count), below = above
        for s in series {
            let positive = years.indices.contains { value(s, $0) > 0 }
            let base = positive ? above : below
            let edge = years.indices.map { base[$0] + (positive ? max(0, value(s, $0)) : min(0, value(s, $0))) }
            var points = years.indices.map { "\(Markup.coordinate(x($0))),\(Markup.coordinate(y(edge[$0])))" }
            points += years.indices.reversed().map { "\(Markup.coordinate(x($0))),\(Markup.coordinate(y(base[$0])))" }
            let summary = years.indices.map { "\(years[$0]): \(format(value(s, $0)))" }.joined(separator: "; ")
            canvas.append(#"<polygon points="\#(points.joined(separator: " "))" fill="\#(s.color)" class="area"><title>\#("\(s.label) — \(summary) \(unit)")</title></polygon>"#)
            if positive { above = edge } else { below = edge }
        }
        // A dot on the total for every year with data: the years between were not measured.
        for i in years.indices {
            canvas.append(#"<circle cx="\#(Markup.coordinate(x(i)))" cy="\#(Markup.coordinate(y(above[i])))" r="3" fill="\#(Palette.ink)"><title>\#("\(totalLabel), \(years[i]): \(format(ups[i] + downs[i])) \(unit)")</title></circle>"#)
        }
        return canvas.finished()
    }
}
