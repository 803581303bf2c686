import CarbonKit
import Testing
@testable import CarbonInclusion

@Suite struct CreditLedgerTests {
    @Test func aCreditClaimAndRedemptionMovePointsBetweenPlaces() throws {
        var ledger = CreditLedger()
        _ = try ledger.append(.credit, account: "A", reference: "c1", pending: 467, grams: Micro("467")!, atMillis: 1)
        _ = try ledger.append(.claim, account: "A", reference: "c1", pending: -467, available: 467, atMillis: 2)
        _ = try ledger.append(.redeem, account: "A", reference: "r1", available: -50, atMillis: 3)
        #expect(ledger.balances["A"] == PointBalance(pending: 0, available: 417, held: 0))
    }

    @Test func noPlaceOfABalanceGoesBelowZero() throws {
        var ledger = CreditLedger()
        _ = try ledger.append(.credit, account: "A", reference: "c1", available: 49, atMillis: 1)
        #expect(throws: CreditLedgerError.insufficient(account: "A", place: "available", held: 49, asked: 50)) {
            try ledger.append(.redeem, account: "A", reference: "r1", available: -50, atMillis: 2)
        }
        #expect(ledger.sequence == 1 && ledger.balances["A"]?.available == 49)
    }

    @Test func anOverflowingBalanceIsRefused() throws {
        var ledger = CreditLedger()
        _ = try ledger.append(.credit, account: "A", reference: "c1", available: .max, atMillis: 1)
        #expect(throws: CreditLedgerError.overflow(account: "A")) {
            try ledger.append(.credit, account: "A", reference: "c2", available: 1, atMillis: 2)
        }
    }

    @Test func reconciliationFindsAnEditedLine() throws {
        var ledger = CreditLedger()
        var entries: [CreditEntry] = []
        for index in 1...5 { entries.append(try ledger.append(.credit, account: "A", reference: "c\(index)", available: 10, atMillis: Int64(index))) }
        #expect(CreditLedger.reconcile(entries, stored: ledger.balances).balanced)
        entries[2].available = 1_000
        let found = CreditLedger.reconcile(entries, stored: ledger.balances)
        #expect(found.brokenAt == 3 && found.mismatched == ["A"])
    }

    @Test func reconciliationFindsABalanceThatIsNotItsMovements() throws {
        var ledger = CreditLedger()
        let entry = try ledger.append(.credit, account: "A", reference: "c1", available: 10, atMillis: 1)
        let found = CreditLedger.reconcile([entry], stored: ["A": PointBalance(available: 11)])
        #expect(found.brokenAt == nil && found.mismatched == ["A"])
    }

    /// Property: any interleaving of credits, claims and redemptions over a few accounts leaves
    /// balances that equal their movements and are never negative, whichever operations were refused.
    @Test(arguments: 0..<20) func balancesEqualMovementsUnderAnyInterleaving(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) &+ 7)
        var ledger = CreditLedger()
        var entries: [CreditEntry] = []
        for step in 0..<400 {
            let account = "A\(random.next() % 4)"
            let amount = Int64(random.next() % 300)
            let result: CreditEntry?
            switch random.next() % 4 {
            case 0: result = try? ledger.append(.credit, account: account, reference: "c\(step)", pending: amount, atMillis: Int64(step))
            case 1: result = try? ledger.append(.claim, account: account, reference: "c\(step)", pending: -amount, available: amount, atMillis: Int64(step))
            case 2: result = try? ledger.append(.redeem, account: account, reference: "r\(step)", available: -amount, atMillis: Int64(step))
            default: result = try? ledger.append(.credit, account: account, reference: "h\(step)", held: amount, atMillis: Int64(step))
            }
            if let result { entries.append(result) }
        }
        #expect(CreditLedger.reconcile(entries, stored: ledger.balances).balanced)
        #expect(ledger.balances.values.allSatisfy { $0.pending >= 0 && $0.available >= 0 && $0.held >= 0 })
    }
}

@Suite struct RedemptionTests {
    let voucher = RedemptionItem(code: "zz-5cny", scheme: "city", merchant: "Zhengzhou Bus", name: "5 CNY voucher", pricePoints: 50,
                                 faceValueCNY: Micro("5")!)

    @Test func fiftyPointsBuyAFiveYuanVoucher() {
        #expect(RedemptionRules.check(voucher, quantity: 1, available: 50, month: "2026-03", redeemedThisMonth: 0,
                                      redeemedByAccountThisMonth: 0) == .success(50))
    }

    @Test func aFortyNinePointBalanceCannotRedeem() {
        #expect(RedemptionRules.check(voucher, quantity: 1, available: 49, month: "2026-03", redeemedThisMonth: 0,
                                      redeemedByAccountThisMonth: 0) == .failure(.insufficientPoints(available: 49, price: 50)))
    }

    @Test func theTenThousandAndFirstFreeRideOfAMonthIsRefused() {
        let ride = RedemptionItem(code: "dz-ride", scheme: "city", merchant: "Dazhou Bus", name: "Free ride", pricePoints: 20,
                                  faceValueCNY: Micro("1")!, stockPerMonth: 10_000)
        #expect(RedemptionRules.check(ride, quantity: 1, available: 100, month: "2026-03", redeemedThisMonth: 9_999,
                                      redeemedByAccountThisMonth: 0) == .success(20))
        #expect(RedemptionRules.check(ride, quantity: 1, available: 100, month: "2026-03", redeemedThisMonth: 10_000,
                                      redeemedByAccountThisMonth: 0) == .failure(.outOfStock(item: "dz-ride", month: "2026-03", stock: 10_000)))
    }

    @Test func aPerAccountLimitCountsTheMonth() {
        var limited = voucher
        limited.perAccountPerMonth = 2
        #expect(RedemptionRules.check(limited, quantity: 1, available: 500, month: "2026-03", redeemedThisMonth: 5,
                                      redeemedByAccountThisMonth: 2) == .failure(.accountLimit(item: "zz-5cny", month: "2026-03", limit: 2)))
    }

    @Test func absurdQuantitiesAreRefused() {
        for quantity: Int64 in [0, -1, 101, .max] {
            #expect(RedemptionRules.check(voucher, quantity: quantity, available: .max, month: "2026-03", redeemedThisMonth: 0,
                                          redeemedByAccountThisMonth: 0) == .failure(.invalidQuantity(quantity)))
        }
    }
}

@Suite struct ReductionLotTests {
    let city = MethodologyCatalogue.shipped.scheme("city")!

    func candidate(_ credit: Int64, _ grams: String, evidence: String = "operator", day: String = "2026-03-10", lot: String? = nil,
                   elsewhere: String? = nil, settled: Bool = true) -> LotCandidate {
        LotCandidate(credit: credit, grams: Micro(grams)!, evidence: evidence, day: Day(day)!, lot: lot, claimedElsewhere: elsewhere, settled: settled)
    }

    @Test func aLotTakesOnlySettledLotGradeCreditsOfItsMonth() {
        let lot = ReductionLot.assemble(id: "L1", scheme: city, month: "2026-03", from: [
            candidate(1, "600000"), candidate(2, "700000.5"), candidate(3, "5", evidence: "self_check_in"),
            candidate(4, "9", day: "2026-04-01"), candidate(5, "9", settled: false),
        ])
        #expect(lot?.credits == [1, 2] && lot?.grams == Micro("1300000.5") && lot?.tonnes == 1)
    }

    @Test func aCreditInALotOrClaimedElsewhereIsNeverTakenAgain() {
        let lot = ReductionLot.assemble(id: "L2", scheme: city, month: "2026-03", from: [
            candidate(1, "600000", lot: "L1"), candidate(2, "700000", elsewhere: "PHCER 2026-0012"),
        ])
        #expect(lot == nil)
    }
}
