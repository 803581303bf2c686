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
    /// What an account earned on one day, by methodology and in all, and the behaviours credited
    /// that day, with those credited as the day's total (steps). A day holds a handful of each,
    /// so they are short lists: the screen looks each account-day up once per event.
    private struct DayRecord {
        var earned: [(methodology: String, grams: Micro)] = []
        var earnedInAll = Micro.zero
        var behaviours: [String] = []
        var dayTotals: [String] = []
        func earned(_ methodology: String) -> Micro { earned.first { $0.methodology == methodology }?.grams ?? .zero }
    }
    /// An account's recent trips and when it posted in the last hour.
    private struct AccountRecord { var trips: [Trip] = []; var posts: [Int64] = [] }
    /// A device's recent trips (the same journey from one phone under two accounts is one
    /// journey), its posts in the last hour, and the accounts it posted for on `day`.
    private struct DeviceRecord { var trips: [Trip] = []; var posts: [Int64] = []; var day = 0; var accounts: Set<String> = [] }
    private var days: [AccountDay: DayRecord] = [:]
    private var accounts: [String: AccountRecord] = [:]
    private var devices: [String: DeviceRecord] = [:]

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
        let accountRecord = accounts[account]
        let deviceRecord = event.device.flatMap { devices[$0] }
        if event.endedAt != nil, let other = accountRecord?.trips.first(where: { $0.start < end && event.startedAt < $0.end }) {
            let same = other.scenario == event.scenario && other.start == event.startedAt && other.end == end
            return .refused(same ? "duplicate" : "overlap",
                            same ? "the same trip was already credited \(source(other))" : "overlaps a trip already credited \(source(other))",
                            day: day, methodology: methodology)
        }
        if event.endedAt != nil,
           let other = deviceRecord?.trips.first(where: { $0.scenario == event.scenario && $0.start == event.startedAt && $0.end == end }) {
            return .refused("duplicate", "the same trip from the same device was already credited \(source(other))", day: day, methodology: methodology)
        }
        let dayRecord = days[AccountDay(account: account, day: day.ordinal)]
        if methodology.day_total == true, dayRecord?.behaviours.contains(methodology.behaviour) == true {
            return .refused("day_total", "\(methodology.activity) are the day's total: \(methodology.behaviour) on \(day) is credited already",
                            day: day, methodology: methodology)
        }
        if methodology.day_total != true, dayRecord?.dayTotals.contains(methodology.behaviour) == true {
            return .refused("day_total", "\(methodology.behaviour) on \(day) is credited already as the day's total", day: day, methodology: methodology)
        }
        guard var grams = methodology.reduction(for: amount) else {
            return .refused("implausible", "the reduction for \(amount) \(methodology.unit) is out of range", day: day, methodology: methodology)
        }
        var capRule: (rule: String, reason: String)?
        if let cap = methodology.daily_cap_g {
            let earned = dayRecord?.earned(methodology.code) ?? .zero
            if earned + grams > cap {
                grams = max(.zero, cap - earned)
                capRule = ("daily_cap", "\(methodology.behaviour) earns at most \(cap) g a day under \(methodology.id)")
            }
        }
        if let cap = scheme.daily_cap_g {
            let earned = dayRecord?.earnedInAll ?? .zero
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
        let accountCount = (accountRecord?.posts.count { $0 > hourAgo } ?? 0) + 1
        if accountCount > scheme.velocity.account_events_per_hour {
            hold = ("account_velocity", "more than \(scheme.velocity.account_events_per_hour) events an hour for one account")
        }
        if event.device != nil {
            let deviceCount = (deviceRecord?.posts.count { $0 > hourAgo } ?? 0) + 1
            if deviceCount > scheme.velocity.device_events_per_hour {
                hold = ("device_velocity", "more than \(scheme.velocity.device_events_per_hour) events an hour from one device")
            }
            let seen = deviceRecord.flatMap { $0.day == today.ordinal ? $0.accounts : nil } ?? []
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
        let methodology = outcome.methodology.flatMap { methodologies[$0] }
        let trip = event.endedAt.map { Trip(start: event.startedAt, end: $0, scenario: event.scenario, partner: event.partner, serial: event.serial) }
        // Each record is changed where it lies (the subscript's default yields it in place), so it
        // is neither copied nor looked up twice.
        do {
            let key = AccountDay(account: event.account, day: outcome.day.ordinal)
            Self.update(&days[key, default: DayRecord()]) { record in
                if let methodology {
                    if let index = record.earned.firstIndex(where: { $0.methodology == methodology.code }) {
                        record.earned[index].grams = record.earned[index].grams + outcome.grams
                    } else {
                        record.earned.append((methodology.code, outcome.grams))
                    }
                    if !record.behaviours.contains(methodology.behaviour) { record.behaviours.append(methodology.behaviour) }
                    if methodology.day_total == true, !record.dayTotals.contains(methodology.behaviour) { record.dayTotals.append(methodology.behaviour) }
                }
                record.earnedInAll = record.earnedInAll + outcome.grams
            }
        }
        Self.update(&accounts[event.account, default: AccountRecord()]) { record in
            if let trip { record.trips.append(trip) }
            record.posts.append(now)
        }
        if let device = event.device {
            let today = day(of: now).ordinal
            Self.update(&devices[device, default: DeviceRecord()]) { record in
                if let trip { record.trips.append(trip) }
                record.posts.append(now)
                if record.day != today { (record.day, record.accounts) = (today, []) }
                record.accounts.insert(event.account)
            }
        }
    }

    private static func update<Record>(_ record: inout Record, _ change: (inout Record) -> Void) { change(&record) }

    /// Forgets what no rule can look at any more: posts older than an hour, trips and days older
    /// than the longest window. Called now and then so memory follows the active accounts.
    public mutating func prune(now: Int64) {
        let hourAgo = now - 3600
        let horizon = day(of: now).ordinal - 2 - (scheme.claim_window_days ?? 7) - 2
        let oldest = now - Int64(4 + (scheme.claim_window_days ?? 7)) * 86_400
        days = days.filter { $0.key.day >= horizon }
        accounts = accounts.compactMapValues { record in
            let kept = AccountRecord(trips: record.trips.filter { $0.end >= oldest }, posts: record.posts.filter { $0 > hourAgo })
            return kept.trips.isEmpty && kept.posts.isEmpty ? nil : kept
        }
        let today = day(of: now).ordinal
        devices = devices.compactMapValues { record in
            var kept = record
            kept.trips = record.trips.filter { $0.end >= oldest }
            kept.posts = record.posts.filter { $0 > hourAgo }
            // The accounts seen are today's only; an earlier day's matter to no rule.
            if kept.day != today { kept.accounts = [] }
            return kept.trips.isEmpty && kept.posts.isEmpty && kept.accounts.isEmpty ? nil : kept
        }
    }
}
