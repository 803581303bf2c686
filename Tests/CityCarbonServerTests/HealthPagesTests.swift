import CarbonKit
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// The health co-benefit where the public reads it: beside an action's reductions and a
/// scenario's emissions, from the published statistics, in both languages and in the API.
@Suite("Health co-benefit pages")
struct HealthPagesTests {
    @Test("The demo's low-emission zone shows the deaths it avoids in its district, computed from the published statistics")
    func actionPage() async throws {
        let database = try demoWorkspace()
        let statistics = try StatisticsRepository(database).all(jurisdiction: "Old Town", edition: .published)
        let latest = try #require(statistics.last { $0.deaths != nil })
        let expected = try #require(latest.deaths) * (1 - exp(-log(1.08) / 10 * 1.2))
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/plans/helsinki-2035/actions/17", method: .get)
            #expect(page.text.contains(#"<section id="health">"#) && page.text.contains("Health co-benefit"))
            #expect(page.text.contains(#"<tr data-district="Old Town">"#))
            #expect(page.text.contains("about \(GroupedNumber.format(expected, decimals: 0)) deaths a year"))
            let zh = try await client.execute(uri: "/plans/helsinki-2035/actions/17?lang=zh-Hans", method: .get)
            #expect(zh.text.contains("健康协同效益") && zh.text.contains("每年约可避免"))
            let api = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions/17", method: .get)
            expectConforms(api, path: "/api/v1/plans/{plan}/actions/{action}")
            #expect(abs((api.json["health"]?["estimate"]?["avoided"]?.number ?? 0) - expected) < 1e-6)
            #expect(api.json["air_effect"]?["district"]?.string == "Old Town")
            let without = try await client.execute(uri: "/plans/helsinki-2035/actions/22", method: .get)
            #expect(!without.text.contains(#"id="health""#), "an action without an air effect claims no health benefit")
        }
    }

    @Test("Deaths that are only a draft change no public page: the estimate waits for their publication")
    func draftStatisticsStayOffPublicPages() async throws {
        let database = try demoWorkspace()
        try StatisticsRepository(database).importCSV(Array("jurisdiction,year,population,deaths\nOld Town,2024,430000,99999\n".utf8), file: "draft.csv")
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/plans/helsinki-2035/actions/17", method: .get)
            #expect(!page.text.contains("99,999") && page.text.contains("(2023)"))
        }
    }

    @Test("A scenario's page and API give the PM2.5 its fuel switches avoid beside its emissions, and name what is not counted")
    func scenario() async throws {
        try await application(try demoWorkspace()).test(.router) { client in
            let page = try await client.execute(uri: "/pathways/demo-planned", method: .get)
            #expect(page.text.contains(#"<table id="health-years">"#) && page.text.contains(#"id="health-uncounted""#))
            #expect(page.text.contains("II.1 On-road transportation: Motor gasoline ("), "a sector and a fuel by their names")
            #expect(!page.text.contains("without deaths in the published statistics"), "the city's own rows count over its districts")
            let api = try await client.execute(uri: "/api/v1/pathways/demo-planned", method: .get)
            expectConforms(api, path: "/api/v1/pathways/{scenario}")
            let years = try #require(api.json["health"]?["years"]?.array)
            let result = try #require(api.json["result"])
            #expect(years.count == result["years"]?.array?.count)
            let last = try #require(years.last)
            #expect(last["gross"]?.number == result["gross"]?.array?.last?.number, "beside the scenario's own gross emissions")
            #expect((last["estimate"]?["emissionTonnes"]?.number ?? 0) > 0 && (last["estimate"]?["avoided"]?.number ?? 0) > 0)
        }
    }

    @Test("An action that makes the air worse is said to cost deaths, in positive numbers")
    func worseAir() async throws {
        let database = try demoWorkspace()
        _ = try PlanRepository(database).importSheet(Array("kind,identifier,air_pollutant,air_district,air_concentration_reduction\naction,22,pm25,Old Town,-2\n".utf8),
                                                     file: "worse.csv", plan: "helsinki-2035", today: nil, actor: "test")
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/plans/helsinki-2035/actions/22", method: .get)
            #expect(page.text.contains("PM2.5 2.00 µg/m³ higher in Old Town") && page.text.contains("more deaths a year would occur"))
            #expect(page.text.firstMatch(of: /−[0-9]/) == nil, "no negative deaths or concentrations")
        }
    }

    @Test("A district that is not the city's is refused at import with its row, and by the staff form, changing nothing")
    func unknownDistrictRefused() throws {
        let database = try demoWorkspace()
        for district in ["Atlantis", "Оld Town", "Demo City"] {
            let error = #expect(throws: InputErrors.self) {
                _ = try PlanRepository(database).importSheet(Array("kind,identifier,air_pollutant,air_district,air_concentration_reduction\naction,22,pm25,\(district),1\n".utf8),
                                                             file: "air.csv", plan: "helsinki-2035", today: nil, actor: "test")
            }
            let issue = error?.issues.first
            #expect(issue?.location.file == "air.csv" && issue?.location.row == 2 && issue?.location.field == "air_district" && issue?.value == district)
        }
        #expect(try PlanRepository(database).actions(plan: "helsinki-2035").first { $0.identifier == "22" }?.airEffect == nil)
    }
}
