import CarbonInclusion
import CarbonKit
import Foundation

/// One row of the inclusion totals: credited reductions of a behaviour, month or district.
public struct InclusionTotal: Sendable, Equatable {
    public var key: String
    public var grams: Micro
    public var credits: Int64
    public var accounts: Int64
    public var tonnes: Double { grams.double / 1_000_000 }
}

/// What staff and the public read of carbon inclusion. One definition of "credited": a credit
/// whose points reached the resident (status `available`: credited outright, claimed in its
/// window, or released after review); pending, held, rejected, expired and refused ones never count.
public struct InclusionReads: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    public enum Grouping: String, Sendable, CaseIterable {
        case behaviour
        case month
        case district
        case scheme
    }

    static let credited = "status = 'available'"

    /// Credited reductions grouped by `grouping`, optionally for one year.
    public func totals(by grouping: Grouping, year: Int? = nil) throws -> [InclusionTotal] {
        let key: String = switch grouping {
        case .behaviour: "COALESCE(behaviour, '')"
        case .month: "substr(day, 1, 7)"
        case .district: "COALESCE(district, '')"
        case .scheme: "scheme"
        }
        return try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT \(key) AS k, SUM(grams_micro) AS g, COUNT(*) AS n, COUNT(DISTINCT account_key) AS a FROM inclusion_event
                WHERE \(Self.credited)\(year == nil ? "" : " AND day >= ? AND day <= ?") GROUP BY \(key) ORDER BY \(key)
                """, arguments: SQLArguments(year.map { ["\($0)-01-01", "\($0)-12-31"] } ?? [])).map { row in
                InclusionTotal(key: row["k"], grams: Micro(millionths: row["g"]), credits: row["n"], accounts: row["a"])
            }
        }
    }

    /// All credited reductions, optionally of one year: the city's one inclusion figure.
    public func total(year: Int? = nil) throws -> InclusionTotal {
        try database.read { db in
            let row = try SQLRow.fetchOne(db, sql: """
                SELECT COALESCE(SUM(grams_micro), 0) AS g, COUNT(*) AS n, COUNT(DISTINCT account_key) AS a FROM inclusion_event
                WHERE \(Self.credited)\(year == nil ? "" : " AND day >= ? AND day <= ?")
                """, arguments: SQLArguments(year.map { ["\($0)-01-01", "\($0)-12-31"] } ?? []))!
            return InclusionTotal(key: year.map(String.init) ?? "all", grams: Micro(millionths: row["g"]), credits: row["n"], accounts: row["a"])
        }
    }

    /// Years with credited reductions, newest first.
    public func years() throws -> [Int] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT substr(day, 1, 4) FROM inclusion_event WHERE \(Self.credited) ORDER BY 1 DESC")
                .compactMap { Int($0) }
        }
    }

    /// A held credit waiting for review.
    public struct Held: Sendable {
        public var id: Int64
        public var partner: String
        public var serial: String
        public var scenario: String
        public var day: String
        public var grams: Micro
        public var points: Int64
        public var rule: String
        public var reason: String
    }

    public func held(limit: Int = 200) throws -> [Held] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_event WHERE status = 'held' ORDER BY id LIMIT ?", arguments: [limit]).map { row in
                Held(id: row["id"], partner: row["partner"], serial: row["serial"], scenario: row["scenario"], day: row["day"],
                     grams: Micro(millionths: row["grams_micro"]), points: row["points"], rule: row["rule"] ?? "", reason: row["reason"] ?? "")
            }
        }
    }

    /// Refusals and holds by rule, for the fraud desk.
    public func decisionsByRule() throws -> [(rule: String, decision: String, events: Int64)] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT rule, decision, COUNT(*) AS n FROM inclusion_event WHERE rule IS NOT NULL GROUP BY rule, decision ORDER BY n DESC, rule
                """).map { (rule: $0["rule"], decision: $0["decision"], events: $0["n"]) }
        }
    }

    /// Re-walks the whole points ledger: every hash and link, and every balance against its movements.
    public func reconcile() throws -> CreditLedger.Reconciliation {
        try database.read { db in
            var balances: [String: PointBalance] = [:]
            try db.forEachRow(sql: "SELECT * FROM inclusion_balance", arguments: []) { row in
                balances[row["account_key"]] = PointBalance(pending: row["pending"], available: row["available"], held: row["held"])
            }
            // The other lines are few (claims, reviews, redemptions, lots); the credit lines, one
            // per credited event, stream past in the events' order, which is the ledger's.
            let others = try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_ledger ORDER BY sequence", arguments: []).map(Self.line)
            var walk = CreditLedger.Walk()
            var next = 0
            try db.forEachRow(sql: """
                SELECT sequence, at_ms, credited_to, hash, account_key, partner, serial, points, grams_micro FROM inclusion_event
                WHERE sequence IS NOT NULL ORDER BY id
                """, arguments: []) { row in
                let sequence: Int64 = row["sequence"]
                while next < others.count, others[next].sequence < sequence {
                    walk.add(others[next])
                    next += 1
                }
                if let entry = InclusionCreditLines.entry(row, previousHash: walk.previous) { walk.add(entry) }
            }
            for line in others[next...] { walk.add(line) }
            return walk.finish(stored: balances)
        }
    }

    /// A stored line of `inclusion_ledger`.
    static func line(_ row: SQLRow) -> CreditEntry {
        CreditEntry(sequence: row["sequence"], atMillis: row["at_ms"], kind: CreditEntry.Kind(rawValue: row["kind"]) ?? .credit,
                    account: row["account_key"], reference: row["reference"], pending: row["pending"], available: row["available"],
                    held: row["held"], grams: Micro(millionths: row["grams_micro"]), previousHash: row["previous_hash"], hash: row["hash"])
    }
}
