import CarbonAccounting
import CarbonKit
import Foundation
import GRDB
import GRDBSQLite

/// Inserts activity rows without building a record per row: on SQLite through one prepared
/// statement binding each interned value from a cache (a million rows in a few seconds), on
/// PostgreSQL as column arrays, fifty thousand rows a statement.
struct BulkActivityWriter {
    static let sql = """
        INSERT INTO activity_record (jurisdiction_id, year, source_file_id, line, gpc_ref, fuel, technology, amount, unit, factor_set,
          co2_kg_per_unit, ch4_kg_per_unit, n2o_kg_per_unit, gas, td_loss_rate, notation_key, ie_ref, ad_quality, ef_quality, source, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Every distinct value of a text column as UTF-8, end to end, so SQLite can bind it without a copy.
    private struct TextPool {
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]

        init(_ strings: [String]) {
            for s in strings {
                bytes.append(contentsOf: s.utf8)
                offsets.append(bytes.count)
            }
            bytes.append(0)
        }
    }

    static func insert(_ activities: ValidatedActivities, into connection: any SQLConnection, sourceFileID: Int64, jurisdictionIDs: [String: Int64],
                       progress: ((Int, Int) -> Void)?) throws {
        guard let db = (connection as? SQLiteConnection)?.db else {
            return try insertColumns(activities, into: connection, sourceFileID: sourceFileID, jurisdictionIDs: jurisdictionIDs, progress: progress)
        }
        let table = activities.table
        let statement = try db.makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        let names = table.strings(.jurisdiction)
        let jurisdictionID = names.map { jurisdictionIDs[$0]! }
        let pools = ActivityTextColumn.allCases.map { TextPool(table.strings($0)) }
        let codes: [String?] = [nil] + NotationKey.allCases.map(\.rawValue)
        let qualities: [String?] = [nil] + DataQuality.allCases.map(\.rawValue)
        let rows = table.packedRows
        let total = rows.count
        let step = max(1, total / 200)

        func bindText(_ index: Int32, _ column: ActivityTextColumn, _ id: Int32) {
            guard id >= 0 else { sqlite3_bind_null(handle, index); return }
            let pool = pools[column.rawValue]
            let start = pool.offsets[Int(id)], count = pool.offsets[Int(id) + 1] - start
            pool.bytes.withUnsafeBufferPointer { buffer in
                // SQLITE_TRANSIENT: SQLite keeps its own copy, so the pool's storage may move.
                _ = buffer.baseAddress!.advanced(by: start).withMemoryRebound(to: CChar.self, capacity: count) {
                    sqlite3_bind_text(handle, index, $0, Int32(count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                }
            }
        }
        func bindNumber(_ index: Int32, _ x: Double) {
            if x.isNaN { sqlite3_bind_null(handle, index) } else { sqlite3_bind_double(handle, index, x) }
        }
        func bindCode(_ index: Int32, _ value: String?) {
            if let value { sqlite3_bind_text(handle, index, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self)) }
            else { sqlite3_bind_null(handle, index) }
        }

        for (i, row) in rows.enumerated() {
            let extras = table.extras(of: row)
            sqlite3_bind_int64(handle, 1, jurisdictionID[Int(row.jurisdiction)])
            sqlite3_bind_int64(handle, 2, Int64(row.year))
            sqlite3_bind_int64(handle, 3, sourceFileID)
            if row.line > 0 { sqlite3_bind_int64(handle, 4, Int64(row.line)) } else { sqlite3_bind_null(handle, 4) }
            bindText(5, .gpcRef, row.gpcRef)
            bindText(6, .fuel, row.fuel)
            bindText(7, .technology, row.technology)
            bindNumber(8, row.amount)
            bindText(9, .unit, row.unit)
            if let resolved = activities.factorSetName(row: i) { bindCode(10, resolved) } else { bindText(10, .factorSet, row.factorSet) }
            bindNumber(11, extras.co2)
            bindNumber(12, extras.ch4)
            bindNumber(13, extras.n2o)
            bindText(14, .gas, row.gas)
            bindNumber(15, extras.tdLossRate)
            bindCode(16, codes[Int(row.notationKey)])
            bindText(17, .gpcRef, row.ieRef)
            bindCode(18, qualities[Int(row.adQuality)])
            bindCode(19, qualities[Int(row.efQuality)])
            bindText(20, .source, row.source)
            bindText(21, .note, row.note)
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            if i % step == 0 { progress?(i, total) }
        }
        progress?(total, total)
    }

    static func insertColumns(_ activities: ValidatedActivities, into db: any SQLConnection, sourceFileID: Int64, jurisdictionIDs: [String: Int64],
                              progress: ((Int, Int) -> Void)?) throws {
        let table = activities.table
        let texts = ActivityTextColumn.allCases.map { table.strings($0) }
        let jurisdictionID = table.strings(.jurisdiction).map { jurisdictionIDs[$0]! }
        let codes: [String?] = [nil] + NotationKey.allCases.map(\.rawValue)
        let qualities: [String?] = [nil] + DataQuality.allCases.map(\.rawValue)
        let rows = table.packedRows
        func text(_ column: ActivityTextColumn, _ id: Int32) -> String? { id >= 0 ? texts[column.rawValue][Int(id)] : nil }
        func number(_ x: Double) -> Double? { x.isNaN ? nil : x }
        var start = 0
        while start < rows.count {
            let range = start..<min(rows.count, start + 50_000)
            let chunk = range.map { (index: $0, row: rows[$0], extras: table.extras(of: rows[$0])) }
            try db.bulkInsert(into: "activity_record", columns: [
                SQLColumn("jurisdiction_id", .integer(chunk.map { jurisdictionID[Int($0.row.jurisdiction)] })),
                SQLColumn("year", .integer(chunk.map { Int64($0.row.year) })),
                SQLColumn("source_file_id", .integer(chunk.map { _ in sourceFileID })),
                SQLColumn("line", .optionalReal(chunk.map { $0.row.line > 0 ? Double($0.row.line) : nil })),
                SQLColumn("gpc_ref", .text(chunk.map { text(.gpcRef, $0.row.gpcRef) ?? "" })),
                SQLColumn("fuel", .optionalText(chunk.map { text(.fuel, $0.row.fuel) })),
                SQLColumn("technology", .optionalText(chunk.map { text(.technology, $0.row.technology) })),
                SQLColumn("amount", .optionalReal(chunk.map { number($0.row.amount) })),
                SQLColumn("unit", .optionalText(chunk.map { text(.unit, $0.row.unit) })),
                SQLColumn("factor_set", .optionalText(chunk.map { activities.factorSetName(row: $0.index) ?? text(.factorSet, $0.row.factorSet) })),
                SQLColumn("co2_kg_per_unit", .optionalReal(chunk.map { number($0.extras.co2) })),
                SQLColumn("ch4_kg_per_unit", .optionalReal(chunk.map { number($0.extras.ch4) })),
                SQLColumn("n2o_kg_per_unit", .optionalReal(chunk.map { number($0.extras.n2o) })),
                SQLColumn("gas", .optionalText(chunk.map { text(.gas, $0.row.gas) })),
                SQLColumn("td_loss_rate", .optionalReal(chunk.map { number($0.extras.tdLossRate) })),
                SQLColumn("notation_key", .optionalText(chunk.map { codes[Int($0.row.notationKey)] })),
                SQLColumn("ie_ref", .optionalText(chunk.map { text(.gpcRef, $0.row.ieRef) })),
                SQLColumn("ad_quality", .optionalText(chunk.map { qualities[Int($0.row.adQuality)] })),
                SQLColumn("ef_quality", .optionalText(chunk.map { qualities[Int($0.row.efQuality)] })),
                SQLColumn("source", .optionalText(chunk.map { text(.source, $0.row.source) })),
                SQLColumn("note", .optionalText(chunk.map { text(.note, $0.row.note) })),
            ], onConflict: nil)
            start = range.upperBound
            progress?(start, rows.count)
        }
        progress?(rows.count, rows.count)
    }
}
