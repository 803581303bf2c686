import CarbonAccounting
import Synchronization

/// Stored computations, decoded once. A computation's row is never changed or deleted and its
/// id never reused (AUTOINCREMENT, identity), so a decoded inventory stays true for its id;
/// decoding the JSON document is most of what a page costs after a data change.
final class DecodedInventories: Sendable {
    /// At most this many are kept (one city has one per year and recomputation); past it, the
    /// least recently used half goes.
    let capacity: Int
    private let held = Mutex<(inventories: [Int64: Inventory], use: [Int64: UInt64], clock: UInt64)>(([:], [:], 0))

    init(capacity: Int = 64) { self.capacity = capacity }

    func inventory(id: Int64, decode: () throws -> Inventory?) rethrows -> Inventory? {
        if let hit = held.withLock({ held -> Inventory? in
            guard let hit = held.inventories[id] else { return nil }
            held.clock += 1
            held.use[id] = held.clock
            return hit
        }) { return hit }
        guard let inventory = try decode() else { return nil }
        held.withLock { held in
            held.clock += 1
            held.inventories[id] = inventory
            held.use[id] = held.clock
            if held.inventories.count > capacity {
                for (old, _) in held.use.sorted(by: { $0.value < $1.value }).prefix(held.inventories.count / 2) {
                    held.inventories[old] = nil
                    held.use[old] = nil
                }
            }
        }
        return inventory
    }

    var count: Int { held.withLock { $0.inventories.count } }
}
