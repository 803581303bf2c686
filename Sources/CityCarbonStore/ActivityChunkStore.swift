import CarbonAccounting
import CarbonKit
import Foundation

/// The editors' activity rows as the database holds them: blocks of one imported file and one
/// year (``ActivityChunk``), each with how many rows of each jurisdiction it holds.
///
/// Blocks of a year, read in id order, give the year's rows in import order. What asks about
/// jurisdictions (counts, scope, sources) asks `activity_chunk_jurisdiction` and never opens
/// a block; replacing a district's rows rewrites only the blocks that hold some.
enum ActivityChunkStore {
    /// The schema both engines create (SQLite's migration runs the same statements).
    static func createStatements(blob: String, integer: String, id: String) -> [String] {
        [
            """
            CREATE TABLE activity_chunk (
              id \(id),
              source_file_id \(integer) NOT NULL REFERENCES source_file(id) ON DELETE CASCADE,
              year \(integer) NOT NULL,
              rows \(integer) NOT NULL,
              data \(blob) NOT NULL
            )
            """,
            "CREATE INDEX activity_chunk_on_year ON activity_chunk(year)",
            "CREATE INDEX activity_chunk_on_source_file_id ON activity_chunk(source_file_id)",
            """
            CREATE TABLE activity_chunk_jurisdiction (
              chunk_id \(integer) NOT NULL REFERENCES activity_chunk(id) ON DELETE CASCADE,
              jurisdiction_id \(integer) NOT NULL REFERENCES jurisdiction(id) ON DELETE RESTRICT,
              rows \(integer) NOT NULL,
              PRIMARY KEY (chunk_id, jurisdiction_id)
            )
            """,
            "CREATE INDEX activity_chunk_jurisdiction_on_jurisdiction ON activity_chunk_jurisdiction(jurisdiction_id)",
        ]
    }

    /// Writes the rows of one imported file: its rows of each year, in file order, in blocks
    /// encoded on all cores.
    static func write(_ activities: ValidatedActivities, into db: any SQLConnection, sourceFileID: Int64,
                      jurisdictionIDs: [String: Int64], progress: ((Int, Int) -> Void)?) throws {
        let table = activities.table
        let ids = table.jurisdictionNames.map { jurisdictionIDs[$0]! }
        try write(table, rows: rowsByYear(table), into: db, sourceFileID: sourceFileID, jurisdictionIDs: ids,
                  pricedWith: activities.factorSetNamesByKind, progress: progress)
    }

    /// Each year's row indices, years in order of first appearance.
    static func rowsByYear(_ table: ActivityTable) -> [(year: Int, rows: [Int])] {
        var index: [Int32: Int] = [:]
        var groups: [(year: Int, rows: [Int])] = []
        for (i, row) in table.packedRows.enumerated() {
            if let k = index[row.year] { groups[k].rows.append(i) } else {
                index[row.year] = groups.count
                groups.append((Int(row.year), [i]))
            }
        }
        return groups
    }

    private static func write(_ table: ActivityTable, rows groups: [(year: Int, rows: [Int])], into db: any SQLConnection, sourceFileID: Int64,
                              jurisdictionIDs: [Int64], pricedWith: (names: [String?], kindOfRow: [Int32])?, progress: ((Int, Int) -> Void)?) throws {
        let blocks = groups.flatMap { group in
            stride(from: 0, to: group.rows.count, by: ActivityChunk.capacity).map {
                (year: group.year, rows: Array(group.rows[$0..<min(group.rows.count, $0 + ActivityChunk.capacity)]))
            }
        }
        let encoded = parallelMap(blocks.count) { k in
            ActivityChunk.encode(table, rows: blocks[k].rows, jurisdictionID: jurisdictionIDs, pricedWith: pricedWith)[0]
        }
        var written = 0
        for (block, chunk) in zip(blocks, encoded) {
            let id = try db.insertReturningID(sql: "INSERT INTO activity_chunk (source_file_id, year, rows, data) VALUES (?, ?, ?, ?)",
                                              arguments: [sourceFileID, block.year, block.rows.count, Data(chunk.bytes)])
            for (jurisdiction, rows) in chunk.rowsByJurisdiction {
                try db.execute(sql: "INSERT INTO activity_chunk_jurisdiction (chunk_id, jurisdiction_id, rows) VALUES (?, ?, ?)",
                               arguments: [id, jurisdiction, rows])
            }
            written += block.rows.count
            progress?(written, table.count)
        }
        progress?(table.count, table.count)
    }

    /// Every jurisdiction's name by id: what a block's jurisdiction ids are read with.
    static func names(_ db: any SQLConnection) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        for (name, id) in try JurisdictionRepository.ids(db) { names[id] = name }
        return names
    }

    /// Appends the stored rows of `year` (every year when nil) to `table`, in import order;
    /// with `jurisdictions`, only theirs. `block` is told each block's source file and the
    /// range of `table` its rows took.
    static func load(_ db: any SQLConnection, year: Int?, jurisdictions: Set<Int64>? = nil, into table: inout ActivityTable,
                     block: ((_ sourceFileID: Int64, _ rows: Range<Int>) -> Void)? = nil) throws {
        let names = try names(db)
        var conditions: [String] = []
        var arguments: [any SQLValueConvertible] = []
        if let year { conditions.append("year = ?"); arguments.append(year) }
        if let jurisdictions {
            guard !jurisdictions.isEmpty else { return }
            conditions.append("id IN (SELECT chunk_id FROM activity_chunk_jurisdiction WHERE jurisdiction_id IN (\(jurisdictions.map { _ in "?" }.joined(separator: ","))))")
            arguments += jurisdictions.sorted() as [any SQLValueConvertible]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        try db.forEachRow(sql: "SELECT year, source_file_id, data FROM activity_chunk \(filter) ORDER BY id", arguments: SQLArguments(arguments)) { row in
            let start = table.count
            guard case let .blob(bytes)? = row.values.last else { throw ActivityChunk.Damaged(reason: "its data is not a block of bytes") }
            try ActivityChunk.decode(bytes, year: row["year"], name: { names[$0] }, keep: jurisdictions, into: &table)
            block?(row["source_file_id"], start..<table.count)
        }
    }

    /// How many stored rows `year` holds for the jurisdiction.
    static func count(_ db: any SQLConnection, year: Int, jurisdictionID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COALESCE(SUM(cj.rows), 0) FROM activity_chunk_jurisdiction cj JOIN activity_chunk c ON c.id = cj.chunk_id
            WHERE c.year = ? AND cj.jurisdiction_id = ?
            """, arguments: [year, jurisdictionID]) ?? 0
    }

    /// The names of the files the jurisdiction's rows of `year` came from.
    static func sourceFiles(_ db: any SQLConnection, year: Int, jurisdictionID: Int64) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT DISTINCT f.name FROM activity_chunk c JOIN activity_chunk_jurisdiction cj ON cj.chunk_id = c.id
              JOIN source_file f ON f.id = c.source_file_id
            WHERE c.year = ? AND cj.jurisdiction_id = ? ORDER BY f.name
            """, arguments: [year, jurisdictionID])
    }

    /// The names of the jurisdictions `year` holds rows of.
    static func jurisdictionNames(_ db: any SQLConnection, year: Int) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT DISTINCT j.name FROM activity_chunk c JOIN activity_chunk_jurisdiction cj ON cj.chunk_id = c.id
              JOIN jurisdiction j ON j.id = cj.jurisdiction_id
            WHERE c.year = ? ORDER BY j.name
            """, arguments: [year])
    }

    /// Removes the jurisdiction's rows of `year`: blocks holding only them go, the others are
    /// written again without them, in place, so the order of what stays is kept.
    static func delete(_ db: any SQLConnection, year: Int, jurisdictionID: Int64) throws {
        let shared = try SQLRow.fetchAll(db, sql: """
            SELECT c.id, (SELECT COUNT(*) FROM activity_chunk_jurisdiction o WHERE o.chunk_id = c.id) AS holders
            FROM activity_chunk c JOIN activity_chunk_jurisdiction cj ON cj.chunk_id = c.id
            WHERE c.year = ? AND cj.jurisdiction_id = ? ORDER BY c.id
            """, arguments: [year, jurisdictionID])
        guard !shared.isEmpty else { return }
        let names = try names(db)
        var ids: [String: Int64] = [:]
        for (id, name) in names { ids[name] = id }
        for chunk in shared {
            let id: Int64 = chunk["id"]
            guard (chunk["holders"] as Int) > 1 else {
                try db.execute(sql: "DELETE FROM activity_chunk_jurisdiction WHERE chunk_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM activity_chunk WHERE id = ?", arguments: [id])
                continue
            }
            let others = Set(try Int64.fetchAll(db, sql: "SELECT jurisdiction_id FROM activity_chunk_jurisdiction WHERE chunk_id = ? AND jurisdiction_id <> ?",
                                                arguments: [id, jurisdictionID]))
            var kept = ActivityTable()
            guard let bytes = try Data.fetchOne(db, sql: "SELECT data FROM activity_chunk WHERE id = ?", arguments: [id]) else { continue }
            try ActivityChunk.decode([UInt8](bytes), year: year, name: { names[$0] }, keep: others, into: &kept)
            let block = ActivityChunk.encode(kept, rows: Array(0..<kept.count), jurisdictionID: kept.jurisdictionNames.map { ids[$0]! })[0]
            try db.execute(sql: "UPDATE activity_chunk SET rows = ?, data = ? WHERE id = ?", arguments: [kept.count, Data(block.bytes), id])
            try db.execute(sql: "DELETE FROM activity_chunk_jurisdiction WHERE chunk_id = ? AND jurisdiction_id = ?", arguments: [id, jurisdictionID])
        }
    }

    /// Moves the rows of a workspace from before blocks (`activity_record`, a row per
    /// activity) into blocks, file by file in import order, and drops the old table.
    static func convertRowTable(_ db: any SQLConnection) throws {
        let names = try names(db)
        var ids: [String: Int64] = [:]
        for (id, name) in names { ids[name] = id }
        let groups = try SQLRow.fetchAll(db, sql: """
            SELECT source_file_id, year, MIN(id) AS first FROM activity_record GROUP BY source_file_id, year ORDER BY first
            """)
        for group in groups {
            let fileID: Int64 = group["source_file_id"], year: Int = group["year"]
            var table = ActivityTable()
            try db.forEachRow(sql: "SELECT * FROM activity_record WHERE source_file_id = ? AND year = ? ORDER BY id", arguments: [fileID, year]) { row in
                let jurisdiction: Int64 = row["jurisdiction_id"]
                guard let name = names[jurisdiction] else { throw ActivityChunk.Damaged(reason: "a row names jurisdiction id \(jurisdiction), which does not exist") }
                table.append(ActivityRecord(
                    year: year, jurisdiction: name, gpcRef: row["gpc_ref"], fuel: row["fuel"], technology: row["technology"],
                    amount: row["amount"], unit: row["unit"], factorSet: row["factor_set"], co2KgPerUnit: row["co2_kg_per_unit"],
                    ch4KgPerUnit: row["ch4_kg_per_unit"], n2oKgPerUnit: row["n2o_kg_per_unit"], gas: row["gas"], tdLossRate: row["td_loss_rate"],
                    notationKey: (row["notation_key"] as String?).flatMap(NotationKey.init(rawValue:)), ieRef: row["ie_ref"],
                    adQuality: (row["ad_quality"] as String?).flatMap(DataQuality.init(rawValue:)),
                    efQuality: (row["ef_quality"] as String?).flatMap(DataQuality.init(rawValue:)), source: row["source"], note: row["note"],
                    line: row["line"]))
            }
            try write(table, rows: [(year, Array(0..<table.count))], into: db, sourceFileID: fileID,
                      jurisdictionIDs: table.jurisdictionNames.map { ids[$0]! }, pricedWith: nil, progress: nil)
        }
        try db.execute(sql: "DROP TABLE activity_record")
    }
}
