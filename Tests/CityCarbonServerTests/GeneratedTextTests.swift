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

    @Test("Units read in the page's language: powers of ten as words, money by the language's names")
    func units() {
        let zh = Localizer(.zhHans), en = Localizer(.en)
        #expect(zh.unit("t CO2e per 10^4 CNY") == "吨二氧化碳当量/万元")
        #expect(zh.unit("t CO2e per person") == "吨二氧化碳当量/人")
        #expect(zh.unit("10^8 yuan") == "亿元")
        #expect(zh.unit("10^4 mu") == "万亩")
        #expect(zh.unit("10^4 kW") == "万千瓦")
        #expect(zh.unit("% vs 2020") == "%（较2020年）")
        #expect(en.unit("t CO2e per 10^4 CNY") == "t CO2e per 10,000 CNY")
        #expect(en.unit("10^4 m3") == "10,000 m³")
        #expect(en.unit("furlongs") == "furlongs" && zh.unit("10^4 furlongs") == "10^4 furlongs")
    }

    @Test("Assessment evidence and a target's allocation basis read in Chinese on Chinese pages, with grouped numbers")
    func evidenceAndAllocation() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let assessment = try await client.execute(uri: "/assessments/2023?lang=zh-Hans", method: .get).text
            #expect(assessment.contains("直线路径上应为") && !assessment.contains("on the straight path"))
            #expect(assessment.contains(try #require(assessment.firstMatch(of: /Eastgate 2023年：\d{1,3},\d{3},\d{3}吨/)).output))
            let targets = try await client.execute(uri: "/targets?lang=zh-Hans", method: .get).text
            #expect(targets.contains("2015年已发布清单，BASIC+ 吨二氧化碳当量（AR5）"))
            let english = try await client.execute(uri: "/targets", method: .get).text
            #expect(english.contains("published inventory 2015, BASIC+ t CO2e (AR5)"))
        }
    }

    @Test("A pathway's base year read from the inventory is said in the page's language; one that names its own source keeps it")
    func pathwayBase() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let zh = try await client.execute(uri: "/pathways/demo-planned?lang=zh-Hans", method: .get).text
            #expect(zh.contains("2023年活动数据与清单（BASIC+，GWP AR5）") && !zh.contains("activity data and inventory of"))
            let fi = try await client.execute(uri: "/pathways/demo-planned?lang=fi", method: .get).text
            #expect(fi.contains("vuoden 2023 toimintotiedot ja inventaario (BASIC+, GWP AR5)"))
            let xiongan = try await client.execute(uri: "/pathways/xiongan-2035?lang=zh-Hans", method: .get).text
            #expect(xiongan.contains("Xiong&#39;an planned energy structure"))
        }
    }
}

