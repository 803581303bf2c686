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

/// SensorThings 1.1 batch requests (§11.2) in OData's JSON batch format.
@Suite("SensorThings API batches")
struct SensorThingsBatchTests {
    let database: CityCarbonDatabase
    let ngo: String

    init() throws {
        database = try AirPagesTests.workspace()
        ngo = try APIKeyRepository(database).create(name: "ngo", role: .integration, organisation: "Clean Air NGO", actor: "admin").secret
    }

    func batch(_ client: some TestClientProtocol, _ body: String, type: String = "application/json") async throws -> TestResponse {
        try await client.execute(uri: "/sta/v1.1/$batch", method: .post, headers: [.authorization: "Bearer \(ngo)", .contentType: type],
                                 body: ByteBuffer(string: body))
    }

    func responses(_ reply: TestResponse) -> [String: AnyJSON] {
        Dictionary(uniqueKeysWithValues: (reply.json["responses"]?.array ?? []).compactMap { r in r["id"]?.string.map { ($0, r) } })
    }

    @Test func aBatchRunsInOrderAndALaterRequestWorksOnWhatAnEarlierOneCreated() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 3600
        let body = #"""
            {"requests":[
             {"id":"new","method":"post","url":"Things","body":{"name":"Bus stop","properties":{"code":"pa-30","model":"PurpleAir PA-II"},
               "Locations":[{"location":{"type":"Point","coordinates":[120.2,30.3]}}]}},
             {"id":"read","method":"get","url":"$new?$select=name","dependsOn":["new"]},
             {"id":"move","method":"patch","url":"$new","dependsOn":["new"],"body":{"properties":{"placement":"inside"}}},
             {"id":"hour","method":"post","url":"/sta/v1.1/Observations","body":{"phenomenonTime":"\#(Timestamp.iso(hour))","result":12,"Datastream":{"@iot.id":"pa-30:pm25"}}},
             {"id":"list","method":"get","url":"Datastreams('pa-30:pm25')/Observations?$count=true"}
            ]}
            """#
        try await application(database).test(.router) { client in
            let reply = try await batch(client, body)
            #expect(reply.status == .ok, "\(reply.text)")
            let r = responses(reply)
            #expect(r["new"]?["status"]?.number == 201 && r["new"]?["headers"]?["location"]?.string?.hasSuffix("/Things('pa-30')") == true, "\(reply.text)")
            #expect(r["read"]?["status"]?.number == 200 && r["read"]?["body"]?["name"]?.string == "Bus stop")
            #expect(r["move"]?["body"]?["properties"]?["placement"]?.string == "inside")
            #expect(r["hour"]?["status"]?.number == 201)
            #expect(r["list"]?["body"]?["@iot.count"]?.number == 1)
            // The order of the answers is the order of the requests.
            #expect(reply.json["responses"]?.array?.compactMap { $0["id"]?.string } == ["new", "read", "move", "hour", "list"])
        }
        #expect(try AirNetwork(database).sensors().first { $0.code == "pa-30" }?.placement == .inside)
    }

    @Test func aFailedRequestStopsThoseThatDependOnItAndNoOthers() async throws {
        let body = #"""
            {"requests":[
             {"id":"a","method":"patch","url":"Things('station-x')","body":{"name":"not mine"}},
             {"id":"b","method":"delete","url":"Things('station-x')","dependsOn":["a"]},
             {"id":"c","method":"get","url":"Things('station-x')"},
             {"id":"d","method":"patch","url":"Datastreams('station-x:pm25')","body":{}},
             {"id":"e","method":"post","url":"$batch","body":{"requests":[]}},
             {"id":"f","method":"post","url":"/sta/v1.1/$batch","body":{"requests":[]}}
            ]}
            """#
        try await application(database).test(.router) { client in
            let r = responses(try await batch(client, body))
            #expect(r["a"]?["status"]?.number == 404 && r["b"]?["status"]?.number == 424 && r["c"]?["status"]?.number == 404)
            #expect(r["d"]?["status"]?.number == 405 && r["d"]?["headers"]?["allow"]?.string == "GET, HEAD")
            #expect(r["e"]?["status"]?.number == 400 && r["f"]?["status"]?.number == 400)
            #expect(r["e"]?["body"]?["detail"]?.string?.contains("another batch") == true)
        }
        #expect(try AirNetwork(database).sensors().first { $0.code == "station-x" }?.name == "MARKERSTATION")
    }

    @Test func anAtomicityGroupIsNotHalfApplied() async throws {
        let body = #"""
            {"requests":[
             {"id":"1","atomicityGroup":"g","method":"post","url":"Things","body":{"name":"x","properties":{"code":"pa-31","model":"m"},
               "Locations":[{"location":{"type":"Point","coordinates":[1,2]}}]}},
             {"id":"2","atomicityGroup":"g","method":"delete","url":"Things('pa-31')"}
            ]}
            """#
        try await application(database).test(.router) { client in
            let r = responses(try await batch(client, body))
            #expect(r["1"]?["status"]?.number == 501 && r["2"]?["status"]?.number == 501)
        }
        #expect(try AirNetwork(database).sensors().first { $0.code == "pa-31" } == nil)
    }

    @Test func aBatchThatIsNotOneIsRefusedWholeNamingTheRequest() async throws {
        try await application(database).test(.router) { client in
            let bad = try await batch(client, #"{"requests":[{"id":"1","method":"get","url":"Things"},{"id":"1","method":"frob","url":"Things"},{"id":"3","method":"get","url":"http://elsewhere/Things"}]}"#)
            #expect(bad.status == .badRequest && bad.text.contains("requests[1].id") && bad.text.contains("requests[2].url"), "\(bad.text)")
            let multipart = try await batch(client, "--b\r\n", type: "multipart/mixed; boundary=b")
            #expect(multipart.status == .unsupportedMediaType)
            let get = try await client.execute(uri: "/sta/v1.1/$batch", method: .get, headers: [.authorization: "Bearer \(ngo)"])
            #expect(get.status == .methodNotAllowed && get.headers[.allow] == "POST")
        }
    }
}
