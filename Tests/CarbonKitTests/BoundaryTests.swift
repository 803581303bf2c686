import Foundation
import Testing
@testable import CarbonKit

/// Boundaries as RFC 7946 says: closed rings that do not cross, any winding read, written
/// exterior counter-clockwise and holes clockwise.
@Suite("Jurisdiction boundaries")
struct BoundaryTests {
    static func geometry(_ text: String) -> JSONValue { JSONValue(parsing: text)! }
    static func read(_ text: String) throws(InputErrors) -> Boundary { try Boundary(geoJSON: geometry(text), place: "features[0].geometry") }
    static func reasons(_ text: String) -> [String] {
        do { _ = try read(text); return [] } catch { return error.issues.map { "\($0.location.field ?? "") \($0.reason)" } }
    }

    // A square, clockwise: (0,0) → (0,1) → (1,1) → (1,0) → (0,0).
    static let clockwise = #"{"type":"Polygon","coordinates":[[[120,30],[120,31],[121,31],[121,30],[120,30]]]}"#

    @Test func aClockwiseExteriorIsWrittenCounterClockwise() throws {
        let boundary = try Self.read(Self.clockwise)
        #expect(Boundary.signedArea(boundary.polygons[0][0]) > 0)
        #expect(boundary.polygons[0][0].first == Boundary.Position(120, 30) && boundary.polygons[0][0][1] == Boundary.Position(121, 30))
        // Reading what was written gives it back unchanged.
        #expect(try Boundary(geoJSON: boundary.geoJSON, place: "again") == boundary)
    }

    @Test func holesAreWrittenClockwise() throws {
        let boundary = try Self.read(#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[4,2],[4,4],[2,4],[2,2]]]}"#)
        #expect(Boundary.signedArea(boundary.polygons[0][0]) > 0 && Boundary.signedArea(boundary.polygons[0][1]) < 0)
    }

    @Test func aMultiPolygonKeepsEachPolygon() throws {
        let boundary = try Self.read(#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"#)
        #expect(boundary.polygons.count == 2)
        guard case .object(let members) = boundary.geoJSON else { Issue.record("not an object"); return }
        #expect(members.first { $0.0 == "type" }?.1 == .string("MultiPolygon"))
    }

    @Test func aRingThatDoesNotCloseIsNamedWithItsLastPosition() {
        let reasons = Self.reasons(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#)
        #expect(reasons == ["features[0].geometry.coordinates[0] does not close: its last position must repeat its first [0,0]"])
    }

    @Test func aBowTieCrossesItself() {
        // (0,0) → (1,1) → (1,0) → (0,1) → (0,0): the first and third segments cross.
        let reasons = Self.reasons(#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#)
        #expect(reasons.count == 1 && reasons[0].hasPrefix("features[0].geometry.coordinates[0] crosses itself"))
    }

    @Test func aHoleCrossingItsExteriorIsRefused() {
        let reasons = Self.reasons(#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[8,8],[12,8],[12,9],[8,9],[8,8]]]}"#)
        #expect(reasons.count == 1 && reasons[0].contains("crosses ring 1 of the same polygon"))
    }

    @Test(arguments: [#"[[[0,0],[1,0],[1,1],[0,0],[1e308,0]]]"#, #"[[[0,0],[181,0],[1,1],[0,0]]]"#, #"[[[0,0],[1,-91],[1,1],[0,0]]]"#,
                      #"[[[0,0],["1",0],[1,1],[0,0]]]"#, #"[[[0,0],[1],[1,1],[0,0]]]"#])
    func positionsOffTheGlobeAreNamed(_ coordinates: String) {
        let reasons = Self.reasons(#"{"type":"Polygon","coordinates":\#(coordinates)}"#)
        #expect(reasons.contains { $0.hasPrefix("features[0].geometry.coordinates[0][") && $0.contains("is not a [longitude, latitude] position") })
    }

    @Test func tooFewPositionsAndNoAreaAreRefused() {
        #expect(Self.reasons(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#).first?.contains("at least 4 positions") == true)
        #expect(Self.reasons(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[2,0],[0,0]]]}"#).first?.contains("encloses no area") == true)
    }

    @Test func otherGeometryTypesAreRefused() {
        #expect(Self.reasons(#"{"type":"Point","coordinates":[0,0]}"#) == ["features[0].geometry.type is not Polygon or MultiPolygon"])
    }

    @Test func aRingOfTwentyThousandPositionsIsChecked() throws {
        let n = 20_000
        let ring = (0...n).map { i -> String in
            let a = 2 * Double.pi * Double(i % n) / Double(n)
            return "[\(120 + cos(a)),\(30 + sin(a))]"
        }
        let boundary = try Self.read(#"{"type":"Polygon","coordinates":[[\#(ring.joined(separator: ","))]]}"#)
        #expect(boundary.polygons[0][0].count == n + 1)
        // One position pulled across the circle makes it cross itself.
        var crossed = ring
        crossed[n / 2] = "[\(120 + 1.5),\(30)]"
        #expect(Self.reasons(#"{"type":"Polygon","coordinates":[[\#(crossed.joined(separator: ","))]]}"#).first?.contains("crosses itself") == true)
    }

    @Test func aStarOfLongSpikesIsRefusedAsTooComplexRatherThanCheckedForMinutes() {
        // Every segment runs from near the centre to a tip 1° out: each overlaps thousands of others.
        let n = 20_000
        let ring = (0...n).map { i -> String in
            let a = 2 * Double.pi * Double(i % n) / Double(n), r = i % 2 == 0 ? 1.0 : 0.001
            return "[\(120 + r * cos(a)),\(30 + r * sin(a))]"
        }
        let reasons = Self.reasons(#"{"type":"Polygon","coordinates":[[\#(ring.joined(separator: ","))]]}"#)
        #expect(reasons.count == 1 && reasons[0].hasPrefix("features[0].geometry.coordinates is too complex to check"))
    }
}

