import CarbonMarkets
import Dispatch
import Foundation

/// Group commit for the allowance ledger: operations that arrive while a commit is on its way
/// to disk wait for the next one and share it. Each caller still gets its own entry or refusal,
/// only after the commit that holds it is durable; what changes is that a thousand callers pay
/// for one `fsync`, not a thousand.
public final class LedgerCommitQueue: @unchecked Sendable {
    private typealias Waiter = CheckedContinuation<Result<LedgerEntry, LedgerError>, any Error>
    private let registry: AllowanceRegistry
    private let lock = NSLock()
    private var pending: [(operation: LedgerOperation, waiter: Waiter)] = []
    private var draining = false
    private var commitCount = 0
    private let queue = DispatchQueue(label: "citycarbon.ledger-commit")
    /// The most operations one commit takes; more wait for the next.
    public let maximumBatch: Int

    public init(_ database: CityCarbonDatabase, maximumBatch: Int = 2_000) {
        registry = AllowanceRegistry(database)
        self.maximumBatch = max(1, maximumBatch)
    }

    /// Commits made so far: operations ÷ commits is how many shared each one.
    public var commits: Int { lock.withLock { commitCount } }

    /// Applies `operation` in the next commit, now; its entry once durable, or its refusal thrown.
    public func submit(_ operation: LedgerOperation) async throws -> LedgerEntry {
        let result: Result<LedgerEntry, LedgerError> = try await withCheckedThrowingContinuation { (waiter: Waiter) in
            lock.lock()
            pending.append((operation, waiter))
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
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            if batch.isEmpty { draining = false } else { commitCount += 1 }
            lock.unlock()
            if batch.isEmpty { return }
            do {
                let t0 = Date()
                let results = try registry.apply(batch.map(\.operation), at: Date())
                if ProcessInfo.processInfo.environment["LEDGER_TRACE"] != nil { FileHandle.standardError.write(Data("batch \(batch.count) \(Int(Date().timeIntervalSince(t0)*1000)) ms\n".utf8)) }
                for (item, result) in zip(batch, results) { item.waiter.resume(returning: result) }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
    }
}
