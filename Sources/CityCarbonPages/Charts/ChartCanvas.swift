/// The sizes charts are drawn at. Every chart is drawn twice: at its screen size, and at
/// ``phone`` size, which the stylesheet shows instead on a narrow screen. Text is
/// ``ChartText/size`` units in both, so it renders at 11 px or more wherever it is shown.
package struct ChartSize: Sendable, Equatable {
    package var width: Double
    package var height: Double
    /// A chart in a card of the dashboard's grid (about 500 px wide at 1366 px).
    package static let card = ChartSize(width: 500, height: 300)
    /// A chart across the page.
    package static let wide = ChartSize(width: 760, height: 380)
    /// Any chart on a phone (a 390 px screen leaves about 330 px).
    package static let phone = ChartSize(width: 360, height: 300)
    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

/// One drawing of a chart: the frame, the plot area inside its margins, the axes, and the
/// SVG written so far. Margins grow to fit the axis labels, so no label is ever cut.
package struct ChartCanvas {
    package let size: ChartSize
    package let left: Double, right: Double, top: Double, bottom: Double
    package private(set) var svg: HTML = ""

    /// - Parameters:
    ///   - leftLabels: the labels left of the plot (value ticks, or bar names), to size the margin.
    ///   - yTitle: the unit of the vertical axis, written above it.
    ///   - bottomLines: how many lines of text sit under the plot (tick labels, axis title).
    package init(size: ChartSize, id: String, className: String, title: String, description: String, linked: Bool,
                 leftLabels: [String], yTitle: String?, bottomLines: Int, rightRoom: Double = 0) {
        self.size = size
        let widest = leftLabels.map { ChartText.width($0) }.max() ?? 0
        // Room for half a year label at either end of the time axis, whose labels are centred on their year.
        left = Swift.min(size.width * 0.45, Swift.max(widest + 10, ChartText.width("2000") / 2 + 4))
        right = Swift.max(ChartText.width("2000") / 2 + 4, rightRoom)
        top = yTitle == nil ? ChartText.size : ChartText.size * 2 + 6
        bottom = Double(bottomLines) * (ChartText.size + 8) + 6
        svg = Markup.svgOpen(width: size.width, height: size.height, id: id, class: className, linked: linked)
        svg += #"<title id="\#(id)-t">\#(title)</title><desc id="\#(id)-d">\#(description)</desc>"#
        if let yTitle { text(yTitle, x: 2, y: ChartText.size + 2, anchor: "start", class: "axis-title") }
    }

    package var plotWidth: Double { size.width - left - right }
    package var plotHeight: Double { size.height - top - bottom }
    /// Horizontal position of a fraction (0…1) of the plot's width.
    package func x(_ fraction: Double) -> Double { left + plotWidth * fraction }
    /// Vertical position of a fraction (0 at the bottom, 1 at the top) of the plot's height.
    package func y(_ fraction: Double) -> Double { top + plotHeight * (1 - fraction) }

    package mutating func append(_ markup: HTML) { svg += markup }

    /// A line of text.
    package mutating func text(_ content: String, x: Double, y: Double, anchor: String, class name: String) {
        svg += #"<text x="\#(Markup.coordinate(x))" y="\#(Markup.coordinate(y))" text-anchor="\#(anchor)" class="\#(name)">\#(content)</text>"#
    }

    /// Grid lines and labels of a vertical value axis; the zero line is drawn darker.
    package mutating func valueGrid(_ axis: ValueAxis, format: (Double) -> String) {
        for t in axis.ticks {
            let ty = y(axis.fraction(t))
            svg += #"<line x1="\#(Markup.coordinate(left))" x2="\#(Markup.coordinate(size.width - right))" y1="\#(Markup.coordinate(ty))" y2="\#(Markup.coordinate(ty))" class="\#(t == 0 ? "axis" : "grid")"/>"#
            text(format(t), x: left - 6, y: ty + ChartText.size * 0.35, anchor: "end", class: "tick")
        }
    }

    /// A value axis laid along `width`, and which of its ticks carry a label: as many as fit
    /// without touching (end labels are anchored inward, so they take up to one and a half
    /// widths); on a narrow chart every other tick keeps its line but not its label.
    package static func horizontalAxis(values: [Double], width: Double, format: (Double) -> String) -> (axis: ValueAxis, labelled: [Bool]) {
        func fits(_ axis: ValueAxis, every: Int) -> Bool {
            let widest = axis.ticks.map { ChartText.width(format($0)) }.max() ?? 0
            return width / Double(Swift.max(1, axis.ticks.count - 1)) * Double(every) >= widest * 1.5 + ChartText.size
        }
        for count in [5, 4, 3] {
            let axis = ValueAxis(values: values, count: count)
            if fits(axis, every: 1) { return (axis, axis.ticks.map { _ in true }) }
        }
        let axis = ValueAxis(values: values, count: 3)
        let every = fits(axis, every: 2) ? 2 : Swift.max(1, axis.ticks.count - 1)
        return (axis, axis.ticks.indices.map { $0 % every == 0 })
    }

    /// The label of a tick on a horizontal axis, at `x` under a plot whose bottom is `baseline`.
    package mutating func horizontalTick(_ label: String, x: Double, baseline: Double, first: Bool, last: Bool) {
        text(label, x: x, y: baseline + ChartText.size + 8, anchor: last && !first ? "end" : first ? "start" : "middle", class: "tick")
    }

    /// The labels of a time axis under the plot.
    package mutating func yearLabels(_ axis: YearAxis, label: (Int) -> String = { String($0) }) {
        for year in axis.labelled {
            text(label(year), x: x(axis.fraction(Double(year))), y: top + plotHeight + ChartText.size + 8, anchor: "middle", class: "tick")
        }
    }

    /// A title under the plot, below its tick labels (a second line of ``bottom``): centred on
    /// the plot, moved in to stay inside the frame, and cut short with "…" if even that fails.
    package mutating func bottomTitle(_ content: String) {
        let shown = ChartText.wrap(content, width: size.width - 4, lines: 1).first ?? content
        let half = ChartText.width(shown) / 2
        let centre = Swift.min(Swift.max(left + plotWidth / 2, half + 2), size.width - half - 2)
        text(shown, x: centre, y: top + plotHeight + ChartText.size * 2 + 14, anchor: "middle", class: "axis-title")
    }

    /// The mark of a value cut at the axis end: two slanted strokes across the shape at (`x`, `y`).
    package mutating func breakMark(x: Double, y: Double, width: Double) {
        let half = Swift.max(7, width / 2 + 4)
        svg += #"<rect x="\#(Markup.coordinate(x - half))" y="\#(Markup.coordinate(y - 3))" width="\#(Markup.coordinate(half * 2))" height="6" fill="white" transform="rotate(-20 \#(Markup.coordinate(x)) \#(Markup.coordinate(y)))"/>"#
        for dy in [-3.0, 3.0] {
            svg += #"<line x1="\#(Markup.coordinate(x - half))" y1="\#(Markup.coordinate(y + dy))" x2="\#(Markup.coordinate(x + half))" y2="\#(Markup.coordinate(y + dy))" class="break" transform="rotate(-20 \#(Markup.coordinate(x)) \#(Markup.coordinate(y)))"/>"#
        }
    }

    package func finished() -> HTML { svg + "</svg>" }
}
