import CarbonKit
import Foundation
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// Text the platform writes is said in the page's language, and stays English in the API.
@Suite("Generated text in the reader's language")
struct PhraseTests {
    @Test("A computed indicator value's source reads in Chinese on a Chinese page, nested parts included, and in English otherwise")
    func indicatorSource() {
        let statistics = Phrase(key: "source.sumBelow", arguments: ["count": .number(8), "name": .literal("示范城市")],
                                english: "sum of the 8 jurisdictions below 示范城市")
        let source = Phrase(key: "source.perCapita", arguments: ["year": .number(2015), "statistics": statistics],
                            english: "published inventory 2015 ÷ population (sum of the 8 jurisdictions below 示范城市)")
        #expect(Localizer(.zhHans).phrase(source) == "2015年已发布清单 ÷ 常住人口（示范城市下辖8个行政区之和）")
        #expect(Localizer(.en).phrase(source) == source.english)
        #expect(Localizer(.zhHans).phrase(.literal("Statistical yearbook 2023")) == "Statistical yearbook 2023")
        #expect(Localizer(.zhHans).phrase(Phrase(key: "no.such.key", english: "as written")) == "as written")
    }

    @Test("The demo's per-person emissions: their sources are Chinese on the Chinese page and English in the API")
    func indicatorPageAndAPI() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/indicators/emissions_per_capita?lang=zh-Hans", method: .get).text
            #expect(page.contains("2015年已发布清单 ÷ 常住人口（"))
            #expect(!page.contains("published inventory"))
            let api = try await client.execute(uri: "/api/v1/indicators/emissions_per_capita", method: .get).text
            #expect(api.contains(#""source":"published inventory 2015 ÷ population (sum of the 8 jurisdictions below"#))
        }
    }
}
