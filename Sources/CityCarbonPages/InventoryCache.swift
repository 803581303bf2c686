import CarbonAccounting
import CityCarbonStore
import Synchronization

/// Published inventories decoded once and kept until another computation of the year is published.
package final class InventoryCache: Sendable {
    private let database: CityCarbonDatabase
    private let entries = Mutex<[Int: (id: Int64, inventory: Inventory)]>([:])

    package init(_ database: CityCarbonDatabase) { self.database = database }

    package func published(year: Int) throws -> Inventory? {
        guard let published = try PublicationRepository(database).publishedInventoryID(year: year) else { return nil }
        if let cached = entries.withLock({ $0[year] }), cached.id == published { return cached.inventory }
        guard let inventory = try InventoryRepository(database).inventory(id: published) else { return nil }
        entries.withLock { $0[year] = (published, inventory) }
        return inventory
    }
}
