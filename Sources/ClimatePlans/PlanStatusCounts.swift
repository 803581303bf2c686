import CarbonKit

/// How a plan's actions stand on a day: how many show each status, how many are late (for
/// any reason: overdue tasks, an end date passed, an off-track indicator) and how many are
/// stale (still to be done but not updated within the plan's `staleAfterDays`, or never).
/// The plan page, the dashboard and the control-room screen count with this one rule.
public struct PlanStatusCounts: Sendable, Equatable {
    public var total: Int
    public var byStatus: [ActionStatus: Int]
    public var late: Int
    public var stale: Int

    public static func of(_ actions: [PlanAction], plan: Plan, today: Day) -> PlanStatusCounts {
        var counts = PlanStatusCounts(total: actions.count, byStatus: [:], late: 0, stale: 0)
        for action in actions {
            let progress = ActionProgress.of(action, on: today, settings: plan.settings)
            counts.byStatus[progress.effectiveStatus(of: action), default: 0] += 1
            if action.status.isActive && progress.isLate { counts.late += 1 }
            if progress.isStale(action) { counts.stale += 1 }
        }
        return counts
    }
}

extension ActionProgress {
    /// Still to be done, and not updated within the plan's stale limit, or never updated.
    public func isStale(_ action: PlanAction) -> Bool {
        action.status.isActive && (timeliness == .stale || timeliness == .unknown)
    }
}
