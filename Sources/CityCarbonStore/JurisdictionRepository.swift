import CarbonKit
import Foundation

/// The jurisdiction tree: country → province → city → district.
public struct JurisdictionRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    public func tree() throws -> JurisdictionTree {
        try database.read { db in try Self.tree(db) }
    }

    static func tree(_ db: any SQLConnection) throws -> JurisdictionTree {
        let rows = try SQLRow.fetchAll(db, sql: """
            SELECT j.name, j.level, p.name AS parent, j.code FROM jurisdiction j
            LEFT JOIN jurisdiction p ON p.id = j.parent_id ORDER BY j.id
            """)
        let list = rows.map { row in
            Jurisdiction(name: row["name"], level: JurisdictionLevel(rawValue: row["level"]) ?? .other, parent: row["parent"], code: row["code"])
        }
        return try JurisdictionTree(list)
    }

    static func json(_ j: Jurisdiction) -> JSONValue {
        .object([("name", .string(j.name)), ("level", .string(j.level.rawValue)), ("parent", j.parent.map(JSONValue.string) ?? .null),
                 ("code", j.code.map(JSONValue.string) ?? .null)])
    }

    static func ids(_ db: any SQLConnection) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try SQLRow.fetchAll(db, sql: "SELECT id, name FROM jurisdiction") { result[row["name"]] = row["id"] }
        return result
    }

    /// Reads a jurisdictions CSV (`name,level,parent,code`; parents before or after their
    /// children) and adds or updates every row in one transaction.
    @discardableResult
    public func importCSV(_ bytes: [UInt8], file: String, actor: String = "system") throws -> (added: Int, updated: Int) {
        let table: ReferenceTable
        do { table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ReferenceTable(name: file, bytes: b) } }
        var issues: [InputIssue] = []
        for column in ["name", "level"] where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column, reason: "required column is missing",
                                     suggestion: "columns: name, level, parent, code"))
        }
        for (i, column) in table.columns.enumerated() where !["name", "level", "parent", "code"].contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1), value: column, reason: "unknown column",
                                     suggestion: Suggestion.didYouMean(column, among: ["name", "level", "parent", "code"])))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        var list: [Jurisdiction] = []
        for row in table.rows {
            let name = row["name"]
            if name.isEmpty { issues.append(InputIssue(row.location("name"), reason: "name is required")); continue }
            guard let level = JurisdictionLevel(rawValue: row["level"].lowercased()) else {
                issues.append(InputIssue(row.location("level"), value: row["level"], reason: "unknown level",
                                         suggestion: "one of " + JurisdictionLevel.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            list.append(Jurisdiction(name: name, level: level, parent: row["parent"].isEmpty ? nil : row["parent"],
                                     code: row["code"].isEmpty ? nil : row["code"]))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return try database.write { db in
            var existing = try Self.tree(db)
            var merged = existing.order.compactMap { existing.nodes[$0] }
            for j in list {
                if let i = merged.firstIndex(where: { $0.name == j.name }) { merged[i] = j } else { merged.append(j) }
            }
            existing = try JurisdictionTree(merged, file: file)
            var ids = try Self.ids(db)
            let before = try Self.tree(db)
            var added = 0, updated = 0
            for j in list {
                let previous = before.nodes[j.name]
                if previous != j {
                    try AuditTrail.append(db, actor: actor, action: previous == nil ? "create" : "update", entity: "jurisdiction", entityID: j.name,
                                          before: previous.map(Self.json), after: Self.json(j))
                }
                if ids[j.name] == nil {
                    ids[j.name] = try db.insertReturningID(sql: "INSERT INTO jurisdiction (name, level, code) VALUES (?, ?, ?)", arguments: [j.name, j.level.rawValue, j.code])
                    added += 1
                } else {
                    try db.execute(sql: "UPDATE jurisdiction SET level = ?, code = ? WHERE name = ?", arguments: [j.level.rawValue, j.code, j.name])
                    updated += 1
                }
            }
            for j in list {
                try db.execute(sql: "UPDATE jurisdiction SET parent_id = ? WHERE name = ?", arguments: [j.parent.flatMap { ids[$0] }, j.name])
            }
            return (added, updated)
        }
    }
}
