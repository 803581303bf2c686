import CarbonInclusion
import CarbonKit
import Foundation

/// What became of one posted event: its stored id and the screen's decision. A serial posted
/// again gets the first answer back (`repeated`), and nothing moves twice.
public struct PostedEvent: Sendable, Equatable {
    public var serial: String
    public var id: Int64?
    public var outcome: ScreeningOutcome
    public var status: String
    public var repeated: Bool
}

/// Why a whole post was refused; nothing was stored.
public enum InclusionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case replay(nonce: String)
    case revokedPartner(String)
    case unknownAccount(String)
    case unknownCredit(Int64)
    case notHeld(Int64, status: String)
    case notClaimable(Int64, reason: String)
    case unknownItem(String)
    case redemption(RedemptionRefusal)
    case nothingToLot(scheme: String, month: String)
    case lotClaimedTwice(credit: Int64)
    case invalid(field: String, value: String, reason: String)

    public var description: String {
        switch self {
        case let .replay(nonce): "nonce \(nonce) was used already: a request is accepted once"
        case let .revokedPartner(code): "partner \(code) is revoked"
        case let .unknownAccount(did): "no account \(did) in this scheme"
        case let .unknownCredit(id): "no credit \(id)"
        case let .notHeld(id, status): "credit \(id) is \(status), not held"
        case let .notClaimable(id, reason): "credit \(id) cannot be claimed: \(reason)"
        case let .unknownItem(code): "no catalogue item \(code)"
        case let .redemption(refusal): refusal.description
        case let .nothingToLot(scheme, month): "scheme \(scheme) has no settled lot-grade reductions in \(month) outside a lot"
        case let .lotClaimedTwice(credit): "credit \(credit) is already in a lot or claimed elsewhere"
        case let .invalid(field, value, reason): "\(field) = \(value): \(reason)"
        }
    }
}

/// The points ledger and the fraud screens as of the ledger's stored head, kept between posts.
/// A post that fails drops them, so the next reloads from the tables rather than trusting
/// memory its rollback undid; another process's commit moves the head and forces a reload too.
///
/// Intake through ``InclusionCommitQueue`` screens the next commit while the last is written,
/// so memory runs ahead of the tables by the plans in flight (``IntakePlan``): their serials,
/// nonces and event ids are kept here until they are durable. Every other writer (claims,
/// reviews, lots, erasures) waits until none is in flight, and intake waits for it in turn.
final class InclusionState: @unchecked Sendable {
    private let condition = NSCondition()
    var ledger: CreditLedger?
    var screenings: [String: CreditScreening] = [:]
    /// When the screens last forgot what no rule can look at any more.
    var prunedAt: Int64 = 0
    /// Residents' ledger keys by scheme and pseudonym, and by partner the keys it has posted for,
    /// as stored: most posts are from residents seen before, and reading each one's key again
    /// cost the writer more than screening it. An erasure anywhere (the head's count) drops both.
    var keys: [String: [String: String]] = [:]
    var linked: [String: Set<String>] = [:]
    var erasures: Int64 = 0
    /// Past this many cached keys the cache starts again, so memory stays bounded in a city of millions.
    static let maximumCachedKeys = 1_000_000

    /// Plans screened but not yet durable, what they hold, and the id their successor's first event takes.
    var inFlight = 0
    /// The serials of each plan in flight, by partner, in the order screened: each plan's own
    /// table, shared rather than merged into one, so a plan costs nothing more to hold or let go.
    var serialsInFlight: [(flight: Int, serials: [String: [String: InclusionIntake.Stored]])] = []
    var flights = 0
    /// Nonces of plans in flight. Other partner routes use nonces too (``InclusionPartners/useNonce(_:partner:now:)``):
    /// both check and take a nonce under ``nonceLock``, so none is taken twice between a screen and its write.
    var pendingNonces: Set<String> = []
    let nonceLock = NSLock()
    var nextEventID: Int64?
    /// Moves on whenever memory is dropped: a plan screened in an earlier generation is refused
    /// unwritten, since it was screened against memory a failed commit made untrue. It has its
    /// own lock, so the writer can check it while the next plan is being screened.
    var generation: Int { generationLock.withLock { currentGeneration } }
    private let generationLock = NSLock()
    private var currentGeneration = 0
    private var waitingWriters = 0

    /// The ledger, taken out so that changing it does not copy its balances (the state holds
    /// no second reference); the caller puts it back once its commit succeeded.
    func takeLedger() -> CreditLedger {
        defer { ledger = nil }
        return ledger!
    }

    /// Runs `body` once no plan is in flight, so memory and the tables agree; a failure drops memory.
    func with<T>(_ body: (InclusionState) throws -> T) throws -> T {
        condition.lock()
        defer {
            // Intake's screen waits while a writer does: tell it this one is done.
            condition.broadcast()
            condition.unlock()
        }
        waitingWriters += 1
        while inFlight > 0 { condition.wait() }
        waitingWriters -= 1
        return try guarded(body)
    }

    /// Runs `body` beside plans in flight (intake's screen), after any writer waiting for them.
    func withPlansInFlight<T>(_ body: (InclusionState) throws -> T) throws -> T {
        condition.lock()
        defer { condition.unlock() }
        while waitingWriters > 0 { condition.wait() }
        return try guarded(body)
    }

    /// Runs `body` when a plan in flight is done: it may not wait.
    func finishing<T>(_ body: (InclusionState) throws -> T) rethrows -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(self)
    }

    private func guarded<T>(_ body: (InclusionState) throws -> T) throws -> T {
        do { return try body(self) } catch let refusal as InclusionRefusal {
            // A refused claim or redemption changed nothing stored, and the screens do not
            // depend on it: only the ledger it had taken out is read again.
            ledger = nil
            throw refusal
        } catch {
            forget()
            throw error
        }
    }

    func releaseNonces(_ nonces: [(partner: String, nonce: String)]) {
        nonceLock.withLock { for (partner, nonce) in nonces { pendingNonces.remove(partner + "\u{0}" + nonce) } }
    }

    /// Drops memory, so the next writer reloads it from the tables.
    func forget() {
        ledger = nil
        screenings = [:]
        keys = [:]
        linked = [:]
        nextEventID = nil
        generationLock.withLock { currentGeneration += 1 }
    }
}

/// What one commit writes, worked out by the screen before the write: the answers to give, and
/// the rows, lines, balances and head that make them true. ``InclusionIntake`` writes it at
/// once; ``InclusionCommitQueue`` writes it while the next plan is screened.
struct IntakePlan {
    var results: [Result<[PostedEvent], InclusionRefusal>] = []
    var nonces: [(partner: String, nonce: String)] = []
    var accounts: [(scheme: String, did: String, key: String)] = []
    var rows: EventRows
    var linked: [(account: String, partner: String)] = []
    var entries: [CreditEntry] = []
    var balances: [(account: String, balance: PointBalance)] = []
    /// The head the plan follows, and its own: the write refuses a plan whose head moved.
    var previous: (sequence: Int64, hash: String)
    var head: (sequence: Int64, hash: String)
    var actor: String
    var seconds: Int64
    var generation: Int
    /// Its number among the plans in flight (``InclusionState/serialsInFlight``); 0 when written at once.
    var flight = 0
    /// The serials it stores, as a later post repeating one is answered.
    /// Also how a later post in the same commit sees them: they are inserted together at its end.
    var serials: [String: [String: InclusionIntake.Stored]] = [:]
}

/// Why a plan was not written: the ledger moved under it (another process, or a failed commit
/// before it in the pipeline). Nothing of it is stored; the partner may post again.
public struct IntakeConflict: Error, CustomStringConvertible {
    public var description: String { "the points ledger changed while this post was screened; nothing was stored, post it again" }
}

/// Partners' events in, screened, credited and on disk in one transaction per post: the events
/// (refused ones too, with their rule), new accounts, the ledger's lines, the balances they
/// change, the ledger's head and one audit event that seals the range. Many events share the
/// commit, which is how intake keeps up with a city's millions of daily trips.
public struct InclusionIntake: Sendable {
    let database: CityCarbonDatabase
    let catalogue: MethodologyCatalogue

    public init(_ database: CityCarbonDatabase, catalogue: MethodologyCatalogue = .shipped) {
        self.database = database
        self.catalogue = catalogue
    }

    /// One partner's post: its events and, for a signed request, its nonce.
    public struct Submission: Sendable {
        public var events: [BehaviourEvent]
        public var partner: InclusionPartner
        public var nonce: String?
        /// Each event's stored activity and digest, worked out before the post waits for the
        /// writer (``prepared()``), so the one thread that commits does not spend its time on them.
        var stored: [(activity: String, digest: String)]?
        public init(events: [BehaviourEvent], partner: InclusionPartner, nonce: String? = nil) {
            (self.events, self.partner, self.nonce) = (events, partner, nonce)
        }

        /// The submission with its events' stored activity and digest worked out.
        func prepared() -> Submission {
            var copy = self
            copy.stored = events.map { event in
                let activity = InclusionIntake.activityText(event.activity)
                return (activity, InclusionIntake.digest(of: event, activity: activity))
            }
            return copy
        }
    }

    /// Refuses a post whose events name a district that is not one of the city's jurisdictions,
    /// naming each place: totals by district show only the city's own districts.
    public func checkDistricts(_ events: [BehaviourEvent]) throws {
        guard events.contains(where: { $0.district != nil }) else { return }
        let tree = try JurisdictionRepository(database).tree()
        let issues = events.enumerated().compactMap { index, event -> InputIssue? in
            guard let district = event.district, !tree.contains(district) else { return nil }
            return InputIssue(InputLocation(field: "events[\(index)].district"), value: district, reason: "is not a district of the city")
        }
        if !issues.isEmpty { throw InputErrors(Array(issues.prefix(50))) }
    }

    /// Screens and stores `events` from `partner`, using `nonce` once if given.
    public func post(_ events: [BehaviourEvent], from partner: InclusionPartner, nonce: String? = nil, now: Date = Date()) throws -> [PostedEvent] {
        try post([Submission(events: events, partner: partner, nonce: nonce)], now: now)[0].get()
    }

    /// Screens and stores several posts in one commit, in order; each gets its events' outcomes
    /// or its refusal (a revoked partner, a replayed nonce), and a refused post changes nothing.
    public func post(_ submissions: [Submission], now: Date = Date()) throws -> [Result<[PostedEvent], InclusionRefusal>] {
        try database.inclusion.with { state in
            try database.write { db in
                let plan = try screen(submissions, state: state, db, now: now, pipelined: false)
                // Its nonces are stored by the write or not at all: either way no longer held.
                defer { state.releaseNonces(plan.nonces) }
                try Self.write(plan, db)
                return plan.results
            }
        }
    }

    /// Screens `submissions` against memory and what `db` holds, moving memory on to the plan's
    /// end: the ledger, the screens, the keys. Pipelined, `db` is a snapshot that lacks the plans
    /// in flight, so their serials, nonces and event ids come from memory.
    func screen(_ submissions: [Submission], state: InclusionState, _ db: any SQLConnection, now: Date,
                pipelined: Bool) throws -> IntakePlan {
        let seconds = Int64(now.timeIntervalSince1970), millis = Int64(now.timeIntervalSince1970 * 1000)
        if !pipelined || state.inFlight == 0 || state.ledger == nil {
            try Self.bringUpToDate(state, db, catalogue: catalogue, now: seconds, locking: !pipelined)
        }
        // Once an hour the screens drop old posts, trips and days, so memory follows the active residents.
        if seconds - state.prunedAt >= 3600 {
            for scheme in Array(state.screenings.keys) { state.screenings[scheme]?.prune(now: seconds) }
            state.prunedAt = seconds
        }
        var ledger = state.takeLedger()
        let previous = (ledger.sequence, ledger.headHash)
        let firstID = pipelined && state.inFlight > 0 ? try state.nextEventID ?? Self.nextEventID(db) : try Self.nextEventID(db)
        var plan = IntakePlan(rows: EventRows(firstID: firstID), previous: previous, head: previous,
                              actor: Set(submissions.map(\.partner.code)).count == 1 ? "partner:\(submissions[0].partner.code)" : "partners",
                              seconds: seconds, generation: state.generation)
        var touched = Set<String>()
        var nonces = Set<String>()
        // A screen that fails gives back the nonces it took.
        var screened = false
        defer { if !screened { state.releaseNonces(plan.nonces) } }
        for submission in submissions {
            let partner = submission.partner
            if partner.revokedAt != nil {
                plan.results.append(.failure(.revokedPartner(partner.code)))
            } else if let nonce = submission.nonce, try !Self.unusedNonce(db, nonce, partner: partner.code, state: state, plan: &nonces) {
                plan.results.append(.failure(.replay(nonce: nonce)))
            } else {
                if let nonce = submission.nonce { plan.nonces.append((partner.code, nonce)) }
                plan.results.append(.success(try Self.post(submission, state: state, ledger: &ledger, plan: &plan, touched: &touched, db,
                                                           catalogue: catalogue, seconds: seconds, millis: millis)))
            }
        }
        let accounts = touched.sorted()
        plan.balances = accounts.map { ($0, ledger.balances[$0] ?? PointBalance()) }
        plan.head = (ledger.sequence, ledger.headHash)
        state.ledger = ledger
        state.nextEventID = plan.rows.firstID + Int64(plan.rows.id.count)
        screened = true
        return plan
    }

    /// Whether `nonce` is unused: not stored, not in a plan in flight, not earlier in this one.
    static func unusedNonce(_ db: any SQLConnection, _ nonce: String, partner: String, state: InclusionState,
                            plan: inout Set<String>) throws -> Bool {
        let key = partner + "\u{0}" + nonce
        guard plan.insert(key).inserted else { return false }
        return try state.nonceLock.withLock {
            guard !state.pendingNonces.contains(key),
                  try Int.fetchOne(db, sql: "SELECT 1 FROM inclusion_nonce WHERE partner = ? AND nonce = ?", arguments: [partner, nonce]) == nil
            else { return false }
            // Taken now, so another route cannot use it before this plan is written.
            state.pendingNonces.insert(key)
            return true
        }
    }

    /// Writes `plan` in the open transaction of `db`, if the ledger's stored head is still the one it followed.
    static func write(_ plan: IntakePlan, _ db: any SQLConnection) throws {
        let head = try SQLRow.fetchOne(db, sql: "SELECT sequence, hash FROM inclusion_head WHERE singleton = 1"
                                       + (db.dialect == .postgres ? " FOR UPDATE" : ""))
        guard head?["sequence"] == plan.previous.sequence, head?["hash"] == plan.previous.hash else { throw IntakeConflict() }
        if !plan.nonces.isEmpty {
            // The primary key refuses a nonce another process used meanwhile: the commit fails, nothing is taken.
            try db.bulkInsert(into: "inclusion_nonce", columns: [
                SQLColumn("partner", .text(plan.nonces.map(\.partner))), SQLColumn("nonce", .text(plan.nonces.map(\.nonce))),
                SQLColumn("at", .integer(plan.nonces.map { _ in plan.seconds })),
            ], onConflict: nil)
            if plan.seconds % 64 == 0 {
                try db.execute(sql: "DELETE FROM inclusion_nonce WHERE at < ?", arguments: [plan.seconds - InclusionPartners.nonceMemorySeconds])
            }
        }
        if !plan.accounts.isEmpty {
            let now = CityCarbonDatabase.now()
            try db.bulkInsert(into: "inclusion_account", columns: [
                SQLColumn("scheme", .text(plan.accounts.map(\.scheme))), SQLColumn("did", .text(plan.accounts.map(\.did))),
                SQLColumn("account_key", .text(plan.accounts.map(\.key))), SQLColumn("created_at", .text(plan.accounts.map { _ in now })),
            ], onConflict: nil)
        }
        try plan.rows.insert(db)
        try InclusionAccountIndex.add(accounts: plan.rows.account, ids: plan.rows.id, db)
        if !plan.linked.isEmpty {
            try db.bulkInsert(into: "inclusion_account_partner", columns: [
                SQLColumn("account_key", .text(plan.linked.map(\.account))), SQLColumn("partner", .text(plan.linked.map(\.partner))),
            ], onConflict: "DO NOTHING")
        }
        try persist(plan.entries, balances: plan.balances, head: plan.head, db, actor: plan.actor)
    }

    private static func post(_ submission: Submission, state: InclusionState, ledger: inout CreditLedger,
                             plan: inout IntakePlan, touched: inout Set<String>, _ db: any SQLConnection,
                             catalogue: MethodologyCatalogue, seconds: Int64, millis: Int64) throws -> [PostedEvent] {
        let (events, partner) = (submission.events, submission.partner)
        let prepared = submission.stored ?? submission.prepared().stored!
        guard let scheme = catalogue.scheme(partner.scheme) else {
            throw InclusionRefusal.invalid(field: "scheme", value: partner.scheme, reason: "is not a scheme of this platform")
        }
        var existing = try stored(db, partner: partner.code, serials: events.map(\.serial))
        // Stored ones, those of plans in flight, and those of earlier posts in this commit (later ones win).
        do {
            // Let go of before this plan's table grows below, which would copy it otherwise.
            let pending = (state.serialsInFlight.map(\.serials) + [plan.serials]).compactMap { $0[partner.code] }.filter { !$0.isEmpty }
            for event in events where !pending.isEmpty {
                for table in pending { if let earlier = table[event.serial] { existing[event.serial] = earlier } }
            }
        }
        // Taken out of the state and put back, so adding to them does not copy the whole cache.
        var keys = state.keys.removeValue(forKey: scheme.code) ?? [:]
        // Each event's ledger key, looked up once; nil for a resident not seen before.
        var resolved = events.map { keys[$0.account] }
        if resolved.contains(nil) {
            let unknown = Set(zip(events, resolved).compactMap { $1 == nil ? $0.account : nil })
            keys.merge(try accountKeys(db, scheme: scheme.code, dids: unknown)) { $1 }
            var newAccounts: [(did: String, key: String)] = []
            var unseen = Set<String>()
            // A key for each new resident with an event to store (not one only re-posting a stored serial).
            for (event, key) in zip(events, resolved) where key == nil && keys[event.account] == nil && existing[event.serial] == nil
                && unseen.insert(event.account).inserted {
                newAccounts.append((event.account, Self.newAccountKey()))
            }
            try checkUnused(db, &newAccounts)
            for account in newAccounts { keys[account.did] = account.key }
            for index in resolved.indices where resolved[index] == nil { resolved[index] = keys[events[index].account] }
            plan.accounts += newAccounts.map { (scheme.code, $0.did, $0.key) }
        }
        state.keys[scheme.code] = keys
        var screening = state.screenings.removeValue(forKey: scheme.code) ?? CreditScreening(scheme: scheme, catalogue: catalogue)
        defer { state.screenings[scheme.code] = screening }
        var results: [PostedEvent] = []
        let firstRow = plan.rows.id.count
        let scope = Set(partner.scenarios)
        var inThisPost: [String: Int] = [:]
        for (position, event) in events.enumerated() {
            let (activity, digest) = prepared[position]
            if let index = inThisPost[event.serial] {
                var again = results[index]
                again.repeated = true
                results.append(again)
                continue
            }
            inThisPost[event.serial] = results.count
            if !existing.isEmpty, let earlier = existing[event.serial] {
                if earlier.digest == digest {
                    results.append(PostedEvent(serial: event.serial, id: earlier.id, outcome: earlier.outcome, status: earlier.status, repeated: true))
                } else {
                    results.append(PostedEvent(serial: event.serial, id: nil, outcome: .refused(
                        "serial_reused", "serial \(event.serial) was posted before with other data; the first post stands",
                        day: earlier.outcome.day), status: "refused", repeated: true))
                }
                continue
            }
            var keyed = event
            keyed.account = resolved[position]!
            let outcome = scope.contains(event.scenario)
                ? screening.screen(keyed, now: seconds)
                : .refused("scope", "partner \(partner.code) may not post scenario \(event.scenario)", day: screening.day(of: event.startedAt))
            let status: String
            switch outcome.decision {
            case .refused: status = "refused"
            case .held: status = "held"
            case .credited, .capped: status = outcome.claimableFrom != nil ? "pending" : "available"
            }
            var line: CreditEntry?
            if outcome.counts {
                let entry = try ledger.append(.credit, account: keyed.account,
                                              reference: InclusionCreditLines.reference(partner: partner.code, serial: event.serial),
                                              pending: status == "pending" ? outcome.points : 0,
                                              available: status == "available" ? outcome.points : 0,
                                              held: status == "held" ? outcome.points : 0, grams: outcome.grams, atMillis: millis)
                plan.entries.append(entry)
                touched.insert(keyed.account)
                line = entry
            }
            let id = plan.rows.append(keyed, activity: activity, digest: digest, scheme: scheme.code, outcome: outcome, status: status,
                                 received: seconds, line: line)
            results.append(PostedEvent(serial: event.serial, id: id, outcome: outcome, status: status, repeated: false))
            plan.serials[partner.code, default: [:]][event.serial] = Stored(id: id, digest: digest, outcome: outcome, status: status)
        }
        var known = state.linked.removeValue(forKey: partner.code) ?? []
        for account in plan.rows.account[firstRow...] where known.insert(account).inserted { plan.linked.append((account, partner.code)) }
        state.linked[partner.code] = known
        return results
    }


    /// The ledger's lines, the balances they changed, the head, and an audit event sealing them.
    static func persist(_ all: [CreditEntry], touched: Set<String>, ledger: CreditLedger, _ db: any SQLConnection, actor: String) throws {
        try persist(all, balances: touched.sorted().map { ($0, ledger.balances[$0] ?? PointBalance()) },
                    head: (ledger.sequence, ledger.headHash), db, actor: actor)
    }

    static func persist(_ all: [CreditEntry], balances changed: [(account: String, balance: PointBalance)],
                        head: (sequence: Int64, hash: String), _ db: any SQLConnection, actor: String) throws {
        guard !all.isEmpty else { return }
        // A credit's line is in its event's row (``InclusionCreditLines``); the others have their own.
        let entries = all.filter { $0.kind != .credit }
        if !entries.isEmpty { try db.bulkInsert(into: "inclusion_ledger", columns: [
            SQLColumn("sequence", .integer(entries.map(\.sequence))), SQLColumn("at_ms", .integer(entries.map(\.atMillis))),
            SQLColumn("kind", .text(entries.map(\.kind.rawValue))), SQLColumn("account_key", .text(entries.map(\.account))),
            SQLColumn("reference", .text(entries.map(\.reference))), SQLColumn("pending", .integer(entries.map(\.pending))),
            SQLColumn("available", .integer(entries.map(\.available))), SQLColumn("held", .integer(entries.map(\.held))),
            SQLColumn("grams_micro", .integer(entries.map(\.grams.millionths))),
            SQLColumn("previous_hash", .text(entries.map(\.previousHash))), SQLColumn("hash", .text(entries.map(\.hash))),
        ], onConflict: nil) }
        let first = all[0].sequence
        let accounts = changed.map(\.account), balances = changed.map(\.balance)
        try db.bulkInsert(into: "inclusion_balance", columns: [
            SQLColumn("account_key", .text(accounts)), SQLColumn("pending", .integer(balances.map(\.pending))),
            SQLColumn("available", .integer(balances.map(\.available))), SQLColumn("held", .integer(balances.map(\.held))),
        ], onConflict: "(account_key) DO UPDATE SET pending = excluded.pending, available = excluded.available, held = excluded.held")
        try db.execute(sql: """
            INSERT INTO inclusion_head (singleton, sequence, hash) VALUES (1, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
            """, arguments: [head.sequence, head.hash])
        try AuditTrail.append(db, events: [AuditTrail.NewEvent(
            actor: actor, action: "inclusion.commit", entity: "inclusion_ledger", entityID: "\(first)-\(head.sequence)",
            after: .object([("first", .integer(Int(first))), ("last", .integer(Int(head.sequence))),
                            ("entries", .integer(all.count)), ("head", .string(head.hash))]))])
    }

    /// Reloads the cached ledger and screens when the stored head is not the cached one.
    /// `locking`: in a write, lock the head row (PostgreSQL) so no other writer moves it meanwhile.
    static func bringUpToDate(_ state: InclusionState, _ db: any SQLConnection, catalogue: MethodologyCatalogue, now: Int64,
                              locking: Bool = true) throws {
        let head = try SQLRow.fetchOne(db, sql: "SELECT sequence, hash, erasures FROM inclusion_head WHERE singleton = 1"
                                       + (locking && db.dialect == .postgres ? " FOR UPDATE" : ""))
        let sequence: Int64 = head?["sequence"] ?? 0
        let hash: String = head?["hash"] ?? CreditEntry.genesis
        let erasures: Int64 = head?["erasures"] ?? 0
        if erasures != state.erasures || state.keys.values.reduce(0, { $0 + $1.count }) > InclusionState.maximumCachedKeys {
            state.keys = [:]
            state.linked = [:]
            state.erasures = erasures
        }
        if let ledger = state.ledger, ledger.sequence == sequence, ledger.headHash == hash { return }
        var balances: [String: PointBalance] = [:]
        try db.forEachRow(sql: "SELECT account_key, pending, available, held FROM inclusion_balance", arguments: []) { row in
            balances[row["account_key"]] = PointBalance(pending: row["pending"], available: row["available"], held: row["held"])
        }
        state.ledger = CreditLedger(sequence: sequence, headHash: hash, balances: balances)
        var screenings: [String: CreditScreening] = [:]
        for scheme in catalogue.schemes { screenings[scheme.code] = CreditScreening(scheme: scheme, catalogue: catalogue) }
        let since = (screenings.values.first?.day(of: now) ?? Day.today).adding(days: -14).description
        try db.forEachRow(sql: """
            SELECT partner, serial, scheme, account_key, scenario, started_at, ended_at, device, evidence, received_at, decision,
                   methodology, behaviour, day, grams_micro, points FROM inclusion_event
            WHERE day >= ? AND decision <> 'refused' ORDER BY id
            """, arguments: [since]) { row in
            let scheme: String = row["scheme"]
            guard screenings[scheme] != nil, let day = Day(row["day"] as String) else { return }
            let event = BehaviourEvent(partner: row["partner"], serial: row["serial"], scheme: scheme, account: row["account_key"],
                                       scenario: row["scenario"], startedAt: row["started_at"], endedAt: row["ended_at"], device: row["device"],
                                       evidence: row["evidence"], activity: [])
            let outcome = ScreeningOutcome(decision: ScreeningOutcome.Decision(rawValue: row["decision"]) ?? .credited,
                                           methodology: row["methodology"], behaviour: row["behaviour"], day: day,
                                           grams: Micro(millionths: row["grams_micro"]), points: row["points"], rule: nil, reason: nil,
                                           claimableFrom: nil, claimableUntil: nil)
            screenings[scheme]!.remember(event, outcome: outcome, now: row["received_at"])
        }
        state.screenings = screenings
    }

    struct Stored { var id: Int64; var digest: String; var outcome: ScreeningOutcome; var status: String }

    /// Events this partner posted before under any of `serials`.
    static func stored(_ db: any SQLConnection, partner: String, serials: [String]) throws -> [String: Stored] {
        var found: [String: Stored] = [:]
        for chunk in stride(from: 0, to: serials.count, by: 500).map({ Array(serials[$0..<min($0 + 500, serials.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_event WHERE partner = ? AND serial IN (\(marks))",
                                           arguments: SQLArguments([partner] + chunk)) {
                found[row["serial"]] = Stored(id: row["id"], digest: row["digest"], outcome: outcome(row), status: row["status"])
            }
        }
        return found
    }

    static func outcome(_ row: SQLRow) -> ScreeningOutcome {
        ScreeningOutcome(decision: ScreeningOutcome.Decision(rawValue: row["decision"]) ?? .refused, methodology: row["methodology"],
                         behaviour: row["behaviour"], day: Day(row["day"] as String) ?? Day(ordinal: 0), grams: Micro(millionths: row["grams_micro"]),
                         points: row["points"], rule: row["rule"], reason: row["reason"],
                         claimableFrom: (row["claimable_from"] as String?).flatMap { Day($0) },
                         claimableUntil: (row["claimable_until"] as String?).flatMap { Day($0) })
    }

    static func accountKeys(_ db: any SQLConnection, scheme: String, dids: Set<String>) throws -> [String: String] {
        var found: [String: String] = [:]
        let list = Array(dids)
        for chunk in stride(from: 0, to: list.count, by: 500).map({ Array(list[$0..<min($0 + 500, list.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try SQLRow.fetchAll(db, sql: "SELECT did, account_key FROM inclusion_account WHERE scheme = ? AND did IN (\(marks))",
                                           arguments: SQLArguments([scheme] + chunk)) {
                found[row["did"]] = row["account_key"]
            }
        }
        return found
    }

    /// The ledger's own key for a new account: 60 random bits in 12 base-32 letters after an `a`,
    /// unrelated to the partner's pseudonym. Short, because every index by account holds it once
    /// per event, and the pages those indexes touch are what each commit writes.
    static func newAccountKey() -> String {
        var generator = SystemRandomNumberGenerator()
        var bits = generator.next() as UInt64
        let letters = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
        var key: [UInt8] = [UInt8(ascii: "a")]
        for _ in 0..<12 {
            key.append(letters[Int(bits & 31)])
            bits >>= 5
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// Draws new keys for any new account whose key is already some account's, so a collision
    /// of random keys (about one in 10^18 for a pair) never merges two residents' points.
    static func checkUnused(_ db: any SQLConnection, _ accounts: inout [(did: String, key: String)]) throws {
        while true {
            var taken = Set<String>()
            var seen = Set<String>()
            for account in accounts where !seen.insert(account.key).inserted { taken.insert(account.key) }
            let keys = accounts.map(\.key)
            for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min($0 + 500, keys.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                for row in try SQLRow.fetchAll(db, sql: "SELECT account_key FROM inclusion_account WHERE account_key IN (\(marks))",
                                               arguments: SQLArguments(chunk)) {
                    taken.insert(row["account_key"])
                }
            }
            if taken.isEmpty { return }
            for index in accounts.indices where taken.contains(accounts[index].key) { accounts[index].key = newAccountKey() }
        }
    }

    /// The id the next event row gets. Ids are given, not drawn by the database, so a post knows
    /// its events' ids without reading them back; the write lock on the ledger's head orders writers.
    static func nextEventID(_ db: any SQLConnection) throws -> Int64 {
        (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM inclusion_event") ?? 0) + 1
    }

    /// What makes two posts of a serial the same post; `activity` is ``activityText(_:)`` of its activity.
    static func digest(of event: BehaviourEvent, activity: String) -> String {
        var message = FieldDigest.Message()
        message.add(event.account); message.add(event.scenario); message.add(event.startedAt)
        if let ended = event.endedAt { message.add(ended) } else { message.add("") }
        message.add(event.device ?? ""); message.add(event.evidence); message.add(event.navigation.map { $0 ? "1" : "0" } ?? "")
        message.add(event.conditions.count == 1 ? event.conditions[0] : event.conditions.joined(separator: ","))
        message.add(event.district ?? ""); message.add(activity)
        return message.hex
    }

    /// The raw activity as stored: a JSON array of {name, unit, value}, written directly (one
    /// per event, so no document tree); a name or unit that needs escaping goes through ``JSONValue``.
    static func activityText(_ activity: [ActivityDatum]) -> String {
        func quoted(_ text: String) -> String {
            if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) { return text }
            return String(JSONValue.string(text).serialized().dropFirst().dropLast())
        }
        var text = "["
        for (index, datum) in activity.enumerated() {
            if index > 0 { text += "," }
            text += "{\"name\":\"" + quoted(datum.name) + "\",\"unit\":\"" + quoted(datum.unit) + "\",\"value\":\"" + datum.value.description + "\"}"
        }
        return text + "]"
    }
}

/// Event rows gathered for one bulk insert, numbered from `firstID`, with the credit lines of
/// those that credited points (``InclusionCreditLines``).
struct EventRows {
    let firstID: Int64
    init(firstID: Int64) { self.firstID = firstID }
    var id: [Int64] = []
    var sequence: [Int64?] = [], atMillis: [Int64?] = [], creditedTo: [String?] = [], hash: [String?] = []
    var partner: [String] = [], serial: [String] = [], digest: [String] = [], scheme: [String] = [], account: [String] = []
    var scenario: [String] = [], started: [Int64] = [], ended: [Int64?] = [], device: [String?] = [], evidence: [String] = []
    var district: [String?] = [], activity: [String?] = [], received: [Int64] = [], decision: [String] = []
    var methodology: [String?] = [], behaviour: [String?] = [], day: [String] = [], grams: [Int64] = [], points: [Int64] = []
    var rule: [String?] = [], reason: [String?] = [], from: [String?] = [], until: [String?] = [], status: [String] = []
    /// Adds a row; its id.
    mutating func append(_ event: BehaviourEvent, activity text: String, digest: String, scheme: String, outcome: ScreeningOutcome, status: String,
                         received: Int64, line: CreditEntry?) -> Int64 {
        let next = firstID + Int64(id.count)
        id.append(next)
        sequence.append(line?.sequence); atMillis.append(line?.atMillis); hash.append(line?.hash)
        creditedTo.append(line.map(InclusionCreditLines.place(of:)))
        partner.append(event.partner); serial.append(event.serial); self.digest.append(digest); self.scheme.append(scheme)
        account.append(event.account); scenario.append(event.scenario); started.append(event.startedAt)
        ended.append(event.endedAt); device.append(event.device); evidence.append(event.evidence)
        district.append(event.district); activity.append(text); self.received.append(received)
        decision.append(outcome.decision.rawValue); methodology.append(outcome.methodology); behaviour.append(outcome.behaviour)
        day.append(outcome.day.description); grams.append(outcome.grams.millionths); points.append(outcome.points)
        rule.append(outcome.rule); reason.append(outcome.reason); from.append(outcome.claimableFrom?.description)
        until.append(outcome.claimableUntil?.description); self.status.append(status)
        return next
    }

    func insert(_ db: any SQLConnection) throws {
        guard !serial.isEmpty else { return }
        try db.bulkInsert(into: "inclusion_event", columns: [
            SQLColumn("id", .integer(id)), SQLColumn("sequence", .optionalInteger(sequence)), SQLColumn("at_ms", .optionalInteger(atMillis)),
            SQLColumn("credited_to", .optionalText(creditedTo)), SQLColumn("hash", .optionalText(hash)),
            SQLColumn("partner", .text(partner)), SQLColumn("serial", .text(serial)), SQLColumn("digest", .text(digest)),
            SQLColumn("scheme", .text(scheme)), SQLColumn("account_key", .text(account)), SQLColumn("scenario", .text(scenario)),
            SQLColumn("started_at", .integer(started)), SQLColumn("ended_at", .optionalInteger(ended)), SQLColumn("device", .optionalText(device)),
            SQLColumn("evidence", .text(evidence)), SQLColumn("district", .optionalText(district)), SQLColumn("activity", .optionalText(activity)),
            SQLColumn("received_at", .integer(received)), SQLColumn("decision", .text(decision)),
            SQLColumn("methodology", .optionalText(methodology)), SQLColumn("behaviour", .optionalText(behaviour)), SQLColumn("day", .text(day)),
            SQLColumn("grams_micro", .integer(grams)), SQLColumn("points", .integer(points)), SQLColumn("rule", .optionalText(rule)),
            SQLColumn("reason", .optionalText(reason)), SQLColumn("claimable_from", .optionalText(from)),
            SQLColumn("claimable_until", .optionalText(until)), SQLColumn("status", .text(status)),
        ], onConflict: nil)
    }
}
