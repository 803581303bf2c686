import CarbonAccounting
import CarbonKit
import Foundation

/// Custom factor sets a city loads from CSV, kept with every number's provenance, and the
/// library they form together with the built-in sets.
public struct FactorSetRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// The built-in library plus every custom set in the database.
    public func library() throws -> FactorLibrary {
        try database.read { db in try Self.library(db) }
    }

    static func library(_ db: any SQLConnection) throws -> FactorLibrary {
        var library = FactorLibrary.standard
        let sets = try SQLRow.fetchAll(db, sql: "SELECT * FROM factor_set WHERE kind = 'custom' ORDER BY id")
        for set in sets {
            let records = try SQLRow.fetchAll(db, sql: "SELECT * FROM factor WHERE factor_set_id = ? ORDER BY id", arguments: [set["id"] as Int64]).map { row in
                FactorRecord(fuel: row["fuel"], appliesTo: (row["applies_to"] as String).split(separator: " ").map(String.init),
                             technology: row["technology"], isDefaultTechnology: row["is_default"], quantity: row["quantity"],
                             value: row["value"], unit: row["unit"], source: row["source"], year: row["year"],
                             confidence: row["confidence"], note: row["note"])
            }
            let required = (set["required_gases"] as String).split(separator: " ").map(String.init)
            try library.add(FactorSet(name: set["name"], title: set["title"], kind: .custom,
                                      defaultEFQuality: (set["default_ef_quality"] as String?).flatMap(DataQuality.init(rawValue:)),
                                      requiredGases: required, method: set["method"], source: set["source"], year: set["year"], records: records))
        }
        return library
    }

    /// Reads a custom factor set from CSV and stores it, replacing a custom set of the same name.
    @discardableResult
    public func importCSV(_ bytes: [UInt8], file: String, name: String, quality: DataQuality? = nil, actor: String = "system") throws -> FactorSet {
        let table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ReferenceTable(name: file, bytes: b) }
        let set = try FactorSet.parse(table, name: name, title: name, kind: .custom, defaultEFQuality: quality, source: file)
        if let builtin = FactorLibrary.standard.sets[name], builtin.kind != .custom {
            throw InputErrors([InputIssue(InputLocation(file: file), value: name, reason: FactorLookupError.nameTaken(builtin.name).description)])
        }
        try database.write { db in
            let previous = try SQLRow.fetchOne(db, sql: "SELECT s.fingerprint, s.source, (SELECT COUNT(*) FROM factor f WHERE f.factor_set_id = s.id) AS numbers FROM factor_set s WHERE s.name = ?", arguments: [name])
            try AuditTrail.append(db, actor: actor, action: previous == nil ? "create" : "replace", entity: "factor_set", entityID: name,
                                  before: previous.map { .object([("fingerprint", .string($0["fingerprint"])), ("source", .string($0["source"])), ("numbers", .integer($0["numbers"]))]) },
                                  after: .object([("fingerprint", .string(set.fingerprint)), ("source", .string(file)), ("numbers", .integer(set.records.count))]))
            try db.execute(sql: "DELETE FROM factor_set WHERE name = ?", arguments: [name])
            let id = try db.insertReturningID(sql: """
                INSERT INTO factor_set (name, title, kind, default_ef_quality, required_gases, method, source, year, fingerprint, created_at)
                VALUES (?, ?, 'custom', ?, '', '', ?, NULL, ?, ?)
                """, arguments: [name, set.title, quality?.rawValue, file, set.fingerprint, CityCarbonDatabase.now()])
            let insert = db.makeStatement(sql: """
                INSERT INTO factor (factor_set_id, fuel, applies_to, technology, is_default, quantity, value, unit, source, year, confidence, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in set.records {
                try insert.execute(arguments: [id, r.fuel, r.appliesTo.joined(separator: " "), r.technology, r.isDefaultTechnology,
                                               r.quantity, r.value, r.unit, r.source, r.year, r.confidence, r.note])
            }
        }
        return set
    }

    public func customSetNames() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT name FROM factor_set WHERE kind = 'custom' ORDER BY name") }
    }
}
