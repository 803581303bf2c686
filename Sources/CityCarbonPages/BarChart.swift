/// Horizontal bars with their values, as SVG.
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
    package var width = 640.0

    package func svg(id: String) -> String {
        let rowHeight = 28.0, labelWidth = 220.0, valueWidth = 110.0
        let height = rowHeight * Double(bars.count) + 8
        let maximum = max(bars.map(\.value).max() ?? 1, 1e-12)
        let barSpace = width - labelWidth - valueWidth
        var out = Markup.svgOpen(width: width, height: height, id: id, class: "chart", linked: bars.contains { $0.link != nil })
        out += #"<title id="\#(id)-t">\#(Markup.escape(title))</title><desc id="\#(id)-d">\#(Markup.escape(description))</desc>"#
        for (i, bar) in bars.enumerated() {
            let y = 4 + rowHeight * Double(i)
            let length = max(0, bar.value) / maximum * barSpace
            var row = #"<text x="\#(Markup.coordinate(labelWidth - 8))" y="\#(Markup.coordinate(y + 18))" text-anchor="end" class="label">\#(Markup.escape(bar.label))</text>"#
            row += #"<rect x="\#(Markup.coordinate(labelWidth))" y="\#(Markup.coordinate(y + 4))" width="\#(Markup.coordinate(length))" height="\#(Markup.coordinate(rowHeight - 10))" fill="\#(bar.color)"><title>\#(Markup.escape("\(bar.label): \(format(bar.value))"))</title></rect>"#
            row += #"<text x="\#(Markup.coordinate(labelWidth + length + 6))" y="\#(Markup.coordinate(y + 18))" class="value">\#(Markup.escape(format(bar.value)))</text>"#
            out += bar.link.map { #"<a href="\#(Markup.escape($0))">\#(row)</a>"# } ?? row
        }
        out += "</svg>"
        return out
    }
    package init(title: String, description: String, bars: [Bar], format: @escaping (Double) -> String, width: Double = 640.0) {
        self.title = title
        self.description = description
        self.bars = bars
        self.format = format
        self.width = width
    }
}
