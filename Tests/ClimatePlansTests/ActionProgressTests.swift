import CarbonKit
import Testing
@testable import ClimatePlans

let today = Day("2026-11-22")!

func task(_ due: String, done: String? = nil) -> ActionTask {
    ActionTask(name: Multilingual(["en": "task due \(due)"]), dueDate: Day(due)!, completedOn: done.flatMap(Day.init))
}

/// Helsinki's action 1 in outline: the city's own buildings, with an owner, a contact, tasks and an indicator.
func wellMonitored() -> PlanAction {
    PlanAction(identifier: "1", name: Multilingual(["en": "Energy renovations of city-owned buildings"]), categories: ["buildings"],
               responsibleParties: [ResponsibleParty(organisation: "Urban Environment Division", role: .primary)],
               contacts: [ContactPerson(name: "Climate officer")], status: .inProgress,
               tasks: [task("2026-03-31", done: "2026-03-20"), task("2027-06-30")],
               indicators: [IndicatorLink(indicator: "energy_intensity", effect: .decreases)], updatedOn: Day("2026-11-01"))
}

@Suite("Action progress and lateness")
struct ActionProgressTests {
    @Test("Completion is the share of tasks done; a completed action is complete")
    func completion() {
        #expect(ActionProgress.of(wellMonitored(), on: today, settings: .init()).completion == 0.5)
        var done = wellMonitored()
        done.status = .completed
        #expect(ActionProgress.of(done, on: today, settings: .init()).completion == 1)
        done.tasks = []
        done.status = .inProgress
        #expect(ActionProgress.of(done, on: today, settings: .init()).completion == nil)
    }

    @Test("An overdue task makes an active action late and names the task")
    func overdueTask() {
        var action = wellMonitored()
        action.tasks.append(task("2026-10-31"))
        let progress = ActionProgress.of(action, on: today, settings: .init())
        #expect(progress.isLate)
        #expect(progress.lateReasons == [.overdueTasks([task("2026-10-31")])])
        #expect(progress.effectiveStatus(of: action) == .late)
        // A task due today is not overdue yet.
        action.tasks[2] = task("2026-11-22")
        #expect(!ActionProgress.of(action, on: today, settings: .init()).isLate)
    }

    @Test("Cancelled and completed actions are never late")
    func finishedNeverLate() {
        var action = wellMonitored()
        action.tasks.append(task("2025-01-01"))
        action.status = .cancelled
        #expect(!ActionProgress.of(action, on: today, settings: .init()).isLate)
        #expect(ActionProgress.of(action, on: today, settings: .init()).effectiveStatus(of: action) == .cancelled)
    }

    @Test("An indicator off its path, or a passed end date, makes the action late")
    func indicatorAndEndDate() {
        let indicators = ["energy_intensity": energyIntensity([(2020, 100), (2022, 97)])]
        let progress = ActionProgress.of(wellMonitored(), on: today, settings: .init(), indicators: indicators)
        #expect(progress.lateReasons == [.indicatorOffTrack("energy_intensity")])
        var ended = wellMonitored()
        ended.endDate = Day("2026-06-30")
        #expect(ActionProgress.of(ended, on: today, settings: .init()).lateReasons == [.pastEndDate(Day("2026-06-30")!)])
    }

    @Test("Timeliness follows the plan's intervals: 30 days optimal, 60 acceptable, 180 late, then stale")
    func timeliness() {
        var action = wellMonitored()
        let cases: [(String?, ActionProgress.Timeliness)] = [
            ("2026-11-01", .optimal), ("2026-10-23", .optimal), ("2026-10-22", .acceptable), ("2026-09-23", .acceptable),
            ("2026-09-22", .late), ("2026-05-26", .late), ("2026-05-25", .stale), (nil, .unknown),
        ]
        for (day, expected) in cases {
            action.updatedOn = day.flatMap(Day.init)
            #expect(ActionProgress.of(action, on: today, settings: .init()).timeliness == expected, "\(day ?? "never")")
        }
    }
}

@Suite("Monitoring quality")
struct MonitoringQualityTests {
    @Test("A well-monitored action has no gaps")
    func noGaps() {
        #expect(MonitoringGap.of(wellMonitored(), on: today, settings: .init()).isEmpty)
    }

    @Test("No owner, no contact, no task ahead within a year and no indicator are each flagged")
    func everyGap() {
        var bare = PlanAction(identifier: "99", name: Multilingual(["en": "Unowned"]), status: .notStarted, tasks: [task("2028-01-31")])
        #expect(MonitoringGap.of(bare, on: today, settings: .init()) == [.noOwner, .noContact, .noTaskAhead, .noIndicator])
        bare.tasks.append(task("2027-11-22"))
        #expect(!MonitoringGap.of(bare, on: today, settings: .init()).contains(.noTaskAhead))
        bare.status = .completed
        #expect(MonitoringGap.of(bare, on: today, settings: .init()).isEmpty)
    }
}

@Suite("A plan's actions by status")
struct PlanStatusCountsTests {
    static let plan = Plan(identifier: "p", name: Multilingual(["en": "Plan"]))

    @Test("Counts by shown status; late for any reason; stale when active and not updated within the limit or never")
    func counts() {
        var overdue = wellMonitored()
        overdue.tasks.append(task("2026-10-31"))
        var forgotten = wellMonitored()
        forgotten.updatedOn = Day("2026-01-02")      // 324 days before: past the 180-day limit
        var never = wellMonitored()
        never.updatedOn = nil
        var finished = wellMonitored()
        finished.status = .completed
        finished.updatedOn = nil                      // done: never stale
        let counts = PlanStatusCounts.of([wellMonitored(), overdue, forgotten, never, finished], plan: Self.plan, today: today)
        #expect(counts.total == 5)
        #expect(counts.byStatus == [.inProgress: 3, .late: 1, .completed: 1])
        #expect(counts.late == 1)
        #expect(counts.stale == 2)
    }
}

