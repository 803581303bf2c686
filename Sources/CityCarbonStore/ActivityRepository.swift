import CarbonAccounting
import CarbonKit
import Crypto
import Foundation
import GRDB

/// What an activity import did.
public struct ActivityImportSummary: Sendable {
    public var file: String
    public var rows: Int
    public var years: [Int]
    public var replacedRows: Int
    public var createdJurisdictions: [String]
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
    /// once a tree is imported, every name must be in it.
    public func importCSV(_ bytes: [UInt8], file: String, existing: ExistingActivities = .refuse,
                          progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ActivityImportSummary {
        let (library, tree) = try database.writer.read { db in
            (try FactorSetRepository.library(db), try JurisdictionRepository.tree(db))
        }
        let strict = !tree.order.isEmpty
        let activities = try ActivityCSV.read(bytes, file: file, library: library, jurisdictions: strict ? tree : nil)
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return try store(activities, file: file, sha256: digest, byteCount: bytes.count, existing: existing, progress: progress)
    }

    func store(_ activities: ValidatedActivities, file: String, sha256: String, byteCount: Int, existing: ExistingActivities,
               progress: (@Sendable (Int, Int) -> Void)?) throws -> ActivityImportSummary {
        let table = activities.table
        let names = table.jurisdictionNames
        let pairs = table.yearJurisdictionPairs
        return try database.writer.write { db in
            var ids = try JurisdictionRepository.ids(db)
            var created: [String] = []
            for name in names.sorted() where ids[name] == nil {
                try db.execute(sql: "INSERT INTO jurisdiction (name, level) VALUES (?, 'other')", arguments: [name])
                ids[name] = db.lastInsertedRowID
                created.append(name)
            }
            // Years × jurisdictions the file covers that already have rows.
            var replaced = 0
            var clashes: [InputIssue] = []
            for (year, name) in pairs {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM activity_record WHERE year = ? AND jurisdiction_id = ?",
                                             arguments: [year, ids[name]]) ?? 0
                guard count > 0 else { continue }
                switch existing {
                case .refuse:
                    let files = try String.fetchAll(db, sql: """
                        SELECT DISTINCT f.name FROM activity_record a JOIN source_file f ON f.id = a.source_file_id
                        WHERE a.year = ? AND a.jurisdiction_id = ?
                        """, arguments: [year, ids[name]])
                    clashes.append(InputIssue(InputLocation(file: file, field: "jurisdiction"), value: "\(name) \(year)",
                                              reason: "already has \(count) activity rows (from \(files.joined(separator: ", ")))",
                                              suggestion: "use --replace to replace them or --append to add to them"))
                case .replace:
                    try db.execute(sql: "DELETE FROM activity_record WHERE year = ? AND jurisdiction_id = ?", arguments: [year, ids[name]])
                    replaced += count
                case .append:
                    break
                }
            }
            if !clashes.isEmpty { throw InputErrors(clashes) }
            try db.execute(sql: "DELETE FROM source_file WHERE id NOT IN (SELECT DISTINCT source_file_id FROM activity_record)")
            try db.execute(sql: "INSERT INTO source_file (name, sha256, byte_count, row_count, imported_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [file, sha256, byteCount, table.count, CityCarbonDatabase.now()])
            let fileID = db.lastInsertedRowID
            try BulkActivityWriter.insert(activities, into: db, sourceFileID: fileID, jurisdictionIDs: ids, progress: progress)
            return ActivityImportSummary(file: file, rows: table.count, years: table.years, replacedRows: replaced, createdJurisdictions: created)
        }
    }

    /// The stored rows of `year` (every year when nil), in the order they were imported.
    public func load(year: Int? = nil) throws -> ActivityTable {
        try database.writer.read { db in
            var table = ActivityTable()
            let sql = """
                SELECT a.*, j.name AS jurisdiction FROM activity_record a JOIN jurisdiction j ON j.id = a.jurisdiction_id
                \(year == nil ? "" : "WHERE a.year = ?") ORDER BY a.id
                """
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: year.map { [$0] } ?? [])
            while let row = try cursor.next() {
                table.append(ActivityRecord(
                    year: row["year"], jurisdiction: row["jurisdiction"], gpcRef: row["gpc_ref"], fuel: row["fuel"],
                    technology: row["technology"], amount: row["amount"], unit: row["unit"], factorSet: row["factor_set"],
                    co2KgPerUnit: row["co2_kg_per_unit"], ch4KgPerUnit: row["ch4_kg_per_unit"], n2oKgPerUnit: row["n2o_kg_per_unit"],
                    gas: row["gas"], tdLossRate: row["td_loss_rate"],
                    notationKey: (row["notation_key"] as String?).flatMap(NotationKey.init(rawValue:)), ieRef: row["ie_ref"],
                    adQuality: (row["ad_quality"] as String?).flatMap(DataQuality.init(rawValue:)),
                    efQuality: (row["ef_quality"] as String?).flatMap(DataQuality.init(rawValue:)),
                    source: row["source"], note: row["note"], line: row["line"]))
            }
            return table
        }
    }

    public func years() throws -> [Int] {
        try database.writer.read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT year FROM activity_record ORDER BY year") }
    }

    public func count() throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM activity_record") ?? 0 }
    }
}
