import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// A real city's own statistics and boundaries through the staff pages and the write API,
/// all or none, as the CLI loads them.
@Suite("City statistics and boundaries on the web and the API")
struct CityDataTests {
    static func square(_ name: String, _ x: Double) -> String {
        let ring = "[[\(x),30],[\(x + 0.1),30],[\(x + 0.1),30.1],[\(x),30.1],[\(x),30]]"
        return #"{"type":"Feature","properties":{"name":"\#(name)"},"geometry":{"type":"Polygon","coordinates":[\#(ring)]}}"#
    }

    @Test("The climate office loads a yearbook's statistics in the browser: an error table names row and column and stores nothing; a good file becomes a draft")
    func statisticsInTheBrowser() async throws {
        let (database, district, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/city-data", method: .get, headers: admin.headers)
            #expect(page.status == .ok && page.text.contains(#"action="/staff/city-data/statistics""#))
            let before = try StatisticsRepository(database).all(edition: .current)
            let bad = multipart([("csrf", admin.csrf)], file: ("file", "yearbook.csv", "jurisdiction,year,population,energy_tce\n\(district),2024,400000,1200000\n"))
            let refused = try await client.execute(uri: "/staff/city-data/statistics", method: .post, headers: [.cookie: admin.cookie, .contentType: bad.contentType], body: bad.body)
            #expect(refused.status == .unprocessableContent && refused.text.contains(#"id="statistics-refused""#) && refused.text.contains("energy_method"))
            #expect(try StatisticsRepository(database).all(edition: .current) == before)
            let good = multipart([("csrf", admin.csrf)], file: ("file", "yearbook.csv",
                                 "jurisdiction,year,population,energy_tce,energy_method\n\(district),2024,400000,1200000,equivalent\n"))
            let loaded = try await client.execute(uri: "/staff/city-data/statistics", method: .post, headers: [.cookie: admin.cookie, .contentType: good.contentType], body: good.body)
            #expect(loaded.status == .ok && loaded.text.contains(#"id="statistics-loaded""#), "\(loaded.text.prefix(400))")
            #expect(try StatisticsRepository(database).all(jurisdiction: district, edition: .current).contains { $0.year == 2024 && $0.energyTce == 1_200_000 })
            #expect(try StatisticsRepository(database).all(jurisdiction: district, edition: .published).allSatisfy { $0.year != 2024 })
        }
    }

    @Test("The jurisdiction tree grows and moves in the browser; a cycle is refused and nothing changes")
    func jurisdictionsInTheBrowser() async throws {
        let (database, district, other) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let cycle = multipart([("csrf", admin.csrf)], file: ("file", "tree.csv", "name,level,parent\n\(district),district,\(other)\n\(other),district,\(district)\n"))
            let refused = try await client.execute(uri: "/staff/city-data/jurisdictions", method: .post, headers: [.cookie: admin.cookie, .contentType: cycle.contentType], body: cycle.body)
            #expect(refused.status == .unprocessableContent && refused.text.contains("cycle"))
            let before = try JurisdictionRepository(database).tree()
            #expect(before.nodes[district]?.parent == before.roots[0])
            let grown = multipart([("csrf", admin.csrf)], file: ("file", "tree.csv", "name,level,parent,code\nNew Port,township,\(district),990199\n"))
            let loaded = try await client.execute(uri: "/staff/city-data/jurisdictions", method: .post, headers: [.cookie: admin.cookie, .contentType: grown.contentType], body: grown.body)
            #expect(loaded.status == .ok && loaded.text.contains("1 jurisdictions added"), "\(loaded.text.prefix(300))")
            let moved = multipart([("csrf", admin.csrf)], file: ("file", "tree.csv", "name,level,parent,code\nNew Port,township,\(other),990199\n"))
            _ = try await client.execute(uri: "/staff/city-data/jurisdictions", method: .post, headers: [.cookie: admin.cookie, .contentType: moved.contentType], body: moved.body)
            #expect(try JurisdictionRepository(database).tree().nodes["New Port"]?.parent == other)
        }
    }

    @Test("Boundaries load in the browser; a ring that does not close is named with its feature")
    func boundariesInTheBrowser() async throws {
        let (database, district, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let open = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"\#(district)"},"geometry":{"type":"Polygon","coordinates":[[[120,30],[120.1,30],[120.1,30.1],[120,30.1]]]}}]}"#
            let bad = multipart([("csrf", admin.csrf)], file: ("file", "map.geojson", open))
            let refused = try await client.execute(uri: "/staff/city-data/boundaries", method: .post, headers: [.cookie: admin.cookie, .contentType: bad.contentType], body: bad.body)
            #expect(refused.status == .unprocessableContent && refused.text.contains("features[0].geometry.coordinates[0]") && refused.text.contains("does not close"))
            let good = multipart([("csrf", admin.csrf)], file: ("file", "map.geojson", #"{"type":"FeatureCollection","features":[\#(Self.square(district, 120))]}"#))
            let loaded = try await client.execute(uri: "/staff/city-data/boundaries", method: .post, headers: [.cookie: admin.cookie, .contentType: good.contentType], body: good.body)
            #expect(loaded.status == .ok && loaded.text.contains(#"id="boundaries-loaded""#))
            let served = try await client.execute(uri: "/api/v1/boundaries", method: .get)
            #expect(served.text.contains("[[[120,30],[120.1,30],[120.1,30.1],[120,30.1],[120,30]]]"))
        }
    }

    @Test("The write API takes statistics and boundaries from an admin's key: 201 as documented; a bad file is 400 naming its place")
    func writeAPI() async throws {
        let (database, district, _) = try staffWorkspace()
        let secret = try APIKeyRepository(database).create(name: "statistics-bureau", role: .admin, organisation: nil, jurisdictions: [], actor: "admin").secret
        try await application(database).test(.router) { client in
            var headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "text/csv"]
            let csv = "jurisdiction,year,population,gdp,gdp_unit,source\n\(district),2024,401000,600.5,10^8 CNY,yearbook 2025\n"
            let created = try await client.execute(uri: "/api/v1/statistics?file=yearbook-2025.csv", method: .post, headers: headers, body: ByteBuffer(string: csv))
            #expect(created.status == .created && created.json["rows"]?.number == 1, "\(created.text)")
            expectConforms(created, path: "/api/v1/statistics", method: "post", status: "201")
            #expect(try AuditTrail(database).events(entity: "statistics").first?.actor == "api-key:statistics-bureau")
            let bad = try await client.execute(uri: "/api/v1/statistics", method: .post, headers: headers, body: ByteBuffer(string: csv.replacingOccurrences(of: "10^8 CNY", with: "yuan")))
            #expect(bad.status == .badRequest && bad.text.contains("gdp_unit"))
            headers[.contentType] = "application/geo+json"
            let map = #"{"type":"FeatureCollection","features":[\#(Self.square(district, 121))]}"#
            let boundaries = try await client.execute(uri: "/api/v1/boundaries", method: .post, headers: headers, body: ByteBuffer(string: map))
            #expect(boundaries.status == .created && boundaries.json["features"]?.number == 1, "\(boundaries.text)")
            expectConforms(boundaries, path: "/api/v1/boundaries", method: "post", status: "201")
        }
    }
}
