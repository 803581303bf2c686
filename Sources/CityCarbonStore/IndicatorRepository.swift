import CarbonKit
import ClimatePlans
import Foundation

/// An indicator with the catalogue's group and note.
public struct CatalogueIndicator: Sendable, Hashable {
    public var indicator: Indicator
    public var group: String?
    public var note: String?

    public init(indicator: Indicator, group: String?, note: String?) {
        self.indicator = indicator
        self.group = group
        self.note = note
    }
}

/// The indicator catalogue: definitions, values and goals, loaded from sheets and audited.
///
/// What a sheet loads is a draft: the public sees an indicator as it was last published
/// (``publish(_:by:key:)``), definition, group, note, values and goals alike.
public struct IndicatorRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Loads a catalogue sheet in one transaction. An indicator already in the catalogue
    /// takes the sheet's definition; its values and goals merge by year (and jurisdiction),
    /// the sheet's winning where both have one.
    public func importSheet(_ bytes: [UInt8], file: String, actor: String) throws -> (added: [String], updated: [String]) {
        let text = try ReferenceTable.text(of: bytes, file: file)
        let rows = try IndicatorSheet.parse(text, file: file)
        return try database.write { db in
            var added: [String] = [], updated: [String] = []
            var position = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM indicator") ?? 0
            for row in rows {
                let stored = try Self.entry(db, identifier: row.indicator.identifier)
                var indicator = row.indicator
                if let old = stored?.indicator {
                    indicator.values = Self.merge(old.values, row.indicator.values) { "\($0.year)|\($0.jurisdiction ?? "")|\($0.dimension ?? "")" }
                    indicator.goals = Self.merge(old.goals, row.indicator.goals) { "\($0.year)|\($0.jurisdiction ?? "")" }
                }
                let entry = CatalogueIndicator(indicator: indicator, group: row.group, note: row.note)
                guard entry != stored else { continue }
                let document = String(decoding: try PlanRepository.encoder.encode(indicator), as: UTF8.self)
                if stored == nil { position += 1 }
                try db.execute(sql: """
                    INSERT INTO indicator (identifier, position, grouping, note, document, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (identifier) DO UPDATE SET grouping = excluded.grouping, note = excluded.note, document = excluded.document,
                      updated_at = excluded.updated_at
                    """, arguments: [indicator.identifier, position, row.group, row.note, document, CityCarbonDatabase.now()])
                try AuditTrail.append(db, actor: actor, action: stored == nil ? "create" : "update", entity: "indicator", entityID: indicator.identifier,
                                      before: try stored.map { try PlanRepository.json($0.indicator) }, after: JSONValue(parsing: document))
                if stored == nil { added.append(indicator.identifier) } else { updated.append(indicator.identifier) }
            }
            return (added, updated)
        }
    }

    /// Loads measured values in one transaction: each indicator's values merge by year,
    /// jurisdiction and dimension, the sheet's winning. Emissions indicators are not entered:
    /// they come from the inventories.
    public func importValues(_ bytes: [UInt8], file: String, actor: String) throws -> Int {
        let text = try ReferenceTable.text(of: bytes, file: file)
        let tree = try JurisdictionRepository(database).tree()
        return try database.write { db in
            let known = Set(try String.fetchAll(db, sql: "SELECT identifier FROM indicator"))
            let rows = try IndicatorValueSheet.parse(text, file: file, indicators: known, jurisdictions: Set(tree.roots.flatMap { tree.lineageDown(from: $0) }))
            for (identifier, values) in Dictionary(grouping: rows, by: \.indicator) {
                guard let stored = try Self.entry(db, identifier: identifier) else { continue }
                var indicator = stored.indicator
                indicator.values = Self.merge(indicator.values, values.map(\.value)) { "\($0.year)|\($0.jurisdiction ?? "")|\($0.dimension ?? "")" }
                guard indicator != stored.indicator else { continue }
                let document = String(decoding: try PlanRepository.encoder.encode(indicator), as: UTF8.self)
                try db.execute(sql: "UPDATE indicator SET document = ?, updated_at = ? WHERE identifier = ?", arguments: [document, CityCarbonDatabase.now(), identifier])
                try AuditTrail.append(db, actor: actor, action: "update", entity: "indicator", entityID: identifier,
                                      before: try PlanRepository.json(stored.indicator), after: JSONValue(parsing: document))
            }
            return rows.count
        }
    }

    /// One value entered on the staff pages by `writer`: an admin for any indicator, anyone
    /// else only for the indicators their organisation owns; never a computed indicator. The
    /// value is a draft until the indicators are published; the same year is replaced.
    public func enterValue(_ identifier: String, _ value: IndicatorValue, by writer: Principal) throws {
        try database.write { db in
            guard let stored = try Self.entry(db, identifier: identifier) else {
                throw InputErrors([InputIssue(InputLocation(field: "indicator"), value: identifier, reason: "is not in the indicator catalogue",
                                              suggestion: Suggestion.didYouMean(identifier, among: try String.fetchAll(db, sql: "SELECT identifier FROM indicator")))])
            }
            var indicator = stored.indicator
            if case .inventory = indicator.source {
                throw InputErrors([InputIssue(InputLocation(field: "indicator"), value: identifier, reason: "is computed from the published inventories and statistics, not entered")])
            }
            guard writer.role == .admin || (indicator.owner != nil && indicator.owner == writer.organisation) else {
                throw AccessDenied("\(writer.actor) may enter values of the indicators \(writer.organisation ?? "no organisation") owns; \(identifier) is owned by \(indicator.owner ?? "the climate office")")
            }
            indicator.values = Self.merge(indicator.values, [value]) { "\($0.year)|\($0.jurisdiction ?? "")|\($0.dimension ?? "")" }
            guard indicator != stored.indicator else { return }
            let document = String(decoding: try PlanRepository.encoder.encode(indicator), as: UTF8.self)
            try db.execute(sql: "UPDATE indicator SET document = ?, updated_at = ? WHERE identifier = ?", arguments: [document, CityCarbonDatabase.now(), identifier])
            try AuditTrail.append(db, actor: writer.actor, action: "update", entity: "indicator", entityID: identifier,
                                  before: try PlanRepository.json(stored.indicator), after: JSONValue(parsing: document))
        }
    }

    /// The catalogue of `edition`: published, only the indicators ever published, as they were.
    public func all(edition: Edition) throws -> [CatalogueIndicator] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM indicator \(edition == .published ? "WHERE published_document IS NOT NULL" : "") ORDER BY position, id")
                .map { try Self.entry($0, edition: edition) }
        }
    }

    public func indicator(_ identifier: String, edition: Edition) throws -> CatalogueIndicator? {
        try database.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM indicator WHERE identifier = ?", arguments: [identifier])
                .flatMap { edition == .published && ($0["published_document"] as String?) == nil ? nil : try Self.entry($0, edition: edition) }
        }
    }

    /// The indicators whose draft differs from what the public sees (never published, or changed since).
    public func unpublished() throws -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: """
                SELECT identifier FROM indicator WHERE published_document IS NULL OR published_document <> document
                  OR COALESCE(published_grouping, '') <> COALESCE(grouping, '') OR COALESCE(published_note, '') <> COALESCE(note, '')
                ORDER BY position, id
                """)
        }
    }

    /// Publishes the drafts of `identifiers` (every unpublished indicator when nil) as they stand,
    /// one audit event each holding what was published; returns the identifiers published. An
    /// identifier not in the catalogue is refused, naming it, and nothing is published. With
    /// `key`, the chain's head after them is signed.
    @discardableResult
    public func publish(_ identifiers: [String]? = nil, by actor: String, key: AuditKey? = nil) throws -> [String] {
        let pending = try unpublished()
        if let identifiers {
            let known = Set(try all(edition: .current).map(\.indicator.identifier))
            let unknown = identifiers.filter { !known.contains($0) }
            if !unknown.isEmpty {
                throw InputErrors(unknown.map { InputIssue(InputLocation(field: "indicator"), value: $0, reason: "is not an indicator of the catalogue",
                                                           suggestion: Suggestion.didYouMean($0, among: known)) })
            }
        }
        let chosen = identifiers.map { wanted in pending.filter(Set(wanted).contains) } ?? pending
        guard !chosen.isEmpty else { return [] }
        try database.write { db in
            for identifier in chosen {
                guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM indicator WHERE identifier = ?", arguments: [identifier]) else { continue }
                let before = (row["published_document"] as String?).flatMap(JSONValue.init(parsing:))
                try db.execute(sql: """
                    UPDATE indicator SET published_document = document, published_grouping = grouping, published_note = note WHERE identifier = ?
                    """, arguments: [identifier])
                try AuditTrail.append(db, actor: actor, action: "publish", entity: "indicator", entityID: identifier, before: before,
                                      after: Self.publishedRecord(row))
            }
        }
        if let key { try AuditTrail(database).checkpoint(with: key, subject: "indicators") }
        return chosen
    }

    /// What contradicts the publications: each published indicator must be what its latest
    /// publication event recorded. An indicator changed in the database behind the platform's
    /// back is named here.
    public func problems() throws -> [String] {
        var recorded: [String: (Int64, JSONValue)] = [:]
        for event in try AuditTrail(database).events(AuditTrail.Filter(entity: "indicator", action: "publish"), limit: 100_000, offset: 0).events
        {
            guard let identifier = event.entityID, recorded[identifier] == nil, let after = event.after.flatMap(JSONValue.init(parsing:)) else { continue }
            recorded[identifier] = (event.id, after)
        }
        return try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM indicator WHERE published_document IS NOT NULL ORDER BY position, id").compactMap { row in
                let identifier: String = row["identifier"]
                guard let (event, after) = recorded[identifier] else { return nil }
                return Self.publishedRecord(row, published: true) == after ? nil
                    : "indicator \(identifier): changed since it was published (event \(event))"
            }
        }
    }

    /// What a publication event records: the document, group and note the public sees.
    static func publishedRecord(_ row: SQLRow, published: Bool = false) -> JSONValue {
        let prefix = published ? "published_" : ""
        let document: String = row[published ? "published_document" : "document"]
        let group: String? = row[prefix + "grouping"], note: String? = row[prefix + "note"]
        return .object([("document", JSONValue(parsing: document) ?? .string(document)), ("group", group.map(JSONValue.string) ?? .null),
                        ("note", note.map(JSONValue.string) ?? .null)])
    }

    static func merge<T>(_ old: [T], _ new: [T], key: (T) -> String) -> [T] {
        var byKey: [String: T] = [:]
        var order: [String] = []
        for item in old + new {
            let k = key(item)
            if byKey[k] == nil { order.append(k) }
            byKey[k] = item
        }
        return order.map { byKey[$0]! }
    }

    static func entry(_ db: any SQLConnection, identifier: String) throws -> CatalogueIndicator? {
        try SQLRow.fetchOne(db, sql: "SELECT * FROM indicator WHERE identifier = ?", arguments: [identifier]).map { try entry($0, edition: .current) }
    }

    static func entry(_ row: SQLRow, edition: Edition) throws -> CatalogueIndicator {
        let prefix = edition == .published ? "published_" : ""
        return CatalogueIndicator(indicator: try JSONDecoder().decode(Indicator.self, from: Data((row[prefix + "document"] as String).utf8)),
                                  group: row[prefix + "grouping"], note: row[prefix + "note"])
    }
}
