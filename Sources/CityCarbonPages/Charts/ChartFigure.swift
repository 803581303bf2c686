import Foundation

/// A chart as a page shows it: drawn at its screen size and at phone size (the stylesheet
/// shows one), its key as an HTML list that wraps like text, and the numbers behind it as a
/// table anyone can read, copy or hear.
package struct ChartFigure {
    /// One entry of the key: a colour and how the chart draws it.
    package struct Key {
        package enum Mark { case area, line, dashed, dotted, point, diamond }
        package var label: String
        package var color: String
        package var mark: Mark
        package init(_ label: String, color: String, mark: Mark = .area) {
            self.label = label
            self.color = color
            self.mark = mark
        }
    }

    /// The numbers a chart draws, row by row.
    package struct DataTable {
        /// A caption naming its unit once: "(Mt CO2e)" is not added to a title that already ends with it.
        package static func caption(_ title: String, unit: String) -> String {
            title.contains(unit) ? title : "\(title) (\(unit))"
        }
        package var caption: String
        package var columns: [String]
        package var rows: [(head: String, cells: [String])]
        package init(caption: String, columns: [String], rows: [(head: String, cells: [String])]) {
            self.caption = caption
            self.columns = columns
            self.rows = rows
        }
    }

    /// Whether the chart fills a dashboard card or runs across the page.
    package enum Width: String { case card, wide }

    /// - Parameter draw: the chart's SVG at a size, with an id unique on the page.
    package static func html(id: String, width: Width, keys: [Key], table: DataTable?, t: Localizer,
                             draw: (ChartSize, String, String) -> HTML) -> HTML {
        var out: HTML = #"<div class="chart-box \#(width.rawValue)">"#
        out += draw(width == .card ? .card : .wide, id, "chart large")
        out += draw(.phone, id + "-p", "chart small")
        if !keys.isEmpty { out += legend(keys) }
        if let table { out += dataTable(table, summary: t("chart.data")) }
        return out + "</div>"
    }

    static func legend(_ keys: [Key]) -> HTML {
        var out: HTML = #"<ul class="legend">"#
        for key in keys {
            let c = key.color
            let swatch: HTML
            switch key.mark {
            case .area: swatch = #"<rect x="1" y="2" width="12" height="10" fill="\#(c)"/>"#
            case .line: swatch = #"<line x1="0" x2="14" y1="7" y2="7" stroke="\#(c)" stroke-width="2.5"/>"#
            case .dashed: swatch = #"<line x1="0" x2="14" y1="7" y2="7" stroke="\#(c)" stroke-width="2" stroke-dasharray="4 2"/>"#
            case .dotted: swatch = #"<line x1="0" x2="14" y1="7" y2="7" stroke="\#(c)" stroke-width="2" stroke-dasharray="1.5 2"/>"#
            case .point: swatch = #"<circle cx="7" cy="7" r="4" fill="\#(c)"/>"#
            case .diamond: swatch = #"<polygon points="7,1 13,7 7,13 1,7" fill="\#(c)"/>"#
            }
            out += #"<li><svg viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">\#(swatch)</svg>\#(key.label)</li>"#
        }
        return out + "</ul>"
    }

    static func dataTable(_ table: DataTable, summary: String) -> HTML {
        var out: HTML = #"<details class="data"><summary>\#(summary)</summary><table><caption>\#(table.caption)</caption><thead><tr>"#
        out += table.columns.html { #"<th scope="col">\#($0)</th>"# } + "</tr></thead><tbody>"
        for row in table.rows {
            out += #"<tr><th scope="row">\#(row.head)</th>"# + row.cells.html { #"<td class="n">\#($0)</td>"# } + "</tr>"
        }
        return out + "</tbody></table></details>"
    }
}

/// The colours of every chart: a colour-blind-safe categorical set (after Okabe and Ito,
/// darkened where needed) in which every colour stands at least 3:1 against white, the
/// contrast WCAG 2.1 (1.4.11) asks of the parts of a graphic.
package enum Palette {
    /// Grey comes last: it is kept for references (a typical day, a straight path), not for series.
    package static let categorical = ["#0072B2", "#D55E00", "#009E73", "#B8559A", "#B56D00", "#332288", "#8C5A2B", "#6E6E6E"]
    /// The GPC sectors, the same on every chart.
    package static let sectors: [String: String] = ["I": "#0072B2", "II": "#D55E00", "III": "#6E6E6E", "IV": "#B8559A", "V": "#009E73", "VI": "#B56D00"]
    /// What stays: gross emissions under the wedges of a pathway.
    package static let remainder = "#858585"
    /// Lines of reference (baseline, net) and history.
    package static let ink = "#1A202C"
    package static let goal = "#007A4D"
    package static let saving = "#009E73"
    package static let rising = "#C0392B"
    /// Actions by status (by `ActionStatus` raw value): late stands out, done is green.
    package static let actionStatus = ["not_started": "#6E6E6E", "in_progress": "#0072B2", "completed": "#009E73", "late": "#D55E00",
                                       "cancelled": "#8C5A2B", "merged": "#B8559A"]
    /// Assessment lights.
    package static let lights = ["green": "#009E73", "amber": "#B56D00", "red": "#C0392B"]
    /// Sequential classes for maps, light to dark (the lightest are fills beside their labels, not marks).
    package static let sequential = ["#fef3c7", "#fcd34d", "#f59e0b", "#d97706", "#92400e"]

    /// The WCAG 2.1 contrast ratio of a `#rrggbb` colour against white.
    package static func contrastOnWhite(_ hex: String) -> Double {
        let digits = Array(hex.dropFirst())
        guard digits.count == 6 else { return 1 }
        let channels = stride(from: 0, to: 6, by: 2).map { i -> Double in
            let v = Double(Int(String(digits[i...i + 1]), radix: 16) ?? 0) / 255
            return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        return 1.05 / (luminance + 0.05)
    }
}
