import CarbonAccounting
import CarbonKit

extension InventoryRepository {
    /// The published figure of `gpcRef` in `jurisdiction` (and below it) in `year`, by fuel:
    /// from the rows the publication pinned, under the published computation's GWP set. Nil
    /// when `year` is not published.
    public func publishedFuelBreakdown(year: Int, jurisdiction: String?, gpcRef: String) throws -> FuelBreakdown? {
        guard let id = try PublicationRepository(database).publishedInventoryID(year: year), let inventory = try inventory(id: id) else { return nil }
        let (library, tree) = try database.read { db in (try FactorSetRepository.library(db), try JurisdictionRepository.tree(db)) }
        let table = try ActivityRepository(database).load(year: year, rows: .published)
        let scope = jurisdiction.map(inventory.subtree(of:)) ?? Set(inventory.jurisdictions.map(\.name))
        return try FuelBreakdown.of(table, year: year, jurisdictions: scope, gpcRef: gpcRef, gwp: try GasCatalog.standard.gwpSet(inventory.gwp),
                                    library: library, tree: tree)
    }
}
