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
    /// The audit chain's head signed when this version was frozen (when the platform holds a
    /// key): `citycarbon audit verify` checks the chain still passes through it.
    public var checkpoint: AuditCheckpoint?

    /// What the version's checkpoint was made for, so it is found again.
    static func subject(plan: String, year: Int, version: Int) -> String { "report \(plan)/\(year)/v\(version)" }
}

/// Yearly report snapshots, each version kept: building a year again adds a version and
/// never rewrites the one before.
public struct PlanReportRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    @discardableResult
    public func save(_ snapshot: PlanReportSnapshot, actor: String, key: AuditKey? = nil) throws -> StoredPlanReport {
        let document = String(decoding: try PlanRepository.encoder.encode(snapshot), as: UTF8.self)
        let digest = Self.digest(of: document)
        var stored = try database.write { db in
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
        if let key {
            stored.checkpoint = try AuditTrail(database).checkpoint(
                with: key, subject: StoredPlanReport.subject(plan: snapshot.plan.identifier, year: snapshot.year, version: stored.version))
        }
        return stored
    }

    /// The SHA-256 a stored document is quoted by (hex), so anyone holding a copy can check it.
    public static func digest(of document: String) -> String { Hex.string(SHA256.hash(data: Data(document.utf8))) }

    /// What no longer holds of the stored reports: a document that does not hash to its digest,
    /// or a digest that is not the one the audit event of its freezing recorded. Empty when
    /// every version is as it was frozen.
    public func problems() throws -> [String] {
        let rows = try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT p.identifier, r.year, r.version, r.document, r.digest FROM plan_report r JOIN plan p ON p.id = r.plan_id ORDER BY p.identifier, r.year, r.version
                """)
        }
        let trail = AuditTrail(database)
        var problems: [String] = []
        for row in rows {
            let name = "\(row["identifier"] as String)/\(row["year"] as Int)/v\(row["version"] as Int)"
            let (document, digest): (String, String) = (row["document"], row["digest"])
            if Self.digest(of: document) != digest {
                problems.append("report \(name): its document no longer hashes to its digest \(digest.prefix(16))…")
                continue
            }
            let event = try trail.events(AuditTrail.Filter(entity: "plan_report", entityID: name, action: "create"), limit: 1, offset: 0).events.first
            let recorded = event?.after.flatMap(JSONValue.init(parsing:)).flatMap { value -> String? in
                guard case .object(let fields) = value, case .string(let d)? = Dictionary(fields, uniquingKeysWith: { a, _ in a })["digest"] else { return nil }
                return d
            }
            if recorded != digest {
                problems.append("report \(name): its digest is not the one recorded when it was frozen\(event.map { " (event \($0.id))" } ?? " (no event)")")
            }
        }
        return problems
    }

    /// The latest version of a year's report.
    public func report(plan: String, year: Int) throws -> StoredPlanReport? {
        try database.read { db in
            try SQLRow.fetchOne(db, sql: """
                SELECT r.* FROM plan_report r JOIN plan p ON p.id = r.plan_id WHERE p.identifier = ? AND r.year = ? ORDER BY r.version DESC LIMIT 1
                """, arguments: [plan, year]).map { try Self.report(db, $0) }
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

    static func report(_ db: any SQLConnection, _ row: SQLRow) throws -> StoredPlanReport {
        let snapshot = try JSONDecoder().decode(PlanReportSnapshot.self, from: Data((row["document"] as String).utf8))
        let version: Int = row["version"]
        let subject = StoredPlanReport.subject(plan: snapshot.plan.identifier, year: snapshot.year, version: version)
        return StoredPlanReport(snapshot: snapshot, version: version, digest: row["digest"], createdAt: row["created_at"], createdBy: row["created_by"],
                                checkpoint: try AuditTrail.checkpoints(db, subject: subject).last)
    }
}
