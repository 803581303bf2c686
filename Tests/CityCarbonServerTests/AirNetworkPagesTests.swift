import AirQuality
import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import CityCarbonServer

/// A sensor's public page and the office's page of the network's quality with its collocations.
@Suite("Air network pages")
struct AirNetworkPagesTests {
    /// The demo city with an account of every role and the demo's week of air hours.
    func workspace() throws -> (database: CityCarbonDatabase, district: String, otherDistrict: String) {
        let found = try staffWorkspace()
        try DemoAir.seed(found.database, by: "test")
        return found
    }

    @Test func aSensorsPageShowsItsDailyMeansItsLastHoursAndItsCollocation() async throws {
        let (database, _, _) = try workspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/air/sensors/pa-1?lang=en", method: .get)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("Northbank school gate") && html.contains("US-wide PurpleAir correction"))
            // The demo's school gate reads about 1.6 × the station beside it: its collocation misses EPA's slope target.
            #expect(html.contains("misses: slope"))
            #expect(html.contains("<h2 id=\"daily-title\">Daily mean PM2.5, last 30 days</h2>") && html.contains("Sensor&#39;s reading") || html.contains("Sensor's reading"))
            let hours = try #require(html.range(of: "<table id=\"hours\">").map { String(html[$0.lowerBound...]) })
            #expect(hours.components(separatedBy: "<tr><td>").count - 1 == 24)
            let chinese = try await client.execute(uri: "/air/sensors/pa-1?lang=zh-Hans", method: .get)
            #expect(chinese.text.contains("近30天PM2.5日均值") && chinese.text.contains("未达标"))
            #expect(try await client.execute(uri: "/air/sensors/nobody", method: .get).status == .notFound)
            // The sensor table of /air links each sensor to its page.
            #expect(try await client.execute(uri: "/air", method: .get).text.contains("href=\"/air/sensors/pa-1\""))
        }
    }

    @Test func theMapColoursEachDistrictByItsCategoryAndPutsEverySensorOnIt() async throws {
        let (database, _, _) = try workspace()
        try await application(database).test(.router) { client in
            let html = try await client.execute(uri: "/air?lang=en", method: .get).text
            let map = try #require(html.range(of: "<svg").map { String(html[$0.lowerBound...]) }.flatMap { svg in svg.range(of: "</svg>").map { String(svg[..<$0.upperBound]) } })
            #expect(html.contains("id=\"air-map\"") || map.contains("air-map"))
            // Every sensor is a marker linking to its page: ten in the demo, two of them squares (reference monitors).
            #expect(map.components(separatedBy: "class=\"marker\"").count - 1 == 10)
            #expect(map.components(separatedBy: "<rect ").count - 1 >= 2 && map.contains("href=\"/air/sensors/station-1\""))
            #expect(map.contains("href=\"/air/districts/Northbank\"") && map.contains("#00e400"))
            // Inside the city's outline: the demo places each sensor in its own district.
            let sensors = try AirNetwork(database).sensors()
            #expect(sensors.allSatisfy { (120.0...120.24).contains($0.longitude) && (30.2...30.3).contains($0.latitude) })
        }
    }

    /// One figure, one definition: a district's page shows the index its row on /air shows.
    @Test func aDistrictsAirPageShowsTheIndexOfItsRowOnAirAndItsSensors() async throws {
        let (database, _, _) = try workspace()
        try await application(database).test(.router) { client in
            let air = try await client.execute(uri: "/air?lang=en", method: .get).text
            let row = try #require(air.range(of: "<a href=\"/air/districts/Northbank\">Northbank</a>").map { String(air[$0.upperBound...].prefix(400)) })
            let index = try #require(row.range(of: "</span> ").map { String(row[$0.upperBound...].prefix { $0.isNumber }) })
            let page = try await client.execute(uri: "/air/districts/Northbank?lang=en", method: .get)
            #expect(page.status == .ok && page.text.contains("Air-quality index now") && page.text.contains(": \(index), "), "\(index)")
            #expect(page.text.contains("href=\"/air/sensors/pa-1\"") && page.text.contains("href=\"/air/sensors/station-1\"") && !page.text.contains("pa-2\""))
            #expect(page.text.components(separatedBy: "<tr><td>20").count - 1 == 7)
            #expect(try await client.execute(uri: "/air/districts/Atlantis", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/air/districts/Northbank?lang=zh-Hans", method: .get).text.contains("近七天日空气质量指数"))
        }
    }

    @Test func aSensorsNameIsTextNotMarkup() async throws {
        let (database, _, _) = try workspace()
        try AirNetwork(database).register(AirSensor(code: "pa-x", name: "<script>alert(1)</script>", owner: "O", model: "M", grade: .lowCost,
                                                    latitude: 30, longitude: 120), by: "test")
        try await application(database).test(.router) { client in
            let html = try await client.execute(uri: "/air/sensors/pa-x", method: .get).text
            #expect(!html.contains("<script>alert(1)</script>") && html.contains("&lt;script&gt;"))
            #expect(html.contains("No day of the last 30"))
        }
    }

    @Test func theOfficeSeesEverySensorsWeekAndRunsACollocation() async throws {
        let (database, _, _) = try workspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/air?lang=en", method: .get, headers: admin.headers)
            #expect(page.status == .ok && page.text.contains("168 of 168 (100 %)") && page.text.contains("action=\"/staff/air/collocations\""))
            let offset = try CitySettingsRepository(database).current().utcOffsetMinutes * 60
            let today = Day(ordinal: Day(year: 1970, month: 1, day: 1)!.ordinal + (Int(Date().timeIntervalSince1970) + offset) / 86_400)
            let run = try await client.execute(uri: "/staff/air/collocations", method: .post, headers: admin.formHeaders(), body: admin.form([
                ("sensor", "pa-2"), ("reference", "station-2"), ("parameter", "pm25"), ("from", today.adding(days: -6).description), ("to", today.description),
            ]))
            #expect(run.status == .seeOther, "\(run.text)")
            let kept = try #require(try AirCollocations(database).list(sensor: "pa-2").first)
            #expect(kept.reference == "station-2" && kept.fit.pairs > 100 && kept.createdBy == "admin")
            let bad = try await client.execute(uri: "/staff/air/collocations", method: .post, headers: admin.formHeaders(), body: admin.form([
                ("sensor", "pa-2"), ("reference", "pa-3"), ("parameter", "pm25"), ("from", "yesterday"), ("to", today.description),
            ]))
            #expect(bad.status == .badRequest && bad.text.contains("<code>from</code>") && bad.text.contains("role=\"alert\""), "\(bad.text.prefix(300))")
            let notReference = try await client.execute(uri: "/staff/air/collocations", method: .post, headers: admin.formHeaders(), body: admin.form([
                ("sensor", "pa-2"), ("reference", "pa-3"), ("parameter", "pm25"), ("from", today.description), ("to", today.description),
            ]))
            #expect(notReference.status == .badRequest && notReference.text.contains("is not a reference monitor"))
            #expect(try AirCollocations(database).list(sensor: "pa-2").count == 1)
            // The fit becomes pa-2's calibration from the button beside it; the page then says it is in use.
            let offered = try await client.execute(uri: "/staff/air?lang=en", method: .get, headers: admin.headers)
            #expect(offered.text.contains("action=\"/staff/air/collocations/\(kept.id)/calibrate\"") && offered.text.contains("Calibrate pa-2 with this fit"))
            let calibrate = try await client.execute(uri: "/staff/air/collocations/\(kept.id)/calibrate", method: .post, headers: admin.formHeaders(),
                                                     body: admin.form([]))
            #expect(calibrate.status == .seeOther, "\(calibrate.text.prefix(300))")
            #expect(try AirNetwork(database).sensors().first { $0.code == "pa-2" }?.correction == "collocation-\(kept.id)")
            let inUse = try await client.execute(uri: "/staff/air?lang=en", method: .get, headers: admin.headers)
            #expect(inUse.text.contains("In use as the sensor&#39;s calibration") || inUse.text.contains("In use as the sensor's calibration"))
            let sensorPage = try await client.execute(uri: "/air/sensors/pa-2", method: .get)
            #expect(sensorPage.text.contains("fitted by collocation \(kept.id) with station-2"))
            let unknown = try await client.execute(uri: "/staff/air/collocations/999999/calibrate", method: .post, headers: admin.formHeaders(),
                                                   body: admin.form([]))
            #expect(unknown.status == .badRequest && unknown.text.contains("is not a kept collocation"))
        }
    }

    @Test func aViewerReadsTheNetworkButRunsNothingAndAScopedAccountSeesItsOwnSensorsOnly() async throws {
        let (database, district, _) = try workspace()
        try AirNetwork(database).register(AirSensor(code: "pa-own", name: "Own gate", owner: "\(district) office", model: "PA-II", grade: .lowCost,
                                                    latitude: 30, longitude: 120), by: "test")
        try await application(database).test(.router) { client in
            let viewer = try await signIn(client, "viewer")
            let read = try await client.execute(uri: "/staff/air?lang=en", method: .get, headers: viewer.headers)
            #expect(read.status == .ok && read.text.contains("pa-1") && !read.text.contains("action=\"/staff/air/collocations\""))
            let refused = try await client.execute(uri: "/staff/air/collocations", method: .post, headers: viewer.formHeaders(), body: viewer.form([("sensor", "pa-1")]))
            #expect(refused.status == .forbidden)
            let editor = try await signIn(client, "editor")
            let own = try await client.execute(uri: "/staff/air?lang=en", method: .get, headers: editor.headers).text
            #expect(own.contains("pa-own") && !own.contains("<code>pa-1</code>"))
        }
    }
}
