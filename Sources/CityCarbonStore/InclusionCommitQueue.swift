import Dispatch
import Foundation

/// Carbon-inclusion intake as a two-stage group commit. Posts that arrive together share one
/// durable commit (one `fsync`), each partner still answered with its own outcomes or refusal,
/// and only once its commit is durable. One thread screens the next commit (fraud rules, the
/// ledger's lines and hashes, the rows to insert: an ``IntakePlan``) while another writes the
/// last, so screening and SQLite's work run on two cores rather than one after the other.
///
/// Memory runs ahead of the tables by the plans in flight (at most two). When a write fails,
/// memory is dropped and every plan screened after the failed one is refused unwritten, since
/// it was screened against a ledger that never reached the disk; the partners may post again.
public final class InclusionCommitQueue: @unchecked Sendable {
    private typealias Waiter = CheckedContinuation<[Result<[PostedEvent], InclusionRefusal>], any Error>
    private let intake: InclusionIntake
    private let maximumEvents: Int
    private let lock = NSLock()
    private var pending: [(submission: InclusionIntake.Submission, waiter: CheckedContinuation<Result<[PostedEvent], InclusionRefusal>, any Error>)] = []
    private var screening = false
    private var commitCount = 0
    private let screenQueue = DispatchQueue(label: "citycarbon.inclusion-screen")
    private let writeQueue = DispatchQueue(label: "citycarbon.inclusion-write")
    /// Plans screened and not yet durable: one being written, one waiting for it.
    private let slots = DispatchSemaphore(value: 2)

    /// `maximumEvents`: the most events one commit takes; a post is never split, so one larger commits alone.
    public init(_ database: CityCarbonDatabase, maximumEvents: Int = 20_000) {
        intake = InclusionIntake(database)
        self.maximumEvents = max(1, maximumEvents)
    }

    /// Commits made so far.
    public var commits: Int { lock.withLock { commitCount } }

    /// How long each stage has been busy so far: which one limits intake, and by how much.
    public var busy: (screen: Duration, write: Duration) { lock.withLock { (screenBusy, writeBusy) } }
    private var screenBusy = Duration.zero, writeBusy = Duration.zero

    /// Screens and stores `submission` in the next commit; its outcomes once durable, or its refusal thrown.
    public func submit(_ submission: InclusionIntake.Submission) async throws -> [PostedEvent] {
        let prepared = submission.prepared()
        let result: Result<[PostedEvent], InclusionRefusal> = try await withCheckedThrowingContinuation { waiter in
            lock.lock()
            pending.append((prepared, waiter))
            let start = !screening
            screening = true
            lock.unlock()
            if start { screenQueue.async { self.screenPending() } }
        }
        return try result.get()
    }

    private func screenPending() {
        while true {
            lock.lock()
            let batch = takeBatch(&pending, maximumWeight: maximumEvents) { $0.submission.events.count }
            if batch.isEmpty { screening = false } else { commitCount += 1 }
            lock.unlock()
            if batch.isEmpty { return }
            slots.wait()
            do {
                let started = ContinuousClock.now
                let plan = try intake.screenInFlight(batch.map(\.submission))
                lock.withLock { screenBusy += ContinuousClock.now - started }
                writeQueue.async {
                    defer { self.slots.signal() }
                    // Partners are answered once the plan is durable, before the bookkeeping that
                    // waits for the screen to let go of memory.
                    let started = ContinuousClock.now
                    let failure = self.intake.writeInFlight(plan)
                    self.lock.withLock { self.writeBusy += ContinuousClock.now - started }
                    if let failure {
                        for item in batch { item.waiter.resume(throwing: failure) }
                    } else {
                        for (item, result) in zip(batch, plan.results) { item.waiter.resume(returning: result) }
                    }
                    self.intake.finishInFlight(plan, failed: failure != nil)
                }
            } catch {
                slots.signal()
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
    }
}

extension InclusionIntake {
    /// Screens `submissions` beside the plans in flight, reading a snapshot of the tables, and
    /// counts the plan in flight until ``writeInFlight(_:)`` is done with it.
    func screenInFlight(_ submissions: [Submission], now: Date = Date()) throws -> IntakePlan {
        try database.inclusion.withPlansInFlight { state in
            var plan = try database.read { db in try screen(submissions, state: state, db, now: now, pipelined: true) }
            state.inFlight += 1
            state.flights += 1
            plan.flight = state.flights
            state.serialsInFlight.append((plan.flight, plan.serials))
            return plan
        }
    }

    /// Writes a plan from ``screenInFlight(_:)`` in its own transaction, unless memory was dropped
    /// since it was screened; why it was not written, or nil once it is durable.
    func writeInFlight(_ plan: IntakePlan) -> (any Error)? {
        guard database.inclusion.generation == plan.generation else { return IntakeConflict() }
        do { try database.write { db in try Self.write(plan, db) } } catch { return error }
        return nil
    }

    /// Counts a written or refused plan out of flight; a failed one drops memory, so the plans
    /// after it are refused too.
    func finishInFlight(_ plan: IntakePlan, failed: Bool) {
        database.inclusion.finishing { state in
            state.inFlight -= 1
            state.serialsInFlight.removeAll { $0.flight == plan.flight }
            state.releaseNonces(plan.nonces)
            if failed, state.generation == plan.generation { state.forget() }
        }
    }
}
