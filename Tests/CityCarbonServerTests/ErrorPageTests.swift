import CityCarbonStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// A browser gets an error page of the site in its language; an API client keeps problem JSON.
@Suite("Error pages for browsers")
struct ErrorPageTests {
    static let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    @Test func aBrowserAskingForAMissingPageGetsAPageOfTheSiteThatLinksHome() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/inventory/1999", method: .get, headers: [.accept: Self.browser]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.contains("<title>Page not found</title>"))
                #expect(response.text.contains("There is no page at /inventory/1999."))
                #expect(response.text.contains(#"<a href="/">Go to the dashboard</a>"#))
            }
        }
    }

    @Test func theErrorPageIsInTheLanguageTheReaderChose() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/no-such-page", method: .get, headers: [.accept: Self.browser, .cookie: "lang=zh-Hans"]) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains(#"<html lang="zh-Hans">"#))
                #expect(response.text.contains("页面不存在") && !response.text.contains("Page not found"))
            }
        }
    }

    @Test func aPathInThePageIsEscaped() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/%3Cscript%3Ex", method: .get, headers: [.accept: Self.browser]) { response in
                #expect(response.status == .notFound)
                #expect(!response.text.contains("<script"))
            }
        }
    }

    @Test func apiClientsAndTheAPIKeepProblemJSON() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            for (path, accept) in [("/no-such-page", "application/json"), ("/no-such-page", "*/*"), ("/api/v1/no-such", Self.browser)] {
                try await client.execute(uri: path, method: .get, headers: [.accept: accept]) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/problem+json", "\(path) \(accept)")
                }
            }
        }
    }

    @Test("A refused request's page names each problem: the field, the value and what would do")
    func problemsNamed() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            try await client.execute(uri: "/ioc?refresh=5", method: .get, headers: [.accept: Self.browser]) { response in
                #expect(response.status == .badRequest)
                let page = String(buffer: response.body)
                #expect(page.contains("refresh") && page.contains("60") && page.contains("86400"), "the allowed range is said")
            }
            try await client.execute(uri: "/?layer=junk", method: .get, headers: [.accept: Self.browser]) { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("emissions, per_capita, assessment, live"))
            }
        }
    }
}
