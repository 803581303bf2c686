import CarbonKit
import Foundation

/// Jurisdiction boundaries as GeoJSON geometries (Polygon or MultiPolygon, WGS 84
/// longitude/latitude), for maps.
public struct BoundaryRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Reads a GeoJSON FeatureCollection whose features name their jurisdiction in
    /// `properties.name`, checks every geometry, and stores them all or none.
    @discardableResult
    public func importGeoJSON(_ bytes: [UInt8], file: String, actor: String = "system") throws -> Int {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any], root["type"] as? String == "FeatureCollection",
              let features = root["features"] as? [Any] else {
            throw InputErrors([InputIssue(InputLocation(file: file), reason: "is not a GeoJSON FeatureCollection")])
        }
        var issues: [InputIssue] = []
        return try database.write { db in
            let ids = try JurisdictionRepository.ids(db)
            var accepted: [(Int64, String)] = []
            for (index, item) in features.enumerated() {
                let place = "features[\(index)]"
                guard let feature = item as? [String: Any], let properties = feature["properties"] as? [String: Any],
                      let name = properties["name"] as? String else {
                    issues.append(InputIssue(InputLocation(file: file, field: "\(place).properties.name"), reason: "every feature needs properties.name"))
                    continue
                }
                guard let id = ids[name] else {
                    issues.append(InputIssue(InputLocation(file: file, field: "\(place).properties.name"), value: name,
                                             reason: "is not a jurisdiction of this city", suggestion: Suggestion.didYouMean(name, among: ids.keys)))
                    continue
                }
                let geometry = feature["geometry"] as? [String: Any]
                let problem = geometry.map(Self.check) ?? "has no geometry"
                guard let geometry, problem.isEmpty else {
                    issues.append(InputIssue(InputLocation(file: file, field: "\(place).geometry"), value: name, reason: problem))
                    continue
                }
                let text = String(decoding: try JSONSerialization.data(withJSONObject: geometry, options: [.sortedKeys]), as: UTF8.self)
                accepted.append((id, text))
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            for (id, geometry) in accepted {
                try db.execute(sql: """
                    INSERT INTO jurisdiction_boundary (jurisdiction_id, geometry, source) VALUES (?, ?, ?)
                    ON CONFLICT (jurisdiction_id) DO UPDATE SET geometry = excluded.geometry, source = excluded.source
                    """,
                               arguments: [id, geometry, file])
            }
            try AuditTrail.append(db, actor: actor, action: "import", entity: "boundaries", entityID: file,
                                  after: .object([("file", .string(file)), ("features", .integer(accepted.count))]))
            return accepted.count
        }
    }

    /// "" when `geometry` is a valid Polygon or MultiPolygon, else what is wrong.
    static func check(_ geometry: [String: Any]) -> String {
        func position(_ p: Any) -> Bool {
            guard let xy = p as? [Any], xy.count >= 2, let x = (xy[0] as? NSNumber)?.doubleValue, let y = (xy[1] as? NSNumber)?.doubleValue else { return false }
            return (-180...180).contains(x) && (-90...90).contains(y)
        }
        func ring(_ r: Any) -> Bool {
            guard let points = r as? [Any], points.count >= 4, points.allSatisfy(position) else { return false }
            return "\(points.first!)" == "\(points.last!)"
        }
        func polygon(_ p: Any) -> Bool { (p as? [Any]).map { !$0.isEmpty && $0.allSatisfy(ring) } ?? false }
        switch geometry["type"] as? String {
        case "Polygon": return polygon(geometry["coordinates"] as Any) ? "" : "a Polygon needs closed rings of at least 4 longitude/latitude positions"
        case "MultiPolygon": return ((geometry["coordinates"] as? [Any]).map { !$0.isEmpty && $0.allSatisfy(polygon) } ?? false) ? "" : "a MultiPolygon needs valid polygons"
        case let other: return "geometry type \(other ?? "none") is not Polygon or MultiPolygon"
        }
    }

    /// Every stored boundary as a GeoJSON FeatureCollection, `properties.name` and `properties.level` set.
    public func featureCollection() throws -> String {
        try database.read { db in
            let rows = try SQLRow.fetchAll(db, sql: "SELECT j.name, j.level, b.geometry FROM jurisdiction_boundary b JOIN jurisdiction j ON j.id = b.jurisdiction_id ORDER BY j.id")
            let features = rows.map { row -> String in
                let properties = JSONValue.object([("name", .string(row["name"])), ("level", .string(row["level"]))]).serialized()
                return #"{"type":"Feature","properties":\#(properties),"geometry":\#(row["geometry"] as String)}"#
            }
            return #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#
        }
    }
}
