import CarbonKit
import CityProgramme
import Foundation

/// The districts on one map, coloured by the layer a reader picks: emissions, emissions per
/// resident, the assessment's light, or today's monitored emissions. The layers are plain
/// links (`?layer=`), so the map works without JavaScript and every layer has an address;
/// each area links to its district's page. The values are the rows of ``DistrictFigures``.
package enum DistrictMap {
    package enum Layer: String, CaseIterable, Sendable {
        case emissions, perCapita = "per_capita", assessment, live

        /// The layer a query's `layer` asks for, emissions when it asks for none; any other value
        /// is refused naming the field and the layers (never a guess).
        package static func parse(_ text: String?) throws(InputErrors) -> Layer {
            guard let text, !text.isEmpty else { return .emissions }
            guard let layer = Layer(rawValue: text) else {
                throw InputErrors([InputIssue(InputLocation(field: "layer"), value: text, reason: "is not a layer of the map",
                                              suggestion: allCases.map(\.rawValue).joined(separator: ", "))])
            }
            return layer
        }
    }

    /// A figure with the layer links, the map and its table. `page` is the path the layer
    /// links point at (the dashboard or the district list).
    package static func html(_ figures: DistrictFigures, layer: Layer, boundaries: String, page: String, t: Localizer,
                             day: String = "", hours: Int = 0) -> HTML {
        let level = figures.level == .basic ? "BASIC" : "BASIC+"
        let year = figures.year.map(String.init) ?? "—"
        var values: [String: Double] = [:]
        var categories: [ChartFigure.Key]?
        var unit = ""
        var decimals = 0
        for row in figures.rows {
            switch layer {
            case .emissions: values[row.name] = row.figures.map { $0.tonnes / 1000 }
            case .perCapita: values[row.name] = row.figures?.perCapita
            case .assessment: values[row.name] = row.assessment.map { Double(Self.lights.firstIndex(of: $0.light.rawValue) ?? 0) }
            case .live: values[row.name] = row.live.map { $0.todayKg / 1000 }
            }
        }
        switch layer {
        case .emissions: unit = t("unit.kt")
        case .perCapita: (unit, decimals) = (t("unit.t"), 1)
        case .assessment:
            unit = t("assessments.light")
            categories = Self.lights.map { ChartFigure.Key(t("assessments.light.\($0)"), color: Palette.lights[$0]!) }
        case .live: (unit, decimals) = (t("unit.t"), 1)
        }
        let arguments = ["year": year, "level": level, "assessment": figures.assessmentYear.map(String.init) ?? "—",
                         "day": t.date(day), "hours": String(hours)]
        let map = ChoroplethMap(
            title: t("districts.map.\(layer.rawValue)", arguments), description: t("districts.map.\(layer.rawValue).desc", arguments),
            areas: ChoroplethMap.areas(geoJSON: boundaries).filter { area in figures.rows.contains { $0.name == area.name } },
            values: values, format: { t.number($0, decimals: decimals) },
            link: { "/districts/\(Markup.percentEncoded($0))" }, noData: t("chart.nodata"), categories: categories)
        var out: HTML = #"<figure id="district-map"><figcaption>\#(map.title)</figcaption>"#
        out += #"<nav class="layers" aria-label="\#(t("districts.layers"))">"#
        for option in Layer.allCases {
            let name = t("districts.layer.\(option.rawValue)")
            let href = option == .emissions ? page : "\(page)?layer=\(option.rawValue)"
            out += option == layer ? #"<a aria-current="true" href="\#(href)#district-map"><strong>\#(name)</strong></a>"# as HTML
                : #"<a href="\#(href)#district-map">\#(name)</a>"#
        }
        out += "</nav>" + map.html(id: "map", t: t, unit: unit)
        let method = ["emissions": "levels", "per_capita": "per-resident", "assessment": "assessment", "live": "today"][layer.rawValue]!
        out += #"<a class="detail" href="/districts">\#(t("districts.all")) →</a> · \#(Layout.methodLink(method, t))</figure>"#
        return out
    }

    /// The assessment's lights in the order a key lists them.
    static let lights = ["green", "amber", "red"]
}
