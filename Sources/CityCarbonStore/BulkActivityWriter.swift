import CarbonAccounting
import CarbonKit
import Foundation
import GRDB
import GRDBSQLite

/// Inserts activity rows through one prepared statement, binding each interned value from a
/// cache instead of building a record per row: a million rows go in a few seconds.
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

    static func insert(_ activities: ValidatedActivities, into db: Database, sourceFileID: Int64, jurisdictionIDs: [String: Int64],
                       progress: ((Int, Int) -> Void)?) throws {
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
}
