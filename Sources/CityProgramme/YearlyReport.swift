import CarbonKit
import ClimatePlans
import Foundation

/// What a plan's yearly report freezes: the plan and its actions judged as of the year's last
/// day (or `today` within the year), each indicator with the values known by then and where
/// it stood, the targets, the year's assessment once frozen, and the pilots as they stood.
public enum YearlyReport {
    /// The day a report of `year` is judged at, or nil when the year has not begun.
    public static func asOf(year: Int, today: Day) -> Day? {
        guard year <= today.year, year >= 1990 else { return nil }
        return min(today, Day(year: year, month: 12, day: 31)!)
    }

    public static func snapshot(plan: Plan, year: Int, asOf: Day, actions: [PlanAction], indicators: [(indicator: Indicator, group: String?)],
                                targets: [Target], assessment: DistrictAssessment?, pilots: [Pilot]) -> PlanReportSnapshot {
        let lines: [PlanReportSnapshot.IndicatorLine] = indicators.map { entry in
            var indicator = entry.indicator
            indicator.values = indicator.values.filter { $0.year <= year }
            let judged = IndicatorAssessment.assess(indicator)
            return .init(indicator: indicator, group: entry.group, status: judged.status.rawValue, earlyWarning: judged.earlyWarning)
        }
        let byID = Dictionary(lines.map { ($0.indicator.identifier, $0.indicator) }, uniquingKeysWith: { a, _ in a })
        return PlanReportSnapshot(plan: plan, year: year, asOf: asOf, actions: actions,
                                  lines: PlanReportSnapshot.lines(actions, plan: plan, year: year, asOf: asOf, indicators: byID),
                                  indicators: lines, targets: targets, assessment: assessment.flatMap { $0.state == .draft ? nil : $0 },
                                  pilots: pilots.compactMap { $0.asOf(asOf) })
    }
}
