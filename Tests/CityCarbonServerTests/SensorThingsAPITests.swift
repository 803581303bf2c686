import CarbonMonitoring
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import CityCarbonServer

/// The SensorThings API 1.1 read side against the demo city's monitoring and air networks.
@Suite("SensorThings API")
struct SensorThingsAPITests {
    let database: CityCarbonDatabase
    let admin: String

    init() throws {
        database = try AirPagesTests.workspace()
        admin = try APIKeyRepository(database).create(name: "office", role: .admin, actor: "test").secret
    }

    func get(_ client: some TestClientProtocol, _ uri: String, key: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(key ?? admin)", .accept: "application/json"])
    }

    /// The path and query of an absolute link this server gave.
    func local(_ link: String?) throws -> String {
        let link = try #require(link)
        let path = try #require(link.range(of: "/sta/v1.1/"), "\(link)")
        #expect(link.hasPrefix("http://") && !link[..<path.lowerBound].dropFirst(7).isEmpty, "\(link) is not absolute")
        return String(link[path.lowerBound...])
    }

    @Test func theServiceDocumentListsEverySensingEntitySetWithAbsoluteURLs() async throws {
        try await application(database).test(.router) { client in
            let root = try await get(client, "/sta/v1.1")
            let names = root.json["value"]?.array?.compactMap { $0["name"]?.string }
            #expect(names == ["Things", "Locations", "HistoricalLocations", "Datastreams", "MultiDatastreams", "Sensors", "ObservedProperties",
                              "Observations", "FeaturesOfInterest"])
            #expect(try local(root.json["value"]?.array?.first?["url"]?.string) == "/sta/v1.1/Things")
        }
    }

    @Test func followingNextLinksVisitsEveryThingOnce() async throws {
        try await application(database).test(.router) { client in
            var seen: [String] = []
            var next: String? = "/sta/v1.1/Things?$top=4&$count=true"
            var total: Double?
            while let uri = next {
                let page = try await get(client, uri)
                #expect(page.status == .ok, "\(page.text)")
                total = total ?? page.json["@iot.count"]?.number
                seen += page.json["value"]?.array?.compactMap { $0["@iot.selfLink"]?.string } ?? []
                next = try page.json["@iot.nextLink"]?.string.map(local)
            }
            let sites = try MonitoringRegistry(database).sites().count, sensors = try AirNetwork(database).sensors().count
            #expect(seen.count == sites + sensors && Set(seen).count == seen.count)
            #expect(total == Double(sites + sensors))
        }
    }

    @Test func aFilterSelectsAndOrdersThings() async throws {
        try await application(database).test(.router) { client in
            let page = try await get(client, "/sta/v1.1/Things?$filter=properties/network%20eq%20'air'%20and%20not%20startswith(name,%20'%E7%A2%B3')&$orderby=name%20desc&$select=name,id")
            #expect(page.status == .ok, "\(page.text)")
            let names = page.json["value"]?.array?.compactMap { $0["name"]?.string } ?? []
            #expect(names.count == (try AirNetwork(database).sensors().count))
            #expect(names == names.sorted(by: >))
            #expect(page.json["value"]?.array?.first?.object.map { Set($0.keys) } == ["@iot.id", "name"])
        }
    }

    @Test func aDatastreamsObservationsAreFilteredOrderedCountedAndPaged() async throws {
        let stream = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.datastream.key == "nb-tower/elec" })
        let (from, median) = try database.read { db in
            (try Int64.fetchOne(db, sql: "SELECT MIN(t) FROM monitor_reading WHERE datastream_id = ?", arguments: [stream.id])!,
             try Double.fetchOne(db, sql: "SELECT value FROM monitor_reading WHERE datastream_id = ? ORDER BY value LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM monitor_reading WHERE datastream_id = ?)",
                                 arguments: [stream.id, stream.id])!)
        }
        let until = from + 7 * 86_400
        let expected = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM monitor_reading WHERE datastream_id = ? AND t >= ? AND t < ? AND value > ?",
                             arguments: [stream.id, from, until, median])!
        }
        #expect(expected > 3)
        try await application(database).test(.router) { client in
            let filter = "phenomenonTime ge \(Timestamp.iso(from)) and phenomenonTime lt \(Timestamp.iso(until)) and result gt \(median)"
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let page = try await get(client, "/sta/v1.1/Datastreams(\(stream.id))/Observations?$filter=\(filter)&$orderby=result%20desc&$top=3&$count=true")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.json["@iot.count"]?.number == Double(expected))
            let results = page.json["value"]?.array?.compactMap { $0["result"]?.number } ?? []
            #expect(results.count == 3 && results == results.sorted(by: >) && results.allSatisfy { $0 > median })
            let next = try await get(client, try local(page.json["@iot.nextLink"]?.string))
            #expect(next.json["value"]?.array?.first?["result"]?.number ?? .infinity <= results.last!)
        }
    }

    @Test func newestFirstPagesBackwardsAndCountsInTheStore() async throws {
        let stream = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.datastream.key == "nb-tower/elec" })
        let times = try database.read { db in
            try Int64.fetchAll(db, sql: "SELECT t FROM monitor_reading WHERE datastream_id = ? AND value >= 50 ORDER BY t DESC", arguments: [stream.id])
        }
        #expect(times.count > 8)
        try await application(database).test(.router) { client in
            var seen: [String] = []
            var next: String? = "/sta/v1.1/Datastreams(\(stream.id))/Observations?$filter=result%20ge%2050&$orderby=phenomenonTime%20desc&$top=4&$count=true"
            for _ in 0..<3 {
                let page = try await get(client, try #require(next))
                #expect(page.json["@iot.count"]?.number == Double(times.count), "\(page.text.prefix(300))")
                seen += page.json["value"]?.array?.compactMap { $0["phenomenonTime"]?.string } ?? []
                next = try local(page.json["@iot.nextLink"]?.string)
            }
            #expect(seen == times.prefix(12).map(Timestamp.iso))
        }
    }

    @Test func aCreatedObservationsLocationAnswersWithIt() async throws {
        let key = try APIKeyRepository(database).create(name: "acme", role: .integration, organisation: "Acme Property", actor: "admin").secret
        let stream = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.datastream.key == "nb-tower/elec" })
        let time = (stream.lastTime ?? 0) + 900
        try await application(database).test(.router) { client in
            let created = try await client.execute(uri: "/sta/v1.1/Observations", method: .post,
                                                   headers: [.authorization: "Bearer \(key)", .contentType: "application/json", .accept: "application/json"],
                                                   body: ByteBuffer(string: #"{"phenomenonTime":"\#(Timestamp.iso(time))","result":123.5,"Datastream":{"@iot.id":\#(stream.id)}}"#))
            #expect(created.status == .created, "\(created.text)")
            let location = try local(created.headers[.location])
            let read = try await get(client, location, key: key)
            #expect(read.status == .ok, "\(read.text)")
            #expect(read.json["result"]?.number == 123.5 && read.json["phenomenonTime"]?.string == Timestamp.iso(time))
            let back = try await get(client, location + "/Datastream/name/$value", key: key)
            #expect(back.text == "nb-tower/elec")
        }
    }

    @Test func anAirSensorsObservationGoesThroughTheNetworksChecksAndReadsBack() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600
        try await application(database).test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(admin)", .contentType: "application/json"]
            // An hour the sheet did not have; PM2.5 far out of range is kept raw and flagged, not used.
            let sent = try await client.execute(uri: "/sta/v1.1/Observations", method: .post, headers: headers, body: ByteBuffer(string:
                #"{"phenomenonTime":"\#(Timestamp.iso(hour - 30 * 3600))","result":5000,"Datastream":{"@iot.id":"station-x:pm25"}}"#))
            #expect(sent.status == .created, "\(sent.text)")
            let read = try await get(client, try local(sent.headers[.location]))
            #expect(read.json["result"] == .null && read.json["parameters"]?["raw"]?.number == 5000, "\(read.text)")
            #expect(read.json["resultQuality"]?.array?.isEmpty == false)
            let stream = try await get(client, "/sta/v1.1/Datastreams('station-x:pm25')")
            #expect(stream.json["phenomenonTime"]?.string?.hasPrefix(Timestamp.iso(hour - 30 * 3600)) == true, "\(stream.text)")
            let dataArray = #"[{"Datastream":{"@iot.id":"station-x:pm10"},"components":["phenomenonTime","result"],"dataArray":[["\#(Timestamp.iso(hour - 3600))/\#(Timestamp.iso(hour))",40],["\#(Timestamp.iso(hour))",42]]}]"#
            let many = try await client.execute(uri: "/sta/v1.1/CreateObservations", method: .post, headers: headers, body: ByteBuffer(string: dataArray))
            #expect(many.status == .created && many.json.array?.count == 2, "\(many.text)")
            // An interval names its hour by the start, as the air network does.
            let pm10 = try await get(client, "/sta/v1.1/Datastreams('station-x:pm10')/Observations?$count=true")
            #expect(pm10.json["@iot.count"]?.number == 2)
            #expect(pm10.json["value"]?.array?.compactMap { $0["phenomenonTime"]?.string } == [Timestamp.iso(hour - 3600), Timestamp.iso(hour)])
        }
    }

    @Test func anAirObservationOutsideTheHourOrTheKeysScopeIsRefusedAndNothingIsStored() async throws {
        let ngo = try APIKeyRepository(database).create(name: "ngo", role: .integration, organisation: "Clean Air NGO", actor: "admin").secret
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600
        let before = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM air_hour") }
        try await application(database).test(.router) { client in
            func post(_ body: String, key: String, path: String = "Observations") async throws -> TestResponse {
                try await client.execute(uri: "/sta/v1.1/\(path)", method: .post,
                                         headers: [.authorization: "Bearer \(key)", .contentType: "application/json"], body: ByteBuffer(string: body))
            }
            let notAnHour = try await post(#"{"phenomenonTime":"\#(Timestamp.iso(hour - 1800))","result":10,"Datastream":{"@iot.id":"station-x:pm25"}}"#, key: admin)
            #expect(notAnHour.status == .badRequest && notAnHour.text.contains("hour's start"), "\(notAnHour.text)")
            let future = try await post(#"{"phenomenonTime":"\#(Timestamp.iso(hour + 7200))","result":10,"Datastream":{"@iot.id":"station-x:pm25"}}"#, key: admin)
            #expect(future.status == .badRequest && future.text.contains("future"))
            let theirs = try await post(#"{"phenomenonTime":"\#(Timestamp.iso(hour))","result":10,"Datastream":{"@iot.id":"station-x:pm25"}}"#, key: ngo)
            #expect(theirs.status == .forbidden, "\(theirs.text)")
            let unknown = try await post(#"{"phenomenonTime":"\#(Timestamp.iso(hour))","result":10,"Datastream":{"@iot.id":"station-x:pm1"}}"#, key: admin)
            #expect(unknown.status == .badRequest && unknown.text.contains("air sensor's parameter"))
            let mixed = try await post(#"[{"Datastream":{"@iot.id":1},"components":["phenomenonTime","result"],"dataArray":[["\#(Timestamp.iso(hour))",1]]},{"Datastream":{"@iot.id":"station-x:pm25"},"components":["phenomenonTime","result"],"dataArray":[["\#(Timestamp.iso(hour))",1]]}]"#,
                                       key: admin, path: "CreateObservations")
            #expect(mixed.status == .badRequest && mixed.text.contains("mixes meter channels and air sensors"))
        }
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM air_hour") } == before)
    }

    @Test func aPartnerRegistersAnAirSensorAsAThingWithItsLocation() async throws {
        let ngo = try APIKeyRepository(database).create(name: "ngo", role: .integration, organisation: "Clean Air NGO", actor: "admin").secret
        try await application(database).test(.router) { client in
            func post(_ body: String, key: String) async throws -> TestResponse {
                try await client.execute(uri: "/sta/v1.1/Things", method: .post,
                                         headers: [.authorization: "Bearer \(key)", .contentType: "application/json"], body: ByteBuffer(string: body))
            }
            let created = try await post(#"""
                {"name":"School gate 17","properties":{"code":"pa-17","model":"PurpleAir PA-II","grade":"low_cost","correction":"epa-purpleair-2021"},
                 "Locations":[{"name":"gate","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[120.15,30.27]}}]}
                """#, key: ngo)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["properties"]?["owner"]?.string == "Clean Air NGO")
            let locations = try await get(client, try local(created.headers[.location]) + "/Locations", key: ngo)
            #expect(locations.json["value"]?.array?.first?["location"]?["coordinates"]?.array?.compactMap(\.number) == [120.15, 30.27])
            // Posting the same sensor again does not replace it.
            let again = try await post(#"{"name":"moved","properties":{"code":"pa-17","model":"Other"},"Locations":[{"location":{"type":"Point","coordinates":[1,2]}}]}"#,
                                       key: ngo)
            #expect(again.status == .conflict && again.text.contains("pa-17"), "\(again.text)")
            let kept = try #require(try AirNetwork(database).sensors().first { $0.code == "pa-17" })
            #expect(kept.name == "School gate 17" && kept.model == "PurpleAir PA-II" && kept.correction == "epa-purpleair-2021" && kept.latitude == 30.27)
            // Another organisation's sensor is not taken over, and nothing about it changes.
            let takeover = try await post(#"{"name":"mine now","properties":{"code":"station-x","model":"PA-II"},"Locations":[{"location":{"type":"Point","coordinates":[1,2]}}]}"#,
                                          key: ngo)
            #expect(takeover.status == .conflict)
            #expect(try AirNetwork(database).sensors().first { $0.code == "station-x" }?.owner == "Bureau")
            // A NUL would cut the name where it is stored: refused, naming where it is.
            let nul = try await post(#"{"name":"before\u0000after","properties":{"code":"pa-20","model":"PA-II"},"Locations":[{"location":{"type":"Point","coordinates":[1,2]}}]}"#,
                                     key: ngo)
            #expect(nul.status == .badRequest && nul.text.contains("u0000"), "\(nul.text)")
            let noPlace = try await post(#"{"name":"x","properties":{"code":"pa-18"}}"#, key: ngo)
            #expect(noPlace.status == .badRequest && noPlace.text.contains("Locations"))
            let badGrade = try await post(#"{"name":"x","properties":{"code":"pa-18","model":"PA-II","grade":"premium"},"Locations":[{"location":{"type":"Point","coordinates":[1,2]}}]}"#,
                                          key: ngo)
            #expect(badGrade.status == .badRequest && badGrade.text.contains("properties.grade"))
            let unowned = try await post(#"{"name":"x","properties":{"code":"pa-19"},"Locations":[{"location":{"type":"Point","coordinates":[1,2]}}]}"#, key: admin)
            #expect(unowned.status == .badRequest && unowned.text.contains("properties.owner") && unowned.text.contains("properties.model"))
            #expect(try AirNetwork(database).sensors().filter { ["pa-18", "pa-19", "pa-20"].contains($0.code) }.isEmpty)
        }
    }

    @Test func expansionsNestWithTheirOwnOptions() async throws {
        let code = try #require(try AirNetwork(database).sensors().first?.code)
        try await application(database).test(.router) { client in
            let thing = try await get(client, "/sta/v1.1/Things('\(code)')?$expand=Locations,Datastreams($select=name;$top=1;$count=true;$expand=Observations($top=2))")
            #expect(thing.status == .ok, "\(thing.text)")
            #expect(thing.json["Locations"]?.array?.first?["location"]?["type"]?.string == "Point")
            let streams = thing.json["Datastreams"]?.array ?? []
            #expect(streams.count == 1 && (thing.json["Datastreams@iot.count"]?.number ?? 0) >= 1)
            #expect(streams.first?["Observations"]?.array?.count == 2)
            #expect(try local(thing.json["HistoricalLocations@iot.navigationLink"]?.string) == "/sta/v1.1/Things('\(code)')/HistoricalLocations")
        }
    }

    @Test func anExpandedSetsNextLinkKeepsItsFilterSelectionAndCount() async throws {
        let stream = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.datastream.key == "nb-tower/elec" })
        let median = try database.read { db in
            try Double.fetchOne(db, sql: "SELECT value FROM monitor_reading WHERE datastream_id = ? ORDER BY value LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM monitor_reading WHERE datastream_id = ?)",
                                arguments: [stream.id, stream.id])!
        }
        try await application(database).test(.router) { client in
            let expand = "Observations($filter=result gt \(median);$count=true;$top=5;$select=id,result)"
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let first = try await get(client, "/sta/v1.1/Datastreams(\(stream.id))?$expand=\(expand)")
            #expect(first.status == .ok, "\(first.text)")
            let count = try #require(first.json["Observations@iot.count"]?.number)
            var seen = first.json["Observations"]?.array ?? []
            var next = try local(first.json["Observations@iot.nextLink"]?.string)
            // Following the links gives exactly the counted observations, each above the bound and with the selection.
            while true {
                let page = try await get(client, next)
                #expect(page.status == .ok, "\(page.text)")
                seen += page.json["value"]?.array ?? []
                guard let link = page.json["@iot.nextLink"]?.string else { break }
                next = try local(link)
            }
            #expect(Double(seen.count) == count)
            #expect(seen.allSatisfy { ($0["result"]?.number ?? -.infinity) > median && $0["phenomenonTime"] == nil })
        }
    }

    @Test func topZeroGivesTheCountAndNoNextPage() async throws {
        let stream = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.datastream.key == "nb-tower/elec" })
        try await application(database).test(.router) { client in
            for path in ["/sta/v1.1/Datastreams(\(stream.id))/Observations", "/sta/v1.1/Things"] {
                let page = try await get(client, "\(path)?$top=0&$count=true")
                #expect(page.status == .ok, "\(page.text)")
                #expect((page.json["@iot.count"]?.number ?? 0) > 0 && page.json["value"]?.array?.isEmpty == true)
                #expect(page.json["@iot.nextLink"] == nil, "\(path)")
            }
        }
    }

    @Test func observationsComeAsADataArrayPerDatastream() async throws {
        let code = try #require(try AirNetwork(database).sensors().first?.code)
        try await application(database).test(.router) { client in
            let page = try await get(client, "/sta/v1.1/Datastreams('\(code):pm25')/Observations?$resultFormat=dataArray&$top=5")
            #expect(page.status == .ok, "\(page.text)")
            let group = page.json["value"]?.array?.first
            #expect(group?["components"]?.array?.compactMap(\.string) == ["id", "phenomenonTime", "result", "resultTime"])
            #expect(group?["dataArray"]?.array?.count == 5 && group?["dataArray@iot.count"]?.number == 5)
        }
    }

    @Test func refusalsNameTheProblemAndUnsupportedFeaturesAre501() async throws {
        try await application(database).test(.router) { client in
            let bad = try await get(client, "/sta/v1.1/Things?$filter=name%20eq%20'x")
            #expect(bad.status == .badRequest && bad.text.contains("$filter at character 9"), "\(bad.text)")
            #expect(try await get(client, "/sta/v1.1/Things?$filter=st_within(name,%20geography'POINT(1%202)')").status == .notImplemented)
            #expect(try await get(client, "/sta/v1.1/Things(999999)").status == .notFound)
            #expect(try await get(client, "/sta/v1.1/Thingz").status == .badRequest)
            #expect(try await client.execute(uri: "/sta/v1.1/Things", method: .get).status == .unauthorized)
        }
    }

    @Test func aScopedKeySeesOnlyItsOrganisationsThings() async throws {
        let key = try APIKeyRepository(database).create(name: "acme", role: .integration, organisation: "Acme Property", actor: "admin").secret
        let other = try #require(try MonitoringRegistry(database).sites().first { $0.site.organisation != "Acme Property" })
        try await application(database).test(.router) { client in
            let things = try await get(client, "/sta/v1.1/Things?$top=1000", key: key)
            #expect(things.json["value"]?.array?.allSatisfy { $0["properties"]?["organisation"]?.string == "Acme Property" } == true)
            #expect(try await get(client, "/sta/v1.1/Things(\(other.id))", key: key).status == .notFound)
            let acme = Set(try MonitoringRegistry(database).sites().filter { $0.site.organisation == "Acme Property" }.map(\.site.key))
            let observations = try await get(client, "/sta/v1.1/Observations?$top=200&$expand=Datastream", key: key)
            let sites = observations.json["value"]?.array?.compactMap { $0["Datastream"]?["properties"]?["site"]?.string } ?? []
            #expect(!sites.isEmpty && Set(sites).isSubset(of: acme))
        }
    }
}
