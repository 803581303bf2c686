import CarbonInclusion
import CarbonKit
import CityProgramme
import Foundation

/// Households that credit their electricity saving from their own meter: a monitoring site
/// enrolled for a resident's account, with the conditions the methodology's exclusions look at
/// (third tariff tier, distributed PV). Each day's saving is posted by the city's own app
/// (partner `Self`, evidence `meter`) through the same intake and fraud screen as any event,
/// its serial the site and day, so crediting a day twice credits it once.
public struct InclusionHouseholds: Sendable {
    let database: CityCarbonDatabase
    let catalogue: MethodologyCatalogue

    public init(_ database: CityCarbonDatabase, catalogue: MethodologyCatalogue = .shipped) {
        self.database = database
        self.catalogue = catalogue
    }

    static let scenario = "household-electricity"

    /// Enrols (or re-enrols with new conditions) the monitoring site `site` for `did`.
    public func enrol(site: String, scheme: String = "city", did: String, conditions: [String], by actor: String) throws {
        guard try MonitoringRegistry(database).site(site) != nil else {
            throw InclusionRefusal.invalid(field: "site", value: site, reason: "is not a monitoring site of this workspace")
        }
        guard !did.isEmpty, did.utf8.count <= 128, did.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw InclusionRefusal.invalid(field: "account", value: String(did.prefix(80)), reason: "must be 1 to 128 printable ASCII characters")
        }
        let known = Set(catalogue.scheme(scheme)?.scenarios[Self.scenario].flatMap { catalogue.methodology($0)?.household?.excluded } ?? [])
        if let unknown = conditions.first(where: { !known.contains($0) }) {
            throw InclusionRefusal.invalid(field: "conditions", value: unknown, reason: "is not a condition the methodology knows: \(known.sorted().joined(separator: ", "))")
        }
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO inclusion_household (site, scheme, did, conditions, enrolled_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (site) DO UPDATE SET scheme = excluded.scheme, did = excluded.did, conditions = excluded.conditions
                """, arguments: [site, scheme, did, conditions.joined(separator: ","), actor])
            try AuditTrail.append(db, actor: actor, action: "inclusion.enrol", entity: "inclusion_household", entityID: site,
                                  after: .object([("scheme", .string(scheme)), ("conditions", .array(conditions.map(JSONValue.string)))]))
        }
    }

    /// Credits each enrolled household's saving on `day` from its metered daily use; the events posted.
    @discardableResult
    public func credit(day: Day, now: Date = Date()) throws -> [PostedEvent] {
        let enrolled = try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT site, scheme, did, conditions FROM inclusion_household ORDER BY site")
        }
        guard !enrolled.isEmpty else { return [] }
        guard let partner = try InclusionPartners(database).partner("Self"), partner.revokedAt == nil,
              partner.scenarios.contains(Self.scenario) else {
            throw InclusionRefusal.invalid(field: "partner", value: "Self",
                                           reason: "the city's own app (partner Self) must be registered with the scenario \(Self.scenario)")
        }
        var posted: [PostedEvent] = []
        for (scheme, rows) in Dictionary(grouping: enrolled, by: { $0["scheme"] as String }) where scheme == partner.scheme {
            guard let id = catalogue.scheme(scheme)?.scenarios[Self.scenario], let methodology = catalogue.methodology(id),
                  let rules = methodology.household else { continue }
            let window = HouseholdSavings.window(for: day, rules: rules)
            let sites = Set(rows.map { $0["site"] as String })
            // The city's baseline: every residential home it meters, enrolled or not.
            let residential = sites.union(try MonitoringRegistry(database).sites().filter { $0.site.use == "residential" }.map(\.site.key))
            var uses: [String: [Day: Double]] = [:]
            for row in try MonitoringRollups(database).rows(level: .site, period: .day, from: window.lowerBound, to: window.upperBound)
            where residential.contains(row.key) {
                if let kWh = row.consumption["electricity"], let date = Day(row.period) { uses[row.key, default: [:]][date] = kWh }
            }
            func household(_ site: String) -> HouseholdSavings.Household { HouseholdSavings.Household(site: site, uses: uses[site] ?? [:]) }
            let results = HouseholdSavings.savings(on: day, households: sites.sorted().map(household), residential: residential.sorted().map(household),
                                                   rules: rules)
            let bySite = Dictionary(rows.map { ($0["site"] as String, $0) }, uniquingKeysWith: { a, _ in a })
            let zone = Int64(catalogue.scheme(scheme)?.utcOffsetSeconds ?? 0)
            let noon = Int64(day.ordinal - Day(year: 1970, month: 1, day: 1)!.ordinal) * 86_400 + 12 * 3600 - zone
            let events = results.filter { $0.saving.kWh.millionths > 0 }.compactMap { result -> BehaviourEvent? in
                guard let row = bySite[result.site] else { return nil }
                var activity = [ActivityDatum(name: "electricity", unit: "kWh", value: result.saving.kWh),
                                ActivityDatum(name: "use", unit: "kWh", value: result.use),
                                ActivityDatum(name: "city_baseline", unit: "kWh", value: result.saving.cityBaseline)]
                if let average = result.saving.ownAverage { activity.append(ActivityDatum(name: "own_average", unit: "kWh", value: average)) }
                let conditions = (row["conditions"] as String).split(separator: ",").map(String.init)
                return BehaviourEvent(partner: partner.code, serial: "household-\(result.site)-\(day)", scheme: scheme, account: row["did"],
                                      scenario: Self.scenario, startedAt: noon, evidence: "meter", conditions: conditions, activity: activity)
            }
            if !events.isEmpty { posted += try InclusionIntake(database, catalogue: catalogue).post(events, from: partner, now: now) }
        }
        return posted
    }
}
