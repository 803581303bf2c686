import CarbonKit
import CarbonPathways
import Foundation
import Testing
@testable import CityCarbonStore

@Suite("Pathway scenarios in the store")
struct PathwayRepositoryTests {
    func xiongan() throws -> PathwayResult {
        let scenario = try ScenarioFile.decode(try DemoCity.data("pathway-xiongan-2035.json"), file: "pathway-xiongan-2035.json")
        return try PathwayInputs(nil).model(scenario, file: "pathway-xiongan-2035.json").run()
    }

    @Test("Xiong'an reproduced: 3.8 Mtce in 2022 and 8.6 Mtce in 2035 with the planned shares and China's guideline factors give about 6.07 and 1.07 Mt CO2 (within 3 %)")
    func xionganEmissions() throws {
        let result = try xiongan()
        let y2022 = try #require(result.value(result.gross, in: 2022)), y2035 = try #require(result.value(result.gross, in: 2035))
        #expect(abs(y2022 / 6_070_000 - 1) < 0.03, "2022: \(y2022)")
        #expect(abs(y2035 / 1_070_000 - 1) < 0.03, "2035: \(y2035)")
        let y2030 = try #require(result.value(result.gross, in: 2030))
        #expect(abs(y2030 / 3_000_000 - 1) < 0.1, "the study's 'about 3 Mt in 2030': \(y2030)")
    }

    @Test("Xiong'an's sinks give net −1.56 Mt in 2035, neutrality in 2031 and zero gross emissions in 2040; the forest stock is reported, not subtracted")
    func xionganNeutrality() throws {
        let result = try xiongan()
        let net2035 = try #require(result.value(result.net, in: 2035))
        #expect(abs(net2035 - -1_560_000) < 50_000, "net 2035: \(net2035)")
        #expect(result.analysis.neutralityYear == 2031)
        #expect(result.analysis.grossZeroYear == 2040)
        #expect(result.stocks.map(\.id) == ["forest-stock"])
        #expect(result.sinks.map(\.id) == ["greening", "cement"])
    }

    @Test("A base from the inventory reproduces the published BASIC+ total of its year, and past years become the history")
    func baseFromInventory() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let model = try PathwayRepository(db).model("demo-planned")
        let result = model.run()
        let published = try #require(try TargetRepository.published(db, year: 2023))
        #expect(abs(result.gross[0] - published.totals(year: 2023).basicPlus) < 1e-6 * result.gross[0])
        #expect(result.historyYears == [2015, 2018, 2020, 2021, 2022])
        #expect(result.population?[0] ?? 0 > 0 && result.gdp?[0] ?? 0 > 0)
    }

    @Test("Action measures read their expected reductions and costs from the plan")
    func actionsFromPlan() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let model = try PathwayRepository(db).model("demo-planned")
        let buses = try #require(model.scenario.measures.first { $0.id == "helsinki-22" })
        #expect(buses.reductions == ["2025": 20_000, "2030": 60_000, "2035": 90_000])
        #expect(buses.cost?.capital == 300_000_000 && buses.cost?.currency == "CNY")
        let wedge = try #require(model.run().wedges.first { $0.id == "helsinki-22" })
        #expect(abs(wedge.tonnes[7] - 60_000) < 1e-6)
    }

    @Test("A scenario that does not run is refused with the field named, and nothing is saved")
    func refused() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let before = try AuditTrail(db).version()
        let text = #"{"identifier": "bad", "name": {"en": "Bad"}, "kind": "custom", "jurisdiction": "Demo City", "base": {"year": 2023, "fromInventory": true}, "endYear": 2050, "measures": [{"id": "x", "kind": "efficiency", "sectors": ["I.9"], "reduction": 0.1}]}"#
        #expect { try PathwayRepository(db).save(Array(text.utf8), file: "bad.json", actor: "t") } throws: { error in
            String(describing: error).contains("bad.json, field measures[0].sectors[0]: 'I.9'")
        }
        #expect(try PathwayRepository(db).scenario("bad") == nil)
        #expect(try AuditTrail(db).version() == before)
    }

    @Test("JSON errors name the field: a wrong kind, a missing base, text for a number")
    func jsonErrors() {
        func problem(_ text: String) -> String {
            do { _ = try ScenarioFile.decode(Array(text.utf8), file: "s.json"); return "" } catch { return String(describing: error) }
        }
        let head = #""identifier": "s", "name": {"en": "S"}, "jurisdiction": "C", "endYear": 2050, "measures": []"#
        #expect(problem("{" + head + #", "kind": "wishful", "base": {"year": 2023}}"#).contains("field kind"))
        #expect(problem("{" + head + #", "kind": "custom"}"#).contains("field base: is required"))
        #expect(problem("{" + head + #", "kind": "custom", "base": {"year": "2023"}}"#).contains("field base.year: should be a number"))
        #expect(problem("{ not json").contains("s.json: is not valid JSON"))
    }

    @Test("Saving, publishing and deleting are audited; an unknown scenario is an error")
    func lifecycle() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let repository = PathwayRepository(db)
        var scenario = try #require(try repository.scenario("demo-baseline")).scenario
        scenario.identifier = "copy"
        try repository.save(scenario, actor: "officer")
        #expect(try repository.scenario("copy")?.isPublished == false)
        #expect(try repository.scenarios(publishedOnly: true).map(\.scenario.identifier).contains("copy") == false)
        try repository.setPublished("copy", true, actor: "officer")
        try repository.delete("copy", actor: "officer")
        let events = try AuditTrail(db).events(entity: "pathway_scenario").filter { $0.entityID == "copy" }.map(\.action)
        #expect(events == ["delete", "publish", "create"], "newest first")
        #expect(throws: PathwayError.unknownScenario("nope")) { try repository.setPublished("nope", true, actor: "t") }
    }

    @Test("LMDI between two inventory years sums exactly to the change in BASIC emissions")
    func decomposition() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let result = try PathwayRepository(db).decomposition(from: 2015, to: 2023)
        let inventory2015 = try #require(try TargetRepository.published(db, year: 2015)), inventory2023 = try #require(try TargetRepository.published(db, year: 2023))
        let change = inventory2023.totals(year: 2023).basic - inventory2015.totals(year: 2015).basic
        let sum = LMDI.Effect.allCases.reduce(0) { $0 + result.effect($1) }
        #expect(abs(sum - change) < 1e-6 * abs(inventory2015.totals(year: 2015).basic))
        #expect(result.effect(.population) > 0 && result.effect(.affluence) > 0)
    }
}
