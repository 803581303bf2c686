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

    @Test func aMovedThingKeepsItsPlacesAsHistoricalLocations() async throws {
        try await application(database).test(.router) { client in
            let moved = try await send(client, .patch, "/sta/v1.1/Locations('pa-9')", #"{"location":{"type":"Point","coordinates":[120.15,30.25]}}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            let renamed = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"name":"School gate, moved"}"#)
            #expect(renamed.status == .ok, "a change that is not a move records no place")
            let history = try await send(client, .get, "/sta/v1.1/Things('pa-9')/HistoricalLocations")
            let items = try #require(history.json["value"]?.array)
            #expect(items.count == 2, "\(history.text)")
            // In the order of their ids, as every set is: the place recorded later has the larger.
            let oldest = try #require(items.first?["@iot.id"]?.number), newest = try #require(items.last?["@iot.id"]?.number)
            #expect(newest > oldest && items.first?["time"]?.string != nil)
            let then = try await send(client, .get, "/sta/v1.1/HistoricalLocations(\(Int(oldest)))/Locations")
            #expect(then.json["value"]?.array?.first?["location"]?["coordinates"]?.array?.compactMap(\.number) == [120.1, 30.2])
            #expect(then.json["value"]?.array?.first?["@iot.id"]?.string == "pa-9@\(Int(oldest))")
            let now = try await send(client, .get, "/sta/v1.1/HistoricalLocations(\(Int(newest)))/Locations")
            #expect(now.json["value"]?.array?.first?["@iot.id"]?.string == "pa-9", "the latest place is the Thing's Location")
            let past = try await send(client, .get, "/sta/v1.1/Locations('pa-9@\(Int(oldest))')/Things")
            #expect(past.json["value"]?.array?.first?["@iot.id"]?.string == "pa-9")
            let current = try await send(client, .get, "/sta/v1.1/Locations('pa-9')/HistoricalLocations")
            #expect(current.json["value"]?.array?.map { $0["@iot.id"]?.number } == [newest])
            let all = try await send(client, .get, "/sta/v1.1/Locations?$filter=" + "startswith(name,'School')".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
            #expect(all.status == .ok)
            let unknown = try await send(client, .get, "/sta/v1.1/Locations('pa-9@\(Int(newest))')")
            #expect(unknown.status == .notFound, "the place it stands is its Location, not a past one")
        }
    }

    @Test func aJSONPatchAsFROSTsClientSendsItAppliesEveryOperationOrNone() async throws {
        try await application(database).test(.router) { client in
            let patch = #"[{"op":"replace","path":"/properties/model","value":"PurpleAir Flex"},{"op":"replace","path":"/properties/placement","value":"inside"}]"#
            let done = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", patch, type: "application/json-patch+json")
            #expect(done.status == .ok, "\(done.text)")
            #expect(try sensor()?.model == "PurpleAir Flex" && sensor()?.placement == .inside)
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

    @Test func aPartnerCannotMakeItsSensorAReferenceOrTakeItsCorrectionAway() async throws {
        try await application(database).test(.router) { client in
            let grade = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"properties":{"grade":"reference"}}"#)
            #expect(grade.status == .badRequest && grade.text.contains("air-quality office"), "\(grade.text)")
            let correction = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"properties":{"correction":null}}"#)
            #expect(correction.status == .badRequest && correction.text.contains("properties.correction"))
            let created = try await send(client, .post, "/sta/v1.1/Things", #"{"name":"x","properties":{"code":"pa-50","model":"m","grade":"reference"},"Locations":[{"location":{"type":"Point","coordinates":[120.1,30.2]}}]}"#)
            #expect(created.status == .badRequest && created.text.contains("properties.grade"))
            #expect(try sensor()?.grade == .lowCost && sensor()?.correction == "epa-purpleair-2021")
            // The city's own key may.
            let office = try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"properties":{"correction":"sensortoolkit-1.1"}}"#, key: admin)
            #expect(office.status == .ok)
            #expect(try sensor()?.correction == "sensortoolkit-1.1")
        }
    }

    @Test func aChangeThatTakesAwayWhatIsRequiredIsRefusedNotIgnored() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 3600
        try await application(database).test(.router) { client in
            #expect(try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"name":null}"#).status == .badRequest)
            #expect(try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"[{"op":"remove","path":"/name"}]"#, type: "application/json-patch+json").status == .badRequest)
            #expect(try await send(client, .patch, "/sta/v1.1/Things('pa-9')", #"{"name":5}"#).status == .badRequest)
            _ = try await send(client, .post, "/sta/v1.1/Observations", #"{"phenomenonTime":"\#(Timestamp.iso(hour))","result":20,"Datastream":{"@iot.id":"pa-9:pm10"}}"#)
            let uri = "/sta/v1.1/Observations('pa-9:pm10:\(hour)')"
            #expect(try await send(client, .patch, uri, #"{"result":null}"#).status == .badRequest)
            #expect(try await send(client, .patch, uri, #"{"result":1e400}"#).status == .badRequest)
            #expect(try await send(client, .get, uri).json["parameters"]?["raw"]?.number == 20)
            #expect(try sensor()?.name == "School gate")
        }
    }

    /// Found by an outside test: a PM2.5 hour sent again by itself lost its hour's humidity, so the value used became none.
    @Test func aPM25HourSentAgainIsCorrectedWithItsStoredHumidity() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 3600
        try await application(database).test(.router) { client in
            let both = #"[{"Datastream":{"@iot.id":"pa-9:pm25"},"components":["phenomenonTime","result"],"dataArray":[["\#(Timestamp.iso(hour))",20]]},{"Datastream":{"@iot.id":"pa-9:rh"},"components":["phenomenonTime","result"],"dataArray":[["\#(Timestamp.iso(hour))",50]]}]"#
            #expect(try await send(client, .post, "/sta/v1.1/CreateObservations", both).status == .created)
            let uri = "/sta/v1.1/Observations('pa-9:pm25:\(hour)')"
            let patched = try await send(client, .patch, uri, #"{"result":20.5}"#)
            // Barkjohn et al. (2021): 0.524 × 20.5 − 0.0862 × 50 + 5.75.
            #expect(abs((patched.json["result"]?.number ?? 0) - (0.524 * 20.5 - 0.0862 * 50 + 5.75)) < 1e-9, "\(patched.text)")
            #expect(patched.json["parameters"]?["correction"]?.string == "epa-purpleair-2021")
        }
    }

    /// Humidity that comes after its hour's PM2.5, or comes again, corrects the stored PM2.5 with it.
    @Test func humiditySentLaterCorrectsItsHoursPM25() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 7200
        try await application(database).test(.router) { client in
            func post(_ parameter: String, _ value: Double) async throws -> TestResponse {
                try await send(client, .post, "/sta/v1.1/Observations", #"{"phenomenonTime":"\#(Timestamp.iso(hour))","result":\#(value),"Datastream":{"@iot.id":"pa-9:\#(parameter)"}}"#)
            }
            let uri = "/sta/v1.1/Observations('pa-9:pm25:\(hour)')"
            _ = try await post("pm25", 30)
            let alone = try await send(client, .get, uri)
            #expect(alone.json["result"] == .null && alone.json["resultQuality"]?.array?.compactMap(\.string) == ["no_humidity"])
            _ = try await post("rh", 40)
            let corrected = try await send(client, .get, uri)
            #expect(abs((corrected.json["result"]?.number ?? 0) - (0.524 * 30 - 0.0862 * 40 + 5.75)) < 1e-9, "\(corrected.text)")
            #expect(corrected.json["resultQuality"]?.array?.isEmpty == true)
            _ = try await post("rh", 80)
            let again = try await send(client, .get, uri)
            #expect(abs((again.json["result"]?.number ?? 0) - (0.524 * 30 - 0.0862 * 80 + 5.75)) < 1e-9, "\(again.text)")
        }
    }

    @Test func anEntitysAllowNamesWhatItsTypeTakes() async throws {
        try await application(database).test(.router) { client in
            let delete = try await send(client, .delete, "/sta/v1.1/Locations('pa-9')")
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "GET, HEAD, PATCH, PUT")
            let post = try await send(client, .post, "/sta/v1.1/Things('pa-9')", "{}")
            #expect(post.status == .methodNotAllowed && post.headers[.allow] == "GET, HEAD, PATCH, PUT, DELETE")
        }
    }

    @Test func aCodeThatCouldPoseAsAnotherIsRefused() async throws {
        try await application(database).test(.router) { client in
            func create(_ code: String, name: String = "x") async throws -> TestResponse {
                try await send(client, .post, "/sta/v1.1/Things", #"{"name":"\#(name)","properties":{"code":"\#(code)","model":"m"},"Locations":[{"location":{"type":"Point","coordinates":[120.1,30.2]}}]}"#)
            }
            let posing = try await create("station-x:pm25"), slash = try await create("a/b"), cased = try await create("PA-9")
            let hidden = try await create("pa-60", name: "gate\\u202Eetag"), plain = try await create("pa-61")
            #expect(posing.status == .badRequest && slash.status == .badRequest && hidden.status == .badRequest, "\(posing.text) \(hidden.text)")
            #expect(cased.status == .conflict && plain.status == .created)
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
