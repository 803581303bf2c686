import CarbonKit

/// What the climate office reads off an action on a given day: how far along it is, whether
/// it is late and why, and how recently anyone looked at it.
public struct ActionProgress: Sendable, Hashable {
    public enum Timeliness: String, Sendable, Hashable {
        case optimal, acceptable, late, stale
        /// Never updated.
        case unknown
    }

    public enum LateReason: Sendable, Hashable {
        case overdueTasks([ActionTask])
        case indicatorOffTrack(String)
        case pastEndDate(Day)
    }

    /// Share of the work done, 0…1: completed tasks over all tasks, or nil without tasks.
    /// Completed actions are 1 whatever their tasks say.
    public var completion: Double?
    public var lateReasons: [LateReason]
    public var timeliness: Timeliness
    public var daysSinceUpdate: Int?

    public var isLate: Bool { !lateReasons.isEmpty }

    /// The status the action should show: `late` when it is active and any reason holds,
    /// otherwise the status it was given.
    public func effectiveStatus(of action: PlanAction) -> ActionStatus {
        action.status.isActive && isLate ? .late : action.status
    }

    /// - Parameter indicators: the plan's indicators, to judge the ones that measure this action.
    public static func of(_ action: PlanAction, on today: Day, settings: MonitoringSettings, indicators: [String: Indicator] = [:]) -> ActionProgress {
        let done = action.tasks.filter { $0.completedOn != nil }.count
        var completion: Double? = action.tasks.isEmpty ? nil : Double(done) / Double(action.tasks.count)
        if action.status == .completed { completion = 1 }
        var reasons: [LateReason] = []
        if action.status.isActive {
            let overdue = action.tasks.filter { $0.isOverdue(on: today) }
            if !overdue.isEmpty { reasons.append(.overdueTasks(overdue)) }
            for link in action.indicators where link.measuresProgress {
                if let indicator = indicators[link.indicator], IndicatorAssessment.assess(indicator).status == .offTrack {
                    reasons.append(.indicatorOffTrack(link.indicator))
                }
            }
            if let end = action.endDate, end < today { reasons.append(.pastEndDate(end)) }
        }
        let days = action.updatedOn.map { $0.days(until: today) }
        let timeliness: Timeliness = switch days {
        case nil: .unknown
        case let d? where d <= settings.optimalUpdateDays: .optimal
        case let d? where d <= settings.acceptableUpdateDays: .acceptable
        case let d? where d <= settings.staleAfterDays: .late
        default: .stale
        }
        return ActionProgress(completion: completion, lateReasons: reasons, timeliness: timeliness, daysSinceUpdate: days)
    }
}

/// Gaps in how an action is monitored (Kausal Watch's monitoring-quality points, plus an owner).
public enum MonitoringGap: String, Sendable, Hashable, CaseIterable {
    /// No primary responsible organisation.
    case noOwner = "no_owner"
    /// No contact person to ask.
    case noContact = "no_contact"
    /// No unfinished task due within the plan's horizon.
    case noTaskAhead = "no_task_ahead"
    /// No indicator measures its progress.
    case noIndicator = "no_indicator"

    /// The gaps of an active action; finished, cancelled and merged actions have none.
    public static func of(_ action: PlanAction, on today: Day, settings: MonitoringSettings) -> [MonitoringGap] {
        guard action.status.isActive else { return [] }
        var gaps: [MonitoringGap] = []
        if action.primaryOrganisation == nil { gaps.append(.noOwner) }
        if action.contacts.isEmpty { gaps.append(.noContact) }
        let horizon = today.adding(days: settings.taskHorizonDays)
        if !action.tasks.contains(where: { $0.completedOn == nil && $0.dueDate >= today && $0.dueDate <= horizon }) { gaps.append(.noTaskAhead) }
        if !action.indicators.contains(where: \.measuresProgress) { gaps.append(.noIndicator) }
        return gaps
    }
}
