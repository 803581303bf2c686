import CarbonKit
import Foundation

/// Jurisdiction boundaries as GeoJSON geometries (Polygon or MultiPolygon, WGS 84
/// longitude/latitude), for maps.
public struct BoundaryRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Reads an RFC 7946 FeatureCollection and stores every feature's boundary, or none. A
    /// feature names its jurisdiction by `properties.name`, or by its statistical code in
    /// `properties.code` or `properties.adcode` (as China's administrative-division files
    /// do); geometries are checked and rewound as ``Boundary`` says. A feature for a
    /// jurisdiction already given a boundary replaces it.
    @discardableResult
    public func importGeoJSON(_ bytes: [UInt8], file: String, actor: String = "system") throws -> Int {
        guard let text = String(validating: bytes, as: UTF8.self), let root = JSONValue(parsing: text), case .object(let top) = root else {
            throw InputErrors([InputIssue(InputLocation(file: file), reason: "is not JSON text in UTF-8 (RFC 7946 GeoJSON)")])
        }
        let members = Dictionary(top, uniquingKeysWith: { a, _ in a })
        guard members["type"] == .string("FeatureCollection"), case .array(let features)? = members["features"] else {
            throw InputErrors([InputIssue(InputLocation(file: file, field: "type"), value: members["type"]?.serialized(), reason: "is not a GeoJSON FeatureCollection")])
        }
        // RFC 7946 §4: coordinates are WGS 84; an old-style "crs" naming anything else would put the map elsewhere.
        if let crs = members["crs"], !crs.serialized().contains("CRS84"), !crs.serialized().contains("4326") {
            throw InputErrors([InputIssue(InputLocation(file: file, field: "crs"), value: crs.serialized(),
                                          reason: "is not WGS 84 longitude/latitude: reproject to EPSG:4326 (RFC 7946 §4)")])
        }
        var issues: [InputIssue] = []
        return try database.write { db in
            var byName: [String: Int64] = [:], byCode: [String: (Int64, String)] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT id, name, code FROM jurisdiction") {
                byName[row["name"]] = row["id"]
                if let code: String = row["code"] { byCode[code] = (row["id"], row["name"]) }
            }
            var accepted: [Int64: (name: String, geometry: String)] = [:]
            for (index, item) in features.enumerated() {
                let place = "features[\(index)]"
                guard case .object(let featureMembers) = item else {
                    issues.append(InputIssue(InputLocation(file: file, field: place), reason: "is not a GeoJSON Feature"))
                    continue
                }
                let feature = Dictionary(featureMembers, uniquingKeysWith: { a, _ in a })
                var properties: [String: JSONValue] = [:]
                if case .object(let p)? = feature["properties"] { properties = Dictionary(p, uniquingKeysWith: { a, _ in a }) }
                func text(_ key: String) -> String? {
                    switch properties[key] {
                    case .string(let s)?: s.trimmingCharacters(in: .whitespaces)
                    case .integer(let i)?: String(i)
                    default: nil
                    }
                }
                let name = text("name"), code = text("code") ?? text("adcode")
                guard let (id, jurisdiction) = name.flatMap({ n in byName[n].map { ($0, n) } }) ?? code.flatMap({ byCode[$0] }) else {
                    issues.append(InputIssue(InputLocation(file: file, field: "\(place).properties.\(name == nil && code != nil ? "code" : "name")"), value: name ?? code,
                                             reason: name == nil && code == nil ? "names no jurisdiction: give properties.name or properties.code" : "is not a jurisdiction of this city",
                                             suggestion: name.flatMap { Suggestion.didYouMean($0, among: byName.keys) }))
                    continue
                }
                guard let geometry = feature["geometry"], geometry != .null else {
                    issues.append(InputIssue(InputLocation(file: file, field: "\(place).geometry"), value: jurisdiction, reason: "has no geometry"))
                    continue
                }
                do throws(InputErrors) {
                    let boundary = try Boundary(geoJSON: geometry, place: "\(place).geometry")
                    if let earlier = accepted[id] {
                        issues.append(InputIssue(InputLocation(file: file, field: place), value: jurisdiction, reason: "gives a second boundary for \(earlier.name)"))
                        continue
                    }
                    accepted[id] = (jurisdiction, boundary.geoJSON.serialized())
                } catch {
                    issues += error.issues.map { issue in
                        var located = issue
                        located.location.file = file
                        located.reason = "\(jurisdiction): \(issue.reason)"
                        return located
                    }
                }
            }
            if features.isEmpty { issues.append(InputIssue(InputLocation(file: file, field: "features"), reason: "holds no feature")) }
            if !issues.isEmpty { throw InputErrors(issues) }
            for (id, boundary) in accepted.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: """
                    INSERT INTO jurisdiction_boundary (jurisdiction_id, geometry, source) VALUES (?, ?, ?)
                    ON CONFLICT (jurisdiction_id) DO UPDATE SET geometry = excluded.geometry, source = excluded.source
                    """,
                               arguments: [id, boundary.geometry, file])
            }
            try AuditTrail.append(db, actor: actor, action: "import", entity: "boundaries", entityID: file,
                                  after: .object([("file", .string(file)), ("features", .integer(accepted.count)),
                                                  ("jurisdictions", .array(accepted.values.map(\.name).sorted().map(JSONValue.string)))]))
            return accepted.count
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
