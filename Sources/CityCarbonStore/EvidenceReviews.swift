import CarbonKit
import CarbonMarkets
import Foundation

/// The review calendar's two upper levels (schema v22): a district checks each month an
/// enterprise deposited (by day 25 after the month), the city closes each month a district
/// checked (by day 40); the same for each annual report once submitted (month 0: the district
/// by ten days after 1 February, the city by 1 March). A month is checked only once deposited
/// and closed only once checked, so each level's overdue list holds only what it alone is late with.
public struct EvidenceReviews: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let version = "v22: district checks and city closes of months of evidence and reports; published carbon-efficiency grades; trust requests"

    static let statements = [
        """
        CREATE TABLE evidence_review (
          credit_code TEXT NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, level TEXT NOT NULL, reviewed_by TEXT NOT NULL,
          reviewed_at TEXT NOT NULL, PRIMARY KEY (credit_code, year, month, level))
        """,
        // A year's grades as the office published them (``CarbonAccounts/publishGrades(year:by:)``): what the disclosure shows.
        "CREATE TABLE published_grades (year INTEGER PRIMARY KEY, document TEXT NOT NULL, published_at TEXT NOT NULL, published_by TEXT NOT NULL)",
    ]

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case notDeposited(enterprise: String, year: Int, month: Int)
        case notSubmitted(enterprise: String, year: Int)
        case notChecked(enterprise: String, year: Int, month: Int)
        case enterpriseLevel
        case outsideJurisdiction(String)

        public var description: String {
            switch self {
            case let .notDeposited(code, year, month): "\(code) has not deposited \(year)-\(month): there is nothing to check"
            case let .notSubmitted(code, year): "\(code) has not submitted its report for \(year): there is nothing to check"
            case let .notChecked(code, year, month): "the district has not checked \(code)'s \(year)-\(month): the city closes only checked months"
            case .enterpriseLevel: "an enterprise deposits its months; it does not review them"
            case let .outsideJurisdiction(district): "the enterprise is in \(district), outside the districts you work for"
            }
        }
    }

    /// Records `level`'s review of `code`'s month (idempotent: a second review keeps the first).
    public func review(_ code: String, year: Int, month: Int, level: EvidenceCalendar.Level, by actor: String) throws {
        guard level != .enterprise else { throw Refusal.enterpriseLevel }
        try database.write { db in
            if month == 0 {
                let version = try Int.fetchOne(db, sql: "SELECT version FROM emission_report WHERE credit_code = ? AND year = ?",
                                               arguments: [code, year]) ?? 0
                guard version > 0 else { throw Refusal.notSubmitted(enterprise: code, year: year) }
            } else {
                let deposited = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM evidence_month WHERE credit_code = ? AND year = ? AND month = ?",
                                                 arguments: [code, year, month]) ?? 0
                guard deposited > 0 else { throw Refusal.notDeposited(enterprise: code, year: year, month: month) }
            }
            if level == .city {
                let checked = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM evidence_review WHERE credit_code = ? AND year = ? AND month = ? AND level = 'district'
                    """, arguments: [code, year, month]) ?? 0
                guard checked > 0 else { throw Refusal.notChecked(enterprise: code, year: year, month: month) }
            }
            try db.execute(sql: """
                INSERT INTO evidence_review (credit_code, year, month, level, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (credit_code, year, month, level) DO NOTHING
                """, arguments: [code, year, month, level.rawValue, actor, CityCarbonDatabase.now()])
            try AuditTrail.append(db, actor: actor, action: level == .district ? "evidence.check" : "evidence.close", entity: "evidence_month",
                                  entityID: "\(code)/\(year)-\(month)", after: .object([("level", .string(level.rawValue))]))
        }
    }

    /// The months `level` has reviewed.
    public func reviewed(_ level: EvidenceCalendar.Level) throws -> Set<EvidenceCalendar.MonthKey> {
        try database.read { db in
            Set(try SQLRow.fetchAll(db, sql: "SELECT credit_code, year, month FROM evidence_review WHERE level = ?", arguments: [level.rawValue]).map {
                EvidenceCalendar.MonthKey(enterprise: $0["credit_code"], year: $0["year"], month: $0["month"])
            })
        }
    }

    /// Reports submitted at least once, as month-0 keys.
    public func submitted() throws -> Set<EvidenceCalendar.MonthKey> {
        Set(try EmissionReports(database).cases().filter { $0.version > 0 }.map { .init(enterprise: $0.enterprise, year: $0.year, month: 0) })
    }

    /// Each level's overdue months and annual reports (month 0, after the months) on `today`
    /// for `enterprises`, from January of `year`.
    public func overdue(enterprises: [String], from year: Int, today: Day) throws -> [EvidenceCalendar.Level: [EvidenceCalendar.MonthKey]] {
        let deposited = try EmissionReports(database).deposited(), checked = try reviewed(.district), closed = try reviewed(.city)
        let submitted = try submitted()
        var result: [EvidenceCalendar.Level: [EvidenceCalendar.MonthKey]] = [:]
        for level in EvidenceCalendar.Level.allCases {
            result[level] = EvidenceCalendar.standard.overdue(level: level, enterprises: enterprises, from: (year, 1), today: today,
                                                              deposited: deposited, checked: checked, closed: closed)
                + EvidenceCalendar.standard.overdueReports(level: level, enterprises: enterprises, from: year, today: today,
                                                           submitted: submitted, checked: checked, closed: closed)
        }
        return result
    }
}
