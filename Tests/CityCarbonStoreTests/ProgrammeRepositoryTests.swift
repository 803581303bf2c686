import CarbonKit
import ClimatePlans
import Foundation
import Testing
@testable import CityCarbonStore

@Suite("Targets, assessments, pilots and reports in the store")
struct ProgrammeRepositoryTests {
    @Test("The demo's peak target is 80 % of 2015's published BASIC+ and its district parts add up to it, in proportion to each district's 2015 emissions")
    func allocation() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let target = try #require(try TargetRepository(db).target("peak-2030"))
        let districts = try #require(target.allocations.first { $0.dimension == .jurisdiction })
        let base = try #require(try TargetRepository.published(db, year: 2015))
        #expect(abs(districts.whole - base.totals(year: 2015).basicPlus * 0.8) < 1e-6)
        #expect(abs(districts.parts.values.reduce(0, +) - districts.whole) < 1e-6)
        let harbour = base.totals(year: 2015, jurisdiction: "Harbour").basicPlus
        #expect(abs(districts.parts["Harbour"]! / districts.whole - harbour / districts.basis.values.reduce(0, +)) < 1e-12)
        #expect(districts.parts.count == 8)
    }

    @Test("A pending target cannot be shared out, and nothing changes")
    func pendingAllocation() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let before = try AuditTrail(db).version()
        #expect(throws: InputErrors.self) { try TargetRepository(db).allocate("co2-per-gdp-2025", dimension: .jurisdiction, method: .equal, actor: "t") }
        #expect(try AuditTrail(db).version() == before)
    }

    @Test("A frozen assessment cannot be run again; a draft cannot be published before it is frozen")
    func assessmentStates() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let assessments = AssessmentRepository(db)
        let published = try #require(try assessments.assessment(year: 2023))
        #expect(published.state == .published && published.results.first?.jurisdiction == "Harbour")
        let scheme = published.scheme
        #expect(throws: AssessmentError.frozen(year: 2023)) {
            try assessments.run(year: 2023, scheme: scheme, scores: Array(try DemoCity.data("assessment-2023-scores.csv")), file: "s.csv", actor: "t")
        }
        let scores = String(decoding: try DemoCity.data("assessment-2023-scores.csv"), as: UTF8.self).replacingOccurrences(of: "2023", with: "2022")
        try assessments.run(year: 2022, scheme: scheme, scores: Array(scores.utf8), file: "s.csv", actor: "t")
        #expect(throws: AssessmentError.notFrozen(year: 2022)) { try assessments.publish(year: 2022, actor: "t") }
    }

    @Test("A component no one scored is named with its district, and nothing is stored")
    func missingScores() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let scheme = try AssessmentSheet.scheme("component,weight\nactions,1\ndata_quality,1\n", file: "s.csv")
        #expect(throws: InputErrors.self) { try AssessmentRepository(db).run(year: 2022, scheme: scheme, scores: nil, file: "", actor: "t") }
        #expect(try AssessmentRepository(db).assessment(year: 2022) == nil)
    }

    @Test("The demo pilots count against Hangzhou's goals: one active county of 3–5, the eliminated village not counted")
    func pilotGoals() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let pilots = try PilotRepository(db).all()
        let goals = try PilotRepository(db).goals()
        #expect(goals.map(\.goal.minimum) == [3, 10, 50, 10])
        #expect(goals[0].goal.count(in: pilots) == (1, false))
        #expect(goals[2].goal.count(in: pilots).active == 1)
        #expect(pilots.first { $0.identifier == "lakeside-village" }?.stage == .eliminated)
    }

    @Test("A report snapshot is unchanged by later edits; building again adds a version with the new state")
    func snapshotUnchanged() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let plan = try #require(try PlanRepository(db).plan("helsinki-2035"))
        func build() throws -> StoredPlanReport {
            let actions = try PlanRepository(db).actions(plan: "helsinki-2035")
            let asOf = Day("2023-12-31")!
            return try PlanReportRepository(db).save(PlanReportSnapshot(plan: plan, year: 2023, asOf: asOf, actions: actions,
                                                                        lines: PlanReportSnapshot.lines(actions, plan: plan, year: 2023, asOf: asOf, indicators: [:]),
                                                                        indicators: [], targets: try TargetRepository(db).all(),
                                                                        assessment: try AssessmentRepository(db).assessment(year: 2023), pilots: try PilotRepository(db).all()),
                                                     actor: "office")
        }
        let first = try build()
        _ = try PlanRepository(db).importSheet(Array("kind,identifier,status\naction,22,completed\n".utf8), file: "s.csv", plan: "helsinki-2035", today: Day("2026-11-22"), actor: "office")
        let stored = try #require(try PlanReportRepository(db).report(plan: "helsinki-2035", year: 2023))
        #expect(stored.digest == first.digest && stored.version == 1)
        #expect(stored.snapshot.lines.first { $0.identifier == "22" }?.status == .notStarted)
        let second = try build()
        #expect(second.version == 2 && second.snapshot.lines.first { $0.identifier == "22" }?.status == .completed)
        let comparison = PlanReportComparison(current: second.snapshot, previous: first.snapshot)
        #expect(comparison.actions.map(\.identifier) == ["22"])
    }
}
