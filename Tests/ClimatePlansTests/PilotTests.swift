import CarbonKit
import Testing
@testable import ClimatePlans

@Suite("Low-carbon pilots")
struct PilotTests {
    func community(_ id: String) -> Pilot {
        Pilot(identifier: id, name: Multilingual(["zh-Hans": "低碳社区 \(id)"]), kind: .community, jurisdiction: "Harbour", appliedOn: Day("2024-03-01")!)
    }

    @Test("A pilot goes from application through annual monitoring to its summary evaluation")
    func lifecycle() throws {
        var pilot = community("c1")
        #expect(!pilot.isActive)
        try pilot.advance(to: .approved, on: Day("2024-05-10")!)
        try pilot.advance(to: .monitoring, on: Day("2024-12-31")!, score: 78)
        try pilot.advance(to: .monitoring, on: Day("2025-12-31")!, score: 81)
        try pilot.advance(to: .midTermEvaluated, on: Day("2026-06-30")!, score: 84)
        try pilot.advance(to: .summaryEvaluated, on: Day("2027-06-30")!, score: 88)
        #expect(pilot.history.map(\.stage) == [.applied, .approved, .monitoring, .monitoring, .midTermEvaluated, .summaryEvaluated])
        #expect(pilot.isActive)
        #expect(throws: InputErrors.self) { try pilot.advance(to: .monitoring, on: Day("2028-01-01")!) }
    }

    @Test("A failed rectification eliminates the pilot, and it stops counting")
    func elimination() throws {
        var pilot = community("c2")
        try pilot.advance(to: .approved, on: Day("2024-05-10")!)
        try pilot.advance(to: .monitoring, on: Day("2024-12-31")!, score: 41)
        try pilot.advance(to: .rectification, on: Day("2025-02-01")!, note: "missed energy target two years running")
        try pilot.advance(to: .eliminated, on: Day("2025-12-31")!)
        #expect(!pilot.isActive)
    }

    @Test("A step the lifecycle does not allow, a date going back, or a score over 100 is refused with the allowed steps")
    func refusals() throws {
        var pilot = community("c3")
        #expect {
            try pilot.advance(to: .monitoring, on: Day("2024-02-01")!, score: 120)
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.count == 3 && issues[0].suggestion == "next can be: approved, rejected"
        }
        #expect(pilot.stage == .applied)
    }

    @Test("Pilot goals count active pilots only: Hangzhou's 3–5 counties")
    func goals() throws {
        var pilots: [Pilot] = []
        for i in 1...4 {
            var county = Pilot(identifier: "k\(i)", name: Multilingual(["en": "County \(i)"]), kind: .county, jurisdiction: "Demo City", appliedOn: Day("2024-01-01")!)
            if i <= 3 { try county.advance(to: .approved, on: Day("2024-03-01")!) }
            pilots.append(county)
        }
        let goal = PilotGoal(kind: .county, minimum: 3, maximum: 5)
        #expect(goal.count(in: pilots) == (3, true))
        #expect(PilotGoal(kind: .community, minimum: 50).count(in: pilots) == (0, false))
    }
}
