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

    /// Every distinct value of a text column as UTF-8, end to end, in memory of its own that
    /// does not move while the rows are written, so SQLite binds it in place (SQLITE_STATIC).
    private struct TextPool {
        let bytes: UnsafeMutableBufferPointer<CChar>
        let offsets: [Int]

        init(_ strings: [String?]) {
            var offsets = [0]
            var total = 0
            for s in strings { total += s?.utf8.count ?? 0; offsets.append(total) }
            bytes = .allocate(capacity: max(1, total))
            var at = 0
            for s in strings {
                for byte in s?.utf8 ?? "".utf8 { bytes[at] = CChar(bitPattern: byte); at += 1 }
            }
            self.offsets = offsets
        }

        func deallocate() { bytes.deallocate() }
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
        // Codes, and the factor set of each kind of row, bound from pools too: no string is built per row.
        let codes = TextPool(NotationKey.allCases.map(\.rawValue)), qualities = TextPool(DataQuality.allCases.map(\.rawValue))
        let (setNames, kindOfRow) = activities.factorSetNamesByKind
        let resolvedSets = TextPool(setNames)
        // The statement lets go of the pools' text before they are freed.
        defer {
            sqlite3_clear_bindings(handle)
            (pools + [codes, qualities, resolvedSets]).forEach { $0.deallocate() }
        }
        let rows = table.packedRows
        let total = rows.count
        let step = max(1, total / 200)
        let isStatic = unsafeBitCast(0, to: sqlite3_destructor_type.self)

        func bind(_ index: Int32, _ pool: TextPool, _ id: Int) {
            let start = pool.offsets[id]
            sqlite3_bind_text(handle, index, pool.bytes.baseAddress! + start, Int32(pool.offsets[id + 1] - start), isStatic)
        }
        func bindText(_ index: Int32, _ column: ActivityTextColumn, _ id: Int32) {
            if id >= 0 { bind(index, pools[column.rawValue], Int(id)) } else { sqlite3_bind_null(handle, index) }
        }
        func bindNumber(_ index: Int32, _ x: Double) {
            if x.isNaN { sqlite3_bind_null(handle, index) } else { sqlite3_bind_double(handle, index, x) }
        }
        func bindCode(_ index: Int32, _ pool: TextPool, _ code: UInt8) {
            if code > 0 { bind(index, pool, Int(code) - 1) } else { sqlite3_bind_null(handle, index) }
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
            let kind = kindOfRow[i]
            if kind >= 0, setNames[Int(kind)] != nil { bind(10, resolvedSets, Int(kind)) } else { bindText(10, .factorSet, row.factorSet) }
            bindNumber(11, extras.co2)
            bindNumber(12, extras.ch4)
            bindNumber(13, extras.n2o)
            bindText(14, .gas, row.gas)
            bindNumber(15, extras.tdLossRate)
            bindCode(16, codes, row.notationKey)
            bindText(17, .gpcRef, row.ieRef)
            bindCode(18, qualities, row.adQuality)
            bindCode(19, qualities, row.efQuality)
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
