import CarbonKit
import Foundation
import Testing
@testable import CarbonMarkets

/// The allowance registry's rules: blocks, balances, four eyes, trusted lists, final accounts.
@Suite("Allowance ledger")
struct AllowanceLedgerTests {
    static let monday = RegistryRulesTests.date("2026-01-12 11:00", zone: "Asia/Shanghai")

    static func account(_ id: String, _ kind: AccountKind, reps: [String] = ["a1", "a2"]) -> RegistryAccount {
        RegistryAccount(id: id, kind: kind, holder: id, name: "Account \(id)",
                        representatives: reps.map { .init(login: $0 == "a1" ? "\(id)-1" : "\(id)-2", role: .authorised) })
    }

    /// A registry with an allocation account holding 1,000 CEA of 2023, two operators and a trader,
    /// and the three final accounts.
    static func registry() throws -> AllowanceLedger {
        var ledger = AllowanceLedger()
        for (id, kind) in [("ALLOC", AccountKind.nationalAllocation), ("OP-A", .operatorHolding), ("OP-B", .operatorHolding),
                           ("TRADER", .trading)] {
            _ = try ledger.apply(.openAccount(account(id, kind)), at: monday)
        }
        for (id, kind) in [("SURRENDER", AccountKind.surrender), ("CANCEL", .cancellation), ("RETIRE", .retirement)] {
            _ = try ledger.apply(.openAccount(RegistryAccount(id: id, kind: kind, name: id)), at: monday)
        }
        _ = try ledger.apply(.issue(to: "ALLOC", unit: "CEA", vintage: 2023, amount: 1000, by: "registrar", reference: "issue-1"), at: monday)
        return ledger
    }

    static func transfer(_ from: String, _ to: String, _ amount: Int64, purpose: Transfer.Purpose = .transfer, reference: String,
                         approvedAt: Date = monday) -> LedgerOperation {
        .transfer(Transfer(from: from, to: to, amount: amount, unit: "CEA", purpose: purpose, proposedBy: "\(from)-1",
                           approvedBy: "\(from)-2", approvedAt: approvedAt, reference: reference))
    }

    @Test("Issuance numbers serials after the last of the unit; a transfer splits a block and balances follow the blocks")
    func issueAndSplit() throws {
        var ledger = try Self.registry()
        let second = try ledger.apply(.issue(to: "ALLOC", unit: "CEA", vintage: 2024, amount: 500, by: "registrar", reference: "issue-2"), at: Self.monday)
        #expect(second.entry.blocks == [SerialBlock(unit: "CEA", vintage: 2024, start: 1001, end: 1500)])
        let moved = try ledger.apply(Self.transfer("ALLOC", "OP-A", 1200, reference: "t1"), at: Self.monday)
        #expect(moved.entry.blocks.map(\.description) == ["CEA-2023-1-1000", "CEA-2024-1001-1200"], "oldest vintage first")
        #expect(ledger.balance(of: "OP-A") == 1200 && ledger.balance(of: "ALLOC") == 300)
        #expect(ledger.holdings["ALLOC"] == [SerialBlock(unit: "CEA", vintage: 2024, start: 1201, end: 1500)])
        #expect(moved.rest == SerialBlock(unit: "CEA", vintage: 2024, start: 1201, end: 1500), "the rest of the split block stays, under a new first serial")
    }

    @Test("A transfer takes as few pieces as it can: the smallest block that holds it, else the largest blocks whole")
    func fewestPieces() throws {
        var ledger = try Self.registry()
        for (index, amount) in [10, 50, 200].enumerated() {
            _ = try ledger.apply(Self.transfer("ALLOC", "OP-A", Int64(amount), reference: "in\(index)"), at: Self.monday)
        }
        _ = try ledger.apply(.trust(account: "OP-A", trusted: "OP-B", proposedBy: "OP-A-1", approvedBy: "OP-A-2"), at: Self.monday)
        let later = Self.monday.addingTimeInterval(10 * 86400)
        let forty = try ledger.apply(Self.transfer("OP-A", "OP-B", 40, reference: "forty"), at: later)
        #expect(forty.entry.blocks.map(\.description) == ["CEA-2023-11-50"])
        let more = try ledger.apply(Self.transfer("OP-A", "OP-B", 215, reference: "more"), at: later)
        #expect(more.entry.blocks.map(\.description) == ["CEA-2023-61-260", "CEA-2023-1-10", "CEA-2023-51-55"])
        #expect(ledger.holdings["OP-A"] == [SerialBlock(unit: "CEA", vintage: 2023, start: 56, end: 60)])
    }

    @Test("A transfer of one vintage takes only that vintage")
    func vintage() throws {
        var ledger = try Self.registry()
        _ = try ledger.apply(.issue(to: "ALLOC", unit: "CEA", vintage: 2024, amount: 500, by: "registrar", reference: "issue-2"), at: Self.monday)
        let op = LedgerOperation.transfer(Transfer(from: "ALLOC", to: "OP-A", amount: 100, unit: "CEA", vintage: 2024, proposedBy: "ALLOC-1",
                                                   approvedBy: "ALLOC-2", approvedAt: Self.monday, reference: "v"))
        _ = try ledger.apply(op, at: Self.monday)
        #expect(ledger.balance(of: "OP-A", unit: "CEA", vintage: 2024) == 100 && ledger.balance(of: "OP-A", vintage: 2023) == 0)
    }

    @Test("One representative cannot approve their own proposal; an outsider cannot act; an additional representative only approves")
    func fourEyes() throws {
        var ledger = try Self.registry()
        let own = LedgerOperation.transfer(Transfer(from: "ALLOC", to: "OP-A", amount: 1, unit: "CEA", proposedBy: "ALLOC-1",
                                                    approvedBy: "ALLOC-1", approvedAt: Self.monday, reference: "x"))
        #expect(throws: LedgerError.approvalNeedsSecondRepresentative(login: "ALLOC-1")) { try ledger.apply(own, at: Self.monday) }
        let outsider = LedgerOperation.transfer(Transfer(from: "ALLOC", to: "OP-A", amount: 1, unit: "CEA", proposedBy: "OP-A-1",
                                                         approvedBy: "ALLOC-2", approvedAt: Self.monday, reference: "x"))
        #expect(throws: LedgerError.notRepresentative(login: "OP-A-1", account: "ALLOC")) { try ledger.apply(outsider, at: Self.monday) }
        var withAdditional = Self.account("OP-C", .operatorHolding)
        withAdditional.representatives.append(.init(login: "OP-C-3", role: .additional))
        _ = try ledger.apply(.openAccount(withAdditional), at: Self.monday)
        _ = try ledger.apply(Self.transfer("ALLOC", "OP-C", 10, reference: "c"), at: Self.monday)
        let byAdditional = LedgerOperation.transfer(Transfer(from: "OP-C", to: "SURRENDER", amount: 1, unit: "CEA", purpose: .surrender(complianceYear: 2023),
                                                             proposedBy: "OP-C-3", approvedBy: "OP-C-1", approvedAt: Self.monday, reference: "s"))
        #expect(throws: LedgerError.proposerMayNotPropose(login: "OP-C-3")) { try ledger.apply(byAdditional, at: Self.monday) }
        #expect(ledger.sequence == 10, "refusals append nothing")
    }

    @Test("An account needs two authorised representatives; a final account needs none")
    func representatives() throws {
        var ledger = AllowanceLedger()
        let single = RegistryAccount(id: "OP-1", kind: .operatorHolding, name: "One", representatives: [.init(login: "x", role: .authorised)])
        #expect(throws: LedgerError.self) { try ledger.apply(.openAccount(single), at: Self.monday) }
        _ = try ledger.apply(.openAccount(RegistryAccount(id: "RETIRE", kind: .retirement, name: "Retirement")), at: Self.monday)
        let bad = RegistryAccount(id: "a b", kind: .trading, name: "x", representatives: [])
        #expect(throws: LedgerError.invalidAccount(field: "id", value: "a b", reason: "must be 3–40 ASCII letters, digits, - or _")) {
            try ledger.apply(.openAccount(bad), at: Self.monday)
        }
    }

    @Test("An operator sends only to its trusted list, active 4 working days after approval")
    func operatorTrustedList() throws {
        var ledger = try Self.registry()
        _ = try ledger.apply(Self.transfer("ALLOC", "OP-A", 100, reference: "alloc"), at: Self.monday)
        #expect(throws: LedgerError.notTrusted(from: "OP-A", to: "OP-B")) {
            try ledger.apply(Self.transfer("OP-A", "OP-B", 10, reference: "t"), at: Self.monday)
        }
        _ = try ledger.apply(.trust(account: "OP-A", trusted: "OP-B", proposedBy: "OP-A-1", approvedBy: "OP-A-2"), at: Self.monday)
        let friday = RegistryRulesTests.date("2026-01-16 10:59", zone: "Asia/Shanghai")
        #expect(throws: LedgerError.notTrusted(from: "OP-A", to: "OP-B")) { try ledger.apply(Self.transfer("OP-A", "OP-B", 10, reference: "t"), at: friday) }
        let active = RegistryRulesTests.date("2026-01-16 11:00", zone: "Asia/Shanghai")
        _ = try ledger.apply(Self.transfer("OP-A", "OP-B", 10, reference: "t"), at: active)
        #expect(ledger.balance(of: "OP-B") == 10)
    }

    @Test("A trader's transfer outside its list waits 26 registry hours after approval")
    func traderDelay() throws {
        var ledger = try Self.registry()
        _ = try ledger.apply(Self.transfer("ALLOC", "TRADER", 100, reference: "alloc"), at: Self.monday)
        let early = RegistryRulesTests.date("2026-01-13 12:59", zone: "Asia/Shanghai")
        let due = RegistryRulesTests.date("2026-01-13 13:00", zone: "Asia/Shanghai")
        #expect(throws: LedgerError.delayed(until: due)) { try ledger.apply(Self.transfer("TRADER", "OP-A", 10, reference: "t"), at: early) }
        _ = try ledger.apply(Self.transfer("TRADER", "OP-A", 10, reference: "t"), at: due)
        #expect(ledger.balance(of: "OP-A") == 10)
    }

    @Test("Surrendered, cancelled and retired units sit in final accounts that never send; a purpose needs its account")
    func finalAccounts() throws {
        var ledger = try Self.registry()
        _ = try ledger.apply(Self.transfer("ALLOC", "OP-A", 100, reference: "alloc"), at: Self.monday)
        let surrendered = try ledger.apply(Self.transfer("OP-A", "SURRENDER", 60, purpose: .surrender(complianceYear: 2023), reference: "s"), at: Self.monday)
        #expect(surrendered.entry.kind == .surrender && surrendered.entry.detail == "compliance year 2023")
        _ = try ledger.apply(Self.transfer("OP-A", "RETIRE", 10, purpose: .retirement, reference: "r"), at: Self.monday)
        #expect(throws: LedgerError.wrongDestination(account: "RETIRE", kind: .retirement, purpose: "cancellation")) {
            try ledger.apply(Self.transfer("OP-A", "RETIRE", 10, purpose: .cancellation, reference: "c"), at: Self.monday)
        }
        #expect(throws: LedgerError.wrongDestination(account: "SURRENDER", kind: .surrender, purpose: "transfer")) {
            try ledger.apply(Self.transfer("OP-A", "SURRENDER", 10, reference: "c2"), at: Self.monday)
        }
        #expect(ledger.balance(of: "OP-A") == 30 && ledger.balance(of: "SURRENDER") == 60 && ledger.balance(of: "RETIRE") == 10)
    }

    @Test("More than the balance, a zero amount, a blocked sender or a reused reference moves nothing")
    func refusals() throws {
        var ledger = try Self.registry()
        #expect(throws: LedgerError.insufficientUnits(account: "ALLOC", unit: "CEA", vintage: nil, held: 1000, asked: 1001)) {
            try ledger.apply(Self.transfer("ALLOC", "OP-A", 1001, reference: "big"), at: Self.monday)
        }
        #expect(throws: LedgerError.invalidAmount(0)) { try ledger.apply(Self.transfer("ALLOC", "OP-A", 0, reference: "z"), at: Self.monday) }
        #expect(throws: LedgerError.invalidAmount(Int64.min)) { try ledger.apply(Self.transfer("ALLOC", "OP-A", .min, reference: "z"), at: Self.monday) }
        _ = try ledger.apply(Self.transfer("ALLOC", "OP-A", 5, reference: "once"), at: Self.monday)
        #expect(throws: LedgerError.duplicateReference("once")) { try ledger.apply(Self.transfer("ALLOC", "OP-A", 5, reference: "once"), at: Self.monday) }
        _ = try ledger.apply(.setStatus(account: "ALLOC", .blocked, by: "registrar"), at: Self.monday)
        #expect(throws: LedgerError.accountNotOpen("ALLOC", .blocked)) { try ledger.apply(Self.transfer("ALLOC", "OP-A", 5, reference: "b"), at: Self.monday) }
        #expect(ledger.balance(of: "ALLOC") == 995 && ledger.balance(of: "OP-A") == 5)
        #expect(throws: LedgerError.serialsExhausted(unit: "CEA", remaining: 8_999_999_999_999_998_999)) {
            var huge = try Self.registry()
            _ = try huge.apply(.issue(to: "ALLOC", unit: "CEA", vintage: 2023, amount: .max, by: "r", reference: "huge"), at: Self.monday)
        }
    }

    @Test("Every entry's hash chains to the one before; changing an amount breaks it")
    func hashChain() throws {
        var ledger = try Self.registry()
        var entries: [LedgerEntry] = []
        for index in 1...5 {
            entries.append(try ledger.apply(Self.transfer("ALLOC", "OP-A", Int64(index), reference: "t\(index)"), at: Self.monday).entry)
        }
        var previous = entries[0].previousHash
        for entry in entries {
            #expect(entry.verifies(after: previous))
            previous = entry.hash
        }
        var forged = entries[2]
        forged.amount += 1
        #expect(!forged.verifies(after: entries[1].hash))
    }

    @Test("Property: after any sequence of issues and transfers, balances add up to issuance and no serial is held twice")
    func conservation() throws {
        var generator = SeededRandom(seed: 20261206)
        for _ in 0..<30 {
            var ledger = try Self.registry()
            let accounts = ["ALLOC", "OP-A", "OP-B", "TRADER"]
            for id in accounts where id != "ALLOC" {
                for other in accounts where other != id {
                    _ = try ledger.apply(.trust(account: id, trusted: other, proposedBy: "\(id)-1", approvedBy: "\(id)-2"), at: Self.monday)
                }
            }
            let later = Self.monday.addingTimeInterval(30 * 86400)
            var issued: Int64 = 1000
            var inFinal: Int64 = 0
            for step in 0..<200 {
                let roll = Int.random(in: 0..<10, using: &generator)
                if roll == 0 {
                    let amount = Int64.random(in: 1...300, using: &generator)
                    _ = try ledger.apply(.issue(to: accounts.randomElement(using: &generator)!, unit: "CEA",
                                                vintage: Int.random(in: 2021...2024, using: &generator), amount: amount, by: "r",
                                                reference: "i\(step)"), at: later)
                    issued += amount
                } else {
                    let from = accounts.randomElement(using: &generator)!
                    let to = roll == 1 ? "RETIRE" : accounts.filter { $0 != from }.randomElement(using: &generator)!
                    let amount = Int64.random(in: 1...400, using: &generator)
                    let operation = Self.transfer(from, to, amount, purpose: roll == 1 ? .retirement : .transfer, reference: "t\(step)")
                    let result = Result { () throws(LedgerError) in try ledger.apply(operation, at: later) }
                    switch result {
                    case .success: if roll == 1 { inFinal += amount }
                    case let .failure(error):
                        guard case .insufficientUnits = error else { Issue.record("\(error)"); continue }
                    }
                }
            }
            let all = ledger.holdings.values.flatMap { $0 }.sorted { $0.start < $1.start }
            #expect(all.reduce(0) { $0 + $1.count } == issued)
            #expect(ledger.balance(of: "RETIRE") == inFinal)
            for (a, b) in zip(all, all.dropFirst()) { #expect(a.end < b.start, "serials \(b.start)… held twice") }
            #expect(all.last?.end == issued, "serials run without gaps from 1")
        }
    }
}
