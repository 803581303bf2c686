import CityCarbonPages
import CityCarbonStore
import Foundation
import Synchronization

/// Uploads that passed validation and wait for the person who uploaded them to commit,
/// kept in memory for half an hour. A restart forgets them: the file is simply uploaded again.
final class StagedImports: Sendable {
    struct Staged: Sendable {
        var owner: String
        var plan: ActivityImportPlan
        var existing: ExistingActivities
        var at: ContinuousClock.Instant
    }

    let lifetime: Duration
    let perOwner: Int
    private let staged = Mutex<[String: Staged]>([:])

    init(lifetime: Duration = .seconds(30 * 60), perOwner: Int = 3) {
        self.lifetime = lifetime
        self.perOwner = perOwner
    }

    /// Keeps `plan` and returns the id its commit form names; an owner's oldest upload makes room.
    func stage(_ plan: ActivityImportPlan, existing: ExistingActivities, owner: String) -> String {
        let id = Secret.make()
        let now = ContinuousClock.now
        staged.withLock { table in
            table = table.filter { now - $0.value.at < lifetime }
            let mine = table.filter { $0.value.owner == owner }.sorted { $0.value.at < $1.value.at }
            for (key, _) in mine.prefix(max(0, mine.count - perOwner + 1)) { table[key] = nil }
            table[id] = Staged(owner: owner, plan: plan, existing: existing, at: now)
        }
        return id
    }

    /// Takes the upload out, if it is still there and belongs to `owner`.
    func take(_ id: String, owner: String) -> Staged? {
        let now = ContinuousClock.now
        return staged.withLock { table in
            guard let found = table[id], found.owner == owner, now - found.at < lifetime else { return nil }
            table[id] = nil
            return found
        }
    }
}
