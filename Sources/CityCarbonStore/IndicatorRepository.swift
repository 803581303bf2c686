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

    public func all() throws -> [CatalogueIndicator] {
        try database.read { db in try SQLRow.fetchAll(db, sql: "SELECT * FROM indicator ORDER BY position, id").map(Self.entry) }
    }

    public func indicator(_ identifier: String) throws -> CatalogueIndicator? {
        try database.read { db in try Self.entry(db, identifier: identifier) }
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
        try SQLRow.fetchOne(db, sql: "SELECT * FROM indicator WHERE identifier = ?", arguments: [identifier]).map(entry)
    }

    static func entry(_ row: SQLRow) throws -> CatalogueIndicator {
        CatalogueIndicator(indicator: try JSONDecoder().decode(Indicator.self, from: Data((row["document"] as String).utf8)),
                           group: row["grouping"], note: row["note"])
    }
}
