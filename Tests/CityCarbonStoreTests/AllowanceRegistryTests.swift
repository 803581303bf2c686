import CarbonKit
import CarbonMarkets
import Foundation
import Testing
@testable import CityCarbonStore

/// The allowance registry as stored: entries, blocks and accounts written together, read back
/// by any process, verifiable, and right under concurrent transfers.
@Suite("Allowance registry in the store")
struct AllowanceRegistryTests {
    static let opened = Date(timeIntervalSince1970: 1_767_225_600)  // Thursday 2026-01-01

    static func representatives(_ id: String) -> [RegistryAccount.Representative] {
        [.init(login: "\(id)-a", role: .authorised), .init(login: "\(id)-b", role: .authorised)]
    }

    /// Accounts ALLOC (allocation), OP-1 (operator), TR-1 and TR-2 (traders), RETIRE; 10,000 CEA of 2025 issued to ALLOC.
    static func registry(_ database: CityCarbonDatabase) throws -> AllowanceRegistry {
        let registry = AllowanceRegistry(database)
        var operations: [LedgerOperation] = [("ALLOC", AccountKind.nationalAllocation), ("OP-1", .operatorHolding), ("TR-1", .trading), ("TR-2", .trading)]
            .map { .openAccount(RegistryAccount(id: $0.0, kind: $0.1, holder: "Holder of \($0.0)", name: "Account \($0.0)", representatives: representatives($0.0))) }
        operations.append(.openAccount(RegistryAccount(id: "RETIRE", kind: .retirement, name: "Retirement")))
        operations.append(.issue(to: "ALLOC", unit: "CEA", vintage: 2025, amount: 10_000, by: "registrar", reference: "issue-2025"))
        for result in try registry.apply(operations, at: opened) { _ = try result.get() }
        return registry
    }

    static func transfer(_ from: String, _ to: String, _ amount: Int64, _ reference: String, purpose: Transfer.Purpose = .transfer) -> LedgerOperation {
        .transfer(Transfer(from: from, to: to, amount: amount, unit: "CEA", purpose: purpose, proposedBy: "\(from)-a", approvedBy: "\(from)-b",
                           approvedAt: opened, reference: reference))
    }

    @Test func aTransferIsStoredWithItsBlocksAndBalancesAreTheirSum() throws {
        let database = try temporaryWorkspace()
        let registry = try Self.registry(database)
        let entry = try registry.apply(Self.transfer("ALLOC", "OP-1", 2_500, "t1"), at: Self.opened)
        #expect(entry.blocks == [SerialBlock(unit: "CEA", vintage: 2025, start: 1, end: 2_500)])
        #expect(try registry.holdings(of: "ALLOC") == [SerialBlock(unit: "CEA", vintage: 2025, start: 2_501, end: 10_000)])
        #expect(try registry.balances(of: "OP-1") == [.init(unit: "CEA", vintage: 2025, units: 2_500)])
        #expect(try registry.entries(account: "OP-1").total == 2, "opened, then received")
        let seal = try #require(try AuditTrail(database).events(entity: "ledger").first)
        #expect(seal.action == "ledger.commit" && seal.entityID == "7-7" && seal.after?.contains(entry.hash) == true)
        #expect(try registry.verify().isIntact)
    }

    @Test func aRefusedOperationWritesNothing() throws {
        let database = try temporaryWorkspace()
        let registry = try Self.registry(database)
        let before = try AuditTrail(database).version()
        #expect(throws: LedgerError.insufficientUnits(account: "ALLOC", unit: "CEA", vintage: nil, held: 10_000, asked: 10_001)) {
            try registry.apply(Self.transfer("ALLOC", "OP-1", 10_001, "too-much"), at: Self.opened)
        }
        #expect(try AuditTrail(database).version() == before)
        #expect(try registry.entries().total == 6)
    }

    @Test func aSecondProcessSeesTheLedgerAndContinuesItsChain() throws {
        let database = try sqliteWorkspace()
        let registry = try Self.registry(database)
        _ = try registry.apply(Self.transfer("ALLOC", "TR-1", 100, "first"), at: Self.opened)
        let other = AllowanceRegistry(try CityCarbonDatabase(path: database.path))
        _ = try other.apply(Self.transfer("ALLOC", "TR-2", 100, "from-the-other"), at: Self.opened)
        // The first process's cached ledger is behind the stored head: it reloads before writing.
        _ = try registry.apply(Self.transfer("ALLOC", "TR-1", 100, "again"), at: Self.opened)
        #expect(throws: LedgerError.duplicateReference("from-the-other")) {
            try registry.apply(Self.transfer("ALLOC", "TR-2", 1, "from-the-other"), at: Self.opened)
        }
        #expect(try registry.balances(of: "ALLOC").first?.units == 9_700)
        #expect(try other.verify().isIntact)
    }

    @Test func aSerialLookUpTellsTheBlocksWholeHistory() throws {
        let database = try temporaryWorkspace()
        let registry = try Self.registry(database)
        _ = try registry.apply(Self.transfer("ALLOC", "TR-1", 300, "allocate"), at: Self.opened)
        _ = try registry.apply(Self.transfer("TR-1", "RETIRE", 50, "retire", purpose: .retirement), at: Self.opened)
        let history = try #require(try registry.history(unit: "CEA", serial: 42))
        #expect(history.holder.id == "RETIRE" && history.block == SerialBlock(unit: "CEA", vintage: 2025, start: 1, end: 50))
        #expect(history.entries.map(\.kind) == [.issue, .transfer, .retirement])
        let held = try #require(try registry.history(unit: "CEA", serial: 51))
        #expect(held.holder.id == "TR-1" && held.entries.map(\.kind) == [.issue, .transfer])
        #expect(try registry.history(unit: "CEA", serial: 10_001) == nil, "never issued")
        #expect(try registry.history(unit: "CEA", serial: -1) == nil && registry.history(unit: "cea'--", serial: 1) == nil)
    }

    @Test func blocksSplitAndMovedAgainInOneCommitKeepTheirWholeHistories() throws {
        let database = try temporaryWorkspace()
        let registry = try Self.registry(database)
        let results = try registry.apply([Self.transfer("ALLOC", "TR-1", 300, "a"), Self.transfer("TR-1", "TR-2", 100, "b"),
                                          Self.transfer("TR-2", "RETIRE", 50, "c", purpose: .retirement)],
                                         at: Self.opened.addingTimeInterval(7 * 86_400))
        let sequences = try results.map { try $0.get().sequence }
        #expect(try registry.history(unit: "CEA", serial: 1)?.entries.map(\.sequence) == [6] + sequences)
        #expect(try registry.history(unit: "CEA", serial: 60)?.entries.map(\.sequence) == [6, sequences[0], sequences[1]])
        #expect(try registry.history(unit: "CEA", serial: 150)?.entries.map(\.sequence) == [6, sequences[0]])
        #expect(try registry.history(unit: "CEA", serial: 400)?.entries.map(\.sequence) == [6])
        #expect(try registry.verify().isIntact)
    }

    @Test func aChangedEntryOrARemovedOneIsFound() throws {
        let database = try sqliteWorkspace()
        let registry = try Self.registry(database)
        _ = try registry.apply(Self.transfer("ALLOC", "TR-1", 300, "t"), at: Self.opened)
        #expect(throws: (any Error).self) { try database.write { try $0.execute(sql: "UPDATE ledger_entry SET amount = 3 WHERE sequence = 7") } }
        try database.write { db in
            try db.execute(sql: "DROP TRIGGER ledger_entry_no_update")
            try db.execute(sql: "UPDATE ledger_entry SET amount = 3000 WHERE sequence = 7")
        }
        let verification = try registry.verify()
        #expect(verification.brokenAt == 7 && verification.reason?.contains("altered") == true)
    }

    @Test func blocksMovedAroundTheLedgerAreFound() throws {
        let database = try temporaryWorkspace()
        let registry = try Self.registry(database)
        _ = try registry.apply(Self.transfer("ALLOC", "TR-1", 300, "t"), at: Self.opened)
        try database.write { db in try db.execute(sql: "UPDATE allowance_block SET account_id = 'TR-2' WHERE start_serial = 1") }
        let moved = try registry.verify()
        #expect(moved.unbalancedAccounts == ["TR-1", "TR-2"] && moved.misplacedBlocks == ["CEA-2025-1-300"])
        try database.write { db in try db.execute(sql: "UPDATE allowance_block SET end_serial = 400 WHERE start_serial = 1") }
        #expect(try registry.verify().overlappingSerials == ["CEA 301"])
    }

    @Test func aTransferNeedsASecondRepresentativeAndATraderWaitsOutsideItsList() throws {
        let database = try temporaryWorkspace()
        _ = try Self.registry(database)
        let requests = TransferRequests(database)
        let allocate = try requests.propose(from: "ALLOC", to: "TR-1", amount: 500, unit: "CEA", by: "ALLOC-a", at: Self.opened)
        #expect(throws: LedgerError.approvalNeedsSecondRepresentative(login: "ALLOC-a")) { try requests.approve(allocate.id, by: "ALLOC-a", at: Self.opened) }
        #expect(throws: LedgerError.notRepresentative(login: "TR-1-a", account: "ALLOC")) { try requests.approve(allocate.id, by: "TR-1-a", at: Self.opened) }
        let done = try requests.approve(allocate.id, by: "ALLOC-b", at: Self.opened)
        #expect(done.status == .completed && done.ledgerSequence != nil)
        #expect(throws: TransferRequests.RequestError.notPending(id: allocate.id, status: .completed)) { try requests.approve(allocate.id, by: "ALLOC-b") }

        // Thursday 10:00 in Shanghai: a trader's transfer outside its list waits 26 registry hours.
        let thursday = Date(timeIntervalSince1970: 1_767_232_800)
        let sale = try requests.propose(from: "TR-1", to: "TR-2", amount: 200, unit: "CEA", by: "TR-1-a", at: thursday)
        let scheduled = try requests.approve(sale.id, by: "TR-1-b", at: thursday)
        #expect(scheduled.status == .scheduled && scheduled.runsAt == RegistryRules.standard.calendar.delayed(hours: 26, from: thursday))
        #expect(try requests.runDue(at: thursday.addingTimeInterval(3600)).isEmpty)
        let ran = try requests.runDue(at: scheduled.runsAt!)
        #expect(ran.map(\.status) == [.completed])
        #expect(try AllowanceRegistry(database).balances(of: "TR-2").first?.units == 200)
    }

    @Test("A trust proposal waits for a second representative; approved, it is a ledger entry active after four working days")
    func trustNeedsASecondRepresentative() throws {
        let database = try temporaryWorkspace()
        let registry = try Self.registry(database)
        let requests = TrustRequests(database)
        #expect(throws: LedgerError.notRepresentative(login: "TR-1-a", account: "OP-1")) { try requests.propose(account: "OP-1", trusted: "TR-1", by: "TR-1-a") }
        let request = try requests.propose(account: "OP-1", trusted: "TR-1", by: "OP-1-a")
        #expect(throws: TrustRequests.Refusal.alreadyProposed(account: "OP-1", trusted: "TR-1")) { try requests.propose(account: "OP-1", trusted: "TR-1", by: "OP-1-b") }
        #expect(throws: LedgerError.approvalNeedsSecondRepresentative(login: "OP-1-a")) { try requests.approve(request.id, by: "OP-1-a", at: Self.opened) }
        #expect(try registry.account("OP-1")?.trusted.isEmpty == true, "a refused approval writes nothing")
        let approved = try requests.approve(request.id, by: "OP-1-b", at: Self.opened)
        #expect(approved.status == .approved && approved.ledgerSequence != nil)
        // Thursday 1 January 2026: four working days (Friday, Monday, Tuesday, Wednesday) later.
        let active = try #require(try registry.account("OP-1")?.trusted.first)
        #expect(active.account == "TR-1" && active.activeFrom > Self.opened)
        #expect(throws: TrustRequests.Refusal.notPending(id: request.id, status: .approved)) { try requests.decline(request.id, by: "OP-1-a") }
        let withdrawn = try requests.decline(try requests.propose(account: "OP-1", trusted: "TR-2", by: "OP-1-a").id, by: "OP-1-a")
        #expect(withdrawn.status == .withdrawn)
        #expect(try registry.verify().isIntact)
    }

    @Test func anApprovedRequestThatCanNoLongerRunFailsWithItsReason() throws {
        let database = try temporaryWorkspace()
        _ = try Self.registry(database)
        let requests = TransferRequests(database)
        let toOperator = try requests.propose(from: "ALLOC", to: "OP-1", amount: 100, unit: "CEA", by: "ALLOC-a", at: Self.opened)
        _ = try requests.approve(toOperator.id, by: "ALLOC-b", at: Self.opened)
        #expect(throws: LedgerError.notTrusted(from: "OP-1", to: "TR-1")) {
            try requests.propose(from: "OP-1", to: "TR-1", amount: 10, unit: "CEA", by: "OP-1-a", at: Self.opened)
        }
        // Both proposals fit the balance; once the second has run, the first no longer does.
        let all = try requests.propose(from: "OP-1", to: "RETIRE", amount: 100, unit: "CEA", purpose: .retirement, by: "OP-1-a", at: Self.opened)
        let half = try requests.propose(from: "OP-1", to: "RETIRE", amount: 50, unit: "CEA", purpose: .retirement, by: "OP-1-a", at: Self.opened)
        #expect(try requests.approve(half.id, by: "OP-1-b", at: Self.opened).status == .completed)
        let failed = try requests.approve(all.id, by: "OP-1-b", at: Self.opened)
        #expect(failed.status == .failed
                && failed.reason == LedgerError.insufficientUnits(account: "OP-1", unit: "CEA", vintage: nil, held: 50, asked: 100).description)
        let withdrawn = try requests.propose(from: "OP-1", to: "RETIRE", amount: 10, unit: "CEA", purpose: .retirement, by: "OP-1-a", at: Self.opened)
        #expect(try requests.decline(withdrawn.id, by: "OP-1-a").status == .withdrawn)
        #expect(throws: LedgerError.notRepresentative(login: "intruder", account: "OP-1")) {
            try requests.propose(from: "OP-1", to: "TR-1", amount: 1, unit: "CEA", by: "intruder")
        }
        #expect(try requests.list(account: "OP-1").map(\.status) == [.withdrawn, .completed, .failed, .completed])
    }

    @Test("Concurrent transfers from many clients and two processes: every balance equals its movements and no serial is held twice")
    func concurrentTransfers() async throws {
        let database = try temporaryWorkspace()
        let registry = AllowanceRegistry(database)
        let ids = (0..<12).map { "TR-\($0)" }
        var setup: [LedgerOperation] = ids.map {
            .openAccount(RegistryAccount(id: $0, kind: .trading, name: $0, representatives: Self.representatives($0)))
        }
        setup += ids.map { .issue(to: $0, unit: "CEA", vintage: 2025, amount: 1_000, by: "registrar", reference: "issue-\($0)") }
        for result in try registry.apply(setup, at: Self.opened) { _ = try result.get() }
        // A second "process": its own connection pool and its own cached ledger on the same data.
        let second = database.dialect == .sqlite ? try CityCarbonDatabase(path: database.path) : database
        let queues = [LedgerCommitQueue(database, maximumBatch: 7), LedgerCommitQueue(second, maximumBatch: 5)]
        let completed = await withTaskGroup(of: Int.self) { group in
            for client in 0..<16 {
                group.addTask {
                    var generator = SeededRandom(seed: UInt64(client) + 1)
                    var done = 0
                    for step in 0..<60 {
                        let from = Int.random(in: 0..<12, using: &generator)
                        let to = (from + Int.random(in: 1..<12, using: &generator)) % 12
                        let operation = Self.transfer(ids[from], ids[to], Int64.random(in: 1...400, using: &generator), "c\(client)-\(step)")
                        if (try? await queues[client % 2].submit(operation)) != nil { done += 1 }
                    }
                    return done
                }
            }
            return await group.reduce(0, +)
        }
        #expect(completed > 0)
        let verification = try registry.verify()
        #expect(verification.isIntact, "\(verification)")
        #expect(verification.entries == 24 + completed)
        let total = try ids.reduce(Int64(0)) { sum, id in sum + (try registry.balances(of: id).first?.units ?? 0) }
        #expect(total == 12_000)
    }
}
