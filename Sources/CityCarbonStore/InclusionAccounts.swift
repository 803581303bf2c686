import CarbonInclusion
import CarbonKit
import Foundation

/// A resident's account as its partner sees it: balances, credits and refusals with their reasons.
public struct InclusionAccountView: Sendable {
    public struct Credit: Sendable {
        public var id: Int64
        public var partner: String
        public var serial: String
        public var scenario: String
        public var day: String
        public var outcome: ScreeningOutcome
        public var status: String
        public var lot: String?
    }

    public var scheme: String
    public var did: String
    public var balance: PointBalance
    public var grams: Micro
    public var credits: [Credit]
}

/// Everything after intake: claims within the window, expiry, the review queue, redemptions,
/// a resident's export and erasure, and raw data's retention. Each change goes through the
/// same ledger and commit as intake (``InclusionIntake``).
public struct InclusionAccounts: Sendable {
    let database: CityCarbonDatabase
    let catalogue: MethodologyCatalogue

    public init(_ database: CityCarbonDatabase, catalogue: MethodologyCatalogue = .shipped) {
        self.database = database
        self.catalogue = catalogue
    }

    /// Runs `body` with the up-to-date ledger inside one write, then stores its lines.
    func change<T>(actor: String, now: Date, _ body: (inout CreditLedger, any SQLConnection, Int64) throws -> (T, [CreditEntry])) throws -> T {
        let seconds = Int64(now.timeIntervalSince1970)
        return try database.inclusion.with { state in
            try database.write { db in
                try InclusionIntake.bringUpToDate(state, db, catalogue: catalogue, now: seconds)
                var ledger = state.takeLedger()
                let (result, entries) = try body(&ledger, db, Int64(now.timeIntervalSince1970 * 1000))
                try InclusionIntake.persist(entries, touched: Set(entries.map(\.account)), ledger: ledger, db, actor: actor)
                state.ledger = ledger
                return result
            }
        }
    }

    func today(_ scheme: String, _ now: Date) -> Day {
        guard let scheme = catalogue.scheme(scheme) else { return Day.today }
        return CreditScreening(scheme: scheme, catalogue: catalogue).day(of: Int64(now.timeIntervalSince1970))
    }

    /// The ledger's key of `did`. A partner reaches only the residents it has posted for (the
    /// city's own app, `Self`, runs the scheme and reaches all); to any other the account does
    /// not exist, so a partner cannot even learn that a pseudonym is in use elsewhere.
    static func key(_ db: any SQLConnection, scheme: String, did: String, partner: String?) throws -> String {
        guard let key = try String.fetchOne(db, sql: "SELECT account_key FROM inclusion_account WHERE scheme = ? AND did = ?",
                                            arguments: [scheme, did]) else { throw InclusionRefusal.unknownAccount(did) }
        if let partner, partner != "Self",
           try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_account_partner WHERE account_key = ? AND partner = ?",
                            arguments: [key, partner]) ?? 0 == 0 {
            throw InclusionRefusal.unknownAccount(did)
        }
        return key
    }

    // MARK: claims and expiry

    /// Claims the account's pending credits (all, or `ids`) whose window is open today. A credit
    /// not yet issued or past its window is refused with its reason; expired ones are expired.
    public func claim(scheme: String, did: String, ids: [Int64]? = nil, partner: String, now: Date = Date()) throws
        -> [(id: Int64, result: Result<Int64, InclusionRefusal>)] {
        let today = today(scheme, now)
        return try change(actor: "partner:\(partner)", now: now) { ledger, db, millis in
            let key = try Self.key(db, scheme: scheme, did: did, partner: partner)
            var rows = try SQLRow.fetchAll(db, sql: """
                SELECT id, serial, partner, points, status, claimable_from, claimable_until FROM inclusion_event
                WHERE account_key = ? AND status = 'pending' ORDER BY id
                """, arguments: [key])
            if let ids {
                let wanted = Set(ids)
                let found = Set(rows.map { $0["id"] as Int64 })
                if let missing = ids.first(where: { !found.contains($0) }) {
                    let status = try String.fetchOne(db, sql: "SELECT status FROM inclusion_event WHERE id = ? AND account_key = ?",
                                                     arguments: [missing, key])
                    throw status.map { InclusionRefusal.notClaimable(missing, reason: "it is \($0)") } ?? InclusionRefusal.unknownCredit(missing)
                }
                rows = rows.filter { wanted.contains($0["id"]) }
            }
            var results: [(Int64, Result<Int64, InclusionRefusal>)] = []
            var entries: [CreditEntry] = []
            for row in rows {
                let id: Int64 = row["id"], points: Int64 = row["points"]
                let from = Day(row["claimable_from"] as String? ?? "") ?? today, until = Day(row["claimable_until"] as String? ?? "") ?? today
                if today < from {
                    results.append((id, .failure(.notClaimable(id, reason: "it is issued on \(from), after the operator's data confirms it"))))
                } else if today > until {
                    entries.append(try ledger.append(.expire, account: key, reference: "credit:\(id)", pending: -points, atMillis: millis))
                    try db.execute(sql: "UPDATE inclusion_event SET status = 'expired' WHERE id = ?", arguments: [id])
                    results.append((id, .failure(.notClaimable(id, reason: "its claim window ended on \(until)"))))
                } else {
                    entries.append(try ledger.append(.claim, account: key, reference: "credit:\(id)", pending: -points, available: points, atMillis: millis))
                    try db.execute(sql: "UPDATE inclusion_event SET status = 'available' WHERE id = ?", arguments: [id])
                    results.append((id, .success(points)))
                }
            }
            return (results, entries)
        }
    }

    /// Claims every credit of `scheme` whose window is open at `now`, but every `skipping`-th
    /// (by id), in one commit: the demo's residents coming back for their transit credits.
    func claimOpen(scheme: String, now: Date, skipping: Int) throws {
        let today = today(scheme, now).description
        try change(actor: "demo", now: now) { ledger, db, millis in
            var entries: [CreditEntry] = []
            for row in try SQLRow.fetchAll(db, sql: """
                SELECT id, account_key, points FROM inclusion_event
                WHERE scheme = ? AND status = 'pending' AND claimable_from <= ? AND claimable_until >= ? ORDER BY id
                """, arguments: [scheme, today, today]) {
                let id: Int64 = row["id"]
                guard id % Int64(max(1, skipping)) != 0 else { continue }
                let points: Int64 = row["points"]
                entries.append(try ledger.append(.claim, account: row["account_key"], reference: "credit:\(id)", pending: -points, available: points,
                                                 atMillis: millis))
                try db.execute(sql: "UPDATE inclusion_event SET status = 'available' WHERE id = ?", arguments: [id])
            }
            return ((), entries)
        }
    }

    /// Expires every pending credit whose claim window has ended; how many.
    @discardableResult
    public func expire(now: Date = Date()) throws -> Int {
        try change(actor: "inclusion", now: now) { ledger, db, millis in
            var entries: [CreditEntry] = []
            for scheme in catalogue.schemes {
                let today = today(scheme.code, now).description
                for row in try SQLRow.fetchAll(db, sql: """
                    SELECT id, account_key, points FROM inclusion_event WHERE scheme = ? AND status = 'pending' AND claimable_until < ? ORDER BY id
                    """, arguments: [scheme.code, today]) {
                    let id: Int64 = row["id"]
                    entries.append(try ledger.append(.expire, account: row["account_key"], reference: "credit:\(id)",
                                                     pending: -(row["points"] as Int64), atMillis: millis))
                    try db.execute(sql: "UPDATE inclusion_event SET status = 'expired' WHERE id = ?", arguments: [id])
                }
            }
            return (entries.count, entries)
        }
    }

    /// An event's reduction computed again from its stored activity under `methodology` (any
    /// version of the same behaviour): the formula alone, without caps or the fraud screen, so
    /// an office can see what a new version would have given. Refused once the raw activity is
    /// past its retention or erased.
    public func recompute(_ id: Int64, under methodologyID: String) throws -> (stored: ScreeningOutcome, recomputed: Micro, methodology: Methodology) {
        guard let methodology = catalogue.methodology(methodologyID) else {
            throw InclusionRefusal.invalid(field: "methodology", value: methodologyID, reason: "is not a methodology version")
        }
        return try database.read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_event WHERE id = ?", arguments: [id]) else {
                throw InclusionRefusal.unknownCredit(id)
            }
            guard let text: String = row["activity"], let data = text.data(using: .utf8),
                  let activity = try? JSONDecoder().decode([ActivityDatum].self, from: data) else {
                throw InclusionRefusal.invalid(field: "event", value: String(id), reason: "its raw activity is no longer kept (retention or erasure)")
            }
            guard let grams = methodology.reduction(of: activity) else {
                throw InclusionRefusal.invalid(field: "methodology", value: methodologyID,
                                               reason: "needs \(methodology.activity) in \(methodology.unit), which the event's activity does not give")
            }
            return (InclusionIntake.outcome(row), grams, methodology)
        }
    }

    // MARK: review

    /// Staff release a held credit: its points go where they would have gone.
    public func release(_ id: Int64, by actor: String, now: Date = Date()) throws {
        try review(id, release: true, by: actor, now: now)
    }

    /// Staff reject a held credit: its points are gone and its grams never count.
    public func reject(_ id: Int64, by actor: String, now: Date = Date()) throws {
        try review(id, release: false, by: actor, now: now)
    }

    private func review(_ id: Int64, release: Bool, by actor: String, now: Date) throws {
        try change(actor: actor, now: now) { ledger, db, millis in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_event WHERE id = ?", arguments: [id]) else {
                throw InclusionRefusal.unknownCredit(id)
            }
            guard row["status"] as String == "held" else { throw InclusionRefusal.notHeld(id, status: row["status"]) }
            let key: String = row["account_key"], points: Int64 = row["points"]
            let lagged = (row["claimable_from"] as String?) != nil
            let status = release ? (lagged ? "pending" : "available") : "rejected"
            let entry = try ledger.append(release ? .release : .reject, account: key, reference: "credit:\(id)",
                                          pending: release && lagged ? points : 0, available: release && !lagged ? points : 0,
                                          held: -points, atMillis: millis)
            try db.execute(sql: "UPDATE inclusion_event SET status = ?, reviewed_by = ? WHERE id = ?", arguments: [status, actor, id])
            try AuditTrail.append(db, actor: actor, action: release ? "inclusion.release" : "inclusion.reject", entity: "inclusion_event",
                                  entityID: String(id), after: .object([("status", .string(status))]))
            return ((), [entry])
        }
    }

    // MARK: redemption

    public func addItem(_ item: RedemptionItem, by actor: String) throws {
        var problems = item.problems.map { InputIssue(InputLocation(field: "item"), value: item.code, reason: $0) }
        if catalogue.scheme(item.scheme) == nil { problems.append(InputIssue(InputLocation(field: "scheme"), value: item.scheme, reason: "is not a scheme")) }
        problems += DisplayText.issues(item.name, field: "name", maximum: 120) + DisplayText.issues(item.merchant, field: "merchant", maximum: 120)
        if !problems.isEmpty { throw InputErrors(problems) }
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO inclusion_item (code, scheme, merchant, name, price_points, face_value, stock_per_month, per_account_per_month, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET merchant = excluded.merchant, name = excluded.name, price_points = excluded.price_points,
                  face_value = excluded.face_value, stock_per_month = excluded.stock_per_month, per_account_per_month = excluded.per_account_per_month
                """, arguments: [item.code, item.scheme, item.merchant, item.name, item.pricePoints, item.faceValueCNY.description,
                                 item.stockPerMonth, item.perAccountPerMonth, actor])
            try AuditTrail.append(db, actor: actor, action: "save", entity: "inclusion_item", entityID: item.code,
                                  after: .object([("price_points", .integer(Int(item.pricePoints))), ("face_value", .string(item.faceValueCNY.description))]))
        }
    }

    public func items(scheme: String? = nil) throws -> [RedemptionItem] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_item" + (scheme == nil ? "" : " WHERE scheme = ?") + " ORDER BY code",
                                arguments: SQLArguments(scheme.map { [$0] } ?? [])).map(Self.item)
        }
    }

    static func item(_ row: SQLRow) -> RedemptionItem {
        RedemptionItem(code: row["code"], scheme: row["scheme"], merchant: row["merchant"], name: row["name"], pricePoints: row["price_points"],
                       faceValueCNY: Micro(row["face_value"] as String) ?? .zero, stockPerMonth: row["stock_per_month"],
                       perAccountPerMonth: row["per_account_per_month"])
    }

    /// Spends points on `quantity` of `item`; idempotent by the partner's `serial`.
    public func redeem(scheme: String, did: String, item code: String, quantity: Int64, serial: String, partner: String,
                       now: Date = Date()) throws -> (id: Int64, points: Int64, repeated: Bool) {
        let month = String(today(scheme, now).description.prefix(7))
        return try change(actor: "partner:\(partner)", now: now) { ledger, db, millis in
            let key = try Self.key(db, scheme: scheme, did: did, partner: partner)
            if let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_redemption WHERE partner = ? AND serial = ?",
                                             arguments: [partner, serial]) {
                guard row["account_key"] as String == key, row["item"] as String == code, row["quantity"] as Int64 == quantity else {
                    throw InclusionRefusal.invalid(field: "serial", value: serial, reason: "was used for another redemption; the first stands")
                }
                return ((row["id"], row["points"], true), [])
            }
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_item WHERE code = ? AND scheme = ?", arguments: [code, scheme]) else {
                throw InclusionRefusal.unknownItem(code)
            }
            let item = Self.item(row)
            let all = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(quantity), 0) FROM inclusion_redemption WHERE item = ? AND month = ?",
                                         arguments: [code, month]) ?? 0
            let mine = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(quantity), 0) FROM inclusion_redemption WHERE item = ? AND month = ? AND account_key = ?
                """, arguments: [code, month, key]) ?? 0
            let available = ledger.balances[key]?.available ?? 0
            let price: Int64
            switch RedemptionRules.check(item, quantity: quantity, available: available, month: month, redeemedThisMonth: all,
                                         redeemedByAccountThisMonth: mine) {
            case let .success(points): price = points
            case let .failure(refusal): throw InclusionRefusal.redemption(refusal)
            }
            let face = item.faceValueCNY.times(Micro(whole: quantity)) ?? .zero
            let id = try db.insertReturningID(sql: """
                INSERT INTO inclusion_redemption (partner, serial, account_key, item, quantity, points, face_value, month, at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [partner, serial, key, code, quantity, price, face.description, month, millis])
            let entry = try ledger.append(.redeem, account: key, reference: "redemption:\(id)", available: -price, atMillis: millis)
            return ((id, price, false), [entry])
        }
    }

    /// Each merchant's month: redemptions, points and what it is owed.
    public func settlement(month: String) throws -> [SettlementLine] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT i.merchant, r.item, COUNT(*) AS n, SUM(r.quantity) AS q, SUM(r.points) AS p FROM inclusion_redemption r
                JOIN inclusion_item i ON i.code = r.item WHERE r.month = ? GROUP BY i.merchant, r.item ORDER BY i.merchant, r.item
                """, arguments: [month]).map { row in
                let code: String = row["item"]
                let faces = try String.fetchAll(db, sql: "SELECT face_value FROM inclusion_redemption WHERE item = ? AND month = ?",
                                                arguments: [code, month])
                return SettlementLine(merchant: row["merchant"], month: month, item: code, redemptions: row["q"], points: row["p"],
                                      faceValueCNY: faces.reduce(Micro.zero) { $0 + (Micro($1) ?? .zero) })
            }
        }
    }

    // MARK: the resident's view, export and erasure

    public func account(scheme: String, did: String, partner: String? = nil, limit: Int = 200) throws -> InclusionAccountView {
        try database.read { db in
            let key = try Self.key(db, scheme: scheme, did: did, partner: partner)
            let balance = try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_balance WHERE account_key = ?", arguments: [key])
                .map { PointBalance(pending: $0["pending"], available: $0["available"], held: $0["held"]) } ?? PointBalance()
            let grams = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(grams_micro), 0) FROM inclusion_event WHERE \(InclusionAccountIndex.accountEvents) AND status IN ('available', 'pending')
                """, arguments: [key, key]) ?? 0
            let credits = try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_event WHERE \(InclusionAccountIndex.accountEvents) ORDER BY id DESC LIMIT ?",
                                              arguments: [key, key, limit]).map(Self.credit)
            return InclusionAccountView(scheme: scheme, did: did, balance: balance, grams: Micro(millionths: grams), credits: credits)
        }
    }

    static func credit(_ row: SQLRow) -> InclusionAccountView.Credit {
        InclusionAccountView.Credit(id: row["id"], partner: row["partner"], serial: row["serial"], scenario: row["scenario"], day: row["day"],
                                    outcome: InclusionIntake.outcome(row), status: row["status"], lot: row["lot"])
    }

    /// All the platform holds on a resident: the account, every event with its raw activity
    /// (while retained), every ledger line and redemption. The resident's copy, as JSON.
    public func export(scheme: String, did: String, partner: String? = nil) throws -> JSONValue {
        try database.read { db in
            let key = try Self.key(db, scheme: scheme, did: did, partner: partner)
            let rows = try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_event WHERE \(InclusionAccountIndex.accountEvents) ORDER BY id",
                                           arguments: [key, key])
            let events = rows.map { row in
                JSONValue.object([
                    ("id", .integer(Int(row["id"] as Int64))), ("partner", .string(row["partner"])), ("serial", .string(row["serial"])),
                    ("scenario", .string(row["scenario"])), ("day", .string(row["day"])), ("evidence", .string(row["evidence"])),
                    ("activity", (row["activity"] as String?).flatMap { JSONValue(parsing: $0) } ?? .null),
                    ("decision", .string(row["decision"])), ("methodology", (row["methodology"] as String?).map(JSONValue.string) ?? .null),
                    ("grams", .string(Micro(millionths: row["grams_micro"]).description)), ("points", .integer(Int(row["points"] as Int64))),
                    ("rule", (row["rule"] as String?).map(JSONValue.string) ?? .null), ("reason", (row["reason"] as String?).map(JSONValue.string) ?? .null),
                    ("status", .string(row["status"])),
                ])
            }
            // The account's lines: its events' credit lines and its other lines, in the ledger's order.
            let credits = rows.compactMap { InclusionCreditLines.entry($0, previousHash: "") }
            let others = try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_ledger WHERE account_key = ? ORDER BY sequence",
                                             arguments: [key]).map(InclusionReads.line)
            let lines = (credits + others).sorted { $0.sequence < $1.sequence }.map { line in
                JSONValue.object([("sequence", .integer(Int(line.sequence))), ("kind", .string(line.kind.rawValue)),
                                  ("reference", .string(line.reference)), ("pending", .integer(Int(line.pending))),
                                  ("available", .integer(Int(line.available))), ("held", .integer(Int(line.held)))])
            }
            let redemptions = try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_redemption WHERE account_key = ? ORDER BY id", arguments: [key]).map { row in
                JSONValue.object([("item", .string(row["item"])), ("quantity", .integer(Int(row["quantity"] as Int64))),
                                  ("points", .integer(Int(row["points"] as Int64))), ("month", .string(row["month"]))])
            }
            return .object([("scheme", .string(scheme)), ("account", .string(did)), ("events", .array(events)), ("ledger", .array(lines)),
                             ("redemptions", .array(redemptions))])
        }
    }

    /// Erases a resident: the link from the partner's pseudonym to the ledger's key, and every
    /// raw value, device and district of their events. The ledger keeps its lines under a key
    /// nothing links to a person any more, so its chain and the city's totals stay whole.
    public func erase(scheme: String, did: String, partner: String? = nil, by actor: String) throws {
        try database.write { db in
            let key = try Self.key(db, scheme: scheme, did: did, partner: partner)
            try db.execute(sql: "UPDATE inclusion_event SET activity = NULL, device = NULL, district = NULL WHERE \(InclusionAccountIndex.accountEvents)",
                           arguments: [key, key])
            try db.execute(sql: "DELETE FROM inclusion_account WHERE scheme = ? AND did = ?", arguments: [scheme, did])
            try db.execute(sql: "DELETE FROM inclusion_household WHERE scheme = ? AND did = ?", arguments: [scheme, did])
            try db.execute(sql: "DELETE FROM inclusion_account_partner WHERE account_key = ?", arguments: [key])
            // Writers holding pseudonyms' keys in memory (``InclusionState``) forget them at their next post.
            try db.execute(sql: "UPDATE inclusion_head SET erasures = erasures + 1 WHERE singleton = 1")
            try AuditTrail.append(db, actor: actor, action: "inclusion.erase", entity: "inclusion_account", entityID: nil,
                                  after: .object([("scheme", .string(scheme))]))
        }
    }

    /// Drops raw activity data and devices older than each scheme's retention; the credit stays. How many events.
    @discardableResult
    public func purge(now: Date = Date()) throws -> Int {
        try database.write { db in
            var total = 0
            for scheme in catalogue.schemes {
                let cutoff = today(scheme.code, now).adding(days: -scheme.retention_days).description
                try db.execute(sql: """
                    UPDATE inclusion_event SET activity = NULL, device = NULL
                    WHERE scheme = ? AND day < ? AND (activity IS NOT NULL OR device IS NOT NULL)
                    """, arguments: [scheme.code, cutoff])
                total += db.changesCount
            }
            return total
        }
    }
}
