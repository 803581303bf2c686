import CarbonAccounting
import CityCarbonStore
import CarbonKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Public dashboard")
struct DashboardTests {
    @Test("The dashboard shows the latest published totals, three charts with titles, and the open data")
    func dashboard() async throws {
        let database = try demoWorkspace()
        let latest = try #require(try InventoryRepository(database).latest(year: 2023))
        let basic = Localizer(.en).number(latest.totals(year: 2023).basic / 1e6, decimals: 2)
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = response.text
                #expect(html.contains(#"<html lang="en">"#))
                #expect(html.contains("BASIC total, 2023"))
                #expect(html.contains(#"<div class="value">\#(basic)</div>"#))
                // Four charts (the path to the targets, the trend, the sectors, the map), each drawn for a screen and
                // for a phone; the two whose bars and districts are links are groups, not images (an image's content
                // cannot be reached, and axe counts a link in one as serious).
                #expect(html.components(separatedBy: #"aria-labelledby=""#).count - 1 == 8)
                #expect(html.components(separatedBy: #"<details class="data">"#).count - 1 == 4)
                #expect(html.components(separatedBy: #"role="group" aria-labelledby="sectors-t sectors-d""#).count == 2)
                #expect(html.components(separatedBy: #"role="group" aria-labelledby="map-t map-d""#).count == 2)
                #expect(html.contains("Emissions by district, 2023"))
                #expect(html.contains(#"href="/api/v1/inventories/2015?format=csv""#))
                #expect(!html.contains("<script"), "the page works without JavaScript")
                #expect(response.body.readableBytes < 150_000)
            }
        }
    }

    @Test("A language chosen on any public page is remembered for the next, which its links reach without ?lang=")
    func languageChosenAnywhereIsRemembered() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            for path in ["/plans?lang=zh-Hans", "/factors?lang=zh-Hans", "/pathways?lang=zh-Hans", "/monitoring?lang=zh-Hans"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.headers[.setCookie]?.contains("lang=zh-Hans") == true, "\(path)")
                }
            }
            // Not from an API response, nor from a value that is no language.
            try await client.execute(uri: "/api/v1/inventories?lang=zh-Hans", method: .get) { response in
                #expect(response.headers[.setCookie] == nil)
            }
            try await client.execute(uri: "/plans?lang=xx", method: .get) { response in
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test("中文: ?lang=zh-Hans switches the page and remembers it in a cookie; Accept-Language is honoured")
    func chinese() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/?lang=zh-Hans", method: .get) { response in
                #expect(response.text.contains(#"<html lang="zh-Hans">"#))
                #expect(response.text.contains("2023年 BASIC 排放总量"))
                #expect(response.text.contains("示范城市") && !response.text.contains("<title>Demo City"))
                #expect(response.headers[.setCookie]?.contains("lang=zh-Hans") == true)
                #expect(response.headers[.setCookie]?.contains("HttpOnly") == true)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: "lang=zh-Hans"]) { response in
                #expect(response.text.contains("总览"))
            }
            // The city is named as its settings name it, on every page that names it.
            try await client.execute(uri: "/inventory/2023?lang=zh-Hans", method: .get) { response in
                #expect(response.text.contains("<title>示范城市"), "\(response.text.prefix(300))")
            }
            try await client.execute(uri: "/inventory/2023", method: .get) { response in
                #expect(response.text.contains("<title>Demo City"))
            }
            try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "zh-CN,zh;q=0.9"]) { response in
                #expect(response.text.contains("开放数据"))
            }
            try await client.execute(uri: "/?lang=en", method: .get) { response in
                #expect(response.text.contains("Open data"))
            }
        }
    }

    @Test("Withdrawing the latest year changes the public dashboard to the year before")
    func followsPublication() async throws {
        let database = try demoWorkspace()
        try PublicationRepository(database).withdraw(year: 2023)
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains("BASIC total, 2022"))
                #expect(!response.text.contains("BASIC total, 2023"))
                #expect(!response.text.contains("/api/v1/inventories/2023"))
                #expect(!response.text.contains("grid:cn_east:2023"), "provenance is the shown year's own")
            }
        }
    }

    @Test("A rendered page is reused until the data changes, then rendered again")
    func pageCache() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in #expect(response.text.contains("BASIC total, 2023")) }
            try PublicationRepository(database).withdraw(year: 2023)
            try await client.execute(uri: "/", method: .get) { response in #expect(response.text.contains("BASIC total, 2022")) }
            try await client.execute(uri: "/api/v1/inventories/2023", method: .get) { response in #expect(response.status == .notFound) }
            try PublicationRepository(database).publish(year: 2023, by: "test")
            try await client.execute(uri: "/", method: .get) { response in #expect(response.text.contains("BASIC total, 2023")) }
        }
    }

    @Test("With nothing published the dashboard says so")
    func empty() async throws {
        let directory = try ScratchDirectory.make("empty")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try CityCarbonDatabase(path: directory.appendingPathComponent("w.sqlite").path)
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Nothing published yet"))
            }
        }
    }

    @Test("The stylesheet is served from the server itself")
    func stylesheet() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/assets/site.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
                #expect(response.text.contains("@media print"))
            }
        }
    }
}
