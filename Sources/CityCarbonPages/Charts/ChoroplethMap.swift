import Foundation

/// Jurisdictions drawn from their GeoJSON boundaries and coloured by a value in five classes,
/// with a legend; each area names itself and its value, and links to its detail.
package struct ChoroplethMap {
    package struct Area {
        package var name: String
        /// Polygons, each a list of rings of (longitude, latitude).
        package var polygons: [[[(Double, Double)]]]
        package init(name: String, polygons: [[[(Double, Double)]]]) {
            self.name = name
            self.polygons = polygons
        }
    }

    package var title: String
    package var description: String
    package var areas: [Area]
    package var values: [String: Double]
    package var format: (Double) -> String
    package var link: (String) -> String?
    package var noData: String
    /// When set, a value is the index of its category (a light, a rating) and the map is
    /// coloured by category instead of in classes of size.
    package var categories: [ChartFigure.Key]?
    /// Places drawn over the areas (sensors, sites): a circle, or a square for `square`, each linking to its page.
    package struct Marker {
        package var name: String
        package var longitude: Double
        package var latitude: Double
        package var square: Bool
        package var link: String?
        package init(name: String, longitude: Double, latitude: Double, square: Bool = false, link: String? = nil) {
            (self.name, self.longitude, self.latitude, self.square, self.link) = (name, longitude, latitude, square, link)
        }
    }
    package var markers: [Marker] = []
    /// What the key calls the two kinds of marker (circle, square), when there are markers.
    package var markerNames: (circle: String, square: String)?

    /// Areas from a GeoJSON FeatureCollection with `properties.name`.
    package static func areas(geoJSON: String) -> [Area] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(geoJSON.utf8)) as? [String: Any],
              let features = root["features"] as? [[String: Any]] else { return [] }
        func ring(_ value: Any) -> [(Double, Double)] {
            (value as? [[Any]] ?? []).compactMap { p in
                guard p.count >= 2, let x = (p[0] as? NSNumber)?.doubleValue, let y = (p[1] as? NSNumber)?.doubleValue else { return nil }
                return (x, y)
            }
        }
        return features.compactMap { feature in
            guard let name = (feature["properties"] as? [String: Any])?["name"] as? String,
                  let geometry = feature["geometry"] as? [String: Any] else { return nil }
            switch geometry["type"] as? String {
            case "Polygon": return Area(name: name, polygons: [(geometry["coordinates"] as? [Any] ?? []).map(ring)])
            case "MultiPolygon": return Area(name: name, polygons: (geometry["coordinates"] as? [[Any]] ?? []).map { $0.map(ring) })
            default: return nil
            }
        }
    }

    /// Upper bounds of the five classes: equal intervals from 0 to the largest value.
    package var classBounds: [Double] {
        let maximum = values.values.max() ?? 0
        return (1...Palette.sequential.count).map { maximum * Double($0) / Double(Palette.sequential.count) }
    }

    package func color(for value: Double?) -> String {
        guard let value else { return Self.noDataColor }
        if let categories { return categories.indices.contains(Int(value)) ? categories[Int(value)].color : Self.noDataColor }
        let index = classBounds.firstIndex { value <= $0 } ?? Palette.sequential.count - 1
        return Palette.sequential[index]
    }

    /// The map with its classes as a key and every area's value as a table.
    package func html(id: String, t: Localizer, unit: String) -> HTML {
        let bounds = classBounds
        let classes = categories ?? bounds.enumerated().map { i, bound in
            ChartFigure.Key("\(format(i == 0 ? 0 : bounds[i - 1]))–\(format(bound))", color: Palette.sequential[i])
        }
        var keys = classes + (areas.contains { values[$0.name] == nil } ? [ChartFigure.Key(noData, color: Self.noDataColor)] : [])
        if let names = markerNames, !markers.isEmpty {
            if markers.contains(where: { !$0.square }) { keys.append(ChartFigure.Key(names.circle, color: Self.markerColor, mark: .point)) }
            if markers.contains(where: \.square) { keys.append(ChartFigure.Key(names.square, color: Self.markerColor, mark: .area)) }
        }
        let table = ChartFigure.DataTable(caption: title, columns: ["", unit],
                                          rows: areas.map { (head: $0.name, cells: [label(values[$0.name])]) })
        return ChartFigure.html(id: id, width: .card, keys: keys, table: table, t: t) { svg(size: $0, id: $1, className: $2 + " map") }
    }

    static let noDataColor = "#e2e8f0"
    static let markerColor = "#1a202c"

    /// A value as the key and the table name it: its category's name, or the number.
    private func label(_ value: Double?) -> String {
        guard let value else { return noData }
        guard let categories else { return format(value) }
        return categories.indices.contains(Int(value)) ? categories[Int(value)].label : noData
    }

    package func svg(size: ChartSize, id: String, className: String = "chart map") -> HTML {
        let width = size.width, height = size.height
        let points = areas.flatMap { $0.polygons.flatMap { $0.flatMap { $0 } } } + markers.map { ($0.longitude, $0.latitude) }
        var out = Markup.svgOpen(width: width, height: height, id: id, class: className, linked: areas.contains { link($0.name) != nil })
        out += #"<title id="\#(id)-t">\#(title)</title><desc id="\#(id)-d">\#(description)</desc>"#
        guard let minX = points.map(\.0).min(), let maxX = points.map(\.0).max(), let minY = points.map(\.1).min(), let maxY = points.map(\.1).max() else {
            return out + "</svg>"
        }
        // Equirectangular, shrunk in longitude by the cosine of the mean latitude, fitted to the box.
        let k = cos((minY + maxY) / 2 * .pi / 180)
        let spanX = max((maxX - minX) * k, 1e-9), spanY = max(maxY - minY, 1e-9)
        let scale = min((width - 8) / spanX, (height - 8) / spanY)
        let offsetX = (width - spanX * scale) / 2, offsetY = (height - spanY * scale) / 2
        func project(_ p: (Double, Double)) -> (Double, Double) { (offsetX + (p.0 - minX) * k * scale, offsetY + (maxY - p.1) * scale) }
        for area in areas {
            let d = area.polygons.flatMap { polygon in
                polygon.map { ring in "M" + ring.map { let q = project($0); return "\(Markup.coordinate(q.0)),\(Markup.coordinate(q.1))" }.joined(separator: "L") + "Z" }
            }.joined()
            let value = values[area.name]
            let label = "\(area.name): \(label(value))"
            let path: HTML = #"<path d="\#(d)" fill="\#(color(for: value))" class="area"><title>\#(label)</title></path>"#
            out += link(area.name).map { #"<a href="\#($0)">\#(path)</a>"# } ?? path
        }
        // A name at the centre of its area's box, when it fits inside it; the table names every area.
        for area in areas {
            let ring = area.polygons.first?.first ?? []
            guard let lx = ring.map(\.0).min(), let hx = ring.map(\.0).max(), let ly = ring.map(\.1).min(), let hy = ring.map(\.1).max() else { continue }
            let a = project((lx, ly)), b = project((hx, hy))
            guard ChartText.width(area.name) <= abs(b.0 - a.0) * 0.8, abs(b.1 - a.1) > ChartText.size * 2 else { continue }
            let centre = project(((lx + hx) / 2, (ly + hy) / 2))
            out += #"<text x="\#(Markup.coordinate(centre.0))" y="\#(Markup.coordinate(centre.1 + ChartText.size * 0.35))" text-anchor="middle" class="area-label">\#(area.name)</text>"#
        }
        for marker in markers {
            let (x, y) = project((marker.longitude, marker.latitude))
            let (cx, cy) = (Markup.coordinate(x), Markup.coordinate(y))
            let shape: HTML = marker.square
                ? #"<rect x="\#(Markup.coordinate(x - 5))" y="\#(Markup.coordinate(y - 5))" width="10" height="10" class="marker"><title>\#(marker.name)</title></rect>"#
                : #"<circle cx="\#(cx)" cy="\#(cy)" r="5" class="marker"><title>\#(marker.name)</title></circle>"#
            out += marker.link.map { #"<a href="\#($0)">\#(shape)</a>"# } ?? shape
        }
        out += "</svg>"
        return out
    }
    package init(title: String, description: String, areas: [Area], values: [String: Double], format: @escaping (Double) -> String,
                 link: @escaping (String) -> String?, noData: String, categories: [ChartFigure.Key]? = nil) {
        self.categories = categories
        self.title = title
        self.description = description
        self.areas = areas
        self.values = values
        self.format = format
        self.link = link
        self.noData = noData
    }
}
