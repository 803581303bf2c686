import CarbonKit
import Foundation
import Testing
@testable import CarbonMonitoring

@Suite("SensorThings updates")
struct STAUpdateTests {
    let thing: [(String, JSONValue)] = [
        ("name", .string("School gate")), ("description", .string("low-cost sensor PA-II, outside")),
        ("properties", .object([("network", .string("air")), ("model", .string("PA-II")), ("correction", .string("epa"))])),
    ]

    @Test func aMergePatchFollowsRFC7396() throws {
        let target = JSONValue(try JSONReader.read(Data(#"{"a":"b","c":{"d":"e","f":"g"}}"#.utf8)))
        let patch = JSONValue(try JSONReader.read(Data(#"{"a":"z","c":{"f":null}}"#.utf8)))
        #expect(STAUpdate.merge(target, patch).serialized() == #"{"a":"z","c":{"d":"e"}}"#)
    }

    @Test func theThreeFormsOfAChangeEndInTheSameEntity() throws {
        let merge = try STAUpdate.apply(.merge, body: Array(#"{"properties":{"model":"Flex"}}"#.utf8), to: thing)
        let patch = try STAUpdate.apply(.jsonPatch, body: Array(#"[{"op":"replace","path":"/properties/model","value":"Flex"}]"#.utf8), to: thing)
        let put = try STAUpdate.apply(.replace, body: Array(#"{"name":"School gate","properties":{"network":"air","model":"Flex","correction":"epa"}}"#.utf8), to: thing)
        for updated in [merge, patch, put] {
            let members = try STAUpdate.members(updated, type: .thing, id: .text("pa-9"), current: thing, writable: ["name", "properties"])
            #expect(STAUpdate.same(members["properties"]!, .object([("network", .string("air")), ("model", .string("Flex")), ("correction", .string("epa"))])))
        }
    }

    @Test func aMemberOutsideTheWritableOnesMustBeAsItWas() throws {
        let same = try STAUpdate.apply(.merge, body: Array(#"{"description":"low-cost sensor PA-II, outside","@iot.selfLink":"x","Datastreams":[{"@iot.id":"pa-9:pm25"}]}"#.utf8), to: thing)
        #expect(throws: Never.self) { try STAUpdate.members(same, type: .thing, id: .text("pa-9"), current: thing, writable: ["name"]) }
        let changed = try STAUpdate.apply(.merge, body: Array(#"{"description":"mine","foo":1,"Datastreams":[{"name":"new"}],"@iot.id":"pa-1"}"#.utf8), to: thing)
        let error = #expect(throws: InputErrors.self) { try STAUpdate.members(changed, type: .thing, id: .text("pa-9"), current: thing, writable: ["name"]) }
        #expect(Set(error?.issues.compactMap(\.location.field) ?? []) == ["description", "foo", "Datastreams", "@iot.id"])
    }

    @Test func aWriteNamesOneEntityOfAWritableType() throws {
        #expect(try STAUpdate.target(STAPath.parse("Things('pa-9')"), .patch) == (.thing, .text("pa-9")))
        #expect(try STAUpdate.target(STAPath.parse("Observations('5-1764000000')"), .delete) == (.observation, .text("5-1764000000")))
        #expect(throws: STAUpdate.Refusal(allow: ["GET", "HEAD", "POST"], "PATCH changes one entity at its own address, such as Things('pa-1') or Observations('5-1764000000')")) {
            try STAUpdate.target(STAPath.parse("Things"), .patch)
        }
        #expect(throws: STAUpdate.Refusal.self) { try STAUpdate.target(STAPath.parse("Things('pa-9')/Locations"), .delete) }
        #expect(throws: STAUpdate.Refusal(allow: ["GET", "HEAD", "PATCH", "PUT"], "DELETE Locations: \(STAUpdate.derivation(.location))")) {
            try STAUpdate.target(STAPath.parse("Locations('pa-9')"), .delete)
        }
        for type in [STAEntityType.datastream, .sensor, .observedProperty, .featureOfInterest, .historicalLocation, .multiDatastream] {
            #expect(throws: STAUpdate.Refusal.self) { try STAUpdate.target(STAPath(segments: [.entities(type, name: type.setName, id: .integer(1), many: true)]), .patch) }
        }
    }

    @Test func theBodysFormComesFromItsContentType() throws {
        #expect(try STAUpdate.form(.patch, contentType: "application/json; charset=utf-8") == .merge)
        #expect(try STAUpdate.form(.patch, contentType: "application/json-patch+json") == .jsonPatch)
        #expect(try STAUpdate.form(.put, contentType: nil) == .replace)
        #expect(throws: InputErrors.self) { try STAUpdate.form(.put, contentType: "application/json-patch+json") }
        #expect(throws: InputErrors.self) { try STAUpdate.form(.patch, contentType: "text/plain") }
    }

    @Test func aPointIsLongitudeThenLatitude() throws {
        let point = try STAUpdate.point(.object([("type", .string("Point")), ("coordinates", .array([.number(120.1), .integer(30)]))]), field: "location")
        #expect(point.longitude == 120.1 && point.latitude == 30)
        #expect(throws: InputErrors.self) { try STAUpdate.point(.object([("type", .string("Polygon"))]), field: "location") }
        #expect(throws: InputErrors.self) { try STAUpdate.point(.object([("type", .string("Point")), ("coordinates", .array([.number(.infinity), .number(1)]))]), field: "location") }
    }
}
