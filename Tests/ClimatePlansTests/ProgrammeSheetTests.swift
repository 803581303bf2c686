import CarbonKit
import Testing
@testable import ClimatePlans

@Suite("Targets, assessments and pilots from sheets")
struct ProgrammeSheetTests {
    let places: Set<String> = ["Demo City", "Harbour", "Old Town"]

    @Test("A target sheet: a reduction, a level, and a handed-down target whose number is pending")
    func targets() throws {
        let sheet = """
            identifier,name_en,metric,jurisdiction,base_year,target_year,reduction_percent,level,handed_down_from
            peak,Peak,total_emissions,Demo City,2015,2030,20,,
            cap,Cap,total_emissions,Harbour,2020,2030,,2500000,
            gdp,CO2 per GDP,emissions_per_gdp,Demo City,2020,2025,,,province
            """
        let targets = try TargetSheet.parse(sheet, file: "t.csv", jurisdictions: places)
        #expect(targets.map(\.value) == [.reduction(0.2), .level(2_500_000), .pending])
        #expect(targets[0].level(baseValue: 16_786_319.7)! == 16_786_319.7 * 0.8)
        #expect(targets[2].level(baseValue: 4062) == nil)
    }

    @Test("A bad target sheet names every row: unknown place, years out of order, both a reduction and a level")
    func badTargets() {
        let sheet = """
            identifier,name_en,metric,jurisdiction,base_year,target_year,reduction_percent,level
            a,A,total_emissions,Harbor,2015,2030,20,
            b,B,total_emissions,Harbour,2030,2020,20,
            c,C,total_emissions,Harbour,2015,2030,20,100
            """
        #expect {
            try TargetSheet.parse(sheet, file: "t.csv", jurisdictions: places)
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.map(\.location.row) == [2, 3, 4] && issues[0].suggestion?.contains("Harbour") == true
        }
    }

    @Test("Sharing a 2030 level by base-year emissions gives each district the same cut, and the parts add up")
    func allocation() throws {
        let target = Target(identifier: "peak", name: Multilingual(["en": "Peak"]), metric: .totalEmissions, jurisdiction: "Demo City",
                            baseYear: 2015, targetYear: 2030, value: .reduction(0.2))
        let allocation = try TargetAllocation.make(for: target, level: 800, dimension: .jurisdiction, method: .proportional,
                                                   among: ["Harbour", "Old Town"], basis: ["Harbour": 600, "Old Town": 400], basisSource: "inventory 2015")
        #expect(allocation.parts == ["Harbour": 480, "Old Town": 320])
        #expect(allocation.parts.values.reduce(0, +) == allocation.whole)
        let intensity = Target(identifier: "gdp", name: Multilingual(["en": "GDP"]), metric: .emissionsPerGDP, jurisdiction: "Demo City",
                               baseYear: 2020, targetYear: 2025, value: .reduction(0.18))
        #expect(throws: InputErrors.self) {
            try TargetAllocation.make(for: intensity, level: 1, dimension: .jurisdiction, method: .equal, among: ["Harbour"], basis: [:], basisSource: nil)
        }
    }

    @Test("Scores from data, by hand: on the path is 100; 10 % over the path is 100 × path ÷ actual")
    func evidenceScores() {
        // Path in 2023 from 1,000 t (2015) to 800 t (2030): 1000 − 200 × 8/15 = 893.33 t.
        let on = AssessmentEvidence.targetScore(district: "Harbour", year: 2023, actual: 890, base: 1000, baseYear: 2015, part: 800, targetYear: 2030)
        #expect(on.score == 100)
        let over = AssessmentEvidence.targetScore(district: "Harbour", year: 2023, actual: 982.67, base: 1000, baseYear: 2015, part: 800, targetYear: 2030)
        #expect(abs(over.score - 100 * (1000 - 200 * 8.0 / 15) / 982.67) < 1e-9)
        #expect(over.evidence[0].contains("against 893 t on the straight path"))
        // 8 high, 8 medium, 1 low of 17 rows: (8 + 4) / 17.
        let quality = AssessmentEvidence.dataQualityScore(district: "Harbour", year: 2023, high: 8, medium: 8, low: 1, unrated: 0)
        #expect(abs(quality.score - 1200.0 / 17) < 1e-9)
    }

    @Test("The demo's 2023 weights by hand: Harbour 0.4 × 100 + 0.3 × 95 + 0.3 × 70.59 = 89.68, green")
    func weightedTotal() throws {
        let scheme = try AssessmentSheet.scheme("component,weight\nemissions_target,40\nactions,30\ndata_quality,30\n", file: "s.csv")
        let results = try Assessment.run(scheme, scores: [
            "Harbour": [ComponentScore(component: "emissions_target", score: 100), ComponentScore(component: "actions", score: 95),
                        ComponentScore(component: "data_quality", score: 1200.0 / 17)],
            "Lakeside": [ComponentScore(component: "emissions_target", score: 97.8), ComponentScore(component: "actions", score: 52),
                         ComponentScore(component: "data_quality", score: 65.6)],
        ])
        #expect(abs(results[0].total - (40 + 28.5 + 0.3 * 1200.0 / 17)) < 1e-9)
        #expect(results[0].light == .green && results[1].light == .amber && results[1].rank == 2)
    }

    @Test("An office score needs its evidence and a component of the scheme")
    func officeScores() throws {
        let scheme = try AssessmentSheet.scheme("component,weight\nactions,1\n", file: "s.csv")
        #expect {
            try AssessmentSheet.scores("jurisdiction,component,score,evidence\nHarbour,actions,95,\nHarbour,action,90,x\nHarbor,actions,90,x\n",
                                       file: "scores.csv", scheme: scheme, districts: ["Harbour"])
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.map(\.location.field) == ["evidence", "component", "jurisdiction"]
        }
    }

    @Test("A pilot's lifecycle from a sheet; loading it again adds nothing; a step the lifecycle forbids names its row")
    func pilots() throws {
        let sheet = """
            identifier,stage,date,name_en,kind,jurisdiction,score,note
            p1,applied,2021-03-01,Harbour pilot,county,Harbour,,
            p1,approved,2021-06-15,,,,,
            p1,monitoring,2022-03-31,,,,82,
            """
        let (pilots, changed) = try PilotSheet.apply(sheet, file: "p.csv", to: [], jurisdictions: places)
        #expect(pilots[0].stage == .monitoring && pilots[0].isActive && changed == ["p1"])
        let again = try PilotSheet.apply(sheet, file: "p.csv", to: pilots, jurisdictions: places)
        #expect(again.pilots == pilots && again.changed.isEmpty)
        #expect {
            try PilotSheet.apply("identifier,stage,date\np1,eliminated,2023-01-01\n", file: "p.csv", to: pilots, jurisdictions: places)
        } throws: { error in
            let issue = (error as? InputErrors)?.issues.first
            return issue?.location.row == 2 && issue?.reason.contains("cannot follow monitoring") == true
        }
    }
}
