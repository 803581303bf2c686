import CarbonAccounting
import CarbonKit
import CarbonPathways
import Crypto
import Foundation

/// A saved scenario and where it stands.
public struct StoredScenario: Sendable {
    /// The version asked for: the latest saved (staff), or the published one (public).
    public var scenario: Scenario
    public var updatedAt: String
    public var updatedBy: String
    public var publishedAt: String?
    /// Saved since it was published: the public still sees the published version.
    public var hasUnpublishedChanges: Bool
    /// Who submitted the saved version for the climate office's review; nil while it is a draft.
    public var submittedBy: String?
    /// SHA-256 of the version in ``scenario``: the review form carries it, and publishing a version other
    /// than the one reviewed is refused.
    public var digest: String
    public var isPublished: Bool { publishedAt != nil }
    /// A version the public does not see yet: never published, or saved since.
    public var hasDraft: Bool { !isPublished || hasUnpublishedChanges }
}

/// The city's pathway scenarios. A scenario is saved only when it runs: it is resolved
/// against the workspace and checked in full first, so a saved scenario always has a result.
public struct PathwayRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Reads, checks and saves a scenario file; an existing scenario with the same identifier
    /// is replaced. Saving never changes what the public sees: a published scenario keeps its
    /// published version until an admin publishes the new one.
    @discardableResult
    public func save(_ bytes: [UInt8], file: String, actor: String) throws -> Scenario {
        let scenario = try ScenarioFile.decode(bytes, file: file)
        try save(scenario, file: file, actor: actor)
        return scenario
    }

    public func save(_ scenario: Scenario, file: String? = nil, actor: String) throws {
        _ = try PathwayInputs(database).model(scenario, file: file)
        let document = String(decoding: ScenarioFile.encode(scenario), as: UTF8.self)
        try database.write { db in
            let before = try String.fetchOne(db, sql: "SELECT document FROM pathway_scenario WHERE identifier = ?", arguments: [scenario.identifier])
            if before == document { return }
            let position = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) + 1 FROM pathway_scenario") ?? 1
            try db.execute(sql: """
                INSERT INTO pathway_scenario (identifier, position, document, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (identifier) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
                  submitted_by = NULL, submitted_at = NULL
                """, arguments: [scenario.identifier, position, document, CityCarbonDatabase.now(), actor])
            try AuditTrail.append(db, actor: actor, action: before == nil ? "create" : "update", entity: "pathway_scenario",
                                  entityID: scenario.identifier, before: before.flatMap { JSONValue(parsing: $0) }, after: JSONValue(parsing: document))
        }
    }

    /// Every scenario as staff see it, or with `publishedOnly` the published ones in their published version.
    public func scenarios(publishedOnly: Bool = false) throws -> [StoredScenario] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM pathway_scenario \(publishedOnly ? "WHERE published_at IS NOT NULL" : "") ORDER BY position")
                .map { try Self.stored($0, published: publishedOnly) }
        }
    }

    /// A scenario's latest saved version, or with `published` the version the public sees (nil when unpublished).
    public func scenario(_ identifier: String, published: Bool = false) throws -> StoredScenario? {
        try database.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM pathway_scenario WHERE identifier = ? \(published ? "AND published_at IS NOT NULL" : "")",
                                arguments: [identifier]).map { try Self.stored($0, published: published) }
        }
    }

    /// Submits the saved version for review; saving again takes it back to a draft.
    public func submit(_ identifier: String, actor: String) throws {
        try database.write { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM pathway_scenario WHERE identifier = ?", arguments: [identifier]) else {
                throw PathwayError.unknownScenario(identifier)
            }
            let stored = try Self.stored(row, published: false)
            guard stored.hasDraft else { throw PathwayError.nothingToReview(identifier) }
            try db.execute(sql: "UPDATE pathway_scenario SET submitted_by = ?, submitted_at = ? WHERE identifier = ?",
                           arguments: [actor, CityCarbonDatabase.now(), identifier])
            try AuditTrail.append(db, actor: actor, action: "submit", entity: "pathway_scenario", entityID: identifier,
                                  after: .object([("digest", .string(stored.digest))]))
        }
    }

    /// Publishes the submitted version the reviewer saw (`seen`, its ``StoredScenario/digest``):
    /// one saved again since, or never submitted, is refused.
    public func publish(_ identifier: String, actor: String, seen: String) throws {
        try database.write { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM pathway_scenario WHERE identifier = ?", arguments: [identifier]) else {
                throw PathwayError.unknownScenario(identifier)
            }
            let stored = try Self.stored(row, published: false)
            guard stored.submittedBy != nil else { throw PathwayError.notSubmitted(identifier) }
            guard Secret.equal(stored.digest, seen) else { throw PathwayError.changedSinceReviewed(identifier) }
            try db.execute(sql: """
                UPDATE pathway_scenario SET published_at = ?, published_document = document, submitted_by = NULL, submitted_at = NULL WHERE identifier = ?
                """, arguments: [CityCarbonDatabase.now(), identifier])
            try AuditTrail.append(db, actor: actor, action: "publish", entity: "pathway_scenario", entityID: identifier,
                                  after: .object([("digest", .string(stored.digest)), ("submitted_by", .string(stored.submittedBy ?? ""))]))
        }
    }

    /// Shows the scenario on the public pages and in the open API, or takes it off them: the
    /// operator's path (the CLI, the demo), which needs no review; the staff pages review first.
    public func setPublished(_ identifier: String, _ published: Bool, actor: String) throws {
        try database.write { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT published_at, document, published_document FROM pathway_scenario WHERE identifier = ?",
                                                arguments: [identifier]) else {
                throw PathwayError.unknownScenario(identifier)
            }
            let was: String? = row["published_at"]
            let document: String = row["document"], live: String? = row["published_document"]
            if published ? live == document : was == nil { return }
            // Publishing copies the saved version; the public reads only that copy.
            try db.execute(sql: "UPDATE pathway_scenario SET published_at = ?, published_document = ?, submitted_by = NULL, submitted_at = NULL WHERE identifier = ?",
                           arguments: [published ? CityCarbonDatabase.now() : nil, published ? document : nil, identifier])
            try AuditTrail.append(db, actor: actor, action: published ? "publish" : "withdraw", entity: "pathway_scenario", entityID: identifier)
        }
    }

    public func delete(_ identifier: String, actor: String) throws {
        try database.write { db in
            guard let before = try String.fetchOne(db, sql: "SELECT document FROM pathway_scenario WHERE identifier = ?", arguments: [identifier]) else {
                throw PathwayError.unknownScenario(identifier)
            }
            try db.execute(sql: "DELETE FROM pathway_scenario WHERE identifier = ?", arguments: [identifier])
            try AuditTrail.append(db, actor: actor, action: "delete", entity: "pathway_scenario", entityID: identifier, before: JSONValue(parsing: before))
        }
    }

    /// The compiled model of a saved scenario, resolved against today's workspace.
    /// With `rows: .published`, what the public sees: the published version on the published rows.
    public func model(_ identifier: String, rows: Edition = .current) throws -> PathwayModel {
        guard let stored = try scenario(identifier, published: rows == .published) else { throw PathwayError.unknownScenario(identifier) }
        return try PathwayInputs(database, rows: rows).model(stored.scenario, file: identifier, saved: true)
    }

    /// LMDI of the change in BASIC emissions of `jurisdiction` (the whole city when nil)
    /// between two years with activity data, population and GDP.
    /// What changed emissions between two years, from the rows of each (the published ones
    /// unless `rows` says otherwise).
    public func decomposition(from start: Int, to end: Int, rows: Edition = .published) throws -> LMDI.Result {
        let inputs = PathwayInputs(database, rows: rows)
        func base(_ year: Int) throws -> PathwayBase {
            let spec = BaseSpec(year: year, fromInventory: true)
            var scenario = Scenario(identifier: "lmdi", name: [:], kind: .custom, jurisdiction: "", base: spec, endYear: year + 1)
            scenario.history = [:]
            return try inputs.resolve(scenario, file: nil).1
        }
        do { return try LMDI.decompose(from: try base(start), to: try base(end)) } catch let problem as LMDI.Problem {
            throw InputErrors([InputIssue(InputLocation(file: database.path), reason: problem.description,
                                          suggestion: "import statistics (jurisdiction,year,population,gdp,…) for both years")])
        }
    }

    static func stored(_ row: SQLRow, published: Bool) throws -> StoredScenario {
        let document: String = row["document"], live: String? = row["published_document"]
        let text = published ? live ?? document : document
        return StoredScenario(scenario: try JSONDecoder().decode(Scenario.self, from: Data(text.utf8)),
                              updatedAt: row["updated_at"], updatedBy: row["updated_by"], publishedAt: row["published_at"],
                              hasUnpublishedChanges: live != nil && live != document, submittedBy: row["submitted_by"],
                              digest: Hex.string(SHA256.hash(data: Data(text.utf8))))
    }
}

public enum PathwayError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownScenario(String)
    case nothingToReview(String)
    case notSubmitted(String)
    case changedSinceReviewed(String)
    public var description: String {
        switch self {
        case let .unknownScenario(id): "no scenario '\(id)'"
        case let .nothingToReview(id): "scenario '\(id)' has no version the public does not already see"
        case let .notSubmitted(id): "scenario '\(id)' has not been submitted for review"
        case let .changedSinceReviewed(id): "scenario '\(id)' was saved again after you opened it: review it as it is now before publishing"
        }
    }
}
