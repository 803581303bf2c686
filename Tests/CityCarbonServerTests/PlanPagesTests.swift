import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Climate plan pages and API")
struct PlanPagesTests {
    @Test("The plan page lists all 147 Helsinki actions with a status chart, and filters by area")
    func planPage() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let all = try await client.execute(uri: "/plans/helsinki-2035", method: .get)
            #expect(all.status == .ok)
            #expect(all.text.contains("147 of 147 actions"))
            #expect(all.text.contains(#"aria-labelledby="status-t status-d""#))
            let transport = try await client.execute(uri: "/plans/helsinki-2035?category=A1", method: .get)
            #expect(transport.text.contains("30 of 147 actions"))
            #expect(transport.text.contains("The inner-city cycling network will be completed by 2025"))
            let chinese = try await client.execute(uri: "/plans/helsinki-2035?category=A1.2&lang=zh-Hans", method: .get)
            #expect(chinese.text.contains("共 147 项行动，显示 4 项"))
            #expect(chinese.text.contains("停车收费区域将会扩大"))
        }
    }

    @Test("An action's page shows its place in the plan, its status and its other language")
    func actionPage() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let page = try await client.execute(uri: "/plans/helsinki-2035/actions/22", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("Transport") && page.text.contains("Changes in vehicle technology"))
            #expect(page.text.contains("HSL (Helsinki Regional Transport Authority)"))
            #expect(page.text.contains(#"<p lang="zh-Hans">"#))
            let missing = try await client.execute(uri: "/plans/helsinki-2035/actions/148", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test("The plan API pages the actions, filters them, and matches the documented schema")
    func api() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let plans = try await client.execute(uri: "/api/v1/plans", method: .get)
            expectConforms(plans, path: "/api/v1/plans")
            #expect(plans.json["items"]?.array?.first?["actions"]?.number == 147)
            let page = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions?category=A2&per_page=10", method: .get)
            expectConforms(page, path: "/api/v1/plans/{plan}/actions")
            #expect(page.json["total"]?.number == 59)
            #expect(page.json["items"]?.array?.count == 10)
            let one = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions/147", method: .get)
            expectConforms(one, path: "/api/v1/plans/{plan}/actions/{action}")
            #expect(one.json["name"]?["zh-Hans"]?.string == "在每个理事会任期内评估行动计划")
            let bad = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions?status=finished", method: .get)
            #expect(bad.status == .badRequest)
            let none = try await client.execute(uri: "/api/v1/plans/nowhere/actions", method: .get)
            #expect(none.status == .notFound)
        }
    }
}

@Suite("Plan follow-up for the climate office")
struct PlanAttentionTests {
    @Test("Late actions with their reasons, never-updated actions and monitoring gaps are listed for staff")
    func attention() async throws {
        let (database, _, _) = try staffWorkspace()
        let plan = try #require(try PlanRepository(database).plan("helsinki-2035"))
        let lateBefore = PlanStatusCounts.of(try PlanRepository(database).actions(plan: "helsinki-2035"), plan: plan, today: .today).late
        let sheet = Array("kind,identifier,status,organisation,end_date,updated_on\naction,2,in_progress,Urban Environment Division,2025-12-31,2026-01-15\n".utf8)
        _ = try PlanRepository(database).importSheet(sheet, file: "status.csv", plan: "helsinki-2035", today: nil, actor: "admin")
        try await application(database).test(.router) { client in
            let viewer = try await signIn(client, "viewer")
            let page = try await client.execute(uri: "/staff/plans/helsinki-2035", method: .get, headers: viewer.headers)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("Late (\(lateBefore + 1))"))
            #expect(html.contains("its end date 2025-12-31 has passed"))
            let actions = try PlanRepository(database).actions(plan: "helsinki-2035")
            let gaps = actions.filter { !MonitoringGap.of($0, on: .today, settings: plan.settings).isEmpty }.count
            #expect(gaps > 100 && html.contains("Monitoring gaps (\(gaps))"), "few demo actions have a contact, a task or an indicator yet")
            let home = String(buffer: try await client.execute(uri: "/staff", method: .get, headers: viewer.headers).body)
            #expect(home.contains(#"href="/staff/plans/helsinki-2035""#))
        }
    }
}

@Suite("Indicator pages and API")
struct IndicatorPagesTests {
    @Test("Total emissions are an indicator read from the published inventories, beside the catalogue")
    func emissionsFromInventories() async throws {
        let database = try demoWorkspace()
        let published = try #require(try InventoryRepository(database).latest(year: 2023)).totals(year: 2023).basicPlus
        try await application(database).test(.router) { client in
            let list = try await client.execute(uri: "/api/v1/indicators", method: .get)
            expectConforms(list, path: "/api/v1/indicators")
            let items = list.json["items"]?.array ?? []
            // Total, per person, per unit of GDP, the five GPC sectors, then Hangzhou's 15.
            #expect(items.count == 3 + 5 + 15)
            #expect(items.first?["source"]?.string == "inventory:basic_plus_total")
            #expect(items.first?["values"]?.array?.last?["value"]?.number == published)
        }
    }

    @Test("An indicator's page draws its values, its straight path and its goal, with sources; pending goals say so")
    func detail() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let stock = try await client.execute(uri: "/indicators/forest_stock", method: .get)
            #expect(stock.status == .ok)
            #expect(stock.text.contains("stroke-dasharray"))
            #expect(stock.text.contains("Goal, 2025: 7,790"))
            #expect(stock.text.contains("Hangzhou 14th Five-Year Plan for Addressing Climate Change (2021)") && !stock.text.contains("seed 003"))
            let co2 = try await client.execute(uri: "/indicators/co2_per_gdp_cut?lang=zh-Hans", method: .get)
            #expect(co2.text.contains("完成省下达任务（2025）"))
            let one = try await client.execute(uri: "/api/v1/indicators/sponge_city", method: .get)
            expectConforms(one, path: "/api/v1/indicators/{indicator}")
            #expect(one.json["goals"]?.array?.first?["value"]?.number == 55)
            let missing = try await client.execute(uri: "/api/v1/indicators/nothing", method: .get)
            #expect(missing.status == .notFound)
        }
    }
    @Test("The binding cuts in energy and CO2 per unit of GDP are computed from the published statistics and inventories, not typed")
    func computedIntensityCuts() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let energy = try await client.execute(uri: "/api/v1/indicators/energy_per_gdp_cut", method: .get)
            #expect(energy.json["source"]?.string == "inventory:energy_intensity_reduction")
            let values = energy.json["values"]?.array ?? []
            #expect(values.compactMap { $0["year"]?.number }.map(Int.init) == [2020, 2021, 2022, 2023])
            // The demo's energy per 10^4 CNY (2020 prices) falls 3.5 % a year: 1 − 0.965³ = 10.14 % by 2023.
            let cut2023 = try #require(values.last?["value"]?.number)
            #expect(abs(cut2023 - 100 * (1 - pow(0.965, 3))) < 0.01, "\(cut2023)")
            let co2 = try await client.execute(uri: "/api/v1/indicators/co2_per_gdp_cut", method: .get)
            #expect(co2.json["source"]?.string == "inventory:co2_intensity_reduction")
            #expect((co2.json["values"]?.array ?? []).count == 4)
            // The province's number is pending: the cut is shown, not judged.
            #expect(co2.json["assessment"]?["status"]?.string == "no_goal")
        }
    }

    @Test("A baseline alone is shown as such, never as on track; every status reads in both languages")
    func honestStatus() async throws {
        for language in [Language.en, .zhHans] {
            for status in IndicatorAssessment.Status.allCases {
                let key = "indicators.status.\(status.rawValue)"
                #expect(Localizer(language)(key) != key, "\(language) \(key)")
            }
        }
        // Hangzhou's indicators carry their 2020 baselines only: none may claim to be on track.
        try await application(demoWorkspace()).test(.router) { client in
            let list = try await client.execute(uri: "/api/v1/indicators", method: .get)
            for item in list.json["items"]?.array ?? [] where (item["values"]?.array?.count ?? 0) < 2 {
                #expect(item["assessment"]?["status"]?.string != "on_track", "\(item["identifier"]?.string ?? "")")
            }
            let page = try await client.execute(uri: "/indicators/forest_stock", method: .get)
            #expect(page.text.contains("baseline only, no later value"))
        }
    }
}

@Suite("Plan API filters")
struct PlanAPIFilterTests {
    @Test("An empty status means any status, as the web form sends it; an unknown one is 400")
    func emptyStatus() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let any = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions?status=&per_page=1", method: .get)
            #expect(any.json["total"]?.number == 147)
            let notStarted = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions?status=not_started&per_page=1", method: .get)
            // The demo's illustrative progress (demo/action-progress.csv), its dates relative to the day it is loaded.
            #expect(notStarted.json["total"]?.number == 67)
            let late = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions?status=late", method: .get)
            #expect(late.json["total"]?.number == 9)
            let bad = try await client.execute(uri: "/api/v1/plans/helsinki-2035/actions?status=finished", method: .get)
            #expect(bad.status == .badRequest)
        }
    }
}
