import CarbonKit
import ClimatePlans
import Foundation
import Testing
@testable import CityCarbonStore

@Suite("Plans in the store")
struct PlanRepositoryTests {
    @Test("The demo workspace holds Helsinki's plan: 147 actions, 8 areas, each action audited, and six updated with the demo's estimates")
    func demoPlan() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let plan = try #require(try PlanRepository(db).plan("helsinki-2035"))
        #expect(plan.name.text("zh-Hans") == "赫尔辛基碳中和2035行动计划")
        #expect(plan.categoryTypes.first?.categories.filter { $0.parent == nil }.count == 8)
        #expect(try PlanRepository(db).actions(plan: "helsinki-2035").count == 147)
        let events = try AuditTrail(db).events(entity: "plan_action", limit: 1000)
        #expect(events.filter { $0.action == "create" }.count == 147)
        #expect(events.filter { $0.action == "update" }.count == 6 + 2 + 123, "demo/action-estimates.csv, demo/action-air.csv, then demo/action-progress.csv")
        #expect(try AuditTrail(db).verify().firstBad == nil)
    }

    @Test("Loading the same sheet again changes nothing; a status sheet updates in place with before and after audited")
    func updateInPlace() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let sheet = try DemoCity.data("helsinki-plan.csv")
        let again = try PlanRepository(db).importSheet(sheet, file: "helsinki-plan.csv", plan: "helsinki-2035", today: Day("2026-11-22"), actor: "alice")
        #expect(again.added.isEmpty && again.updated.isEmpty)
        let status = Array("kind,identifier,status\naction,7,in_progress\n".utf8)
        let summary = try PlanRepository(db).importSheet(status, file: "status.csv", plan: "helsinki-2035", today: Day("2026-11-22"), actor: "alice")
        #expect(summary.updated == ["7"])
        let action = try PlanRepository(db).actions(plan: "helsinki-2035")[6]
        #expect(action.status == .inProgress && action.updatedOn == Day("2026-11-22"))
        let event = try #require(try AuditTrail(db).events(entity: "plan_action").first)
        #expect(event.actor == "alice" && event.entityID == "helsinki-2035/7")
        #expect(event.before?.contains(#""status":"not_started""#) == true && event.after?.contains(#""status":"in_progress""#) == true)
    }

    @Test("A later sheet may file a new action under a category the plan already has")
    func knownCategories() throws {
        let db = try temporaryWorkspace()
        try DemoCity.seed(db)
        let sheet = Array("kind,identifier,parent,name_en\naction,148,A1.2,Congestion charge pilot in the inner city\n".utf8)
        let summary = try PlanRepository(db).importSheet(sheet, file: "new.csv", plan: "helsinki-2035", today: Day("2026-11-22"), actor: "alice")
        #expect(summary.added == ["148"])
        #expect(try PlanRepository(db).actions(plan: "helsinki-2035").last?.categories == ["A1.2"])
        #expect(try PlanRepository(db).plan("helsinki-2035")?.categoryTypes.first?.categories.count == 29)
    }

    @Test("A sheet with an error stores nothing")
    func allOrNothing() throws {
        let db = try temporaryWorkspace()
        let bad = Array("kind,identifier,parent,name_en,status\narea,A1,,Transport,\naction,1,A1,Bikes,late\naction,2,A1,Trams,finished\n".utf8)
        #expect(throws: InputErrors.self) {
            try PlanRepository(db).importSheet(bad, file: "bad.csv", plan: "p", today: nil, actor: "alice")
        }
        #expect(try PlanRepository(db).plans().isEmpty)
        #expect(try AuditTrail(db).version() == 0)
    }
}
