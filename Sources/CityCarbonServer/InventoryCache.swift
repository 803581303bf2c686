import CarbonAccounting
import CityCarbonStore
import Synchronization

/// Stored inventories decoded once and kept until a newer computation of the year appears.
final class InventoryCache: Sendable {
    private let database: CityCarbonDatabase
    private let entries = Mutex<[Int: (id: Int64, inventory: Inventory)]>([:])

    init(_ database: CityCarbonDatabase) { self.database = database }

    func inventory(year: Int) throws -> Inventory? {
        let repository = InventoryRepository(database)
        guard let latest = try repository.latestID(year: year) else { return nil }
        if let cached = entries.withLock({ $0[year] }), cached.id == latest { return cached.inventory }
        guard let inventory = try repository.latest(year: year) else { return nil }
        entries.withLock { $0[year] = (latest, inventory) }
        return inventory
    }
}
