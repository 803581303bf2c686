import AirQuality
import CarbonKit
import CityCarbonStore
import Foundation
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// `/air` and `/api/v1/air` over HTTP: the same index on the page and in the API, in both
/// languages, conforming to the OpenAPI document; a flagged hour is counted, never used.
@Suite("Air quality pages")
struct AirPagesTests {
    static func workspace() throws -> CityCarbonDatabase {
        let database = try demoWorkspace()
        let network = AirNetwork(database)
        let tree = try JurisdictionRepository(database).tree()
        let city = try #require(tree.roots.first)
        let district = try #require(tree.children(of: city).first)
        try network.register(AirSensor(code: "station-x", name: "MARKERSTATION", owner: "Bureau", model: "BAM-1020", grade: .reference,
                                       latitude: 30, longitude: 120, district: district), by: "admin")
        // The last 24 hours up to the current one: PM2.5 70 µg/m³, one hour out of range.
        let now = Int64(Date().timeIntervalSince1970) / 3600 * 3600
        var lines = ["sensor,hour,parameter,value"]
        for step in 0..<24 {
            let hour = now - Int64(23 - step) * 3600
            let day = Day(ordinal: Day("1970-01-01")!.ordinal + Int(hour / 86_400))
            lines.append(String(format: "station-x,%@T%02d:00:00Z,pm25,%@", day.description, Int(hour % 86_400) / 3600, step == 3 ? "5000" : "70"))
        }
        _ = try network.load(Array(lines.joined(separator: "\n").utf8), file: "station.csv", by: "station")
        return database
    }

    @Test func thePageAndTheAPIShowTheSameIndexAndTheAPIConforms() async throws {
        let database = try Self.workspace()
        try await inclusionApplication(database).test(.router) { client in
            let api = try await client.execute(uri: "/api/v1/air", method: .get)
            #expect(api.status == .ok)
            expectConforms(api, path: "/api/v1/air")
            // 23 valid hours of 70 µg/m³ (one out of range is not used): 110 under HJ 633-2026.
            #expect(api.json["now"]?["aqi"]?.number == 110 && api.json["now"]?["primary"]?.array?.first?.string == "pm25")
            let sensor = api.json["sensors"]?.array?.first { $0["code"]?.string == "station-x" }
            #expect(sensor?["flaggedLastWeek"]?.number == 1 && sensor?["flags"]?["out_of_range"]?.number == 1)
            let english = try await client.execute(uri: "/air?lang=en", method: .get)
            #expect(english.status == .ok && english.text.contains("aqi-3\"></span> 110</div>") && english.text.contains("Lightly polluted"))
            #expect(english.text.contains("1 of 24 (4 %)") && english.text.contains("MARKERSTATION"))
            let chinese = try await client.execute(uri: "/air?lang=zh-Hans", method: .get)
            #expect(chinese.text.contains("轻度污染") && chinese.text.contains("生态环境部《环境空气质量指数（AQI）技术规定》"))
            let finnish = try await client.execute(uri: "/air?lang=fi", method: .get)
            #expect(finnish.text.contains("Lievästi saastunut") && !finnish.text.contains("Lightly polluted"))
        }
    }

    @Test func theSensorTableHasThreeColumnsSoAPhoneShowsTheFlaggedHours() async throws {
        let database = try Self.workspace()
        try await inclusionApplication(database).test(.router) { client in
            let page = try await client.execute(uri: "/air?lang=en", method: .get).text
            let table = try #require(page.range(of: "<table id=\"sensor-table\">").map { String(page[$0.lowerBound...]) })
            let head = try #require(table.range(of: "</thead>").map { String(table[..<$0.lowerBound]) })
            #expect(head.components(separatedBy: "<th ").count - 1 == 3)
            #expect(table.contains("MARKERSTATION") && table.contains("<br><small>Bureau</small></td>"))
        }
    }

    @Test func aSensorsAggregatesCountItsValidHoursWithCoverage() async throws {
        let database = try Self.workspace()
        let today = Day.today
        try await inclusionApplication(database).test(.router) { client in
            let uri = "/api/v1/air/sensors/station-x/aggregates?parameter=pm25&period=day&from=\(today.adding(days: -2))&to=\(today.adding(days: 1))"
            let days = try await client.execute(uri: uri, method: .get)
            #expect(days.status == .ok)
            expectConforms(days, path: "/api/v1/air/sensors/{code}/aggregates")
            let results = days.json["results"]?.array ?? []
            // Four local days expected in full; the 23 valid hours of 70 µg/m³ (one out of range is not counted) fall in them.
            #expect(results.count == 4 && results.allSatisfy { $0["expected"]?.number == 24 })
            #expect(results.reduce(0) { $0 + ($1["observed"]?.number ?? 0) } == 23)
            #expect(results.compactMap { $0["mean"]?.number }.allSatisfy { $0 == 70 })
            let hours = try await client.execute(uri: "/api/v1/air/sensors/station-x/aggregates?period=hour_of_day", method: .get)
            #expect(hours.json["results"]?.array?.count == 24)
            let bad = try await client.execute(uri: "/api/v1/air/sensors/station-x/aggregates?parameter=pm2.5&period=week&from=2026-02-30", method: .get)
            #expect(bad.status == .badRequest && bad.text.contains("parameter") && bad.text.contains("period") && bad.text.contains("from"))
            let missing = try await client.execute(uri: "/api/v1/air/sensors/nobody/aggregates", method: .get)
            #expect(missing.status == .notFound)
            // Ten years back at most: an earlier `from` is moved up and the answer says from when.
            let long = try await client.execute(uri: "/api/v1/air/sensors/station-x/aggregates?period=year&from=2000-01-01&to=2030-12-31", method: .get)
            #expect(long.status == .ok && long.json["from"]?.string == "2020-12-31")
            let backwards = try await client.execute(uri: "/api/v1/air/sensors/station-x/aggregates?from=2026-05-01&to=2026-01-01", method: .get)
            #expect(backwards.status == .ok && backwards.json["results"]?.array?.isEmpty == true)
        }
    }

    @Test func anEmptyNetworkSaysSoAndTheAPIStillConforms() async throws {
        let database = try CityCarbonDatabase(path: try ScratchDirectory.make("air").appendingPathComponent("workspace.sqlite").path)
        try await inclusionApplication(database).test(.router) { client in
            let page = try await client.execute(uri: "/air", method: .get)
            #expect(page.status == .ok && page.text.contains("No sensor has sent an hour yet."))
            let api = try await client.execute(uri: "/api/v1/air", method: .get)
            expectConforms(api, path: "/api/v1/air")
            #expect(api.json["now"] == .null && api.json["sensors"]?.array?.isEmpty == true)
        }
    }
}
