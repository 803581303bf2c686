import AirQuality
import CarbonMonitoring
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import CityCarbonServer

/// SensorThings 1.1 updates and deletes (§10.3–10.4) in the three forms clients send them.
@Suite("SensorThings API writes")
struct SensorThingsWriteTests {
    let database: CityCarbonDatabase
    let admin: String
    let ngo: String

    init() throws {
        database = try AirPagesTests.workspace()
        admin = try APIKeyRepository(database).create(name: "office", role: .admin, actor: "test").secret
        ngo = try APIKeyRepository(database).create(name: "ngo", role: .integration, organisation: "Clean Air NGO", actor: "admin").secret
        try AirNetwork(database).register(AirSensor(code: "pa-9", name: "School gate", owner: "Clean Air NGO", model: "PurpleAir PA-II",
                                                    grade: .lowCost, latitude: 30.2, longitude: 120.1, correction: "epa-purpleair-2021"), by: "test")
    }

    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String = "", key: String? = nil,
              type: String = "application/json") async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer \(key ?? ngo)", .contentType: type, .accept: "application/json"],
                                 body: ByteBuffer(string: body))
    }

    func sensor(_ code: String = "pa-9") throws -> AirSensor? { try AirNetwork(database).sensors().first { $0.code == code } }

    @Test func aPatchChangesOnlyTheMembersItSends() async throws {
        try await application(database).test(.router) { client in
            let patched = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"name":"School gate, north","properties":{"placement":"inside"}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json["name"]?.string == "School gate, north" && patched.json["properties"]?["placement"]?.string == "inside")
            let kept = try #require(try sensor())
            #expect(kept.model == "PurpleAir PA-II" && kept.correction == "epa-purpleair-2021" && kept.latitude == 30.2 && kept.owner == "Clean Air NGO")
        }
    }

    @Test func aJSONPatchAsFROSTsClientSendsItAppliesEveryOperationOrNone() async throws {
        try await application(database).test(.router) { client in
            let patch = #"[{"op":"replace","path":"/properties/model","value":"PurpleAir Flex"},{"op":"remove","path":"/properties/correction"}]"#
            let done = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", patch, type: "application/json-patch+json")
            #expect(done.status == .ok, "\(done.text)")
            #expect(try sensor()?.model == "PurpleAir Flex" && sensor()?.correction == nil)
            // A failing test operation leaves everything as it was.
            let refused = try await send(client, .patch, "/sta/v1.1/Things('pa-9')",
                                         #"[{"op":"replace","path":"/name","value":"gone"},{"op":"test","path":"/properties/model","value":"Other"}]"#,
                                         type: "application/json-patch+json")
            #expect(refused.status == .badRequest && refused.text.contains("[1].path"), "\(refused.text)")
            #expect(try sensor()?.name == "School gate")
        }
    }

    @Test func aPutReplacesTheThingAsFROSTsClientsUpdateSendsIt() async throws {
        try await application(database).test(.router) { client in
            let current = try await send(client, .get, "/sta/v1.1/Things('pa-9')")
            var body = try #require(try JSONSerialization.jsonObject(with: Data(current.text.utf8)) as? [String: Any])
            body["name"] = "Renamed"
            body["Locations"] = [["location": ["type": "Point", "coordinates": [121.5, 31.25]]]]
            let put = try await send(client, .put, "/sta/v1.1/Things('pa-9')", String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            #expect(put.status == .ok, "\(put.text)")
            let kept = try #require(try sensor())
            #expect(kept.name == "Renamed" && kept.longitude == 121.5 && kept.latitude == 31.25 && kept.model == "PurpleAir PA-II")
        }
    }

    @Test func whatFollowsFromTheRecordIsNotChangedAndTheRefusalSaysWhere() async throws {
        try await application(database).test(.router) { client in
            let description = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"description":"my words"}"#)
            #expect(description.status == .badRequest && description.text.contains("description"), "\(description.text)")
            let id = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"@iot.id":"pa-10"}"#)
            #expect(id.status == .badRequest && id.text.contains("cannot change"))
            let owner = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"properties":{"owner":"Someone Else"}}"#)
            #expect(owner.status == .badRequest && owner.text.contains("properties.owner"))
            let grade = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"properties":{"grade":"premium"}}"#)
            #expect(grade.status == .badRequest && grade.text.contains("properties.grade"))
            let place = try await send(client, .patch, "/sta/v1.1/Locations('pa-9')", #"{"location":{"type":"Point","coordinates":[500,1]}}"#)
            #expect(place.status == .badRequest && place.text.contains("longitude"), "\(place.text)")
            let notJSON = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"name":"#)
            #expect(notJSON.status == .badRequest)
            let wrongType = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", "name=x", type: "application/x-www-form-urlencoded")
            #expect(wrongType.status == .badRequest && wrongType.text.contains("Content-Type"))
            let kept = try #require(try sensor())
            #expect(kept.name == "School gate" && kept.owner == "Clean Air NGO" && kept.grade == .lowCost && kept.longitude == 120.1)
        }
    }

    @Test func aSetOrADerivedTypeTakesNoWriteAndSaysWhereItIsChanged() async throws {
        try await application(database).test(.router) { client in
            let set = try await send(client, .patch, "/sta/v1.1/Things", "{}")
            #expect(set.status == .methodNotAllowed && set.headers[.allow]?.contains("POST") == true, "\(set.text)")
            let navigation = try await send(client, .delete, "/sta/v1.1/Things('pa-9')/Locations")
            #expect(navigation.status == .methodNotAllowed && navigation.headers[.allow] == "GET, HEAD")
            let stream = try await send(client, .patch, "/sta/v1.1/Datastreams('pa-9:pm25')", "{}")
            #expect(stream.status == .methodNotAllowed && stream.headers[.allow] == "GET, HEAD" && stream.text.contains("meter channels sheet"))
            let site = try #require(try MonitoringRegistry(database).sites().first)
            let meterSite = try await send(client, .delete, "/sta/v1.1/Things(\(site.id))", key: admin)
            #expect(meterSite.status == .methodNotAllowed && meterSite.text.contains("sites sheet"))
        }
    }

    @Test func anotherOrganisationsSensorIsNotThereForTheKey() async throws {
        try await application(database).test(.router) { client in
            let patched = try await send(client, .patch, "/sta/v1.1/Things('station-x')", #"{"name":"mine"}"#)
            #expect(patched.status == .notFound, "\(patched.text)")
            let deleted = try await send(client, .delete, "/sta/v1.1/Things('station-x')")
            #expect(deleted.status == .notFound)
            #expect(try sensor("station-x")?.name == "MARKERSTATION")
        }
    }

    @Test func aSensorWithHoursStaysRegisteredUntilTheyAreDeleted() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 2 * 3600
        try await application(database).test(.router) { client in
            let posted = try await send(client, .post, "/sta/v1.1/Observations",
                                        #"{"phenomenonTime":"\#(Timestamp.iso(hour))","result":20,"Datastream":{"@iot.id":"pa-9:pm25"}}"#)
            #expect(posted.status == .created, "\(posted.text)")
            let held = try await send(client, .delete, "/sta/v1.1/Things('pa-9')")
            #expect(held.status == .conflict && held.text.contains("1 stored hour"), "\(held.text)")
            let hourGone = try await send(client, .delete, "/sta/v1.1/Observations('pa-9:pm25:\(hour)')")
            #expect(hourGone.status == .ok)
            #expect(try await send(client, .get, "/sta/v1.1/Observations('pa-9:pm25:\(hour)')").status == .notFound)
            #expect(try await send(client, .get, "/sta/v1.1/Datastreams('pa-9:pm25')").status == .notFound)
            let gone = try await send(client, .delete, "/sta/v1.1/Things('pa-9')")
            #expect(gone.status == .ok)
            #expect(try sensor() == nil)
            #expect(try await send(client, .delete, "/sta/v1.1/Things('pa-9')").status == .notFound)
        }
        let audit = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_event WHERE action IN ('air.hour.delete', 'air.sensor.delete')") }
        #expect(audit == 2)
    }

    @Test func anAirObservationsChangedResultIsCheckedAndCorrectedAgain() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 3600
        try await application(database).test(.router) { client in
            _ = try await send(client, .post, "/sta/v1.1/Observations",
                               #"{"phenomenonTime":"\#(Timestamp.iso(hour))","result":20,"Datastream":{"@iot.id":"pa-9:pm10"}}"#)
            let uri = "/sta/v1.1/Observations('pa-9:pm10:\(hour)')"
            let patched = try await send(client, .patch, uri, #"{"result":5000}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            // Far out of range: kept raw and flagged, not used.
            #expect(patched.json["parameters"]?["raw"]?.number == 5000 && patched.json["result"] == .null)
            let moved = try await send(client, .patch, uri, #"{"phenomenonTime":"\#(Timestamp.iso(hour + 3600))","result":21}"#)
            #expect(moved.status == .badRequest && moved.text.contains("phenomenonTime"))
        }
    }

    @Test func aMeterReadingsPatchIsARevisionAndItsDeleteLeavesTheRollUps() async throws {
        let key = try APIKeyRepository(database).create(name: "acme", role: .integration, organisation: "Acme Property", actor: "admin").secret
        let stream = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.datastream.key == "nb-tower/elec" })
        let last = try #require(stream.lastTime)
        let database = database
        @Sendable func kg() throws -> Double { try database.read { try Double.fetchOne($0, sql: "SELECT SUM(kg_co2e) FROM monitor_datastream_day WHERE datastream_id = ?", arguments: [stream.id]) ?? 0 } }
        @Sendable func stored() throws -> Double { try database.read { try Double.fetchOne($0, sql: "SELECT SUM(kg_co2e) FROM monitor_reading WHERE datastream_id = ?", arguments: [stream.id]) ?? 0 } }
        try await application(database).test(.router) { client in
            let uri = "/sta/v1.1/Observations('\(stream.id)-\(last)')"
            let before = try await send(client, .get, uri, key: key)
            let value = try #require(before.json["result"]?.number)
            let patched = try await send(client, .patch, uri, #"{"result":\#(value * 2)}"#, key: key)
            #expect(patched.status == .ok && patched.json["result"]?.number == value * 2, "\(patched.text)")
            #expect(abs(try kg() - stored()) < 1e-6)
            let deleted = try await send(client, .delete, uri, key: key)
            #expect(deleted.status == .ok, "\(deleted.text)")
            #expect(try await send(client, .get, uri, key: key).status == .notFound)
            #expect(abs(try kg() - stored()) < 1e-6)
            let head = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.id == stream.id })
            #expect(head.lastTime.map { $0 < last } == true)
        }
    }
}
