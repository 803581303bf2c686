import CarbonKit
import ClimatePlans
import Crypto
import Foundation
import GRDB

/// A plan's yearly report, frozen: the plan, every action with its progress judged as of the
/// report's day, the indicators, the targets, the year's assessment and the pilots, exactly
/// as they were when it was built. Later edits change the live plan, never a snapshot.
public struct PlanReportSnapshot: Sendable, Hashable, Codable {
    /// An action's progress as the report states it, computed once when it was built.
    public struct ActionLine: Sendable, Hashable, Codable {
        public var identifier: String
        public var status: ActionStatus
        public var completion: Double?
        public var timeliness: String
        public var late: Bool
        public var reductionThisYear: Double?
        public var costThisYear: [String: Double]

        public init(identifier: String, status: ActionStatus, completion: Double?, timeliness: String, late: Bool, reductionThisYear: Double?, costThisYear: [String: Double]) {
            self.identifier = identifier
            self.status = status
            self.completion = completion
            self.timeliness = timeliness
            self.late = late
            self.reductionThisYear = reductionThisYear
            self.costThisYear = costThisYear
        }
    }

    public struct IndicatorLine: Sendable, Hashable, Codable {
        public var indicator: Indicator
        public var group: String?
        public var status: String
        public var earlyWarning: Bool

        public init(indicator: Indicator, group: String?, status: String, earlyWarning: Bool) {
            self.indicator = indicator
            self.group = group
            self.status = status
            self.earlyWarning = earlyWarning
        }
    }

    public var plan: Plan
    public var year: Int
    /// The day progress is judged on: the year's last day, or the build day within the year.
    public var asOf: Day
    public var actions: [PlanAction]
    public var lines: [ActionLine]
    public var indicators: [IndicatorLine]
    public var targets: [Target]
    public var assessment: DistrictAssessment?
    public var pilots: [Pilot]

    public init(plan: Plan, year: Int, asOf: Day, actions: [PlanAction], lines: [ActionLine], indicators: [IndicatorLine], targets: [Target],
                assessment: DistrictAssessment?, pilots: [Pilot]) {
        self.plan = plan
        self.year = year
        self.asOf = asOf
        self.actions = actions
        self.lines = lines
        self.indicators = indicators
        self.targets = targets
        self.assessment = assessment
        self.pilots = pilots
    }

    /// Builds the lines of every action as of `asOf`, with the plan's rules.
    public static func lines(_ actions: [PlanAction], plan: Plan, year: Int, asOf: Day, indicators: [String: Indicator]) -> [ActionLine] {
        actions.map { action in
            let progress = ActionProgress.of(action, on: asOf, settings: plan.settings, indicators: indicators)
            var costs: [String: Double] = [:]
            for cost in action.costs where cost.year == year { costs[cost.currency, default: 0] += cost.amount }
            return ActionLine(identifier: action.identifier, status: progress.effectiveStatus(of: action), completion: progress.completion,
                              timeliness: progress.timeliness.rawValue, late: progress.isLate,
                              reductionThisYear: action.reductions.first { $0.year == year }?.tonnesCO2e, costThisYear: costs)
        }
    }
}

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
        return try database.writer.write { db in
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
        try database.writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT r.* FROM plan_report r JOIN plan p ON p.id = r.plan_id WHERE p.identifier = ? AND r.year = ? ORDER BY r.version DESC LIMIT 1
                """, arguments: [plan, year]).map(Self.report)
        }
    }

    /// Every year with a report, and its latest version.
    public func years(plan: String) throws -> [(year: Int, version: Int, createdAt: String)] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.year, MAX(r.version) AS version, MAX(r.created_at) AS created_at FROM plan_report r JOIN plan p ON p.id = r.plan_id
                WHERE p.identifier = ? GROUP BY r.year ORDER BY r.year
                """, arguments: [plan]).map { ($0["year"], $0["version"], $0["created_at"]) }
        }
    }

    static func report(_ row: Row) throws -> StoredPlanReport {
        StoredPlanReport(snapshot: try JSONDecoder().decode(PlanReportSnapshot.self, from: Data((row["document"] as String).utf8)),
                         version: row["version"], digest: row["digest"], createdAt: row["created_at"], createdBy: row["created_by"])
    }
}
