import Foundation
import Synchronization

/// JSON documents decoded once, by their text: the same text always decodes to the same value,
/// so a document read again (a plan's 147 actions on every page that counts them) is looked up,
/// not parsed. Keyed by content, it is right for any database and any version of a row.
final class DecodedDocuments<Value: Decodable & Sendable>: Sendable {
    /// At most this many are kept; past it, all go (a plan reloaded whole is the common case).
    let capacity: Int
    private let held = Mutex<[String: Value]>([:])

    init(capacity: Int) { self.capacity = capacity }

    func decode(_ text: String) throws -> Value {
        if let hit = held.withLock({ $0[text] }) { return hit }
        let value = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        held.withLock { held in
            if held.count >= capacity { held.removeAll(keepingCapacity: true) }
            held[text] = value
        }
        return value
    }

    var count: Int { held.withLock { $0.count } }
}
