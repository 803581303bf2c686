import Dispatch
import Foundation

/// Group commit: jobs that arrive while a commit is on its way to disk wait for the next one
/// and share it. Each caller still gets its own value or refusal, only after the commit that
/// holds it is durable; what changes is that many callers pay for one `fsync`, not one each.
/// The allowance ledger (``LedgerCommitQueue``) and carbon-inclusion intake
/// (``InclusionCommitQueue``) commit through it.
final class GroupCommit<Job: Sendable, Value: Sendable, Refusal: Error>: @unchecked Sendable {
    private typealias Waiter = CheckedContinuation<Result<Value, Refusal>, any Error>
    private let lock = NSLock()
    private var pending: [(job: Job, waiter: Waiter)] = []
    private var draining = false
    private var commitCount = 0
    private let queue: DispatchQueue
    private let weight: @Sendable (Job) -> Int
    private let maximumWeight: Int
    private let commit: @Sendable ([Job]) throws -> [Result<Value, Refusal>]

    /// `commit` applies jobs in order in one transaction and answers each; one commit takes jobs
    /// up to `maximumWeight` (a single heavier job commits alone).
    init(label: String, maximumWeight: Int, weight: @escaping @Sendable (Job) -> Int = { _ in 1 },
         commit: @escaping @Sendable ([Job]) throws -> [Result<Value, Refusal>]) {
        queue = DispatchQueue(label: label)
        self.maximumWeight = max(1, maximumWeight)
        (self.weight, self.commit) = (weight, commit)
    }

    var commits: Int { lock.withLock { commitCount } }

    func submit(_ job: Job) async throws -> Value {
        let result: Result<Value, Refusal> = try await withCheckedThrowingContinuation { (waiter: Waiter) in
            lock.lock()
            pending.append((job, waiter))
            let start = !draining
            draining = true
            lock.unlock()
            if start { queue.async { self.drain() } }
        }
        return try result.get()
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = takeBatch(&pending, maximumWeight: maximumWeight) { weight($0.job) }
            if batch.isEmpty { draining = false } else { commitCount += 1 }
            lock.unlock()
            if batch.isEmpty { return }
            do {
                let results = try commit(batch.map(\.job))
                for (item, result) in zip(batch, results) { item.waiter.resume(returning: result) }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
    }
}

/// The first items of `pending` up to `maximumWeight` in all, at least one, taken off it: the
/// next commit's share of what waits (``GroupCommit``, ``InclusionCommitQueue``).
func takeBatch<Item>(_ pending: inout [Item], maximumWeight: Int, weight: (Item) -> Int) -> [Item] {
    var total = 0, taken = 0
    while taken < pending.count, taken == 0 || total + weight(pending[taken]) <= maximumWeight {
        total += weight(pending[taken])
        taken += 1
    }
    defer { pending.removeFirst(taken) }
    return Array(pending.prefix(taken))
}
