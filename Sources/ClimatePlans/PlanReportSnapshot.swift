import CarbonKit

/// A plan's yearly report, frozen: the plan, every action with its progress judged as of the
/// report's day, the indicators, the targets, the year's assessment and the pilots, exactly
/// as they were when it was built. Later edits change the live plan, never a snapshot.
public struct PlanReportSnapshot: Sendable, Hashable, Codable {
    /// An action's progress as the report states it, computed once when it was built.
    public struct ActionLine: Sendable, Hashable, Codable {
        public var identifier: String
        public var status: ActionStatus
        public var completion: Double?
        public var timeliness: String
        public var late: Bool
        public var reductionThisYear: Double?
        public var costThisYear: [String: Double]

        public init(identifier: String, status: ActionStatus, completion: Double?, timeliness: String, late: Bool, reductionThisYear: Double?, costThisYear: [String: Double]) {
            self.identifier = identifier
            self.status = status
            self.completion = completion
            self.timeliness = timeliness
            self.late = late
            self.reductionThisYear = reductionThisYear
            self.costThisYear = costThisYear
        }
    }

    public struct IndicatorLine: Sendable, Hashable, Codable {
        public var indicator: Indicator
        public var group: String?
        public var status: String
        public var earlyWarning: Bool

        public init(indicator: Indicator, group: String?, status: String, earlyWarning: Bool) {
            self.indicator = indicator
            self.group = group
            self.status = status
            self.earlyWarning = earlyWarning
        }
    }

    public var plan: Plan
    public var year: Int
    /// The day progress is judged on: the year's last day, or the build day within the year.
    public var asOf: Day
    public var actions: [PlanAction]
    public var lines: [ActionLine]
    public var indicators: [IndicatorLine]
    public var targets: [Target]
    public var assessment: DistrictAssessment?
    public var pilots: [Pilot]

    public init(plan: Plan, year: Int, asOf: Day, actions: [PlanAction], lines: [ActionLine], indicators: [IndicatorLine], targets: [Target],
                assessment: DistrictAssessment?, pilots: [Pilot]) {
        self.plan = plan
        self.year = year
        self.asOf = asOf
        self.actions = actions
        self.lines = lines
        self.indicators = indicators
        self.targets = targets
        self.assessment = assessment
        self.pilots = pilots
    }

    /// Builds the lines of every action as of `asOf`, with the plan's rules.
    public static func lines(_ actions: [PlanAction], plan: Plan, year: Int, asOf: Day, indicators: [String: Indicator]) -> [ActionLine] {
        actions.map { action in
            let progress = ActionProgress.of(action, on: asOf, settings: plan.settings, indicators: indicators)
            var costs: [String: Double] = [:]
            for cost in action.costs where cost.year == year { costs[cost.currency, default: 0] += cost.amount }
            return ActionLine(identifier: action.identifier, status: progress.effectiveStatus(of: action), completion: progress.completion,
                              timeliness: progress.timeliness.rawValue, late: progress.isLate,
                              reductionThisYear: action.reductions.first { $0.year == year }?.tonnesCO2e, costThisYear: costs)
        }
    }
}
