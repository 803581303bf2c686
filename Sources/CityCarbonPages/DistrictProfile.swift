import CarbonAccounting
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import CityProgramme
import ClimatePlans

/// One district as its residents and its office read it: its emissions in every published year
/// by sector, its share of the city's targets and any target of its own, its assessment, the
/// plan actions its office answers for, and the sites monitored in it. The latest figures are
/// its row of ``DistrictFigures``, so the page, the list and the map agree.
package struct DistrictProfile: Sendable {
    package struct TargetShare: Sendable {
        package var progress: TargetProgress
        package var allocation: TargetAllocation
        /// The district's level in the target's unit.
        package var level: Double
        /// The district's part of the allocation's basis (0…1), when the split followed one.
        package var basisShare: Double?
    }

    package struct PlanShare: Sendable {
        package var plan: Plan
        package var actions: [PlanAction]
        package var counts: PlanStatusCounts
    }

    package var row: DistrictFigures.Row
    package var city: String
    /// Every published year, oldest first.
    package var history: [CityFigures]
    package var shares: [TargetShare]
    /// Targets set for the district itself (handed down or its own).
    package var ownTargets: [TargetProgress]
    package var assessment: (assessment: DistrictAssessment, result: DistrictResult)?
    package var plans: [PlanShare]
    /// Monitored sites in the district by kind.
    package var sites: [Site.Kind: Int]

    package static func load(_ name: String, database: CityCarbonDatabase, cache: InventoryCache, districts: DistrictFigures,
                             today: Day = .today) throws -> DistrictProfile? {
        guard let row = districts.row(name) else { return nil }
        let tree = try JurisdictionRepository(database).tree()
        let level = try CitySettingsRepository(database).current().headlineLevel
        let statistics = try StatisticsRepository(database).aggregated(name, tree: tree, edition: .published)
        var history: [CityFigures] = []
        for year in try PublicationRepository(database).publishedYears() {
            guard let inventory = try cache.published(year: year), inventory.jurisdictions.contains(where: { $0.name == name }) else { continue }
            history.append(CityFigures(year: year, totals: inventory.totals(year: year, jurisdiction: name),
                                       bySector: inventory.bySector(year: year, jurisdiction: name), statistics: statistics[year], level: level))
        }
        let progress = try TargetRepository(database).progress()
        let shares = progress.flatMap { p in
            p.target.allocations.compactMap { allocation -> TargetShare? in
                guard allocation.dimension == .jurisdiction, let part = allocation.parts[name] else { return nil }
                return TargetShare(progress: p, allocation: allocation, level: part, basisShare: allocation.basisShare(of: name))
            }
        }
        let all = try AssessmentRepository(database).all().filter { $0.state == .published }
        let assessment = all.last.flatMap { a in a.results.first { $0.jurisdiction == name }.map { (a, $0) } }
        var plans: [PlanShare] = []
        if let office = row.jurisdiction.office {
            let repository = PlanRepository(database)
            for plan in try repository.plans() {
                let actions = try repository.actions(plan: plan.identifier).filter { $0.responsibleParties.contains { $0.organisation == office } }
                if !actions.isEmpty { plans.append(PlanShare(plan: plan, actions: actions, counts: .of(actions, plan: plan, today: today))) }
            }
        }
        let sites = Dictionary(grouping: try MonitoringRegistry(database).sites().filter { $0.site.jurisdiction == name }, by: \.site.kind)
            .mapValues(\.count)
        return DistrictProfile(row: row, city: districts.city, history: history, shares: shares,
                               ownTargets: progress.filter { $0.target.jurisdiction == name }, assessment: assessment, plans: plans, sites: sites)
    }
}
