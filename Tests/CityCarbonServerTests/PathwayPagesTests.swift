import CarbonPathways
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Pathway pages, API and staff editing")
struct PathwayPagesTests {
    @Test("The comparison lists every published scenario with its peak and neutrality, and charts them by jurisdiction")
    func comparison() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/pathways", method: .get)
            #expect(page.status == .ok)
            for id in ["demo-baseline", "demo-planned", "demo-ambitious", "xiongan-2035"] { #expect(page.text.contains(#"data-scenario="\#(id)""#)) }
            #expect(page.text.contains(#"href="/pathways/xiongan-2035""#))
            #expect(page.text.contains("<svg") && page.text.contains("Net emissions by scenario: Demo City"))
        }
    }

    @Test("Xiong'an's page: neutrality in 2031, a wedge per measure in the chart, the forest stock beside the pathway")
    func xiongan() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/pathways/xiongan-2035", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"data-neutrality="2031""#))
            for wedge in ["coal-exit", "oil-to-power", "gas-to-power", "fossil-exit"] { #expect(page.text.contains(#"<polygon points"#) && page.text.contains(#"data-wedge="\#(wedge)""#)) }
            #expect(page.text.contains(#"data-series="band""#) && page.text.contains(#"data-series="net""#))
            #expect(page.text.contains(#"id="stocks""#) && page.text.contains("60,830"))
            #expect(page.text.contains(#"data-target="neutral-2035" data-met="true""#))
        }
    }

    @Test("The planned scenario links its plan actions, draws the abatement cost curve and the LMDI waterfall, and filters sectors by district")
    func planned() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/pathways/demo-planned", method: .get)
            #expect(page.text.contains(#"href="/plans/helsinki-2035/actions/22""#))
            #expect(page.text.contains(#"id="macc""#) && page.text.contains(#"data-macc="electric-vehicles""#))
            #expect(page.text.contains(#"id="lmdi""#) && page.text.contains(#"data-step="Population""#))
            let harbour = try await client.execute(uri: "/pathways/demo-planned?district=Harbour", method: .get)
            #expect(harbour.status == .ok && harbour.text.contains("<option selected>Harbour</option>"))
            #expect(harbour.text.contains(#"aria-label="Gross emissions by sector, t CO2e a year · Harbour"><table id="sectors"><caption>"#))
            #expect(harbour.text != page.text)
            let zh = try await client.execute(uri: "/pathways/demo-planned?lang=zh-Hans", method: .get)
            #expect(zh.text.contains("边际减排成本曲线"))
        }
    }

    @Test("A budget is told in a sentence, off the annual axis; the dearest measure is cut at the top of the cost curve with its cost written")
    func chartsThatRead() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/pathways/demo-planned", method: .get).text
            func svg(_ id: String) -> String {
                let start = page.range(of: #"aria-labelledby="\#(id)-t \#(id)-d""#)!.lowerBound
                return String(page[start...].prefix { _ in true }.split(separator: "</svg>", maxSplits: 1)[0])
            }
            // The value axis of the pathway stops near the 17.6 Mt baseline peak, not at the 300 Mt budget.
            let pathway = TextBox.all(in: svg("pathway")).filter { $0.anchor == "end" }.compactMap { Double($0.text.replacingOccurrences(of: ",", with: "")) }
            #expect(pathway.max() == 20)
            #expect(page.contains("At most 300 Mt from 2023 to 2060: the scenario emits 387.31 Mt CO2e over the budget&#39;s years, 129 % of the 300.00 Mt allowed"))
            // Heat pumps at 32,629 CNY/t are cut; the axis stays at the others' scale.
            let macc = svg("macc-chart")
            #expect(macc.contains(#"class="value clipped">32,629</text>"#))
            let costs = TextBox.all(in: macc).filter { $0.anchor == "end" && $0.kind == "tick" }.compactMap { Double($0.text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "−", with: "-")) }
            #expect(costs.max()! < 5000 && costs.min()! < 0)
            #expect(page.contains("must abate 3,757,745 t CO2e below the baseline; the measures on the curve abate 3,905,104 t CO2e together"))
        }
    }

    @Test("A target met only in the central estimate says so beside its chance")
    func centralAndChanceAgree() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/pathways/xiongan-2035", method: .get).text
            let row = page.components(separatedBy: "<tr data-target=").first { $0.hasPrefix(#""zero-2040""#) }
            #expect(row?.contains("in the central estimate only; most runs miss it") == true)
        }
    }

    @Test("The API gives the scenario and its run as the OpenAPI document says; the base year equals the published BASIC+ inventory")
    func api() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let list = try await client.execute(uri: "/api/v1/pathways", method: .get)
            expectConforms(list, path: "/api/v1/pathways")
            let one = try await client.execute(uri: "/api/v1/pathways/demo-planned", method: .get)
            expectConforms(one, path: "/api/v1/pathways/{scenario}")
            let json = try JSONSerialization.jsonObject(with: Data(buffer: one.body)) as! [String: Any]
            let result = json["result"] as! [String: Any]
            let id = try #require(try PublicationRepository(database).publishedInventoryID(year: 2023))
            let published = try #require(try InventoryRepository(database).inventory(id: id))
            #expect(abs((result["gross"] as! [Double])[0] - published.totals(year: 2023).basicPlus) < 1)
            #expect((json["monteCarlo"] as! [String: Any])["runs"] as? Int == 2000)
            let missing = try await client.execute(uri: "/api/v1/pathways/nowhere", method: .get)
            #expect(missing.status == .notFound)
            expectConforms(missing, path: "/api/v1/pathways/{scenario}", status: "404", media: "application/problem+json")
            let csv = try await client.execute(uri: "/pathways/demo-planned/pathway.csv", method: .get)
            #expect(csv.text.hasPrefix("year,baseline_t,gross_t,wedge_helsinki-18_t"))
            #expect(csv.text.split(separator: "\r\n").count == 39)
        }
    }

    @Test("The decomposition API adds up to the change between two published inventories; a missing or unpublished year is refused")
    func decomposition() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let ok = try await client.execute(uri: "/api/v1/decomposition?from=2015&to=2023", method: .get)
            expectConforms(ok, path: "/api/v1/decomposition")
            let json = try JSONSerialization.jsonObject(with: Data(buffer: ok.body)) as! [String: Any]
            let effects = (json["effects"] as! [String: Double]).values.reduce(0, +)
            #expect(abs(effects - (json["change"] as! Double)) < 1e-3)
            #expect(try await client.execute(uri: "/api/v1/decomposition?from=2015", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/decomposition?from=2016&to=2023", method: .get).status == .notFound)
        }
    }

    @Test("An editor changes a lever and the preview shows it; a share above 1 is refused with its field and nothing is saved")
    func editLevers() async throws {
        let database = try planWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let page = try await client.execute(uri: "/staff/pathways/demo-planned", method: .get, headers: editor.headers)
            #expect(page.status == .ok && page.text.contains(#"id="edit-scenario""#) && !page.text.contains(#"data-action="publish""#))
            let index = try #require(try PathwayRepository(database).scenario("demo-planned")?.scenario.measures.firstIndex { $0.id == "electric-vehicles" })
            let saved = try await client.execute(uri: "/staff/pathways/demo-planned", method: .post, headers: editor.formHeaders(),
                                                 body: editor.form([("amount.\(index)", "0.9"), ("start.\(index)", "2024"), ("full.\(index)", "2035")]))
            #expect(saved.status == .ok, "\(saved.text.prefix(400))")
            let stored = try #require(try PathwayRepository(database).scenario("demo-planned")).scenario.measures[index]
            #expect(stored.share == 0.9 && stored.ramp?.full == 2035)
            let before = try AuditTrail(database).version()
            let refused = try await client.execute(uri: "/staff/pathways/demo-planned", method: .post, headers: editor.formHeaders(),
                                                   body: editor.form([("amount.\(index)", "1.5")]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("field measures[\(index)].share: &#39;1.5&#39;") || refused.text.contains("field measures[\(index)].share: '1.5'"))
            #expect(try AuditTrail(database).version() == before)
            // "0,9" could be 0.9 or 9: refused naming the field, not read either way.
            let ambiguous = try await client.execute(uri: "/staff/pathways/demo-planned", method: .post, headers: editor.formHeaders(),
                                                     body: editor.form([("amount.\(index)", "0,9")]))
            #expect(ambiguous.status == .unprocessableContent || ambiguous.status == .badRequest)
            #expect(ambiguous.text.contains("measures[\(index)].share") && ambiguous.text.contains("ambiguous"))
            #expect(try AuditTrail(database).version() == before)
        }
    }

    @Test("A lever that names a plan action without a name of its own shows the action's name, not its identifier")
    func leverNamesFromThePlan() async throws {
        let database = try planWorkspace()
        var scenario = try #require(try PathwayRepository(database).scenario("demo-planned")).scenario
        let index = try #require(scenario.measures.firstIndex { $0.id == "helsinki-22" })
        scenario.measures[index].name = nil
        try PathwayRepository(database).save(scenario, actor: "test")
        let action = try #require(try PlanRepository(database).actions(plan: "helsinki-2035").first { $0.identifier == "22" })
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let page = try await client.execute(uri: "/staff/pathways/demo-planned", method: .get, headers: editor.headers).text
            let row = try #require(page.firstMatch(of: /<tr data-measure="helsinki-22"><th scope="row">(.*?)<\/th>/)).output.1
            #expect(String(row) == HTML(text: action.name.text("en")).markup)
        }
    }

    @Test("A new scenario is a draft until its editor submits it and the climate office publishes the version it reviewed")
    func draftThenPublish() async throws {
        let database = try planWorkspace()
        let scenario = String(decoding: try DemoCity.data("pathway-demo-baseline.json"), as: UTF8.self).replacingOccurrences(of: #""identifier": "demo-baseline""#, with: #""identifier": "district-test""#)
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let upload = multipart([("csrf", editor.csrf)], file: ("file", "district-test.json", scenario))
            let saved = try await client.execute(uri: "/staff/pathways", method: .post, headers: [.cookie: editor.cookie, .contentType: upload.contentType], body: upload.body)
            #expect(saved.status == .seeOther)
            #expect(try await client.execute(uri: "/pathways/district-test", method: .get).status == .notFound)
            let admin = try await signIn(client, "admin")
            // Not reviewable before it is submitted.
            let early = try await client.execute(uri: "/staff/pathways/district-test/publish", method: .post, headers: admin.formHeaders(),
                                                 body: admin.form([("digest", "")]))
            #expect(early.status == .conflict)
            let submitted = try await client.execute(uri: "/staff/pathways/district-test/submit", method: .post, headers: editor.formHeaders(), body: editor.form())
            #expect(submitted.status == .ok && !submitted.text.contains(#"data-action="publish""#))
            let review = try await client.execute(uri: "/staff/pathways/district-test/publish", method: .get, headers: admin.headers)
            let digest = try #require(review.text.range(of: #"name="digest" value=""#).map { String(review.text[$0.upperBound...].prefix { $0 != "\"" }) })
            #expect(try await client.execute(uri: "/staff/pathways/district-test/publish", method: .post, headers: admin.formHeaders(),
                                             body: admin.form([("digest", String(repeating: "0", count: 64))])).status == .conflict)
            let published = try await client.execute(uri: "/staff/pathways/district-test/publish", method: .post, headers: admin.formHeaders(),
                                                     body: admin.form([("digest", digest)]))
            #expect(published.status == .ok && published.text.contains(#"data-action="withdraw""#))
            #expect(try await client.execute(uri: "/pathways/district-test", method: .get).status == .ok)
        }
    }

    @Test("Withdrawing a past inventory leaves the scenarios running: the target measured from it shows no value")
    func withdrawnHistory() async throws {
        let database = try demoWorkspace()
        _ = try PublicationRepository(database).withdraw(year: 2015, by: "test")
        try await application(database).test(.router) { client in
            let list = try await client.execute(uri: "/api/v1/pathways", method: .get)
            #expect(list.status == .ok)
            expectConforms(list, path: "/api/v1/pathways")
            let one = try await client.execute(uri: "/api/v1/pathways/demo-planned", method: .get)
            #expect(one.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: one.body)) as! [String: Any]
            let targets = ((json["result"] as! [String: Any])["analysis"] as! [String: Any])["targets"] as! [[String: Any]]
            let cut = try #require(targets.first { $0["id"] as? String == "cut-2030" })
            #expect(cut["allowed"] == nil && cut["met"] as? Bool == false)
        }
    }
}

@Suite("Monte Carlo results kept by their inputs")
struct MonteCarloCacheTests {
    @Test("The same inputs give the kept result, equal to a fresh run; another seed or a changed scenario runs again")
    func keyedByInputs() throws {
        let database = try planWorkspace()
        let model = try PathwayRepository(database).model("xiongan-2035")
        let cache = MonteCarloCache(capacity: 4)
        let first = cache.result(model, runs: 50, seed: 7, language: "en")
        #expect(first == MonteCarlo.run(model, runs: 50, seed: 7, language: "en"))
        _ = cache.result(model, runs: 50, seed: 7, language: "en")
        #expect(cache.count == 1)
        _ = cache.result(model, runs: 50, seed: 8, language: "en")
        #expect(cache.count == 2)
        var changed = model.scenario
        changed.endYear -= 1
        let other = try PathwayModel(changed, base: model.base, requireTargetHistory: false)
        _ = cache.result(other, runs: 50, seed: 7, language: "en")
        #expect(cache.count == 3)
        for seed in 20..<30 { _ = cache.result(model, runs: 10, seed: UInt64(seed), language: "en") }
        #expect(cache.count <= 4, "bounded")
    }

    @Test("A page whose runs are not held answers at once without the band, says so and is not kept; once the runs are done it has the band")
    func bandsInTheBackground() async throws {
        let database = try demoWorkspace()
        var options = ServerOptions(freshness: .zero, passwordCost: 4)
        options.liveFreshness = .zero
        let app = Application(router: CityCarbonApplication.router(database: database, options: options, routeTable: RouteTable()))
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/pathways/xiongan-2035", method: .get).text
            #expect(first.contains(#"id="band-pending""#) && !first.contains(#"data-series="band""#))
            #expect(first.contains(#"data-neutrality="2031""#), "everything but the band is there")
            var whole = ""
            for _ in 0..<600 where !whole.contains(#"data-series="band""#) {
                try await Task.sleep(for: .milliseconds(50))
                whole = try await client.execute(uri: "/pathways/xiongan-2035", method: .get).text
            }
            #expect(whole.contains(#"data-series="band""#) && !whole.contains(#"id="band-pending""#))
        }
    }
}
