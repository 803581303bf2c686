import CarbonInclusion
import CarbonKit
import Foundation
import Testing
@testable import CityCarbonStore

/// Intake screens the next commit while the last is written: a serial or nonce in a plan not yet
/// durable is still seen, a plan whose ledger moved under it is refused with every plan after
/// it, and whatever the interleaving the ledger reconciles.
@Suite("Carbon-inclusion intake in two stages")
struct InclusionCommitQueueTests {
    typealias Fixture = InclusionStoreTests
    let morning = InclusionStoreTests.morning

    func submission(_ events: [BehaviourEvent], _ partner: InclusionPartner, nonce: String? = nil) -> InclusionIntake.Submission {
        InclusionIntake.Submission(events: events, partner: partner, nonce: nonce).prepared()
    }

    @Test func aSerialInAPlanNotYetWrittenIsAnsweredAsRepeatedAndCreditedOnce() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let intake = InclusionIntake(database)
        let first = try intake.screenInFlight([submission([Fixture.steps("w1", "7250")], amap)], now: morning)
        let second = try intake.screenInFlight([submission([Fixture.steps("w1", "7250"), Fixture.metro("m1")], amap)], now: morning)
        for plan in [first, second] {
            #expect(intake.writeInFlight(plan) == nil)
            intake.finishInFlight(plan, failed: false)
        }
        let answers = try second.results[0].get()
        let original = try first.results[0].get()
        #expect(answers[0].repeated && answers[0].id == original[0].id)
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:ann").balance == PointBalance(pending: 467, available: 145, held: 0))
        let reconciliation = try InclusionReads(database).reconcile()
        #expect(reconciliation.balanced && reconciliation.entries == 2)
    }

    /// Posts in one commit are inserted together at its end: a later one still sees an earlier one's serial.
    @Test func aSerialRepeatedByALaterPostInTheSameCommitIsCreditedOnce() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let results = try InclusionIntake(database).post([submission([Fixture.steps("w1", "7250")], amap),
                                                          submission([Fixture.steps("w1", "7250")], amap)], now: morning)
        let (first, second) = (try results[0].get(), try results[1].get())
        #expect(second[0].repeated && second[0].id == first[0].id)
        #expect(try InclusionReads(database).reconcile().entries == 1)
    }

    @Test func aNonceInAPlanNotYetWrittenIsAReplay() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let intake = InclusionIntake(database)
        let first = try intake.screenInFlight([submission([Fixture.steps("w1", "7250")], amap, nonce: "nonce-0001")], now: morning)
        let second = try intake.screenInFlight([submission([Fixture.metro("m1")], amap, nonce: "nonce-0001")], now: morning)
        for plan in [first, second] {
            #expect(intake.writeInFlight(plan) == nil)
            intake.finishInFlight(plan, failed: false)
        }
        #expect(second.results[0] == .failure(.replay(nonce: "nonce-0001")))
        #expect(try InclusionReads(database).reconcile().entries == 1)
    }

    /// Another route (a signed GET) cannot use a nonce a post has taken before its write.
    @Test func aNonceTakenByAPostInFlightIsUsedForEveryRoute() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let intake = InclusionIntake(database)
        let partners = InclusionPartners(database)
        let plan = try intake.screenInFlight([submission([Fixture.steps("w1", "7250")], amap, nonce: "nonce-cross-1")], now: morning)
        #expect(try partners.useNonce("nonce-cross-1", partner: "amap", now: Fixture.start) == false)
        #expect(intake.writeInFlight(plan) == nil)
        intake.finishInFlight(plan, failed: false)
        #expect(try partners.useNonce("nonce-cross-1", partner: "amap", now: Fixture.start) == false)
        #expect(try partners.useNonce("nonce-cross-2", partner: "amap", now: Fixture.start))
        #expect(try InclusionReads(database).reconcile().entries == 1)
    }

    /// A refused claim changed nothing the screens know: they are kept, not rebuilt from 14 days of events.
    @Test func aRefusedClaimKeepsTheScreens() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        _ = try InclusionIntake(database).post([Fixture.steps("w1", "7250")], from: amap, now: morning)
        #expect(throws: InclusionRefusal.self) {
            try InclusionAccounts(database).claim(scheme: "city", did: "did:ann", ids: [999_999], partner: "amap", now: morning)
        }
        #expect(!database.inclusion.screenings.isEmpty && database.inclusion.ledger == nil)
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:ann").balance.available == 145)
    }

    /// Another process credits a walk between the screen and the write: both plans screened
    /// against the old head are refused unwritten, and the next post starts from the tables.
    @Test func plansWhoseLedgerMovedAreRefusedUnwrittenAndTheNextPostReloads() throws {
        // Two processes on one SQLite file.
        let database = try sqliteWorkspace()
        let amap = try Fixture.partner(database)
        let intake = InclusionIntake(database)
        let first = try intake.screenInFlight([submission([Fixture.steps("w1", "7250")], amap)], now: morning)
        let second = try intake.screenInFlight([submission([Fixture.metro("m1", account: "did:bob")], amap)], now: morning)
        let otherProcess = try CityCarbonDatabase(path: database.path)
        _ = try InclusionIntake(otherProcess).post([Fixture.steps("x1", "5000", account: "did:cy")], from: amap, now: morning)
        for plan in [first, second] {
            #expect(intake.writeInFlight(plan) is IntakeConflict)
            intake.finishInFlight(plan, failed: true)
        }
        #expect(try InclusionReads(database).reconcile().entries == 1)
        let again = try intake.post([Fixture.steps("w1", "7250")], from: amap, now: morning)
        #expect(!again[0].repeated && again[0].outcome.points == 145)
        let reconciliation = try InclusionReads(database).reconcile()
        #expect(reconciliation.balanced && reconciliation.entries == 2)
    }

    /// Claims wait for the plan in flight, and the screen waiting behind them goes on after them.
    /// Which wakes first is the scheduler's choice, so the race is run twenty times.
    @Test func aWriterWaitingForAPlanInFlightLetsTheScreenGoOnAfterIt() throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let intake = InclusionIntake(database)
        for round in 0..<20 {
            let first = try intake.screenInFlight([submission([Fixture.metro("a\(round)", account: "did:\(round)")], amap)], now: morning)
            let writerDone = DispatchSemaphore(value: 0), screenDone = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = try? database.inclusion.with { _ in }
                writerDone.signal()
            }
            Thread.sleep(forTimeInterval: 0.03)
            DispatchQueue.global().async {
                let events = [Fixture.metro("b\(round)", account: "did:\(round)", at: -3600)]
                if let second = try? intake.screenInFlight([submission(events, amap)], now: morning) {
                    _ = intake.writeInFlight(second)
                    intake.finishInFlight(second, failed: false)
                }
                screenDone.signal()
            }
            Thread.sleep(forTimeInterval: 0.03)
            // A second writer, waiting behind the screen: woken after it, it goes last.
            DispatchQueue.global().async {
                _ = try? database.inclusion.with { _ in }
                writerDone.signal()
            }
            Thread.sleep(forTimeInterval: 0.03)
            #expect(intake.writeInFlight(first) == nil)
            intake.finishInFlight(first, failed: false)
            #expect(writerDone.wait(timeout: .now() + 10) == .success && writerDone.wait(timeout: .now() + 10) == .success)
            guard screenDone.wait(timeout: .now() + 10) == .success else {
                Issue.record("round \(round): the screen never went on after the writer")
                return
            }
        }
        let entries = try InclusionReads(database).reconcile().entries
        let rules = try InclusionReads(database).decisionsByRule()
        #expect(entries == 40, "\(rules)")
    }

    /// Sixteen clients post at once, each post repeating a serial of another, while a resident
    /// claims: every serial is credited once and the ledger reconciles.
    @Test func concurrentPostsThroughTheQueueCreditEachSerialOnce() async throws {
        let database = try temporaryWorkspace()
        let amap = try Fixture.partner(database)
        let queue = InclusionCommitQueue(database, maximumEvents: 120)
        func box(_ serial: String, _ account: Int) -> BehaviourEvent {
            BehaviourEvent(partner: "amap", serial: serial, scheme: "city", account: "did:\(account)", scenario: "parcel-box",
                           startedAt: Fixture.start, evidence: "operator", activity: [ActivityDatum(name: "boxes", unit: "box", value: Micro("1")!)])
        }
        let answers = await withTaskGroup(of: [PostedEvent].self) { group in
            for post in 0..<16 {
                group.addTask {
                    var events = (0..<40).map { box("\(post)-\($0)", ($0 + post) % 9) }
                    events.append(box("\((post + 1) % 16)-0", (post + 1) % 16 % 9))
                    do { return try await queue.submit(InclusionIntake.Submission(events: events, partner: amap, nonce: "nonce-\(post)-xyz")) } catch { Issue.record("\(error)"); return [] }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(answers.count == 16 * 41)
        #expect(Set(answers.compactMap(\.id)).count == 16 * 40)
        #expect(answers.filter(\.repeated).count == 16)
        #expect(queue.commits > 1)
        let reconciliation = try InclusionReads(database).reconcile()
        #expect(reconciliation.balanced && reconciliation.entries == answers.filter { !$0.repeated && $0.outcome.counts }.count)
    }
}
