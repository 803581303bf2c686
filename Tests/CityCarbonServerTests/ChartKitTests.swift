import Foundation
import Testing
@testable import CityCarbonPages

/// The rules every chart follows: round ticks that reach below zero, time proportional to
/// time, outliers cut and marked, text that stays inside the frame, colours that read.
@Suite("Chart kit")
struct ChartKitTests {
    @Test("A value axis has round ticks covering the values")
    func roundTicks() {
        #expect(ValueAxis(values: [17.3]).ticks == [0, 5, 10, 15, 20])
        #expect(ValueAxis(values: [0.9]).ticks == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(ValueAxis(values: [0, 43]).ticks == [0, 10, 20, 30, 40, 50])
        #expect(ValueAxis(values: [0, 12.5], count: 5).ticks == [0, 2.5, 5, 7.5, 10, 12.5])
    }

    @Test("A value below zero gets negative ticks at the same step, and zero stays a tick")
    func negativeTicks() {
        let axis = ValueAxis(values: [-431_608, 16_786_320])
        #expect(axis.ticks.first! < -431_608 && axis.ticks.contains(0) && axis.ticks.last! >= 16_786_320)
        let steps = zip(axis.ticks.dropFirst(), axis.ticks).map { $0 - $1 }
        #expect(Set(steps).count == 1)
        #expect(ValueAxis(values: [-3, -1]).ticks.last == 0)
    }

    @Test("One cost far above the rest is cut at the axis end and marked; comparable values are not")
    func outliersAreClipped() {
        let costs = [-1056.0, -312, -55, 120, 401, 401, 650, 1200, 2800, 40000]
        let axis = ValueAxis(values: costs, clipOutliers: true)
        #expect(axis.clipsHigh && !axis.clipsLow)
        #expect(axis.high >= 2800 && axis.high < 10_000)
        #expect(axis.isClipped(40000) && !axis.isClipped(2800))
        #expect(!ValueAxis(values: [100, 200, 350, 500], clipOutliers: true).clipsHigh)
        // Too few values to call any of them an outlier.
        #expect(!ValueAxis(values: [1, 1000], clipOutliers: true).clipsHigh)
    }

    @Test("Absurd values give a finite axis and never trap", arguments: [
        [1e308, -1e308], [.nan, 3], [.infinity, -.infinity], [Double.greatestFiniteMagnitude], [5e-324], [],
    ])
    func hostileValues(_ values: [Double]) {
        let axis = ValueAxis(values: values, clipOutliers: true)
        #expect(axis.ticks.count >= 2 && axis.ticks.count <= 1001)
        #expect(axis.ticks.allSatisfy { $0.isFinite })
        #expect(axis.fraction(.nan) == 0 && (0...1).contains(axis.fraction(1e308)))
    }

    @Test("Time runs proportionally: 2015, 2018 and 2020 are not evenly spaced")
    func timeIsProportional() {
        let axis = YearAxis([2015, 2018, 2020, 2021, 2022, 2023], plotWidth: 400)
        #expect(axis.fraction(2018) == 3.0 / 8)
        #expect(axis.fraction(2020) - axis.fraction(2018) == 2.0 / 8)
    }

    @Test("Year labels are as dense as fits: every year on a wide chart, every ten on a phone's 38 years")
    func yearLabelsFit() {
        #expect(YearAxis([2015, 2023], plotWidth: 420).labelled == Array(2015...2023))
        #expect(YearAxis([2023, 2060], plotWidth: 290).labelled == [2030, 2040, 2050, 2060])
        for width in stride(from: 120.0, through: 900, by: 30) {
            let axis = YearAxis([1990, 2060], plotWidth: width)
            let gaps = zip(axis.labelled.dropFirst(), axis.labelled).map { Double($0 - $1) / 70 * width }
            #expect(gaps.allSatisfy { $0 >= ChartText.width("2000") + ChartText.size }, "width \(width)")
        }
    }

    @Test("Long names wrap onto two lines and end in an ellipsis; Chinese wraps between characters")
    func wrapping() {
        let lines = ChartText.wrap("Industrial processes and product use in the whole city area", width: 130, lines: 2)
        #expect(lines.count == 2 && lines[1].hasSuffix("…"))
        #expect(lines.allSatisfy { ChartText.width($0) <= 130 })
        let zh = ChartText.wrap("工业过程和产品使用排放", width: 60, lines: 2)
        #expect(zh.count == 2 && zh[0] == "工业过程和" && zh[1].hasSuffix("…"))
        #expect(ChartText.wrap("Waste", width: 130, lines: 2) == ["Waste"])
    }

    @Test("Every chart colour stands at least 3:1 against white (WCAG 2.1, 1.4.11)")
    func paletteContrast() {
        #expect(abs(Palette.contrastOnWhite("#000000") - 21) < 1e-9)
        #expect(abs(Palette.contrastOnWhite("#FFFFFF") - 1) < 1e-9)
        // #767676 is the lightest grey at 4.5:1 (the text threshold), a published reference point.
        #expect(abs(Palette.contrastOnWhite("#767676") - 4.54) < 0.01)
        let marks = Palette.categorical + Array(Palette.sectors.values) + Array(Palette.actionStatus.values) + Array(Palette.lights.values)
            + [Palette.remainder, Palette.ink, Palette.goal, Palette.saving, Palette.rising]
        for colour in marks { #expect(Palette.contrastOnWhite(colour) >= 3, "\(colour)") }
    }

    @Test("Every text of a chart lies inside its frame, at every size, for any series", arguments: [1, 2, 3, 4, 5])
    func textStaysInside(seed: UInt64) {
        var random = ParserFuzzTests.Random(state: seed)
        for _ in 0..<20 {
            let first = 1990 + Int(random.next() % 30), count = 1 + Int(random.next() % 12)
            let years = (0..<count).map { first + $0 * (1 + Int(random.next() % 4)) }
            let magnitude = pow(10, Double(random.next() % 12)) * (random.next() % 5 == 0 ? -1 : 1)
            let values = years.map { _ in Double(random.next() % 1000) / 1000 * magnitude }
            let format = { (x: Double) in x.formatted(.number.grouping(.automatic).precision(.fractionLength(0...2))) }
            let line = LineChart(title: "T", description: "D", lines: [.init(label: "A", color: "#000", points: zip(years, values).map { ($0, $1) })],
                                 format: format, unit: "t CO2e a year")
            let area = StackedAreaChart(title: "T", description: "D", years: years, series: [.init(label: "A", color: "#000", values: values)],
                                        unit: "Mt CO2e", format: format)
            let bars = BarChart(title: "T", description: "D", bars: values.enumerated().map { .init(label: "Sector \($0) with a long name", value: $1, color: "#000", link: nil) },
                                format: format, unit: "Mt")
            for size in [ChartSize.card, .wide, .phone] {
                for svg in [line.svg(size: size, id: "l").markup, area.svg(size: size, id: "a").markup, bars.svg(size: size, id: "b").markup] {
                    for box in TextBox.all(in: svg) {
                        #expect(box.left >= -0.5 && box.right <= box.frameWidth + 0.5, "\(box.text) at \(box.left)…\(box.right) of \(box.frameWidth), seed \(seed)")
                    }
                    let ticks = TextBox.all(in: svg).filter { $0.kind == "tick" }
                    for (a, b) in zip(ticks, ticks.dropFirst()) where a.y == b.y {
                        #expect(a.right <= b.left || b.right <= a.left, "\(a.text) overlaps \(b.text), seed \(seed)")
                    }
                }
            }
        }
    }

    @Test("A stacked area draws a titled area per series; a figure holds both drawings, the key and the table")
    func stackedAreaFigure() {
        let chart = StackedAreaChart(title: "T", description: "D", years: [2020, 2021],
                                     series: [.init(label: "A", color: "#000", values: [1, 2]), .init(label: "B", color: "#111", values: [3, 2])],
                                     unit: "Mt", format: { String($0) })
        let svg = chart.svg(size: .card, id: "c").markup
        #expect(svg.components(separatedBy: "<polygon").count - 1 == 2)
        #expect(svg.contains(#"<title id="c-t">T</title>"#))
        #expect(svg.contains("B — 2020: 3.0; 2021: 2.0 Mt"))
        let html = chart.html(id: "c", t: Localizer(.en))
        #expect(html.contains(#"class="chart large""#) && html.contains(#"class="chart small""#) && html.contains(#"id="c-p-t""#))
        #expect(html.contains(#"<ul class="legend">"#) && html.contains("<details class=\"data\">"))
        #expect(html.contains(#"<th scope="row">Total</th><td class="n">4.0</td><td class="n">4.0</td>"#))
    }

    @Test("A sink stacks below zero, and the axis shows it")
    func sinksGoBelowZero() {
        let chart = StackedAreaChart(title: "T", description: "D", years: [2020, 2021],
                                     series: [.init(label: "Energy", color: "#000", values: [10, 9]), .init(label: "Forest", color: "#111", values: [-2, -3])],
                                     unit: "Mt", format: { String(Int($0)) })
        let ticks = TextBox.all(in: chart.svg(size: .card, id: "c").markup).filter { $0.kind == "tick" }.compactMap { Int($0.text) }
        #expect(ticks.contains { $0 < 0 } && ticks.contains(0))
    }

    @Test("A choropleth puts each area in its class: the largest value in the darkest, no data in grey")
    func choropleth() {
        let square: [[(Double, Double)]] = [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]]
        let map = ChoroplethMap(title: "M", description: "D",
                                areas: [.init(name: "A", polygons: [square]), .init(name: "B", polygons: [square]), .init(name: "C", polygons: [square])],
                                values: ["A": 10, "B": 100], format: { String(Int($0)) }, link: { _ in nil }, noData: "none")
        #expect(map.color(for: 100) == Palette.sequential.last)
        #expect(map.color(for: 10) == Palette.sequential.first)
        #expect(map.color(for: nil) == ChoroplethMap.noDataColor)
        #expect(map.svg(size: .card, id: "m").markup.contains("<title>C: none</title>"))
        #expect(map.html(id: "m", t: Localizer(.en), unit: "kt").contains(#"<th scope="row">C</th><td class="n">none</td>"#))
    }

    @Test("Text is escaped in SVG and HTML")
    func escaping() {
        #expect(HTML(text: #"<a href="x">&'"#).markup == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }
}

/// A `<text>` element of a chart, its box estimated the way the layout estimates it.
struct TextBox {
    var text: String, kind: String, x: Double, y: Double, anchor: String, frameWidth: Double
    var width: Double { ChartText.width(text) }
    var left: Double { anchor == "end" ? x - width : anchor == "middle" ? x - width / 2 : x }
    var right: Double { left + width }

    static func all(in svg: String) -> [TextBox] {
        let frame = svg.firstMatch(of: /viewBox="0 0 (\d+) \d+"/).flatMap { Double($0.1) } ?? 0
        return svg.matches(of: /<text x="([-\d.e]+)" y="([-\d.e]+)" text-anchor="(\w+)" class="([\w ]+)">([^<]*)<\/text>/).map { m in
            let text = String(m.5).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            return TextBox(text: text, kind: String(m.4), x: Double(m.1)!, y: Double(m.2)!, anchor: String(m.3), frameWidth: frame)
        }
    }
}
