import CarbonKit
import Testing
@testable import ClimatePlans

@Suite("Targets and their decomposition")
struct TargetTests {
    let districts = ["Northbank", "Harbour", "Old Town"]

    @Test("Equal shares add up to the whole")
    func equalShare() throws {
        let split = try Decomposition.split(1_200_000, among: districts, by: .equalShare)
        #expect(split.parts == ["Northbank": 400_000, "Harbour": 400_000, "Old Town": 400_000])
        try split.check()
    }

    @Test("Shares in proportion to base-year emissions: 2 : 1 : 1 gives half, a quarter, a quarter")
    func proportional() throws {
        let split = try Decomposition.split(1_000_000, among: districts, by: .proportional(["Northbank": 4.2e6, "Harbour": 2.1e6, "Old Town": 2.1e6]))
        #expect(abs(split.parts["Northbank"]! - 500_000) < 1e-6)
        #expect(abs(split.parts["Harbour"]! - 250_000) < 1e-6)
        try split.check()
    }

    @Test("Weights the office sets, and their errors: missing, negative, unknown parts")
    func weighted() throws {
        let split = try Decomposition.split(900, among: districts, by: .weighted(["Northbank": 1, "Harbour": 1, "Old Town": 1]))
        #expect(abs(split.parts["Old Town"]! - 300) < 1e-9)
        #expect {
            try Decomposition.split(900, among: districts, by: .weighted(["Northbank": 1, "Harbour": -1, "Riverside": 1]))
        } throws: { error in
            let values = (error as? InputErrors)?.issues.compactMap(\.value) ?? []
            return values.contains("Old Town") && values.contains("Harbour: -1.0") && values.contains("Riverside")
        }
    }

    @Test("Parts entered by hand must add up: the error names the gap")
    func manual() throws {
        _ = try Decomposition.split(1000, among: districts, by: .manual(["Northbank": 500, "Harbour": 300, "Old Town": 200]))
        #expect {
            try Decomposition.split(1000, among: districts, by: .manual(["Northbank": 500, "Harbour": 300, "Old Town": 150]))
        } throws: { error in
            (error as? InputErrors)?.issues.first?.reason.contains("short by 50") == true
        }
    }

    @Test("District intensity cuts must average, weighted by GDP, to the city's cut")
    func intensity() throws {
        // The city cuts 18 %; a district with twice the GDP cutting 20 % balances one cutting 14 %.
        try Decomposition.checkWeightedAverage(whole: 0.18, rates: ["Northbank": 0.20, "Harbour": 0.14], weights: ["Northbank": 2, "Harbour": 1])
        #expect(throws: InputErrors.self) {
            try Decomposition.checkWeightedAverage(whole: 0.18, rates: ["Northbank": 0.18, "Harbour": 0.14], weights: ["Northbank": 2, "Harbour": 1])
        }
    }

    @Test("A target handed down with its value still pending is a target all the same")
    func pending() throws {
        let target = Target(identifier: "peak", name: Multilingual(["en": "Emissions peak", "zh-Hans": "碳达峰"]), metric: .totalEmissions,
                            jurisdiction: "Demo City", baseYear: 2020, targetYear: 2030, value: .pending, handedDownFrom: "Province")
        #expect(target.value == .pending)
    }
}

@Suite("Annual assessment of districts")
struct AssessmentTests {
    let scheme = AssessmentScheme(components: [
        .init(identifier: "indicators", name: Multilingual(["en": "Indicator achievement"]), weight: 50),
        .init(identifier: "actions", name: Multilingual(["en": "Action completion"]), weight: 30),
        .init(identifier: "data_quality", name: Multilingual(["en": "Data quality"]), weight: 20),
    ])

    func scores(_ i: Double, _ a: Double, _ d: Double) -> [ComponentScore] {
        [.init(component: "indicators", score: i, evidence: ["4 of 5 indicators on track"]), .init(component: "actions", score: a), .init(component: "data_quality", score: d)]
    }

    @Test("Totals are weighted by hand-checkable sums, ranked with ties sharing a rank, and lit green, amber or red")
    func scoring() throws {
        let results = try Assessment.run(scheme, scores: [
            "Northbank": scores(90, 80, 70),   // 45 + 24 + 14 = 83
            "Harbour": scores(60, 70, 50),     // 30 + 21 + 10 = 61
            "Old Town": scores(40, 50, 60),    // 20 + 15 + 12 = 47
            "Riverside": scores(60, 70, 50),   // 61, tied with Harbour
        ])
        #expect(results.map(\.jurisdiction) == ["Northbank", "Harbour", "Riverside", "Old Town"])
        #expect(results.map(\.rank) == [1, 2, 2, 4])
        #expect(abs(results[0].total - 83) < 1e-9 && abs(results[3].total - 47) < 1e-9)
        #expect(results.map(\.light) == [.green, .amber, .amber, .red])
        #expect(results[0].scores[0].evidence == ["4 of 5 indicators on track"])
    }

    @Test("A missing or out-of-range score refuses the whole assessment, naming the district")
    func incomplete() {
        #expect {
            try Assessment.run(scheme, scores: ["Northbank": [.init(component: "indicators", score: 120)]])
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.count == 3 && issues.contains { $0.value == "Northbank: 120.0" }
        }
    }

    @Test("A scheme without weight, or with amber above green, is refused")
    func badScheme() {
        #expect(throws: InputErrors.self) { try AssessmentScheme(components: [.init(identifier: "x", name: Multilingual(), weight: 0)]).validate() }
        #expect(throws: InputErrors.self) { try AssessmentScheme(components: scheme.components, green: 60, amber: 70).validate() }
    }
}
