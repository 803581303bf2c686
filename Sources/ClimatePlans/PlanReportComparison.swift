import CarbonKit

/// A year's report against the year before: how many actions are in each status, which
/// actions moved and how, and where each indicator's latest value went.
public struct PlanReportComparison: Sendable, Hashable {
    public struct ActionChange: Sendable, Hashable {
        public var identifier: String
        public var previous: ActionStatus?
        public var current: ActionStatus
        public var previousCompletion: Double?
        public var currentCompletion: Double?
    }

    public struct IndicatorChange: Sendable, Hashable {
        public var identifier: String
        public var previous: IndicatorValue?
        public var current: IndicatorValue?
        public var previousStatus: String?
        public var currentStatus: String
    }

    public var previousYear: Int
    public var statusCounts: [ActionStatus: (previous: Int, current: Int)]
    public var actions: [ActionChange]
    public var indicators: [IndicatorChange]

    public static func == (a: Self, b: Self) -> Bool {
        a.previousYear == b.previousYear && a.actions == b.actions && a.indicators == b.indicators
            && a.statusCounts.mapValues { [$0.previous, $0.current] } == b.statusCounts.mapValues { [$0.previous, $0.current] }
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(previousYear); hasher.combine(actions); hasher.combine(indicators) }

    public init(current: PlanReportSnapshot, previous: PlanReportSnapshot) {
        previousYear = previous.year
        var counts: [ActionStatus: (previous: Int, current: Int)] = [:]
        for status in ActionStatus.allCases {
            counts[status] = (previous.lines.filter { $0.status == status }.count, current.lines.filter { $0.status == status }.count)
        }
        statusCounts = counts
        let before = Dictionary(previous.lines.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        actions = current.lines.compactMap { line in
            let old = before[line.identifier]
            guard old?.status != line.status || old?.completion != line.completion else { return nil }
            return ActionChange(identifier: line.identifier, previous: old?.status, current: line.status,
                                previousCompletion: old?.completion, currentCompletion: line.completion)
        }
        let oldIndicators = Dictionary(previous.indicators.map { ($0.indicator.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        indicators = current.indicators.compactMap { line in
            let old = oldIndicators[line.indicator.identifier]
            let latest = line.indicator.series().last { $0.year <= current.year }
            let earlier = old?.indicator.series().last { $0.year <= previous.year }
            guard latest != earlier || old?.status != line.status else { return nil }
            return IndicatorChange(identifier: line.indicator.identifier, previous: earlier, current: latest, previousStatus: old?.status, currentStatus: line.status)
        }
    }
}
