import CarbonKit
import ClimatePlans
import Crypto
import Foundation

/// A change to a plan action that is not public yet. Editors write drafts; the climate office
/// approves them, which publishes the draft, or returns them with a note.
public struct ActionDraft: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Being written; only its author's organisation and the climate office see it.
        case editing
        /// Waiting for the climate office.
        case submitted
    }

    public var plan: String
    public var action: PlanAction
    /// The published action when the draft was last saved: what the review compares against.
    public var base: PlanAction
    public var state: State
    public var author: String
    public var updatedAt: String
    public var submittedAt: String?
    /// Why the climate office returned it, if it did.
    public var reviewNote: String?
    public var reviewedBy: String?
    /// SHA-256 of the draft and the version it changes, as stored: the review form carries it,
    /// and an approval is refused when the draft is no longer the one the reviewer saw.
    public var digest: String
}

/// The draft → review → published workflow of plan actions. Every step is one transaction
/// with its audit event; the public pages read only the published actions.
public struct ActionDraftRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Saves `action` as the draft of its action in `plan`, and submits it when asked. The
    /// principal must be allowed to edit the published action; the draft is checked against
    /// the plan's rules first. Saving over a submitted draft takes it back to editing.
    /// - Parameter today: the day the action counts as updated on.
    @discardableResult
    public func save(_ edited: PlanAction, plan identifier: String, by principal: Principal, submit: Bool, today: Day) throws -> ActionDraft {
        try database.write { db in
            let (plan, planID, actions) = try Self.plan(db, identifier)
            guard let published = actions.first(where: { $0.identifier == edited.identifier }) else {
                throw InputErrors([InputIssue(InputLocation(field: "identifier"), value: edited.identifier, reason: "is not an action of plan \(identifier)")])
            }
            guard principal.mayEdit(published) else { throw ActionDraftError.notYours(action: edited.identifier, organisation: principal.organisation) }
            let indicators = Set(try String.fetchAll(db, sql: "SELECT identifier FROM indicator"))
            var action = edited
            action.updatedOn = today
            try action.validate(in: plan, actions: actions, indicators: indicators.isEmpty ? nil : indicators)
            let actionID = try Self.actionID(db, planID: planID, identifier: action.identifier)
            let previous = try Self.draft(db, plan: identifier, actionID: actionID)
            let now = CityCarbonDatabase.now()
            let state: ActionDraft.State = submit ? .submitted : .editing
            try db.execute(sql: """
                INSERT INTO plan_action_draft (plan_action_id, state, document, base_document, author, updated_at, submitted_at, review_note, reviewed_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (plan_action_id) DO UPDATE SET state = excluded.state, document = excluded.document, author = excluded.author, base_document = excluded.base_document,
                  updated_at = excluded.updated_at, submitted_at = excluded.submitted_at
                """, arguments: [actionID, state.rawValue, try Self.text(action), try Self.text(published), principal.actor, now, submit ? now : nil,
                                 previous?.reviewNote, previous?.reviewedBy])
            try AuditTrail.append(db, actor: principal.actor, action: submit ? "submit" : "draft", entity: "plan_action_draft",
                                  entityID: "\(identifier)/\(action.identifier)", before: try previous.map { try PlanRepository.json($0.action) },
                                  after: try PlanRepository.json(action))
            return try Self.draft(db, plan: identifier, actionID: actionID)!
        }
    }

    /// The draft of one action, if there is one.
    public func draft(plan identifier: String, action: String) throws -> ActionDraft? {
        try database.read { db in
            guard let planID = try Int64.fetchOne(db, sql: "SELECT id FROM plan WHERE identifier = ?", arguments: [identifier]),
                  let actionID = try Int64.fetchOne(db, sql: "SELECT id FROM plan_action WHERE plan_id = ? AND identifier = ?", arguments: [planID, action])
            else { return nil }
            return try Self.draft(db, plan: identifier, actionID: actionID)
        }
    }

    /// Drafts of every plan, or of one, oldest change first; only those in `state` when given.
    public func drafts(plan identifier: String? = nil, state: ActionDraft.State? = nil) throws -> [ActionDraft] {
        try database.read { db in
            var sql = """
                SELECT d.*, p.identifier AS plan FROM plan_action_draft d JOIN plan_action a ON a.id = d.plan_action_id JOIN plan p ON p.id = a.plan_id
                WHERE 1 = 1
                """
            var arguments: SQLArguments = []
            if let identifier { sql += " AND p.identifier = ?"; arguments += [identifier] }
            if let state { sql += " AND d.state = ?"; arguments += [state.rawValue] }
            return try SQLRow.fetchAll(db, sql: sql + " ORDER BY d.updated_at, a.position", arguments: arguments).map(Self.draft)
        }
    }

    /// Publishes a submitted draft: the action takes the draft's content and the draft is
    /// gone. Refused when the published action changed after the draft was saved (a sheet import,
    /// another approval), so nobody's change is overwritten unseen.
    /// `seen` is the ``ActionDraft/digest`` of the draft the reviewer looked at: a draft saved or
    /// submitted again since is refused, so an approval publishes exactly what was reviewed.
    public func approve(plan identifier: String, action: String, by actor: String, seen: String) throws {
        try database.write { db in
            let (_, planID, actions) = try Self.plan(db, identifier)
            let actionID = try Self.actionID(db, planID: planID, identifier: action)
            guard let draft = try Self.draft(db, plan: identifier, actionID: actionID) else { throw ActionDraftError.noDraft(action: action) }
            guard draft.state == .submitted else { throw ActionDraftError.notSubmitted(action: action) }
            guard Secret.equal(draft.digest, seen) else { throw ActionDraftError.changedSinceReviewed(action: action) }
            let published = actions.first { $0.identifier == action }!
            guard published == draft.base else { throw ActionDraftError.changedSince(action: action) }
            let document = try Self.text(draft.action)
            try db.execute(sql: "UPDATE plan_action SET document = ?, updated_at = ? WHERE id = ?", arguments: [document, CityCarbonDatabase.now(), actionID])
            try db.execute(sql: "DELETE FROM plan_action_draft WHERE plan_action_id = ?", arguments: [actionID])
            try AuditTrail.append(db, actor: actor, action: "approve", entity: "plan_action", entityID: "\(identifier)/\(action)",
                                  before: try PlanRepository.json(published), after: JSONValue(parsing: document))
        }
    }

    /// Sends a submitted draft back to editing with the climate office's reason.
    public func returnForChanges(plan identifier: String, action: String, by actor: String, note: String) throws {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw InputErrors([InputIssue(InputLocation(field: "note"), reason: "say what needs changing")]) }
        try database.write { db in
            let (_, planID, _) = try Self.plan(db, identifier)
            let actionID = try Self.actionID(db, planID: planID, identifier: action)
            guard let draft = try Self.draft(db, plan: identifier, actionID: actionID) else { throw ActionDraftError.noDraft(action: action) }
            guard draft.state == .submitted else { throw ActionDraftError.notSubmitted(action: action) }
            try db.execute(sql: "UPDATE plan_action_draft SET state = 'editing', review_note = ?, reviewed_by = ?, submitted_at = NULL WHERE plan_action_id = ?",
                           arguments: [note, actor, actionID])
            try AuditTrail.append(db, actor: actor, action: "return", entity: "plan_action_draft", entityID: "\(identifier)/\(action)",
                                  after: .object([("note", .string(note))]))
        }
    }

    /// Throws the draft away; the published action stays as it is.
    public func discard(plan identifier: String, action: String, by principal: Principal) throws {
        try database.write { db in
            let (_, planID, actions) = try Self.plan(db, identifier)
            let actionID = try Self.actionID(db, planID: planID, identifier: action)
            guard let draft = try Self.draft(db, plan: identifier, actionID: actionID) else { throw ActionDraftError.noDraft(action: action) }
            guard principal.may(.managePlans) || principal.mayEdit(actions.first { $0.identifier == action }!) else {
                throw ActionDraftError.notYours(action: action, organisation: principal.organisation)
            }
            try db.execute(sql: "DELETE FROM plan_action_draft WHERE plan_action_id = ?", arguments: [actionID])
            try AuditTrail.append(db, actor: principal.actor, action: "discard", entity: "plan_action_draft", entityID: "\(identifier)/\(action)",
                                  before: try PlanRepository.json(draft.action))
        }
    }

    static func plan(_ db: any SQLConnection, _ identifier: String) throws -> (Plan, Int64, [PlanAction]) {
        guard let plan = try PlanRepository.plan(db, identifier: identifier),
              let id = try Int64.fetchOne(db, sql: "SELECT id FROM plan WHERE identifier = ?", arguments: [identifier]) else {
            throw InputErrors([InputIssue(InputLocation(field: "plan"), value: identifier, reason: "is not a plan")])
        }
        return (plan, id, try PlanRepository.actions(db, planID: id))
    }

    static func actionID(_ db: any SQLConnection, planID: Int64, identifier: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM plan_action WHERE plan_id = ? AND identifier = ?", arguments: [planID, identifier]) else {
            throw InputErrors([InputIssue(InputLocation(field: "action"), value: identifier, reason: "is not an action of the plan")])
        }
        return id
    }

    static func text(_ action: PlanAction) throws -> String { String(decoding: try PlanRepository.encoder.encode(action), as: UTF8.self) }

    static func draft(_ db: any SQLConnection, plan: String, actionID: Int64) throws -> ActionDraft? {
        try SQLRow.fetchOne(db, sql: "SELECT d.*, ? AS plan FROM plan_action_draft d WHERE plan_action_id = ?", arguments: [plan, actionID]).map(draft)
    }

    static func draft(_ row: SQLRow) throws -> ActionDraft {
        let decoder = JSONDecoder()
        let document: String = row["document"], base: String = row["base_document"]
        let digest = Hex.string(SHA256.hash(data: Data((document + "\n" + base).utf8)))
        return ActionDraft(plan: row["plan"], action: try decoder.decode(PlanAction.self, from: Data(document.utf8)),
                           base: try decoder.decode(PlanAction.self, from: Data(base.utf8)),
                           state: ActionDraft.State(rawValue: row["state"]) ?? .editing, author: row["author"], updatedAt: row["updated_at"],
                           submittedAt: row["submitted_at"], reviewNote: row["review_note"], reviewedBy: row["reviewed_by"], digest: digest)
    }
}

/// Why a step of the review workflow cannot be taken.
public enum ActionDraftError: Error, Sendable, Equatable, CustomStringConvertible {
    case notYours(action: String, organisation: String?)
    case noDraft(action: String)
    case notSubmitted(action: String)
    case changedSince(action: String)
    case changedSinceReviewed(action: String)

    public var description: String {
        switch self {
        case .notYours(let action, let organisation):
            "action \(action) is not one of \(organisation.map { "\($0)'s" } ?? "your organisation's") actions: only its responsible organisations and the climate office may change it"
        case .noDraft(let action): "action \(action) has no draft"
        case .notSubmitted(let action): "the draft of action \(action) has not been submitted for review"
        case .changedSince(let action):
            "action \(action) was changed after this draft was last saved; the editor must open the draft, check it against the published action and submit it again"
        case .changedSinceReviewed(let action):
            "the draft of action \(action) changed after you opened it (saved or submitted again): review the draft as it is now before approving it"
        }
    }
}
