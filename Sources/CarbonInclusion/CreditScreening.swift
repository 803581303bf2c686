import CarbonKit

/// The anti-fraud screen an event passes before it earns anything, with the memory it needs:
/// what each account earned today per behaviour and in all, its recent trips (so one journey
/// reported by two partners, or two journeys at once, is credited once), and how fast each
/// account and device posts. Rules, in order: scenario and methodology, evidence, activity and
/// its plausible range, navigation, household exclusions, time (future, stale), speed, overlap
/// and duplicate (by account, and by device across accounts), one day-total per behaviour (a
/// day's steps, and no trips of that behaviour beside it), velocity holds, then the daily caps.
///
/// One screen serves one scheme's events in arrival order; the store rebuilds its memory from
/// the recent credits it kept (``remember(_:outcome:)``) after a restart.
public struct CreditScreening: Sendable {
    public let scheme: InclusionScheme
    public let catalogue: MethodologyCatalogue
    private let offset: Int64
    private let methodologies: [String: Methodology]

    private struct Trip: Sendable { var start: Int64; var end: Int64; var scenario: String; var partner: String; var serial: String }
    private struct AccountDay: Hashable { var account: String; var day: Int }
    private var earnedByBehaviour: [AccountDay: [String: Micro]] = [:]
    private var earnedInAll: [AccountDay: Micro] = [:]
    private var trips: [String: [Trip]] = [:]
    /// Trips by device: the same journey from one phone under two accounts is one journey.
    private var deviceTrips: [String: [Trip]] = [:]
    /// Behaviours credited each account-day, and those credited as the day's total (steps).
    private var behaviours: [AccountDay: Set<String>] = [:]
    private var dayTotals: [AccountDay: Set<String>] = [:]
    private var accountPosts: [String: [Int64]] = [:]
    private var devicePosts: [String: [Int64]] = [:]
    private var deviceAccounts: [String: (day: Int, accounts: Set<String>)] = [:]

    /// Seconds an event may lie in the future: partner clocks drift.
    public static let clockSkewSeconds: Int64 = 300

    public init(scheme: InclusionScheme, catalogue: MethodologyCatalogue = .shipped) {
        self.scheme = scheme
        self.catalogue = catalogue
        offset = Int64(scheme.utcOffsetSeconds)
        var found: [String: Methodology] = [:]
        for id in scheme.scenarios.values { if let methodology = catalogue.methodology(id) { found[id] = methodology } }
        methodologies = found
    }

    /// The scheme's local day of an instant.
    public func day(of seconds: Int64) -> Day {
        let local = seconds + offset
        return Day(ordinal: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400) + Self.epochOrdinal)
    }

    private static let epochOrdinal = Day(year: 1970, month: 1, day: 1)!.ordinal

    /// Screens `event` arriving at `now` (seconds since 1970) and, unless refused, remembers it.
    public mutating func screen(_ event: BehaviourEvent, now: Int64) -> ScreeningOutcome {
        let day = day(of: event.startedAt)
        guard let id = scheme.scenarios[event.scenario], let methodology = methodologies[id] else {
            return .refused("scenario", "scenario \(event.scenario) is not part of scheme \(scheme.code)", day: day)
        }
        guard methodology.isValid(on: day) else {
            return .refused("methodology_period", "\(methodology.id) is valid from \(methodology.valid_from)"
                            + (methodology.valid_to.map { " to \($0)" } ?? "") + ", not on \(day)", day: day, methodology: methodology)
        }
        guard scheme.evidence_weights[event.evidence] != nil else {
            return .refused("evidence", "evidence \(event.evidence) is not accepted; accepted: "
                            + scheme.evidence_weights.keys.sorted().joined(separator: ", "), day: day, methodology: methodology)
        }
        guard let datum = event.datum(methodology.activity) else {
            return .refused("activity", "the activity data has no \(methodology.activity)", day: day, methodology: methodology)
        }
        guard let amount = datum.value(in: methodology.unit) else {
            return .refused("activity", "\(methodology.activity) is in \(datum.unit); \(methodology.id) needs \(methodology.unit)",
                            day: day, methodology: methodology)
        }
        if amount.millionths <= 0 {
            return .refused("implausible", "\(methodology.activity) \(datum.value) \(datum.unit) must be more than zero", day: day, methodology: methodology)
        }
        if let limit = methodology.limits[methodology.activity], amount > limit.maximum {
            return .refused("implausible", "\(methodology.activity) \(amount) \(methodology.unit) is above the plausible \(limit.maximum)",
                            day: day, methodology: methodology)
        }
        if methodology.requires_navigation == true, event.navigation != true {
            return .refused("navigation", "\(methodology.behaviour) counts only when recorded with navigation on", day: day, methodology: methodology)
        }
        if let household = methodology.household, let excluded = event.conditions.first(where: household.excluded.contains) {
            return .refused("excluded", "households with \(excluded) are excluded from \(methodology.id)", day: day, methodology: methodology)
        }
        if event.startedAt > now + Self.clockSkewSeconds {
            return .refused("future", "the activity starts after the time it was posted", day: day, methodology: methodology)
        }
        let today = self.day(of: now)
        let lastDay = day.adding(days: methodology.lagDays + (scheme.claim_window_days ?? 7))
        if today > lastDay {
            return .refused("stale", "activity on \(day) had to be posted by \(lastDay)", day: day, methodology: methodology)
        }
        let end = event.endedAt ?? event.startedAt
        if end < event.startedAt {
            return .refused("duration", "the activity ends before it starts", day: day, methodology: methodology)
        }
        if let maximum = methodology.maximum_speed_kmh {
            guard end > event.startedAt else {
                return .refused("duration", "\(methodology.behaviour) needs a start and an end to check its speed", day: day, methodology: methodology)
            }
            let kilometres = datum.value(in: "km")?.double ?? amount.double
            let speed = kilometres / (Double(end - event.startedAt) / 3600)
            if speed > maximum.double {
                return .refused("speed", "\(methodology.behaviour) at \(Int(speed.rounded())) km/h is faster than the plausible \(maximum) km/h",
                                day: day, methodology: methodology)
            }
        }
        let account = event.account
        // Another partner's serial is its own business: a resident is told only that it was another partner.
        func source(_ other: Trip) -> String { other.partner == event.partner ? "(serial \(other.serial))" : "from another partner" }
        if event.endedAt != nil, let other = trips[account]?.first(where: { $0.start < end && event.startedAt < $0.end }) {
            let same = other.scenario == event.scenario && other.start == event.startedAt && other.end == end
            return .refused(same ? "duplicate" : "overlap",
                            same ? "the same trip was already credited \(source(other))" : "overlaps a trip already credited \(source(other))",
                            day: day, methodology: methodology)
        }
        if event.endedAt != nil, let device = event.device,
           let other = deviceTrips[device]?.first(where: { $0.scenario == event.scenario && $0.start == event.startedAt && $0.end == end }) {
            return .refused("duplicate", "the same trip from the same device was already credited \(source(other))", day: day, methodology: methodology)
        }
        let accountDay = AccountDay(account: account, day: day.ordinal)
        if methodology.day_total == true, behaviours[accountDay]?.contains(methodology.behaviour) == true {
            return .refused("day_total", "\(methodology.activity) are the day's total: \(methodology.behaviour) on \(day) is credited already",
                            day: day, methodology: methodology)
        }
        if methodology.day_total != true, dayTotals[accountDay]?.contains(methodology.behaviour) == true {
            return .refused("day_total", "\(methodology.behaviour) on \(day) is credited already as the day's total", day: day, methodology: methodology)
        }
        guard var grams = methodology.reduction(for: amount) else {
            return .refused("implausible", "the reduction for \(amount) \(methodology.unit) is out of range", day: day, methodology: methodology)
        }
        var capRule: (rule: String, reason: String)?
        let key = AccountDay(account: account, day: day.ordinal)
        if let cap = methodology.daily_cap_g {
            let earned = earnedByBehaviour[key]?[methodology.code] ?? .zero
            if earned + grams > cap {
                grams = max(.zero, cap - earned)
                capRule = ("daily_cap", "\(methodology.behaviour) earns at most \(cap) g a day under \(methodology.id)")
            }
        }
        if let cap = scheme.daily_cap_g {
            let earned = earnedInAll[key] ?? .zero
            if earned + grams > cap {
                grams = max(.zero, cap - earned)
                capRule = ("scheme_daily_cap", "an account earns at most \(cap) g a day in scheme \(scheme.code)")
            }
        }
        if grams.millionths == 0, let capRule {
            return .refused(capRule.rule, capRule.reason + "; today's is reached", day: day, methodology: methodology)
        }
        var hold: (rule: String, reason: String)?
        let hourAgo = now - 3600
        let accountCount = (accountPosts[account]?.count { $0 > hourAgo } ?? 0) + 1
        if accountCount > scheme.velocity.account_events_per_hour {
            hold = ("account_velocity", "more than \(scheme.velocity.account_events_per_hour) events an hour for one account")
        }
        if let device = event.device {
            let deviceCount = (devicePosts[device]?.count { $0 > hourAgo } ?? 0) + 1
            if deviceCount > scheme.velocity.device_events_per_hour {
                hold = ("device_velocity", "more than \(scheme.velocity.device_events_per_hour) events an hour from one device")
            }
            let seen = deviceAccounts[device].flatMap { $0.day == today.ordinal ? $0.accounts : nil } ?? []
            if !seen.contains(account), seen.count >= scheme.velocity.device_accounts_per_day {
                hold = ("device_accounts", "one device posted for more than \(scheme.velocity.device_accounts_per_day) accounts today")
            }
        }
        let points = scheme.points(for: grams, evidence: event.evidence) ?? 0
        let lagged = methodology.lagDays > 0 && scheme.claim_window_days != nil
        let from = lagged ? day.adding(days: methodology.lagDays) : nil
        let outcome = ScreeningOutcome(
            decision: hold != nil ? .held : capRule != nil ? .capped : .credited, methodology: methodology.id,
            behaviour: methodology.behaviour, day: day, grams: grams, points: points, rule: hold?.rule ?? capRule?.rule,
            reason: hold?.reason ?? capRule?.reason, claimableFrom: from,
            claimableUntil: from.map { $0.adding(days: scheme.claim_window_days ?? 0) })
        remember(event, outcome: outcome, now: now)
        return outcome
    }

    /// Takes a credited, capped or held event into the screen's memory: what `screen` does after
    /// deciding, and what the store does with recent credits after a restart.
    public mutating func remember(_ event: BehaviourEvent, outcome: ScreeningOutcome, now: Int64) {
        guard outcome.counts else { return }
        let key = AccountDay(account: event.account, day: outcome.day.ordinal)
        if let methodology = outcome.methodology.flatMap({ methodologies[$0] }) {
            earnedByBehaviour[key, default: [:]][methodology.code, default: .zero] = (earnedByBehaviour[key]?[methodology.code] ?? .zero) + outcome.grams
        }
        earnedInAll[key] = (earnedInAll[key] ?? .zero) + outcome.grams
        if let end = event.endedAt {
            let trip = Trip(start: event.startedAt, end: end, scenario: event.scenario, partner: event.partner, serial: event.serial)
            trips[event.account, default: []].append(trip)
            if let device = event.device { deviceTrips[device, default: []].append(trip) }
        }
        if let methodology = outcome.methodology.flatMap({ methodologies[$0] }) {
            behaviours[key, default: []].insert(methodology.behaviour)
            if methodology.day_total == true { dayTotals[key, default: []].insert(methodology.behaviour) }
        }
        accountPosts[event.account, default: []].append(now)
        if let device = event.device {
            devicePosts[device, default: []].append(now)
            let today = day(of: now).ordinal
            var seen: (day: Int, accounts: Set<String>) = deviceAccounts[device].flatMap { $0.day == today ? $0 : nil } ?? (today, [])
            seen.accounts.insert(event.account)
            deviceAccounts[device] = seen
        }
    }

    /// Forgets what no rule can look at any more: posts older than an hour, trips and days older
    /// than the longest window. Called now and then so memory follows the active accounts.
    public mutating func prune(now: Int64) {
        let hourAgo = now - 3600
        accountPosts = accountPosts.compactMapValues { posts in let kept = posts.filter { $0 > hourAgo }; return kept.isEmpty ? nil : kept }
        devicePosts = devicePosts.compactMapValues { posts in let kept = posts.filter { $0 > hourAgo }; return kept.isEmpty ? nil : kept }
        let horizon = day(of: now).ordinal - 2 - (scheme.claim_window_days ?? 7) - 2
        earnedByBehaviour = earnedByBehaviour.filter { $0.key.day >= horizon }
        earnedInAll = earnedInAll.filter { $0.key.day >= horizon }
        behaviours = behaviours.filter { $0.key.day >= horizon }
        dayTotals = dayTotals.filter { $0.key.day >= horizon }
        let oldest = now - Int64(4 + (scheme.claim_window_days ?? 7)) * 86_400
        trips = trips.compactMapValues { list in let kept = list.filter { $0.end >= oldest }; return kept.isEmpty ? nil : kept }
        deviceTrips = deviceTrips.compactMapValues { list in let kept = list.filter { $0.end >= oldest }; return kept.isEmpty ? nil : kept }
    }
}
