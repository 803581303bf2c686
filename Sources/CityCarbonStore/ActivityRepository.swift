import CarbonAccounting
import CarbonKit
import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// What an activity import did.
public struct ActivityImportSummary: Sendable {
    public var file: String
    public var rows: Int
    public var years: [Int]
    public var replacedRows: Int
    public var createdJurisdictions: [String]
}

/// A file that passed every check, waiting to be stored.
public struct ActivityImportPlan: Sendable {
    public let activities: ValidatedActivities
    public let file: String
    public let sha256: String
    public let byteCount: Int
}

/// Rows a workspace already has for one (year, jurisdiction) of a file.
public struct ExistingRows: Sendable, Equatable {
    public var year: Int
    public var jurisdiction: String
    public var rows: Int
}

/// How an import treats years and jurisdictions that already have activity rows.
public enum ExistingActivities: Sendable {
    /// Refuse: the file would count the same activity twice.
    case refuse
    /// Delete the earlier rows of every (year, jurisdiction) the file has, then insert.
    case replace
    /// Keep the earlier rows and add these.
    case append
}

/// Activity rows with the file each came from.
public struct ActivityRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Validates a whole activity CSV against this workspace (its jurisdictions and factor sets)
    /// and stores it in one transaction, or stores nothing and throws every problem.
    ///
    /// While the workspace has no jurisdictions, the file's names become root jurisdictions;
    /// once a tree is imported, every name must be in it. With a `writer`, every row must be
    /// in a jurisdiction that principal may write to.
    @discardableResult
    public func importCSV(_ bytes: [UInt8], file: String, existing: ExistingActivities = .refuse, actor: String = "system",
                          writer: Principal? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ActivityImportSummary {
        let plan = try validate(bytes, file: file, writer: writer)
        return try store(plan.activities, file: file, sha256: plan.sha256, byteCount: bytes.count, existing: existing, actor: actor, progress: progress)
    }

    /// Everything ``importCSV(_:file:existing:actor:writer:progress:)`` checks before it writes.
    public func validate(_ bytes: [UInt8], file: String, writer: Principal? = nil) throws -> ActivityImportPlan {
        let (library, tree) = try database.read { db in
            (try FactorSetRepository.library(db), try JurisdictionRepository.tree(db))
        }
        let strict = !tree.order.isEmpty
        // A row naming no factor set is priced, and stored, with the set the city's settings give its fuel.
        let settings = try CitySettingsRepository(database).current()
        // Rows outside the writer's jurisdictions are listed with the file's other problems, in one pass.
        let activities = try ActivityCSV.read(bytes, file: file, library: library, jurisdictions: strict ? tree : nil,
                                              defaultFactorSet: settings.factorSet, factorSetByFuel: settings.factorSetByFuel,
                                              rowCheck: writer.map { writer in { table in Self.scopeIssues(table, file: file, writer: writer, tree: tree) } })
        let digest = Hex.string(SHA256.hash(data: bytes))
        return ActivityImportPlan(activities: activities, file: file, sha256: digest, byteCount: bytes.count)
    }

    /// Every row must be in a jurisdiction `writer` may write to (a scoped role's own and those below).
    static func checkScope(_ table: ActivityTable, file: String?, writer: Principal, tree: JurisdictionTree) throws {
        let issues = scopeIssues(table, file: file, writer: writer, tree: tree)
        if !issues.isEmpty { throw InputErrors(issues) }
    }

    /// The rows (at most 100) in jurisdictions `writer` may not write; a name that is no
    /// jurisdiction at all is the file's own problem, reported by the validator.
    static func scopeIssues(_ table: ActivityTable, file: String?, writer: Principal, tree: JurisdictionTree) -> [InputIssue] {
        guard writer.role.isScoped else { return [] }
        var issues: [InputIssue] = []
        for row in 0..<table.count {
            let record = table[row]
            guard !writer.mayWrite(record.jurisdiction, in: tree), tree.order.isEmpty || tree.contains(record.jurisdiction) else { continue }
            issues.append(InputIssue(InputLocation(file: file, row: record.line, field: "jurisdiction"), value: record.jurisdiction,
                                     reason: "is outside the jurisdictions \(writer.actor) may write to (\(writer.jurisdictions.joined(separator: ", ")))"))
            if issues.count == 100 { break }
        }
        return issues
    }

    /// Stores a validated file: the second half of an import, after a person saw its preview.
    /// With a `writer`, its scope is checked again as it is now: an editor who lost a district
    /// between the preview and the commit cannot commit rows of it.
    public func store(_ plan: ActivityImportPlan, existing: ExistingActivities, actor: String, writer: Principal? = nil) throws -> ActivityImportSummary {
        if let writer {
            try Self.checkScope(plan.activities.table, file: plan.file, writer: writer, tree: try JurisdictionRepository(database).tree())
        }
        return try store(plan.activities, file: plan.file, sha256: plan.sha256, byteCount: plan.byteCount, existing: existing, actor: actor, progress: nil)
    }

    /// The rows already stored for each (year, jurisdiction) of the plan.
    public func existingRows(for plan: ActivityImportPlan) throws -> [ExistingRows] {
        try database.read { db in
            let ids = try JurisdictionRepository.ids(db)
            return try plan.activities.table.yearJurisdictionPairs.compactMap { year, name in
                let count = try ids[name].map { try ActivityChunkStore.count(db, year: year, jurisdictionID: $0) } ?? 0
                return count > 0 ? ExistingRows(year: year, jurisdiction: name, rows: count) : nil
            }
        }
    }

    /// The inventory of the plan's years as it would be after storing it, computed in memory:
    /// nothing is written.
    public func previewInventory(of plan: ActivityImportPlan, existing: ExistingActivities, gwp: GWPSet) throws -> Inventory {
        let (library, tree) = try database.read { db in
            (try FactorSetRepository.library(db), try JurisdictionRepository.tree(db))
        }
        let replaced = Set(plan.activities.table.yearJurisdictionPairs.map { "\($0.year)\u{1}\($0.jurisdiction)" })
        var records: [ActivityRecord] = []
        for year in plan.activities.years {
            let stored = try load(year: year).records
            records += existing == .replace ? stored.filter { !replaced.contains("\($0.year)\u{1}\($0.jurisdiction)") } : stored
        }
        records += plan.activities.table.records
        var preview = tree
        for name in plan.activities.table.jurisdictionNames where !preview.contains(name) { preview.addRoot(name, level: .other) }
        // The new rows as the import priced them (the city's default sets), the stored ones as stored.
        let settings = try CitySettingsRepository(database).current()
        let activities = try ActivityValidator(library: library, jurisdictions: preview, defaultFactorSet: settings.factorSet,
                                               factorSetByFuel: settings.factorSetByFuel).validate(ActivityTable(records), file: plan.file)
        return try InventoryEngine.compute(activities, gwp: gwp, library: library, jurisdictions: preview)
    }

    func store(_ activities: ValidatedActivities, file: String, sha256: String, byteCount: Int, existing: ExistingActivities, actor: String,
               progress: (@Sendable (Int, Int) -> Void)?) throws -> ActivityImportSummary {
        let table = activities.table
        let names = table.jurisdictionNames
        let pairs = table.yearJurisdictionPairs
        return try database.write { db in
            var ids = try JurisdictionRepository.ids(db)
            var created: [String] = []
            for name in names.sorted() where ids[name] == nil {
                ids[name] = try db.insertReturningID(sql: "INSERT INTO jurisdiction (name, level) VALUES (?, 'other')", arguments: [name])
                created.append(name)
                try AuditTrail.append(db, actor: actor, action: "create", entity: "jurisdiction", entityID: name,
                                      after: JurisdictionRepository.json(Jurisdiction(name: name, level: .other)))
            }
            // Years × jurisdictions the file covers that already have rows.
            var replaced = 0
            var clashes: [InputIssue] = []
            for (year, name) in pairs {
                let count = try ActivityChunkStore.count(db, year: year, jurisdictionID: ids[name]!)
                guard count > 0 else { continue }
                switch existing {
                case .refuse:
                    let files = try ActivityChunkStore.sourceFiles(db, year: year, jurisdictionID: ids[name]!)
                    clashes.append(InputIssue(InputLocation(file: file, field: "jurisdiction"), value: "\(name) \(year)",
                                              reason: "already has \(count) activity rows (from \(files.joined(separator: ", ")))",
                                              suggestion: "use --replace to replace them or --append to add to them"))
                case .replace:
                    try ActivityChunkStore.delete(db, year: year, jurisdictionID: ids[name]!)
                    replaced += count
                case .append:
                    break
                }
            }
            if !clashes.isEmpty { throw InputErrors(clashes) }
            // Files whose every row was replaced are forgotten (only a replacement can leave one).
            if replaced > 0 {
                try db.execute(sql: "DELETE FROM source_file WHERE id NOT IN (SELECT DISTINCT source_file_id FROM activity_chunk)")
            }
            let fileID = try db.insertReturningID(sql: "INSERT INTO source_file (name, sha256, byte_count, row_count, imported_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [file, sha256, byteCount, table.count, CityCarbonDatabase.now()])
            try AuditTrail.append(db, actor: actor, action: "import", entity: "activity_file", entityID: String(fileID),
                                  before: replaced > 0 ? .object([("replaced_rows", .integer(replaced))]) : nil,
                                  after: .object([("file", .string(file)), ("sha256", .string(sha256)), ("rows", .integer(table.count)),
                                                  ("years", .array(activities.years.map(JSONValue.integer))),
                                                  ("jurisdictions", .array(pairs.map { .string("\($0.jurisdiction) \($0.year)") }))]))
            try ActivityChunkStore.write(activities, into: db, sourceFileID: fileID, jurisdictionIDs: ids, progress: progress)
            return ActivityImportSummary(file: file, rows: table.count, years: table.years, replacedRows: replaced, createdJurisdictions: created)
        }
    }

    /// The stored rows of `year` (every year when nil), in the order they were imported:
    /// the editors' current rows, or the rows each published year was published with.
    public func load(year: Int? = nil, rows: Edition = .current) throws -> ActivityTable {
        try database.read { db in
            var table = ActivityTable()
            if rows == .current {
                try ActivityChunkStore.load(db, year: year, into: &table)
                return table
            }
            let sql = """
                SELECT a.year, j.name, a.gpc_ref, a.fuel, a.technology, a.amount, a.unit, a.factor_set, a.co2_kg_per_unit,
                  a.ch4_kg_per_unit, a.n2o_kg_per_unit, a.gas, a.td_loss_rate, a.notation_key, a.ie_ref, a.ad_quality, a.ef_quality,
                  a.source, a.note, a.line
                FROM published_activity_record a JOIN jurisdiction j ON j.id = a.jurisdiction_id
                \(year == nil ? "" : "WHERE a.year = ?") ORDER BY a.year, a.position
                """
            try db.forEachRow(sql: sql, arguments: year.map { [$0] } ?? []) { row in
                table.append(Self.record(row, jurisdictionColumn: "name"))
            }
            return table
        }
    }

    public func years() throws -> [Int] {
        try database.read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT year FROM activity_chunk ORDER BY year") }
    }

    public func count(rows: Edition = .current) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: rows == .current ? "SELECT COALESCE(SUM(rows), 0) FROM activity_chunk" : "SELECT COUNT(*) FROM published_activity_record") ?? 0
        }
    }
}

extension ActivityRepository {
    /// A page of stored rows of `year`, filtered by jurisdiction (and those below it) and GPC
    /// reference prefix, in import order, with the number of rows that match.
    public func page(year: Int, jurisdictions: [String]?, gpcPrefix: String?, offset: Int, limit: Int,
                     rows source: Edition = .current) throws -> (rows: [ActivityRecord], total: Int) {
        guard source == .current else { return try publishedPage(year: year, jurisdictions: jurisdictions, gpcPrefix: gpcPrefix, offset: offset, limit: limit) }
        return try database.read { db in
            var table = ActivityTable()
            let ids = try JurisdictionRepository.ids(db)
            try ActivityChunkStore.load(db, year: year, jurisdictions: jurisdictions.map { Set($0.compactMap { ids[$0] }) }, into: &table)
            let wanted = jurisdictions.map(Set.init)
            var rows: [ActivityRecord] = []
            var total = 0
            for i in 0..<table.count {
                let row = table.packedRows[i]
                if let gpcPrefix, !Self.matches(table.gpcRef(of: row), prefix: gpcPrefix) { continue }
                if let wanted, !wanted.contains(table.jurisdiction(of: row)) { continue }
                if total >= offset, rows.count < limit { rows.append(table[i]) }
                total += 1
            }
            return (rows, total)
        }
    }

    /// A GPC reference is under a prefix when it is the prefix or starts with it and a dot.
    static func matches(_ ref: String, prefix: String) -> Bool {
        ref == prefix || (ref.hasPrefix(prefix) && ref.dropFirst(prefix.count).first == ".")
    }

    private func publishedPage(year: Int, jurisdictions: [String]?, gpcPrefix: String?, offset: Int, limit: Int) throws -> (rows: [ActivityRecord], total: Int) {
        try database.read { db in
            var conditions = ["a.year = ?"]
            var arguments: [any SQLValueConvertible] = [year]
            if let jurisdictions {
                conditions.append("j.name IN (\(jurisdictions.map { _ in "?" }.joined(separator: ",")))")
                arguments += jurisdictions as [any SQLValueConvertible]
            }
            if let gpcPrefix {
                conditions.append("(a.gpc_ref = ? OR a.gpc_ref LIKE ? ESCAPE '\\')")
                arguments += [gpcPrefix, gpcPrefix.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + ".%"]
            }
            let filter = "FROM published_activity_record a JOIN jurisdiction j ON j.id = a.jurisdiction_id WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(filter)", arguments: SQLArguments(arguments)) ?? 0
            let rows = try SQLRow.fetchAll(db, sql: "SELECT a.*, j.name AS jurisdiction \(filter) ORDER BY a.position LIMIT ? OFFSET ?",
                                        arguments: SQLArguments(arguments + [limit, offset]))
            return (rows.map { Self.record($0) }, total)
        }
    }

    static func record(_ row: SQLRow, jurisdictionColumn: String = "jurisdiction") -> ActivityRecord {
        ActivityRecord(
            year: row["year"], jurisdiction: row[jurisdictionColumn], gpcRef: row["gpc_ref"], fuel: row["fuel"],
            technology: row["technology"], amount: row["amount"], unit: row["unit"], factorSet: row["factor_set"],
            co2KgPerUnit: row["co2_kg_per_unit"], ch4KgPerUnit: row["ch4_kg_per_unit"], n2oKgPerUnit: row["n2o_kg_per_unit"],
            gas: row["gas"], tdLossRate: row["td_loss_rate"],
            notationKey: (row["notation_key"] as String?).flatMap(NotationKey.init(rawValue:)), ieRef: row["ie_ref"],
            adQuality: (row["ad_quality"] as String?).flatMap(DataQuality.init(rawValue:)),
            efQuality: (row["ef_quality"] as String?).flatMap(DataQuality.init(rawValue:)),
            source: row["source"], note: row["note"], line: row["line"])
    }
}
