import CarbonKit
import ClimatePlans
import Foundation

/// The low-carbon pilot registry and the plan's pilot goals, loaded from sheets and audited
/// step by step.
public struct PilotRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Applies a sheet of lifecycle steps in one transaction; steps already recorded are skipped.
    @discardableResult
    public func importSheet(_ bytes: [UInt8], file: String, actor: String) throws -> [String] {
        let text = try ReferenceTable.text(of: bytes, file: file)
        let tree = try JurisdictionRepository(database).tree()
        let names = Set(tree.roots.flatMap { tree.lineageDown(from: $0) })
        return try database.write { db in
            let existing = try Self.pilots(db)
            let (pilots, changed) = try PilotSheet.apply(text, file: file, to: existing, jurisdictions: names)
            let before = Dictionary(uniqueKeysWithValues: existing.map { ($0.identifier, $0) })
            for (position, pilot) in pilots.enumerated() where changed.contains(pilot.identifier) {
                let document = String(decoding: try PlanRepository.encoder.encode(pilot), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO pilot (identifier, position, document, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (identifier) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
                    """, arguments: [pilot.identifier, position, document, CityCarbonDatabase.now()])
                try AuditTrail.append(db, actor: actor, action: before[pilot.identifier] == nil ? "create" : pilot.stage.rawValue, entity: "pilot",
                                      entityID: pilot.identifier, before: try before[pilot.identifier].map(PlanRepository.json), after: JSONValue(parsing: document))
            }
            return changed
        }
    }

    /// Replaces the pilot goals with a sheet's.
    public func importGoals(_ bytes: [UInt8], file: String, actor: String) throws {
        let goals = try PilotSheet.goals(try ReferenceTable.text(of: bytes, file: file), file: file)
        try database.write { db in
            try db.execute(sql: "DELETE FROM pilot_goal")
            for (position, (goal, source)) in goals.enumerated() {
                try db.execute(sql: "INSERT INTO pilot_goal (kind, minimum, maximum, source, position) VALUES (?, ?, ?, ?, ?)",
                               arguments: [goal.kind.rawValue, goal.minimum, goal.maximum, source, position])
            }
            try AuditTrail.append(db, actor: actor, action: "update", entity: "pilot_goal",
                                  after: .array(goals.map { .object([("kind", .string($0.goal.kind.rawValue)), ("minimum", .integer($0.goal.minimum)),
                                                                     ("maximum", $0.goal.maximum.map(JSONValue.integer) ?? .null)]) }))
        }
    }

    public func all() throws -> [Pilot] {
        try database.read { db in try Self.pilots(db) }
    }

    public func goals() throws -> [(goal: PilotGoal, source: String?)] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM pilot_goal ORDER BY position").compactMap { row in
                Pilot.Kind(rawValue: row["kind"]).map { (PilotGoal(kind: $0, minimum: row["minimum"], maximum: row["maximum"]), row["source"]) }
            }
        }
    }

    static func pilots(_ db: any SQLConnection) throws -> [Pilot] {
        try String.fetchAll(db, sql: "SELECT document FROM pilot ORDER BY position, id").map { try JSONDecoder().decode(Pilot.self, from: Data($0.utf8)) }
    }
}
