import CarbonMarkets
import Foundation

/// Group commit for the allowance ledger (``GroupCommit``): transfers arriving together share
/// one durable commit of ``AllowanceRegistry/apply(_:at:)``, each still answered with its own
/// entry or refusal.
public final class LedgerCommitQueue: Sendable {
    private let group: GroupCommit<LedgerOperation, LedgerEntry, LedgerError>
    /// The most operations one commit takes; more wait for the next.
    public let maximumBatch: Int

    public init(_ database: CityCarbonDatabase, maximumBatch: Int = 2_000) {
        let registry = AllowanceRegistry(database)
        self.maximumBatch = max(1, maximumBatch)
        group = GroupCommit(label: "citycarbon.ledger-commit", maximumWeight: maximumBatch) { try registry.apply($0, at: Date()) }
    }

    /// Commits made so far: operations ÷ commits is how many shared each one.
    public var commits: Int { group.commits }

    /// Applies `operation` in the next commit, now; its entry once durable, or its refusal thrown.
    public func submit(_ operation: LedgerOperation) async throws -> LedgerEntry { try await group.submit(operation) }
}
