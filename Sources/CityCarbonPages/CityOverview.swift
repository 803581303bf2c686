import CarbonKit
import CarbonPathways
import CityCarbonStore
import ClimatePlans
import Foundation

/// Where the city stands on its path to the peak and to neutrality, gathered once for the
/// dashboard and for the control-room screen (`/ioc`): the emissions indicator's published
/// values, the adopted (published, planned) scenario, the city's emissions targets judged
/// against their straight paths, the plan's actions by status, and the indicators that warn.
/// Every figure comes from the function its own page uses.
package struct CityOverview {
    package var emissions: Indicator?
    package var scenario: (identifier: String, result: PathwayResult)?
    /// The city-wide targets in tonnes, with their judgement.
    package var targets: [TargetProgress]
    package var plan: (plan: Plan, counts: PlanStatusCounts)?
    /// Indicators off track or whose trend misses the goal.
    package var warnings: [(indicator: Indicator, assessment: IndicatorAssessment)]

    package static func load(database: CityCarbonDatabase, cache: InventoryCache, language: Language, today: Day = .today) throws -> CityOverview {
        let root = try JurisdictionRepository(database).tree().roots.first
        let catalogue = try IndicatorCatalogue(database: database, cache: cache).entries().map(\.indicator)
        let targets = try TargetRepository(database).progress().filter { $0.target.jurisdiction == root && $0.unit == "t CO2e" }
        // The adopted pathway: the first published planned scenario of the whole city that still runs.
        var scenario: (String, PathwayResult)?
        for stored in try PathwayRepository(database).scenarios(publishedOnly: true)
        where stored.scenario.kind == .planned && stored.scenario.jurisdiction == root {
            guard let model = try? PathwayInputs(database, rows: .published).model(stored.scenario, file: stored.scenario.identifier, saved: true) else { continue }
            scenario = (stored.scenario.identifier, model.run(language: language.rawValue))
            break
        }
        let repository = PlanRepository(database)
        let plan = try repository.plans().first.map { plan in (plan, PlanStatusCounts.of(try repository.actions(plan: plan.identifier), plan: plan, today: today)) }
        let warnings = catalogue.map { ($0, IndicatorAssessment.assess($0)) }.filter { $0.1.status == .offTrack || $0.1.earlyWarning }
        return CityOverview(emissions: catalogue.first { $0.identifier == IndicatorCatalogue.emissionsID }, scenario: scenario,
                            targets: targets, plan: plan, warnings: warnings)
    }
}
