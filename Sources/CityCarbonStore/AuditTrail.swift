import CarbonKit
import Crypto
import Foundation

/// One change of data: who, when, what entity, and its state before and after, as JSON.
public struct AuditEvent: Sendable, Equatable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String?
    public var before: String?
    public var after: String?
    public var previousHash: String
    public var hash: String

    /// SHA-256 of the event's fields and the previous event's hash: changing any event, or
    /// removing one, breaks every hash after it.
    static func hash(id: Int64, at: String, actor: String, action: String, entity: String, entityID: String?,
                     before: String?, after: String?, previousHash: String) -> String {
        FieldDigest.hex([String(id), at, actor, action, entity, entityID ?? "\u{0}", before ?? "\u{0}", after ?? "\u{0}", previousHash])
    }
}

/// The append-only, hash-chained record of every write.
///
/// Writers call ``append(_:actor:action:entity:entityID:before:after:)`` inside the same
/// transaction as their change, so a change and its event are stored together or not at all.
public struct AuditTrail: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let genesis = String(repeating: "0", count: 64)

    /// Records an event in the current transaction and moves the chain's head.
    @discardableResult
    public static func append(_ db: any SQLConnection, actor: String, action: String, entity: String, entityID: String? = nil,
                              before: JSONValue? = nil, after: JSONValue? = nil) throws -> AuditEvent {
        // On PostgreSQL another process may be writing: the head row is locked until commit.
        let head = try SQLRow.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1" + (db.dialect == .postgres ? " FOR UPDATE" : ""))
        let previousHash: String = head?["last_hash"] ?? genesis
        let id: Int64 = (head?["last_id"] ?? 0) + 1
        let at = CityCarbonDatabase.now()
        let beforeText = before?.serialized(), afterText = after?.serialized()
        let hash = AuditEvent.hash(id: id, at: at, actor: actor, action: action, entity: entity, entityID: entityID,
                                   before: beforeText, after: afterText, previousHash: previousHash)
        try db.execute(sql: """
            INSERT INTO audit_event (id, at, actor, action, entity, entity_id, before, after, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, at, actor, action, entity, entityID, beforeText, afterText, previousHash, hash])
        try db.execute(sql: """
            INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
            """, arguments: [id, hash])
        return AuditEvent(id: id, at: at, actor: actor, action: action, entity: entity, entityID: entityID,
                          before: beforeText, after: afterText, previousHash: previousHash, hash: hash)
    }

    /// An event to record with others in one statement.
    public struct NewEvent: Sendable {
        public var actor: String
        public var action: String
        public var entity: String
        public var entityID: String?
        public var after: JSONValue?

        public init(actor: String, action: String, entity: String, entityID: String? = nil, after: JSONValue? = nil) {
            (self.actor, self.action, self.entity, self.entityID, self.after) = (actor, action, entity, entityID, after)
        }
    }

    /// Records `events` in order in the current transaction, chained as ``append(_:actor:action:entity:entityID:before:after:)``
    /// would chain them one by one, with one insert and one move of the head.
    public static func append(_ db: any SQLConnection, events: [NewEvent]) throws {
        guard !events.isEmpty else { return }
        let head = try SQLRow.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1" + (db.dialect == .postgres ? " FOR UPDATE" : ""))
        var previousHash: String = head?["last_hash"] ?? genesis
        var id: Int64 = head?["last_id"] ?? 0
        let at = CityCarbonDatabase.now()
        var ids: [Int64] = [], afters: [String?] = [], previous: [String] = [], hashes: [String] = []
        for event in events {
            id += 1
            let after = event.after?.serialized()
            let hash = AuditEvent.hash(id: id, at: at, actor: event.actor, action: event.action, entity: event.entity, entityID: event.entityID,
                                       before: nil, after: after, previousHash: previousHash)
            ids.append(id); afters.append(after); previous.append(previousHash); hashes.append(hash)
            previousHash = hash
        }
        try db.bulkInsert(into: "audit_event", columns: [
            SQLColumn("id", .integer(ids)),
            SQLColumn("at", .text(Array(repeating: at, count: events.count))),
            SQLColumn("actor", .text(events.map(\.actor))),
            SQLColumn("action", .text(events.map(\.action))),
            SQLColumn("entity", .text(events.map(\.entity))),
            SQLColumn("entity_id", .optionalText(events.map(\.entityID))),
            SQLColumn("before", .optionalText(Array(repeating: nil, count: events.count))),
            SQLColumn("after", .optionalText(afters)),
            SQLColumn("previous_hash", .text(previous)),
            SQLColumn("hash", .text(hashes)),
        ], onConflict: nil)
        try db.execute(sql: """
            INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
            """, arguments: [id, previousHash])
    }

    /// Which events to list: every condition given must hold.
    public struct Filter: Sendable, Equatable {
        public var entity: String?
        public var actor: String?
        public var action: String?
        /// ISO-8601 dates or timestamps; `until` includes the whole day it names.
        public var since: String?
        public var until: String?
        public var entityID: String?

        public init(entity: String? = nil, entityID: String? = nil, actor: String? = nil, action: String? = nil,
                    since: String? = nil, until: String? = nil) {
            (self.entity, self.entityID, self.actor, self.action, self.since, self.until) = (entity, entityID, actor, action, since, until)
        }

        var sql: (clause: String, arguments: [any SQLValueConvertible]) {
            var conditions: [String] = []
            var arguments: [any SQLValueConvertible] = []
            if let entity { conditions.append("entity = ?"); arguments.append(entity) }
            if let entityID { conditions.append("entity_id = ?"); arguments.append(entityID) }
            if let actor { conditions.append("actor = ?"); arguments.append(actor) }
            if let action { conditions.append("action = ?"); arguments.append(action) }
            if let since { conditions.append("at >= ?"); arguments.append(since) }
            // "2026-11-22" sorts before every timestamp of that day; "2026-11-22~" after all of them.
            if let until { conditions.append("at <= ?"); arguments.append(until.count == 10 ? until + "~" : until) }
            return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
        }
    }

    /// Events, newest first, optionally of one entity or actor.
    public func events(entity: String? = nil, actor: String? = nil, limit: Int = 100, offset: Int = 0) throws -> [AuditEvent] {
        try events(Filter(entity: entity, actor: actor), limit: limit, offset: offset).events
    }

    /// Events that pass `filter`, newest first, with how many pass in all.
    public func events(_ filter: Filter, limit: Int, offset: Int) throws -> (events: [AuditEvent], total: Int) {
        try database.read { db in
            let (clause, arguments) = filter.sql
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_event \(clause)", arguments: SQLArguments(arguments)) ?? 0
            let events = try SQLRow.fetchAll(db, sql: "SELECT * FROM audit_event \(clause) ORDER BY id DESC LIMIT ? OFFSET ?",
                                          arguments: SQLArguments(arguments + [limit, offset])).map(Self.event)
            return (events, total)
        }
    }

    /// The entities, actors and actions the trail has, for filter choices.
    public func facets() throws -> (entities: [String], actors: [String], actions: [String]) {
        try database.read { db in
            (try String.fetchAll(db, sql: "SELECT DISTINCT entity FROM audit_event ORDER BY entity"),
             try String.fetchAll(db, sql: "SELECT DISTINCT actor FROM audit_event ORDER BY actor"),
             try String.fetchAll(db, sql: "SELECT DISTINCT action FROM audit_event ORDER BY action"))
        }
    }

    static func event(_ row: SQLRow) -> AuditEvent {
        AuditEvent(id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], entity: row["entity"],
                   entityID: row["entity_id"], before: row["before"], after: row["after"], previousHash: row["previous_hash"], hash: row["hash"])
    }

    /// The outcome of checking the chain.
    public struct Verification: Sendable, Equatable {
        public var events: Int
        /// The first event that does not hold, and why; nil when the chain is intact.
        public var firstBad: (id: Int64, reason: String)?

        public static func == (a: Verification, b: Verification) -> Bool {
            a.events == b.events && a.firstBad?.id == b.firstBad?.id && a.firstBad?.reason == b.firstBad?.reason
        }
    }

    /// Recomputes every hash in order: an altered event, a removed one (a gap in the ids or a
    /// broken link) and a removed tail (the head no longer matches) are all found.
    public func verify() throws -> Verification {
        try database.read { db in
            var expectedID: Int64 = 1
            var previous = Self.genesis
            var count = 0
            var firstBad: (id: Int64, reason: String)?
            try db.forEachRow(sql: "SELECT * FROM audit_event ORDER BY id", arguments: []) { row in
                guard firstBad == nil else { return }
                let event = Self.event(row)
                if event.id != expectedID {
                    firstBad = (expectedID, "event \(expectedID) is missing (the next one is \(event.id))")
                } else if event.previousHash != previous {
                    firstBad = (event.id, "its link to the previous event does not match")
                } else if AuditEvent.hash(id: event.id, at: event.at, actor: event.actor, action: event.action, entity: event.entity,
                                          entityID: event.entityID, before: event.before, after: event.after, previousHash: event.previousHash) != event.hash {
                    firstBad = (event.id, "its content does not match its hash (altered)")
                } else {
                    previous = event.hash
                    expectedID += 1
                    count += 1
                }
            }
            if let firstBad { return Verification(events: count, firstBad: firstBad) }
            let head = try SQLRow.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
            let headID: Int64 = head?["last_id"] ?? 0
            if headID != Int64(count) || (head?["last_hash"] ?? Self.genesis) != previous {
                return Verification(events: count, firstBad: (Int64(count) + 1, "the chain ends at event \(count) but its head says \(headID): events were removed"))
            }
            return Verification(events: count, firstBad: nil)
        }
    }
}

extension AuditTrail {
    /// Who drafted what is about to be published: the actors of `entity`'s events of `actions`
    /// since the newest event `publication` finds (the last publication), newest first, each
    /// once. A confirmation page names them beside what publishing would change.
    public func draftedBy(_ changes: Filter, actions: Set<String>, since publication: Filter) throws -> [String] {
        let last = try events(publication, limit: 1, offset: 0).events.first?.id ?? 0
        var actors: [String] = []
        for event in try events(changes, limit: 1_000, offset: 0).events where event.id > last && actions.contains(event.action) {
            if !actors.contains(event.actor) { actors.append(event.actor) }
        }
        return actors
    }

    /// The number of the latest event: every write moves it, so anything derived from the data
    /// (a rendered page, a cached response) stays valid while it stays the same.
    public func version() throws -> Int64 {
        try database.read { db in try Int64.fetchOne(db, sql: "SELECT last_id FROM audit_head WHERE singleton = 1") ?? 0 }
    }
}
