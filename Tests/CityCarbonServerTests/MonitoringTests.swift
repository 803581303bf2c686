import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Monitoring: ingestion API, SensorThings, nowcast, site and alert pages")
struct MonitoringTests {
    /// An integration key of the organisation that runs the Northbank Trade Tower.
    func acmeKey(_ database: CityCarbonDatabase, sites: [String] = []) throws -> String {
        try APIKeyRepository(database).create(name: "acme-bms", role: .integration, organisation: "Acme Property", sites: sites, actor: "admin").secret
    }

    func readings(_ database: CityCarbonDatabase) throws -> Int {
        try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") ?? 0 }
    }

    /// A quarter-hour after the demo's last reading, so these are new, and within the hour
    /// ahead of the clock that a reading may be stamped.
    let future = UnixSeconds(Date().timeIntervalSince1970) / 900 * 900 + 1800

    @Test("An integration key posts a CSV batch for its own site: 200 with the report, stored once when sent again")
    func csvBatch() async throws {
        let database = try demoWorkspace()
        let key = try acmeKey(database)
        let before = try readings(database)
        try await application(database).test(.router) { client in
            let csv = "datastream,time,value\nnb-tower/elec,\(Timestamp.iso(future)),410.5\nnb-tower/elec,\(Timestamp.iso(future + 900)),415\n"
            let headers: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "text/csv"]
            let response = try await client.execute(uri: "/api/v1/readings?source=bms.csv", method: .post, headers: headers, body: ByteBuffer(string: csv))
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["stored"]?.number == 2)
            expectConforms(response, path: "/api/v1/readings", method: "post", status: "200")
            let again = try await client.execute(uri: "/api/v1/readings", method: .post, headers: headers, body: ByteBuffer(string: csv))
            #expect(again.json["duplicates"]?.number == 2 && again.json["stored"]?.number == 0)
        }
        #expect(try readings(database) == before + 2)
        #expect(try AuditTrail(database).events(entity: "monitor_reading").first?.actor == "api-key:acme-bms")
    }

    @Test("A reading for another organisation's site is 403 and nothing of the batch is stored")
    func outOfScope() async throws {
        let database = try demoWorkspace()
        let key = try acmeKey(database)
        let before = try readings(database)
        try await application(database).test(.router) { client in
            let csv = "datastream,time,value\nnb-tower/elec,\(Timestamp.iso(future)),410\neg-steel/elec,\(Timestamp.iso(future)),50\n"
            let response = try await client.execute(uri: "/api/v1/readings", method: .post, headers: [.authorization: "Bearer \(key)", .contentType: "text/csv"],
                                                    body: ByteBuffer(string: csv))
            #expect(response.status == .forbidden)
            #expect(response.text.contains("eg-steel/elec"))
        }
        #expect(try readings(database) == before)
    }

    @Test("A bad CSV row is 400 naming row, column and value")
    func badRow() async throws {
        let database = try demoWorkspace()
        let key = try acmeKey(database)
        try await application(database).test(.router) { client in
            let csv = "datastream,time,value\nnb-tower/elec,\(Timestamp.iso(future)),410\nnb-tower/elec,tomorrow,411\nnb-tower/elekt,\(Timestamp.iso(future + 900)),1\n"
            let response = try await client.execute(uri: "/api/v1/readings", method: .post, headers: [.authorization: "Bearer \(key)", .contentType: "text/csv"],
                                                    body: ByteBuffer(string: csv))
            #expect(response.status == .badRequest)
            expectConforms(response, path: "/api/v1/readings", method: "post", status: "400", media: "application/problem+json")
            let errors = response.json["errors"]?.array ?? []
            #expect(errors.contains { $0["row"]?.number == 3 && $0["column"]?.number == 2 && $0["value"]?.string == "tomorrow" })
        }
    }

    @Test("An unknown datastream is named with its row")
    func unknownDatastream() async throws {
        let database = try demoWorkspace()
        let key = try acmeKey(database)
        try await application(database).test(.router) { client in
            let csv = "datastream,time,value\nnb-tower/elec,\(Timestamp.iso(future)),410\nnb-tower/elekt,\(Timestamp.iso(future + 900)),1\n"
            let response = try await client.execute(uri: "/api/v1/readings", method: .post, headers: [.authorization: "Bearer \(key)", .contentType: "text/csv"],
                                                    body: ByteBuffer(string: csv))
            #expect(response.status == .badRequest)
            #expect(response.json["errors"]?.array?.first?["row"]?.number == 3)
            #expect(response.json["errors"]?.array?.first?["value"]?.string == "nb-tower/elekt")
        }
    }

    @Test("SenML packs are read with their base name, time and unit; Wh becomes kWh")
    func senml() async throws {
        let database = try demoWorkspace()
        let key = try acmeKey(database)
        try await application(database).test(.router) { client in
            let pack = #"[{"bn":"nb-tower/","bt":\#(future),"n":"elec","u":"Wh","v":410000},{"n":"elec","t":900,"u":"kWh","v":411}]"#
            let response = try await client.execute(uri: "/api/v1/readings", method: .post, headers: [.authorization: "Bearer \(key)", .contentType: "application/senml+json"],
                                                    body: ByteBuffer(string: pack))
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["stored"]?.number == 2)
        }
        let stored = try await database.read { try Double.fetchOne($0, sql: "SELECT value FROM monitor_reading r JOIN monitor_datastream d ON d.id = r.datastream_id WHERE d.key = 'nb-tower/elec' AND r.t = ?", arguments: [future]) }
        #expect(stored == 410)
    }

    @Test("SensorThings CreateObservations takes a data array per Datastream and answers self links; a single Observation is 201 with Location")
    func sensorThings() async throws {
        let database = try demoWorkspace()
        let key = try acmeKey(database)
        let id = try #require(try MonitoringRegistry(database).datastreams(site: "nb-tower").first { $0.datastream.key == "nb-tower/elec" }?.id)
        try await application(database).test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "application/json"]
            let body = #"[{"Datastream":{"@iot.id":\#(id)},"components":["phenomenonTime","result"],"dataArray@iot.count":2,"dataArray":[["\#(Timestamp.iso(future))",400],["\#(Timestamp.iso(future - 900))/\#(Timestamp.iso(future + 900))",401]]}]"#
            let created = try await client.execute(uri: "/sta/v1.1/CreateObservations", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json.array?.count == 2)
            let single = try await client.execute(uri: "/sta/v1.1/Observations", method: .post, headers: headers,
                                                  body: ByteBuffer(string: #"{"phenomenonTime":"\#(Timestamp.iso(future + 1800))","result":399,"Datastream":{"@iot.id":\#(id)}}"#))
            #expect(single.status == .created)
            #expect(single.headers[.location] == "http://localhost/sta/v1.1/Observations('\(id)-\(future + 1800)')")
            let streams = try await client.execute(uri: "/sta/v1.1/Datastreams?$count=true", method: .get, headers: headers)
            // The key sees its own organisation's Datastreams only.
            #expect(streams.json["value"]?.array?.allSatisfy { $0["properties"]?["site"]?.string == "nb-tower" } == true)
            #expect(streams.json["@iot.count"]?.number == 2)
        }
    }

    @Test("SensorThings collections page with $top and $skip (encoded or not) and refuse a $top over 1000")
    func sensorThingsPaging() async throws {
        let database = try demoWorkspace()
        let admin = try APIKeyRepository(database).create(name: "office", role: .admin, actor: "test").secret
        try await application(database).test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(admin)"]
            let first = try await client.execute(uri: "/sta/v1.1/Things?%24top=5", method: .get, headers: headers)
            #expect(first.json["value"]?.array?.count == 5)
            #expect(first.json["@iot.nextLink"]?.string == "http://localhost/sta/v1.1/Things?$top=5&$skip=5")
            let last = try await client.execute(uri: "/sta/v1.1/Things?$top=5&$skip=10", method: .get, headers: headers)
            #expect(last.json["value"]?.array?.count == 2 && last.json["@iot.nextLink"] == nil)
            let refused = try await client.execute(uri: "/sta/v1.1/Things?$top=1001", method: .get, headers: headers)
            #expect(refused.status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/monitoring/alerts?status=closed", method: .get, headers: headers).status == .badRequest)
        }
    }

    @Test("Roll-ups: districts by day are public and follow their schema; sites need a key and show only its organisation's")
    func rollups() async throws {
        let database = try demoWorkspace()
        let key = try acmeKey(database)
        let today = MonitoringCalendar(utcOffsetMinutes: 480).day(endingAt: UnixSeconds(Date().timeIntervalSince1970))
        let range = "from=\(today.adding(days: -7))&to=\(today)"
        try await application(database).test(.router) { client in
            let districts = try await client.execute(uri: "/api/v1/monitoring/rollups?level=district&period=day&\(range)", method: .get)
            #expect(districts.status == .ok, "\(districts.text)")
            expectConforms(districts, path: "/api/v1/monitoring/rollups", method: "get", status: "200")
            let keys = Set(districts.json["rows"]?.array?.compactMap { $0["key"]?.string } ?? [])
            #expect(keys.contains("Westfield"))
            #expect(try await client.execute(uri: "/api/v1/monitoring/rollups?level=site&\(range)", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/monitoring/rollups/sites?level=site&\(range)", method: .get).status == .unauthorized)
            let sites = try await client.execute(uri: "/api/v1/monitoring/rollups/sites?level=site&\(range)", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(sites.status == .ok)
            #expect(Set(sites.json["rows"]?.array?.compactMap { $0["key"]?.string } ?? []) == ["nb-tower"])
        }
    }

    @Test("The climate office creates an integration key limited to one site on the keys page; another site of the same organisation is refused to it")
    func siteLimitedKey() async throws {
        let (database, _, _) = try staffWorkspace()
        try MonitoringRegistry(database).importSites(Array("""
            key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2
            lk-offices,Lakeside Business Park,building,office,Lakeside,Acme Property,I.2,18000
            """.utf8), file: "owner.csv", actor: "test")
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/api-keys", method: .post, headers: admin.formHeaders(),
                                                body: admin.form([("name", "tower-bms"), ("role", "integration"), ("organisation", "Acme Property"), ("sites", "nb-tower")]))
            #expect(page.status == .ok)
            let secret = try #require(page.text.range(of: #"cck_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(page.text[$0]) })
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "text/csv"]
            let own = try await client.execute(uri: "/api/v1/readings", method: .post, headers: headers,
                                               body: ByteBuffer(string: "datastream,time,value\nnb-tower/elec,\(Timestamp.iso(future)),400\n"))
            #expect(own.status == .ok)
            let other = try await client.execute(uri: "/api/v1/readings", method: .post, headers: headers,
                                                 body: ByteBuffer(string: "datastream,time,value\nlk-offices/elec,\(Timestamp.iso(future)),400\n"))
            #expect(other.status == .forbidden)
        }
    }

    @Test("The nowcast API is public and follows its schema; the page shows the city and every district with metered sites")
    func nowcast() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let api = try await client.execute(uri: "/api/v1/monitoring/nowcast", method: .get)
            #expect(api.status == .ok)
            expectConforms(api, path: "/api/v1/monitoring/nowcast", method: "get", status: "200")
            #expect(api.json["today_by_hour_kg_co2e"]?.array?.count == 24)
            let page = try await client.execute(uri: "/monitoring", method: .get)
            #expect(page.status == .ok)
            for district in ["Eastgate", "Westfield", "Northbank", "Hillcrest"] { #expect(page.text.contains(district)) }
            #expect(page.text.contains("<svg"))
        }
    }

    @Test("The nowcast counts what arrives: a reading raises today's total by exactly its emissions")
    func nowcastUpdates() async throws {
        let database = try demoWorkspace()
        let calendar = MonitoringCalendar(utcOffsetMinutes: 480)
        // An hour ahead of the demo's readings, not the last of its local day, asked about once complete.
        var hour = UnixSeconds(Date().timeIntervalSince1970) / 3600 + 1
        if calendar.slot(ofHour: hour).hourOfDay == 23 { hour += 1 }
        let probe = (hour + 1) * 3600 + 1
        let before = try MonitoringRepository(database).nowcast(now: probe)
        let report = try ReadingIngestor(database).ingest([Reading(datastream: "eg-steel/elec", time: hour * 3600 + 900, value: 10)], actor: "test", source: "t")
        let after = try MonitoringRepository(database).nowcast(now: probe)
        #expect(report.kgCO2e > 5000)
        #expect(abs(after.city.todayKg - before.city.todayKg - report.kgCO2e) < 1e-6)
        #expect(abs((after.districts.first { $0.name == "Eastgate" }!.todayKg) - (before.districts.first { $0.name == "Eastgate" }!.todayKg) - report.kgCO2e) < 1e-6)
    }

    @Test("In the first hour of a local day nothing is complete, yet every metered district and sector is listed at zero")
    func nowcastAtMidnight() throws {
        let database = try demoWorkspace()
        let calendar = MonitoringCalendar(utcOffsetMinutes: 480)
        let tomorrow = calendar.day(endingAt: UnixSeconds(Date().timeIntervalSince1970)).adding(days: 1)
        let nowcast = try MonitoringRepository(database).nowcast(now: calendar.start(ofDay: tomorrow) + 60)
        #expect(nowcast.hoursElapsed == 0)
        #expect(nowcast.districts.map(\.name) == ["Eastgate", "Harbour", "Hillcrest", "Lakeside", "Northbank", "Old Town", "Riverside", "Westfield"])
        #expect(nowcast.districts.allSatisfy { $0.todayKg == 0 })
        #expect(nowcast.sectors.map(\.name) == ["I.1", "I.2", "I.3"])
    }

    @Test("Staff see the wasteful one of the two construction sites marked against its twin")
    func sitesAndIntensity() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let list = try await client.execute(uri: "/staff/monitoring", method: .get, headers: admin.headers)
            #expect(list.status == .ok)
            let rowB = try #require(list.text.range(of: "data-site=\"wf-site-b\""))
            #expect(list.text[rowB.lowerBound...].prefix(80).contains("outlier"))
            let rowA = try #require(list.text.range(of: "data-site=\"wf-site-a\""))
            #expect(!list.text[rowA.lowerBound...].prefix(80).contains("outlier"))
            let site = try await client.execute(uri: "/staff/monitoring/sites/wf-site-b", method: .get, headers: admin.headers)
            #expect(site.status == .ok)
            #expect(site.text.contains("data-datastream=\"wf-site-b/diesel\""))
        }
    }

    @Test("A scoped account sees only its organisation's sites and alerts, and may acknowledge only those")
    func scopedStaff() async throws {
        let (database, district, _) = try staffWorkspace()
        // The reporter's organisation is "<district> office"; give it the hotel.
        try MonitoringRegistry(database).importSites(Array("""
            key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2
            ot-hotel,Old Town Grand Hotel,building,hotel,Old Town,\(district) office,I.2,15000
            """.utf8), file: "owner.csv", actor: "test")
        let alerts = try MonitoringRepository(database).alerts()
        let hotel = try #require(alerts.first { $0.site == "ot-hotel" })
        let other = try #require(alerts.first { $0.site != "ot-hotel" })
        try await application(database).test(.router) { client in
            let reporter = try await signIn(client, "reporter")
            let list = try await client.execute(uri: "/staff/monitoring", method: .get, headers: reporter.headers)
            #expect(list.text.contains("data-site=\"ot-hotel\"") && !list.text.contains("data-site=\"nb-tower\""))
            #expect(try await client.execute(uri: "/staff/monitoring/sites/nb-tower", method: .get, headers: reporter.headers).status == .notFound)
            let page = try await client.execute(uri: "/staff/monitoring/alerts", method: .get, headers: reporter.headers)
            #expect(page.text.contains("data-alert=\"\(hotel.id)\"") && !page.text.contains("data-alert=\"\(other.id)\""))
            let refused = try await client.execute(uri: "/staff/monitoring/alerts/\(other.id)/acknowledge", method: .post, headers: reporter.formHeaders(), body: reporter.form())
            #expect(refused.status == .notFound)
            let done = try await client.execute(uri: "/staff/monitoring/alerts/\(hotel.id)/acknowledge", method: .post, headers: reporter.formHeaders(), body: reporter.form())
            #expect(done.status == .seeOther)
        }
        #expect(try MonitoringRepository(database).alerts(status: "acknowledged").map(\.id) == [hotel.id])
    }
}
