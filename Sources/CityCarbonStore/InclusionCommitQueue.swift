import Foundation

/// Group commit for carbon-inclusion intake (``GroupCommit``): posts arriving together share one
/// durable commit and one pass of the ledger's bookkeeping, each partner still answered with its
/// own outcomes or refusal.
public final class InclusionCommitQueue: Sendable {
    private let group: GroupCommit<InclusionIntake.Submission, [PostedEvent], InclusionRefusal>

    /// `maximumEvents`: the most events one commit takes; a post is never split, so one larger commits alone.
    public init(_ database: CityCarbonDatabase, maximumEvents: Int = 20_000) {
        let intake = InclusionIntake(database)
        group = GroupCommit(label: "citycarbon.inclusion-commit", maximumWeight: maximumEvents, weight: { $0.events.count }) {
            try intake.post($0)
        }
    }

    /// Commits made so far.
    public var commits: Int { group.commits }

    /// Screens and stores `submission` in the next commit; its outcomes once durable, or its refusal thrown.
    public func submit(_ submission: InclusionIntake.Submission) async throws -> [PostedEvent] {
        try await group.submit(submission.prepared())
    }
}
