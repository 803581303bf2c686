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
            SELECT j.name, j.level, p.name AS parent, j.code, j.office FROM jurisdiction j
            LEFT JOIN jurisdiction p ON p.id = j.parent_id ORDER BY j.id
            """)
        let list = rows.map { row in
            Jurisdiction(name: row["name"], level: JurisdictionLevel(rawValue: row["level"]) ?? .other, parent: row["parent"], code: row["code"], office: row["office"])
        }
        return try JurisdictionTree(list)
    }

    /// A jurisdiction as the audit trail and the open API write it.
    public static func json(_ j: Jurisdiction) -> JSONValue {
        .object([("name", .string(j.name)), ("level", .string(j.level.rawValue)), ("parent", j.parent.map(JSONValue.string) ?? .null),
                 ("code", j.code.map(JSONValue.string) ?? .null), ("office", j.office.map(JSONValue.string) ?? .null)])
    }

    static func ids(_ db: any SQLConnection) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try SQLRow.fetchAll(db, sql: "SELECT id, name FROM jurisdiction") { result[row["name"]] = row["id"] }
        return result
    }

    /// What an import did: jurisdictions added, updated in place, and renamed (old → new).
    public struct ImportSummary: Sendable, Equatable {
        public var added = 0, updated = 0
        public var renamed: [(from: String, to: String)] = []
        public var rewrittenDocuments = 0

        public static func == (a: Self, b: Self) -> Bool {
            (a.added, a.updated, a.rewrittenDocuments) == (b.added, b.updated, b.rewrittenDocuments)
                && a.renamed.map { [$0.from, $0.to] } == b.renamed.map { [$0.from, $0.to] }
        }
    }

    static let columns = ["name", "level", "parent", "code", "office", "renamed_from"]

    /// Reads a jurisdictions CSV (`name,level,parent,code`, optionally `office` and `renamed_from`; parents
    /// before or after their children) and adds, updates, moves or renames every row in one
    /// transaction. A row is the held jurisdiction of the same code when its code is held, else
    /// the one its `renamed_from` names, else the one of its name; a held one under another
    /// name is renamed, and every document and scope that names it follows (see
    /// ``JurisdictionRename``).
    @discardableResult
    public func importCSV(_ bytes: [UInt8], file: String, actor: String = "system") throws -> ImportSummary {
        let table: ReferenceTable
        do { table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ReferenceTable(name: file, bytes: b) } }
        var issues: [InputIssue] = []
        for column in ["name", "level"] where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column, reason: "required column is missing",
                                     suggestion: "columns: " + Self.columns.joined(separator: ", ")))
        }
        for (i, column) in table.columns.enumerated() where !Self.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1), value: column, reason: "unknown column",
                                     suggestion: Suggestion.didYouMean(column, among: Self.columns)))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        var list: [(jurisdiction: Jurisdiction, renamedFrom: String?, location: InputLocation)] = []
        for row in table.rows {
            let name = row["name"]
            if name.isEmpty { issues.append(InputIssue(row.location("name"), reason: "name is required")); continue }
            guard let level = JurisdictionLevel(rawValue: row["level"].lowercased()) else {
                issues.append(InputIssue(row.location("level"), value: row["level"], reason: "unknown level",
                                         suggestion: "one of " + JurisdictionLevel.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            list.append((Jurisdiction(name: name, level: level, parent: row["parent"].isEmpty ? nil : row["parent"],
                                      code: row["code"].isEmpty ? nil : row["code"], office: row["office"].isEmpty ? nil : row["office"]),
                         row["renamed_from"].isEmpty ? nil : row["renamed_from"], row.location(row["renamed_from"].isEmpty ? "name" : "renamed_from")))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return try database.write { db in
            let before = try Self.tree(db)
            let held = before.order.compactMap { before.nodes[$0] }
            // Which held jurisdiction each row is, by code, then renamed_from, then name.
            var matched: [String?] = []
            for (j, renamedFrom, location) in list {
                if let code = j.code, let same = held.first(where: { $0.code == code }) { matched.append(same.name); continue }
                if let renamedFrom {
                    guard before.nodes[renamedFrom] != nil else {
                        issues.append(InputIssue(location, value: renamedFrom, reason: "is not a jurisdiction held, so nothing can be renamed from it",
                                                 suggestion: Suggestion.didYouMean(renamedFrom, among: before.order)))
                        matched.append(nil); continue
                    }
                    matched.append(renamedFrom); continue
                }
                matched.append(before.nodes[j.name] == nil ? nil : j.name)
            }
            var claimed: [String: Int] = [:]
            for (i, old) in matched.enumerated() {
                guard let old else { continue }
                if let first = claimed[old] {
                    issues.append(InputIssue(list[i].location, value: list[i].jurisdiction.name,
                                             reason: "is the same held jurisdiction (\(old)) as row \(list[first].location.row.map(String.init) ?? "?")"))
                }
                claimed[old] = i
            }
            let renames = matched.indices.compactMap { i in matched[i].flatMap { $0 != list[i].jurisdiction.name ? (from: $0, to: list[i].jurisdiction.name, row: i) : nil } }
            let leaving = Set(renames.map(\.from))
            for rename in renames where before.nodes[rename.to] != nil && !leaving.contains(rename.to) {
                issues.append(InputIssue(list[rename.row].location, value: rename.to,
                                         reason: "is the name of another jurisdiction held, so \(rename.from) cannot take it"))
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            // The tree as it will be, checked whole (parents known, no cycles) before anything is written.
            let newName = Dictionary(renames.map { ($0.from, $0.to) }, uniquingKeysWith: { a, _ in a })
            // A column the file leaves out keeps what is held (a file of names and levels moves nothing).
            for i in list.indices {
                guard let old = matched[i], let held = before.nodes[old] else { continue }
                if !table.columns.contains("parent") { list[i].jurisdiction.parent = held.parent.map { newName[$0] ?? $0 } }
                if !table.columns.contains("code") { list[i].jurisdiction.code = held.code }
                if !table.columns.contains("office") { list[i].jurisdiction.office = held.office }
            }
            var merged = held.map { j in
                var j = j
                j.name = newName[j.name] ?? j.name
                j.parent = j.parent.map { newName[$0] ?? $0 }
                return j
            }
            for (j, _, _) in list {
                if let i = merged.firstIndex(where: { $0.name == j.name }) { merged[i] = j } else { merged.append(j) }
            }
            _ = try JurisdictionTree(merged, file: file)
            var ids = try Self.ids(db)
            var summary = ImportSummary()
            // Renames first, through a temporary name so that two jurisdictions may swap names.
            for rename in renames {
                try db.execute(sql: "UPDATE jurisdiction SET name = ? WHERE id = ?", arguments: ["\u{1}renaming \(rename.row)", ids[rename.from]])
            }
            for rename in renames {
                try db.execute(sql: "UPDATE jurisdiction SET name = ? WHERE name = ?", arguments: [rename.to, "\u{1}renaming \(rename.row)"])
            }
            let heldIDs = ids
            for rename in renames { ids[rename.to] = heldIDs[rename.from] }
            for rename in renames where !renames.contains(where: { $0.to == rename.from }) { ids[rename.from] = nil }
            if !renames.isEmpty { summary.rewrittenDocuments = try JurisdictionRename.apply(db, renaming: newName) }
            for rename in renames {
                summary.renamed.append((rename.from, rename.to))
                try AuditTrail.append(db, actor: actor, action: "rename", entity: "jurisdiction", entityID: rename.to,
                                      before: .object([("name", .string(rename.from))]), after: .object([("name", .string(rename.to))]))
            }
            for (i, (j, _, _)) in list.enumerated() {
                let previous = matched[i].flatMap { before.nodes[$0] }.map { p -> Jurisdiction in
                    var p = p
                    p.name = j.name
                    p.parent = p.parent.map { newName[$0] ?? $0 }
                    return p
                }
                if previous != j {
                    try AuditTrail.append(db, actor: actor, action: previous == nil ? "create" : "update", entity: "jurisdiction", entityID: j.name,
                                          before: previous.map(Self.json), after: Self.json(j))
                }
                if previous == nil {
                    ids[j.name] = try db.insertReturningID(sql: "INSERT INTO jurisdiction (name, level, code, office) VALUES (?, ?, ?, ?)",
                                                     arguments: [j.name, j.level.rawValue, j.code, j.office])
                    summary.added += 1
                } else {
                    try db.execute(sql: "UPDATE jurisdiction SET level = ?, code = ?, office = ? WHERE id = ?",
                                   arguments: [j.level.rawValue, j.code, j.office, ids[j.name]])
                    summary.updated += 1
                }
            }
            for (j, _, _) in list {
                try db.execute(sql: "UPDATE jurisdiction SET parent_id = ? WHERE id = ?", arguments: [j.parent.flatMap { ids[$0] }, ids[j.name]])
            }
            return summary
        }
    }
}
