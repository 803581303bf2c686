import CarbonAccounting
import CarbonKit
import Foundation

/// Computed inventories, each kept with its provenance; the latest computation of a year is
/// the one shown.
public struct InventoryRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Computes the inventory of `year` (every year when nil) from the stored rows, and saves it.
    public func compute(year: Int?, gwp: GWPSet, actor: String = "system") throws -> Inventory {
        let (library, tree) = try database.read { db in
            (try FactorSetRepository.library(db), try JurisdictionRepository.tree(db))
        }
        let table = try ActivityRepository(database).load(year: year)
        guard table.count > 0 else {
            throw InputErrors([InputIssue(InputLocation(file: database.path), value: year.map(String.init),
                                          reason: year == nil ? "the workspace has no activity data" : "the workspace has no activity data for this year",
                                          suggestion: "import some with `citycarbon import activities FILE`")])
        }
        let activities = try ActivityValidator(library: library, jurisdictions: tree).validate(table, file: nil)
        let inventory = try InventoryEngine.compute(activities, gwp: gwp, library: library, jurisdictions: tree)
        try save(inventory, actor: actor)
        return inventory
    }

    /// The GWP set `year` is computed with: the one it was last computed with, else the city's.
    public func gwpName(year: Int) throws -> String {
        try latest(year: year)?.gwp ?? CitySettingsRepository(database).current().gwp
    }

    /// Recomputes `year` as `principal` may: under the year's GWP set (the city's setting for
    /// a year never computed), another only with ``Permission/chooseMethod``; a scoped account only a year
    /// that holds rows of its jurisdictions. Returns the inventory saved as the year's draft.
    public func compute(year: Int, gwp requested: String?, as principal: Principal) throws -> Inventory {
        let current = try gwpName(year: year)
        let name = requested ?? current
        if name != current, !principal.may(.chooseMethod) {
            throw AccessDenied("\(principal.actor) may recompute \(year) under its GWP set \(current), not switch it to \(name): the climate office chooses the method")
        }
        let gwp: GWPSet
        do { gwp = try GasCatalog.standard.gwpSet(name) } catch {
            throw InputErrors([InputIssue(InputLocation(field: "gwp"), value: name, reason: "unknown GWP set", suggestion: "SAR, AR4, AR5 or AR6")])
        }
        if principal.role.isScoped {
            let tree = try JurisdictionRepository(database).tree()
            let names = try database.read { db in try ActivityChunkStore.jurisdictionNames(db, year: year) }
            guard names.contains(where: { principal.mayWrite($0, in: tree) }) else {
                throw AccessDenied("\(year) holds no activity data of \(principal.jurisdictions.joined(separator: ", ")): \(principal.actor) may recompute only years with its own data")
            }
        }
        return try compute(year: year, gwp: gwp, actor: principal.actor)
    }

    /// What `table` gives for `year` under `gwp`, computed and not saved: the check that a
    /// publication's rows give its numbers, and that pinned rows still do.
    public func totals(of table: ActivityTable, year: Int, gwp: String) throws -> (basic: Double, basicPlus: Double, territorial: Double) {
        guard table.count > 0 else { return (0, 0, 0) }
        let (library, tree) = try database.read { db in (try FactorSetRepository.library(db), try JurisdictionRepository.tree(db)) }
        let activities = try ActivityValidator(library: library, jurisdictions: tree).validate(table, file: nil)
        let inventory = try InventoryEngine.compute(activities, gwp: try GasCatalog.standard.gwpSet(gwp), library: library, jurisdictions: tree)
        let totals = inventory.totals(year: year)
        return (totals.basic, totals.basicPlus, totals.territorial)
    }

    /// Saves one stored inventory per year of `inventory`.
    public func save(_ inventory: Inventory, actor: String = "system") throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try database.write { db in
            let ids = try JurisdictionRepository.ids(db)
            for year in inventory.years {
                let previous = try SQLRow.fetchOne(db, sql: "SELECT gwp, input_fingerprint, basic_t, basic_plus_t, territorial_t FROM inventory WHERE year = ? ORDER BY id DESC LIMIT 1", arguments: [year])
                var single = inventory
                single.cells = inventory.cells(year: year)
                let usedSets = Set(single.cells.flatMap(\.factorSets))
                single.provenance.factorSets = inventory.provenance.factorSets.filter { usedSets.contains($0.name) }
                let totals = inventory.totals(year: year)
                let document = String(decoding: try encoder.encode(single), as: UTF8.self)
                let sets = String(decoding: try encoder.encode(inventory.provenance.factorSets), as: UTF8.self)
                let id = try db.insertReturningID(sql: """
                    INSERT INTO inventory (year, gwp, engine, input_fingerprint, factor_sets, row_count, basic_t, basic_plus_t, territorial_t, computed_at, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [year, inventory.gwp, inventory.provenance.engine, inventory.provenance.inputFingerprint, sets,
                                     inventory.provenance.rows, totals.basic, totals.basicPlus, totals.territorial, CityCarbonDatabase.now(), document])
                func summary(_ gwp: String, _ fingerprint: String, _ basic: Double, _ basicPlus: Double, _ territorial: Double) -> JSONValue {
                    .object([("gwp", .string(gwp)), ("input_fingerprint", .string(fingerprint)), ("basic_t", .number(basic)),
                             ("basic_plus_t", .number(basicPlus)), ("territorial_t", .number(territorial))])
                }
                try AuditTrail.append(db, actor: actor, action: "compute", entity: "inventory", entityID: String(year),
                                      before: previous.map { summary($0["gwp"], $0["input_fingerprint"], $0["basic_t"], $0["basic_plus_t"], $0["territorial_t"]) },
                                      after: summary(inventory.gwp, inventory.provenance.inputFingerprint, totals.basic, totals.basicPlus, totals.territorial))
                let insert = db.makeStatement(sql: """
                    INSERT INTO inventory_cell (inventory_id, jurisdiction_id, gpc_ref, scope, level, co2e_t, biogenic_co2_t, gases_kg, notation_keys, ad_quality, ef_quality, row_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for cell in single.cells {
                    try insert.execute(arguments: [
                        id, ids[cell.jurisdiction], cell.gpcRef, cell.scope, cell.level.rawValue, cell.co2eTonnes, cell.biogenicCO2Tonnes,
                        String(decoding: try encoder.encode(cell.gasesKg), as: UTF8.self),
                        String(decoding: try encoder.encode(cell.notationKeys), as: UTF8.self),
                        cell.adQuality?.rawValue, cell.efQuality?.rawValue, cell.rows,
                    ])
                }
            }
        }
    }

    /// The latest stored inventory of `year`, or of the latest year when nil.
    public func latest(year: Int?) throws -> Inventory? {
        try database.read { db in
            let sql = year == nil
                ? "SELECT document FROM inventory ORDER BY year DESC, id DESC LIMIT 1"
                : "SELECT document FROM inventory WHERE year = ? ORDER BY id DESC LIMIT 1"
            guard let text = try String.fetchOne(db, sql: sql, arguments: year.map { [$0] } ?? []) else { return nil }
            return try JSONDecoder().decode(Inventory.self, from: Data(text.utf8))
        }
    }

    /// Years with a stored inventory, with the latest totals of each.
    public func list() throws -> [(year: Int, gwp: String, basic: Double, basicPlus: Double, computedAt: String, fingerprint: String)] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT year, gwp, basic_t, basic_plus_t, computed_at, input_fingerprint FROM inventory i
                WHERE id = (SELECT MAX(id) FROM inventory WHERE year = i.year) ORDER BY year
                """).map { ($0["year"], $0["gwp"], $0["basic_t"], $0["basic_plus_t"], $0["computed_at"], $0["input_fingerprint"]) }
        }
    }
}

extension InventoryRepository {
    /// One stored computation, by its row id.
    /// A computation never changes once stored, so it is decoded once per process (``DecodedInventories``).
    public func inventory(id: Int64) throws -> Inventory? {
        try database.inventories.inventory(id: id) {
            try database.read { db in
                guard let text = try String.fetchOne(db, sql: "SELECT document FROM inventory WHERE id = ?", arguments: [id]) else { return nil }
                return try JSONDecoder().decode(Inventory.self, from: Data(text.utf8))
            }
        }
    }

    /// The row id of the latest computation of `year`: it changes whenever the year is recomputed.
    public func latestID(year: Int) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM inventory WHERE year = ?", arguments: [year])
        }
    }
}
