import Dispatch
import Foundation

/// Group commit for carbon-inclusion intake: posts that arrive while a commit is on its way to
/// disk wait for the next one and share it. Each partner still gets its own outcomes or refusal,
/// only after the commit that holds them is durable; what changes is that many posts pay for
/// one `fsync` and one pass of the ledger's bookkeeping, not one each.
public final class InclusionCommitQueue: @unchecked Sendable {
    private typealias Waiter = CheckedContinuation<Result<[PostedEvent], InclusionRefusal>, any Error>
    private let intake: InclusionIntake
    private let lock = NSLock()
    private var pending: [(submission: InclusionIntake.Submission, waiter: Waiter)] = []
    private var draining = false
    private var commitCount = 0
    private let queue = DispatchQueue(label: "citycarbon.inclusion-commit")
    /// The most events one commit takes; a post is never split, so one larger than this commits alone.
    public let maximumEvents: Int

    public init(_ database: CityCarbonDatabase, maximumEvents: Int = 20_000) {
        intake = InclusionIntake(database)
        self.maximumEvents = max(1, maximumEvents)
    }

    /// Commits made so far.
    public var commits: Int { lock.withLock { commitCount } }

    /// Screens and stores `submission` in the next commit; its outcomes once durable, or its refusal thrown.
    public func submit(_ submission: InclusionIntake.Submission) async throws -> [PostedEvent] {
        let result: Result<[PostedEvent], InclusionRefusal> = try await withCheckedThrowingContinuation { (waiter: Waiter) in
            lock.lock()
            pending.append((submission, waiter))
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
            var count = 0, taken = 0
            while taken < pending.count, taken == 0 || count + pending[taken].submission.events.count <= maximumEvents {
                count += pending[taken].submission.events.count
                taken += 1
            }
            let batch = Array(pending.prefix(taken))
            pending.removeFirst(taken)
            if batch.isEmpty { draining = false } else { commitCount += 1 }
            lock.unlock()
            if batch.isEmpty { return }
            do {
                let results = try intake.post(batch.map(\.submission))
                for (item, result) in zip(batch, results) { item.waiter.resume(returning: result) }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
    }
}
