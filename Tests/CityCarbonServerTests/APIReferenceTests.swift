import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// The API reference a person reads is rendered from the document clients use.
@Suite("API reference page")
struct APIReferenceTests {
    static func documentPaths() throws -> [String] {
        guard case let .object(members)? = JSONValue(parsing: String(decoding: try OpenAPIDocument.bytes(), as: UTF8.self)),
              case let .object(paths)? = members.first(where: { $0.0 == "paths" })?.1 else { return [] }
        return paths.map(\.0)
    }

    @Test func everyRouteOfTheDocumentIsOnThePageWithItsParametersAndAnswers() async throws {
        let paths = try Self.documentPaths()
        #expect(paths.count > 30)
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = response.text
                for path in paths { #expect(html.contains("<code>\(path.replacingOccurrences(of: "&", with: "&amp;"))</code>"), "\(path)") }
                // A parameter with its place, its values and its default; an answer with its media types.
                #expect(html.contains("<th scope=\"row\"><code>layout</code></th><td>query</td><td>no</td><td>string; gpc | ciris | cdp; default gpc</td>"))
                #expect(html.contains("<th scope=\"row\"><code>year</code></th><td>path</td><td>yes</td><td>integer; 1850–2300</td>"))
                #expect(html.contains("<dt><code>404</code></dt><dd><span>A problem (RFC 9457)</span> <small>(application/problem+json)</small></dd>"))
                #expect(html.contains(#"<a href="/api/v1/openapi.json">"#))
                #expect(html.contains(#"<a href="/api">API</a>"#), "the menu's API opens this page")
            }
        }
    }

    @Test func routesThatNeedAKeySaySo() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api", method: .get) { response in
                let readings = try #require(response.text.components(separatedBy: "<code>/api/v1/readings</code>").dropFirst().first)
                #expect(readings.prefix(2_000).contains("Needs an API key."))
            }
        }
    }

    @Test func inChineseThePageIsChineseAndTheDocumentsEnglishTextIsMarkedAsEnglish() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/api?lang=zh-Hans", method: .get) { response in
                let html = response.text
                #expect(html.contains(#"<html lang="zh-Hans">"#) && html.contains("<title>开放接口说明</title>"))
                #expect(html.contains("<td>查询</td><td>否</td>"))
                #expect(html.contains(#"<p lang="en">The GPC inventory of a published year</p>"#))
            }
        }
    }
}
