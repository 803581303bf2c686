import ClimatePlans
import CityCarbonStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// The one-screen view: the same standing, counts and warnings on the dashboard and on the
/// control-room screen, each number the one its own page shows.
@Suite("Where the city stands, on one screen")
struct CityOverviewTests {
    @Test("The dashboard says where 2023 stands against the straight path to the 2030 target, with the number the targets page judges by")
    func standing() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let dashboard = try await client.execute(uri: "/", method: .get).text
            // 16.10 Mt in 2023 against the straight path from 16.79 Mt (2015) to 13.43 Mt (2030).
            let expected = 16_786_319.7 + (13_429_055.8 - 16_786_319.7) * 8 / 15
            let percent = String(format: "%.1f", (16_101_327 - expected) / expected * 100)
            #expect(dashboard.contains("2023: 16.10 Mt CO2e, \(percent) % above the straight path to"))
            #expect(dashboard.contains(#"aria-labelledby="standing-t standing-d""#))
            #expect(dashboard.contains("does not reach net zero by 2060"))
            let targets = try await client.execute(uri: "/targets", method: .get).text
            #expect(targets.contains("off track") && dashboard.contains("(13.43 Mt in 2030): off track."))
            // The off-track target is among the warnings, as the targets page judges it.
            let warnings = try #require(dashboard.firstMatch(of: /<section class="panel warnings">.*?<\/section>/)).output
            #expect(warnings.contains(#"href="/targets#target-peak-2030""#) && !warnings.contains("No target or indicator"))
        }
    }

    @Test("The plan panel's stale count is the number of actions its link lists")
    func staleCountMatchesItsList() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let dashboard = try await client.execute(uri: "/", method: .get).text
            let match = try #require(dashboard.firstMatch(of: /href="\/plans\/helsinki-2035\?timeliness=stale">(\d+) open actions not updated in 180 days or never/))
            let list = try await client.execute(uri: "/plans/helsinki-2035?timeliness=stale", method: .get)
            #expect(list.status == .ok && list.text.contains("\(match.1) of 147 actions"))
            // The list says it is filtered, and its form keeps the filter.
            #expect(list.text.contains(#"<input type="checkbox" name="timeliness" value="stale" checked>"#))
            let wrong = try await client.execute(uri: "/plans/helsinki-2035?timeliness=soon", method: .get)
            #expect(wrong.status == .badRequest || wrong.status == .unprocessableContent)
        }
    }

    @Test("The control-room screen shows the dashboard's standing in large type, and reloads itself when asked to")
    func controlRoom() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let plain = try await client.execute(uri: "/ioc", method: .get).text
            #expect(!plain.contains("http-equiv=\"refresh\""), "a page reloads itself only when asked to")
            for wrong in ["10", "1e308", "-5", "NaN", "9223372036854775808"] {
                #expect(try await client.execute(uri: "/ioc?refresh=\(wrong)", method: .get).status.code / 100 == 4)
            }
            let wall = try await client.execute(uri: "/ioc?lang=zh-Hans&refresh=300", method: .get)
            #expect(wall.status == .ok)
            #expect(wall.text.contains(#"<meta http-equiv="refresh" content="300">"#) && wall.text.contains(#"<body class="wall">"#))
            #expect(wall.text.contains("比通往“") && wall.text.contains("的直线路径高"))
            let dashboard = try await client.execute(uri: "/?lang=zh-Hans", method: .get).text
            let sentence = try #require(dashboard.firstMatch(of: /2023年：16.10百万吨二氧化碳当量，[^<]+/)).output
            #expect(wall.text.contains(sentence))
        }
    }

    @Test("The demo city is at work: actions completed, in progress, late and stale, and its district editor owns actions to edit")
    func demoAtWork() throws {
        let database = try demoWorkspace()
        let plan = try #require(try PlanRepository(database).plan("helsinki-2035"))
        let actions = try PlanRepository(database).actions(plan: "helsinki-2035")
        let counts = PlanStatusCounts.of(actions, plan: plan, today: .today)
        #expect(counts.byStatus[.completed] == 18 && counts.byStatus[.late] == 9 && counts.byStatus[.inProgress] == 50)
        #expect(counts.stale > 0 && counts.stale < 147)
        let editor = Principal(actor: "editor", role: .editor, organisation: "Northbank district office", jurisdictions: ["Northbank"])
        #expect(actions.filter(editor.mayEdit).count >= 20)
        // HSL keeps its own actions.
        #expect(actions.first { $0.identifier == "22" }?.primaryOrganisation == "HSL")
    }

    @Test("A citizen reaches the yearly reports from the dashboard, the plan list and the plan, dated in the reader's form")
    func reportsAreLinked() async throws {
        let database = try demoWorkspace()
        try PlanReport.build(database: database, plan: "helsinki-2035", year: 2023, actor: "test")
        try await application(database).test(.router) { client in
            for page in ["/", "/plans", "/plans/helsinki-2035"] {
                #expect(try await client.execute(uri: page, method: .get).text.contains(#"href="/plans/helsinki-2035/reports""#), "\(page)")
            }
            let list = try await client.execute(uri: "/plans/helsinki-2035/reports?lang=zh-Hans", method: .get).text
            #expect(list.contains(#"href="/plans/helsinki-2035/reports/2023""#))
            #expect(try list.contains(#require(list.firstMatch(of: /第 1 版，\d{4}年\d{1,2}月\d{1,2}日/)).output) && !list.contains("T0"))
        }
    }
}

