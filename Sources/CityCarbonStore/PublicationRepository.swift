import CarbonAccounting
import CarbonKit
import Foundation

/// Which inventory years the public may see. Public pages and the public API show a year
/// only once it is published; withdrawing hides it again without deleting anything.
public struct PublicationRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Publishes the latest computed inventory of `year`: the public sees exactly that
    /// computation, and the activity rows it was computed from (pinned), until the year is
    /// published again. A year never computed cannot be published, nor one whose rows changed
    /// since its latest computation (the public would see rows that do not give its numbers).
    ///
    /// With `key`, the audit chain's head after the publication is signed and kept with it
    /// (``AuditTrail/checkpoint(with:subject:)``), so anyone can later check the chain against it.
    public func publish(year: Int, by actor: String, key: AuditKey? = nil) throws {
        let latest = try database.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT gwp, basic_t, basic_plus_t FROM inventory WHERE year = ? ORDER BY id DESC LIMIT 1", arguments: [year])
        }
        if let latest {
            let totals = try InventoryRepository(database).totals(of: ActivityRepository(database).load(year: year), year: year, gwp: latest["gwp"])
            guard Self.same(totals.basic, latest["basic_t"]), Self.same(totals.basicPlus, latest["basic_plus_t"]) else {
                throw InputErrors([InputIssue(InputLocation(field: "year"), value: String(year),
                                              reason: "its activity rows changed since it was last computed: they give \(totals.basicPlus) t, the computation \(latest["basic_plus_t"] as Double) t",
                                              suggestion: "compute it again, check the draft, then publish")])
            }
        }
        try database.write { db in
            let computed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inventory WHERE year = ?", arguments: [year]) ?? 0
            guard computed > 0 else {
                throw InputErrors([InputIssue(InputLocation(field: "year"), value: String(year), reason: "has no computed inventory to publish",
                                              suggestion: "compute it first: citycarbon inventory compute --year \(year)")])
            }
            let previous = try SQLRow.fetchOne(db, sql: "SELECT inventory_id FROM inventory_publication WHERE year = ?", arguments: [year])
            let inventoryID = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM inventory WHERE year = ?", arguments: [year])
            let at = CityCarbonDatabase.now()
            try db.execute(sql: """
                INSERT INTO inventory_publication (year, published_at, published_by, inventory_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (year) DO UPDATE SET published_at = excluded.published_at, published_by = excluded.published_by, inventory_id = excluded.inventory_id
                """,
                           arguments: [year, at, actor, inventoryID])
            try Self.pinRows(db, year: year)
            let pinned = try Self.pinnedDigest(db, year: year)
            let totals = try SQLRow.fetchOne(db, sql: "SELECT basic_t, basic_plus_t FROM inventory WHERE id = ?", arguments: [inventoryID])
            let previousID: Int64? = previous?["inventory_id"]
            // The event keeps what was published, so a later change of the numbers or of the
            // pinned rows in the database contradicts the signed chain.
            try AuditTrail.append(db, actor: actor, action: "publish", entity: "publication", entityID: String(year),
                                  before: .object([("published", .bool(previous != nil)), ("inventory_id", previousID.map { .integer(Int($0)) } ?? .null)]),
                                  after: .object([("published", .bool(true)), ("published_at", .string(at)), ("inventory_id", inventoryID.map { .integer(Int($0)) } ?? .null),
                                                  ("basic_t", .number((totals?["basic_t"] as Double?) ?? 0)), ("basic_plus_t", .number((totals?["basic_plus_t"] as Double?) ?? 0)),
                                                  ("rows", .integer(pinned.rows)), ("rows_sha256", .string(pinned.sha256))]))
        }
        if let key { try AuditTrail(database).checkpoint(with: key, subject: "publication \(year)") }
    }

    /// SHA-256 over the pinned rows of `year`, every column in order: what the publication event records.
    static func pinnedDigest(_ db: any SQLConnection, year: Int) throws -> RowDigest {
        try RowDigest(db, sql: """
            SELECT position, jurisdiction_id, source_file, line, gpc_ref, fuel, technology, amount, unit, factor_set, co2_kg_per_unit, ch4_kg_per_unit,
              n2o_kg_per_unit, gas, td_loss_rate, notation_key, ie_ref, ad_quality, ef_quality, source, note
            FROM published_activity_record WHERE year = ? ORDER BY position
            """, arguments: [year])
    }

    /// What contradicts the published inventories: for each published year, its pinned rows
    /// recomputed must give its stored totals, and the totals and rows must be those its
    /// publication event recorded. A change of either, made in the database behind the
    /// platform's back, is named here. Empty when every publication holds.
    public func problems() throws -> [String] {
        var problems: [String] = []
        for published in try published() {
            let year = published.year
            let table = try ActivityRepository(database).load(year: year, rows: .published)
            guard table.count > 0 || published.basicPlusTonnes == 0 else {
                problems.append("\(year): published before publications pinned their rows, with a newer draft since: publish it again to pin its rows")
                continue
            }
            let totals = try InventoryRepository(database).totals(of: table, year: year, gwp: published.gwp)
            if !Self.same(totals.basicPlus, published.basicPlusTonnes) || !Self.same(totals.basic, published.basicTonnes) {
                problems.append("\(year): its pinned rows give \(totals.basicPlus) t BASIC+, the published inventory says \(published.basicPlusTonnes) t")
            }
            if let document = try InventoryRepository(database).inventory(id: published.inventoryID) {
                let stated = document.totals(year: year)
                if !Self.same(stated.basicPlus, published.basicPlusTonnes) {
                    problems.append("\(year): the published inventory's document says \(stated.basicPlus) t BASIC+, its row \(published.basicPlusTonnes) t")
                }
            }
            let event = try AuditTrail(database).events(AuditTrail.Filter(entity: "publication", action: "publish"), limit: 1_000, offset: 0).events
                .first { $0.entityID == String(year) }
            guard let recorded = event?.after.flatMap(JSONValue.init(parsing:)), case .object(let fields) = recorded else { continue }
            let members = Dictionary(fields, uniquingKeysWith: { a, _ in a })
            let recordedTotal: Double? = switch members["basic_plus_t"] { case .number(let t)?: t; case .integer(let i)?: Double(i); default: nil }
            if let t = recordedTotal, !Self.same(t, published.basicPlusTonnes) {
                problems.append("\(year): published as \(t) t BASIC+ (event \(event!.id)), the database now says \(published.basicPlusTonnes) t")
            }
            if case .string(let digest)? = members["rows_sha256"] {
                let now = try database.read { db in try Self.pinnedDigest(db, year: year) }
                if now.sha256 != digest { problems.append("\(year): its pinned activity rows changed since they were published (event \(event!.id))") }
            }
        }
        return problems
    }

    /// Withdraws `year` from public view; returns false when it was not published.
    @discardableResult
    public func withdraw(year: Int, by actor: String = "system") throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM inventory_publication WHERE year = ?", arguments: [year])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM published_activity_record WHERE year = ?", arguments: [year])
            try AuditTrail.append(db, actor: actor, action: "withdraw", entity: "publication", entityID: String(year),
                                  before: .object([("published", .bool(true))]), after: .object([("published", .bool(false))]))
            return true
        }
    }

    /// Totals agree when they are equal to a relative 1e-9: the same rows summed again.
    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

    /// Copies the year's activity rows as they stand into the published copy the public reads,
    /// a row each, numbered in import order.
    static func pinRows(_ db: any SQLConnection, year: Int) throws {
        try db.execute(sql: "DELETE FROM published_activity_record WHERE year = ?", arguments: [year])
        var table = ActivityTable()
        var files: [(file: Int64, rows: Range<Int>)] = []
        try ActivityChunkStore.load(db, year: year, into: &table) { files.append(($0, $1)) }
        guard table.count > 0 else { return }
        var fileNames: [Int64: String] = [:]
        for row in try SQLRow.fetchAll(db, sql: "SELECT id, name FROM source_file") { fileNames[row["id"]] = row["name"] }
        var fileOfRow = [String](repeating: "", count: table.count)
        for (file, rows) in files { for i in rows { fileOfRow[i] = fileNames[file] ?? "" } }
        let ids = try JurisdictionRepository.ids(db)
        // Fifty thousand rows a statement: PostgreSQL takes each column as one array.
        for start in stride(from: 0, to: table.count, by: 50_000) {
            try pin(table, rows: start..<min(table.count, start + 50_000), files: fileOfRow, ids: ids, into: db)
        }
    }

    private static func pin(_ table: ActivityTable, rows: Range<Int>, files fileOfRow: [String], ids: [String: Int64], into db: any SQLConnection) throws {
        let records = rows.map { table[$0] }
        try db.bulkInsert(into: "published_activity_record", columns: [
            SQLColumn("year", .integer(records.map { Int64($0.year) })),
            SQLColumn("position", .integer(rows.map { Int64($0) })),
            SQLColumn("jurisdiction_id", .integer(records.map { ids[$0.jurisdiction] ?? 0 })),
            SQLColumn("source_file", .text(Array(fileOfRow[rows]))),
            SQLColumn("line", .optionalReal(records.map { $0.line.map(Double.init) })),
            SQLColumn("gpc_ref", .text(records.map(\.gpcRef))),
            SQLColumn("fuel", .optionalText(records.map(\.fuel))),
            SQLColumn("technology", .optionalText(records.map(\.technology))),
            SQLColumn("amount", .optionalReal(records.map(\.amount))),
            SQLColumn("unit", .optionalText(records.map(\.unit))),
            SQLColumn("factor_set", .optionalText(records.map(\.factorSet))),
            SQLColumn("co2_kg_per_unit", .optionalReal(records.map(\.co2KgPerUnit))),
            SQLColumn("ch4_kg_per_unit", .optionalReal(records.map(\.ch4KgPerUnit))),
            SQLColumn("n2o_kg_per_unit", .optionalReal(records.map(\.n2oKgPerUnit))),
            SQLColumn("gas", .optionalText(records.map(\.gas))),
            SQLColumn("td_loss_rate", .optionalReal(records.map(\.tdLossRate))),
            SQLColumn("notation_key", .optionalText(records.map { $0.notationKey?.rawValue })),
            SQLColumn("ie_ref", .optionalText(records.map(\.ieRef))),
            SQLColumn("ad_quality", .optionalText(records.map { $0.adQuality?.rawValue })),
            SQLColumn("ef_quality", .optionalText(records.map { $0.efQuality?.rawValue })),
            SQLColumn("source", .optionalText(records.map(\.source))),
            SQLColumn("note", .optionalText(records.map(\.note))),
        ], onConflict: nil)
    }

    /// Every published year with the totals of the computation the public sees.
    public func published() throws -> [PublishedInventory] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT p.year, p.published_at, i.id, i.gwp, i.basic_t, i.basic_plus_t, i.computed_at, i.input_fingerprint
                FROM inventory_publication p JOIN inventory i ON i.id = p.inventory_id ORDER BY p.year
                """).map {
                PublishedInventory(year: $0["year"], inventoryID: $0["id"], gwp: $0["gwp"], basicTonnes: $0["basic_t"], basicPlusTonnes: $0["basic_plus_t"],
                                   computedAt: $0["computed_at"], publishedAt: $0["published_at"], fingerprint: $0["input_fingerprint"])
            }
        }
    }

    public func publishedYears() throws -> [Int] {
        try database.read { db in try Int.fetchAll(db, sql: "SELECT year FROM inventory_publication ORDER BY year") }
    }

    public func isPublished(_ year: Int) throws -> Bool {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inventory_publication WHERE year = ?", arguments: [year]) ?? 0 > 0
        }
    }

    /// The computation of `year` the public sees, or nil when the year is not published.
    public func publishedInventoryID(year: Int) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT inventory_id FROM inventory_publication WHERE year = ?", arguments: [year])
        }
    }

    /// Every computed year with what the public sees of it, for the staff's publication page.
    public func status() throws -> [YearPublication] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT i.year, i.id AS latest_id, i.basic_t, i.basic_plus_t, i.computed_at, p.inventory_id AS published_id, p.published_at, p.published_by,
                  pi.basic_plus_t AS published_basic_plus_t
                FROM inventory i LEFT JOIN inventory_publication p ON p.year = i.year LEFT JOIN inventory pi ON pi.id = p.inventory_id
                WHERE i.id = (SELECT MAX(id) FROM inventory WHERE year = i.year) ORDER BY i.year
                """).map {
                YearPublication(year: $0["year"], latestInventoryID: $0["latest_id"], basicTonnes: $0["basic_t"], basicPlusTonnes: $0["basic_plus_t"],
                                computedAt: $0["computed_at"], publishedInventoryID: $0["published_id"], publishedAt: $0["published_at"],
                                publishedBy: $0["published_by"], publishedBasicPlusTonnes: $0["published_basic_plus_t"])
            }
        }
    }
}

/// A published year: the computation the public sees.
public struct PublishedInventory: Sendable, Equatable {
    public var year: Int
    public var inventoryID: Int64
    public var gwp: String
    public var basicTonnes: Double
    public var basicPlusTonnes: Double
    public var computedAt: String
    public var publishedAt: String
    public var fingerprint: String
}

/// A computed year and what of it is published.
public struct YearPublication: Sendable, Equatable {
    public var year: Int
    public var latestInventoryID: Int64
    public var basicTonnes: Double
    public var basicPlusTonnes: Double
    public var computedAt: String
    public var publishedInventoryID: Int64?
    public var publishedAt: String?
    public var publishedBy: String?
    public var publishedBasicPlusTonnes: Double?

    public var isPublished: Bool { publishedInventoryID != nil }
    /// A newer computation than the published one waits for approval.
    public var hasNewerDraft: Bool { publishedInventoryID.map { $0 != latestInventoryID } ?? false }
}
