import CarbonKit
import ClimatePlans
import Crypto
import Foundation

/// One stored version of a report.
public struct StoredPlanReport: Sendable {
    public var snapshot: PlanReportSnapshot
    public var version: Int
    /// SHA-256 of the stored document: quoted in the report so a printed copy can be checked.
    public var digest: String
    public var createdAt: String
    public var createdBy: String
}

/// Yearly report snapshots, each version kept: building a year again adds a version and
/// never rewrites the one before.
public struct PlanReportRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    @discardableResult
    public func save(_ snapshot: PlanReportSnapshot, actor: String) throws -> StoredPlanReport {
        let document = String(decoding: try PlanRepository.encoder.encode(snapshot), as: UTF8.self)
        let digest = SHA256.hash(data: Data(document.utf8)).map { String(format: "%02x", $0) }.joined()
        return try database.write { db in
            guard let planID = try Int64.fetchOne(db, sql: "SELECT id FROM plan WHERE identifier = ?", arguments: [snapshot.plan.identifier]) else {
                throw InputErrors([InputIssue(InputLocation(field: "plan"), value: snapshot.plan.identifier, reason: "is not a plan")])
            }
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM plan_report WHERE plan_id = ? AND year = ?", arguments: [planID, snapshot.year]) ?? 0) + 1
            let now = CityCarbonDatabase.now()
            try db.execute(sql: "INSERT INTO plan_report (plan_id, year, version, document, digest, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [planID, snapshot.year, version, document, digest, now, actor])
            try AuditTrail.append(db, actor: actor, action: "create", entity: "plan_report", entityID: "\(snapshot.plan.identifier)/\(snapshot.year)/v\(version)",
                                  after: .object([("digest", .string(digest)), ("actions", .integer(snapshot.actions.count)), ("as_of", .string(snapshot.asOf.description))]))
            return StoredPlanReport(snapshot: snapshot, version: version, digest: digest, createdAt: now, createdBy: actor)
        }
    }

    /// The latest version of a year's report.
    public func report(plan: String, year: Int) throws -> StoredPlanReport? {
        try database.read { db in
            try SQLRow.fetchOne(db, sql: """
                SELECT r.* FROM plan_report r JOIN plan p ON p.id = r.plan_id WHERE p.identifier = ? AND r.year = ? ORDER BY r.version DESC LIMIT 1
                """, arguments: [plan, year]).map(Self.report)
        }
    }

    /// Every year with a report, and its latest version.
    public func years(plan: String) throws -> [(year: Int, version: Int, createdAt: String)] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT r.year, MAX(r.version) AS version, MAX(r.created_at) AS created_at FROM plan_report r JOIN plan p ON p.id = r.plan_id
                WHERE p.identifier = ? GROUP BY r.year ORDER BY r.year
                """, arguments: [plan]).map { ($0["year"], $0["version"], $0["created_at"]) }
        }
    }

    static func report(_ row: SQLRow) throws -> StoredPlanReport {
        StoredPlanReport(snapshot: try JSONDecoder().decode(PlanReportSnapshot.self, from: Data((row["document"] as String).utf8)),
                         version: row["version"], digest: row["digest"], createdAt: row["created_at"], createdBy: row["created_by"])
    }
}
