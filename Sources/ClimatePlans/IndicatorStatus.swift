/// How an indicator stands against the straight path from its baseline to its goal.
///
/// The path runs from the first value (the baseline year) to the goal of the target year;
/// the expected value of a year lies on it. A value on the right side of the path is on
/// track; one behind it by less than `tolerance` of the whole planned change is at risk;
/// further behind is off track. Independently, the trend of the values so far (least
/// squares) is carried to the target year: if it misses the goal, an early warning is raised
/// even while the latest value is still on track.
///
/// A judgement needs a quantified goal and a value after the baseline's: without a goal the
/// status says so (`no_goal`), and a baseline alone is `baseline_only`, never "on track".
public struct IndicatorAssessment: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case onTrack = "on_track", atRisk = "at_risk", offTrack = "off_track", noData = "no_data", noGoal = "no_goal", baselineOnly = "baseline_only"
    }

    public var status: Status
    public var latest: IndicatorValue?
    /// The value the straight path expects in the latest value's year.
    public var expected: Double?
    /// The trend carried to the target year.
    public var projected: Double?
    public var goal: IndicatorGoal?
    /// The projection misses the goal.
    public var earlyWarning: Bool

    /// How far the latest value lies from the straight path, as a share of the path's value:
    /// +0.03 is 3 % above it. For an indicator that should fall (emissions) above is behind.
    /// Nil without a judgement against a goal.
    public var distanceFromPath: Double? {
        guard let latest, let expected, expected != 0, status != .noGoal, status != .noData, status != .baselineOnly else { return nil }
        return (latest.value - expected) / abs(expected)
    }

    /// - Parameter tolerance: how far behind the path, as a share of the planned change, still counts as "at risk".
    public static func assess(_ indicator: Indicator, jurisdiction: String? = nil, dimension: String? = nil, tolerance: Double = 0.1) -> IndicatorAssessment {
        let series = indicator.series(jurisdiction: jurisdiction, dimension: dimension)
        let goals = indicator.goals.filter { $0.jurisdiction == jurisdiction && !$0.isPending }.sorted { $0.year < $1.year }
        guard let baseline = series.first, let latest = series.last else {
            return IndicatorAssessment(status: .noData, latest: nil, expected: nil, projected: nil, goal: goals.last, earlyWarning: false)
        }
        // The goal the latest value is measured against: the first one not before it, else the last.
        guard let goal = goals.first(where: { $0.year >= latest.year }) ?? goals.last, let target = goal.value, goal.year > baseline.year else {
            return IndicatorAssessment(status: .noGoal, latest: latest, expected: nil, projected: nil, goal: goals.last, earlyWarning: false)
        }
        guard latest.year > baseline.year else {
            return IndicatorAssessment(status: .baselineOnly, latest: latest, expected: nil, projected: nil, goal: goal, earlyWarning: false)
        }
        let change = target - baseline.value
        let progress = Double(min(latest.year, goal.year) - baseline.year) / Double(goal.year - baseline.year)
        let expected = baseline.value + change * progress
        // Positive when behind the path, in the indicator's own units.
        let behind = indicator.direction == .decrease ? latest.value - expected : expected - latest.value
        let status: Status
        if behind <= 0 {
            status = .onTrack
        } else if behind <= tolerance * abs(change) {
            status = .atRisk
        } else {
            status = .offTrack
        }
        let projected = trend(series).map { $0.intercept + $0.slope * Double(goal.year) }
        let misses = projected.map { indicator.direction == .decrease ? $0 > target : $0 < target } ?? false
        return IndicatorAssessment(status: status, latest: latest, expected: expected, projected: projected, goal: goal,
                                   earlyWarning: misses && latest.year < goal.year)
    }

    /// Least-squares line through the values; nil with fewer than two years.
    static func trend(_ series: [IndicatorValue]) -> (slope: Double, intercept: Double)? {
        guard series.count >= 2 else { return nil }
        let n = Double(series.count)
        let meanX = series.reduce(0) { $0 + Double($1.year) } / n
        let meanY = series.reduce(0) { $0 + $1.value } / n
        var sxx = 0.0, sxy = 0.0
        for v in series {
            sxx += (Double(v.year) - meanX) * (Double(v.year) - meanX)
            sxy += (Double(v.year) - meanX) * (v.value - meanY)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return (slope, meanY - slope * meanX)
    }
}
