import CarbonInclusion
import CarbonKit
import CarbonMarkets
import Foundation
import Testing
@testable import CityCarbonStore

/// Carbon inclusion as stored: intake is idempotent and all-or-nothing, the ledger reconciles,
/// claims keep their window, redemptions their stock, lots never take a credit twice, and an
/// erased resident leaves a whole but unlinkable ledger.
@Suite("Carbon inclusion in the store")
struct InclusionStoreTests {
    /// 2026-03-10 08:00 in Asia/Shanghai.
    static let morning = Date(timeIntervalSince1970: Double(Day("2026-03-10")!.ordinal - Day("1970-01-01")!.ordinal) * 86_400)
    static var start: Int64 { Int64(morning.timeIntervalSince1970) }

    static func partner(_ database: CityCarbonDatabase, _ code: String = "amap",
                        scenarios: [String] = ["walk", "metro", "bus", "parcel-box", "bus-ride", "cycle"]) throws -> InclusionPartner {
        try InclusionPartners(database).register(code: code, name: "Partner \(code)", scheme: "city", scenarios: scenarios, by: "admin").partner
    }

    static func metro(_ serial: String, account: String = "did:ann", at offset: Int64 = 0, partner: String = "amap", km: String = "10") -> BehaviourEvent {
        BehaviourEvent(partner: partner, serial: serial, scheme: "city", account: account, scenario: "metro", startedAt: start + offset,
                       endedAt: start + offset + 1200, evidence: "operator", district: "North",
                       activity: [ActivityDatum(name: "distance", unit: "km", value: Micro(km)!)])
    }

    static func steps(_ serial: String, _ count: String, account: String = "did:ann", partner: String = "amap") -> BehaviourEvent {
        BehaviourEvent(partner: partner, serial: serial, scheme: "city", account: account, scenario: "walk", startedAt: start, evidence: "operator",
                       district: "South", activity: [ActivityDatum(name: "steps", unit: "step", value: Micro(count)!)])
    }

    @Test func aPostIsScreenedCreditedAndReconciles() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        let posted = try InclusionIntake(database).post([Self.steps("w1", "7250"), Self.metro("m1")], from: amap, now: Self.morning.addingTimeInterval(3600))
        #expect(posted.map(\.status) == ["available", "pending"])
        #expect(posted[0].outcome.points == 145 && posted[1].outcome.grams == Micro("467"))
        let view = try InclusionAccounts(database).account(scheme: "city", did: "did:ann")
        #expect(view.balance == PointBalance(pending: 467, available: 145, held: 0))
        #expect(try InclusionReads(database).reconcile().balanced)
        #expect(try InclusionReads(database).reconcile().entries == 2)
    }

    @Test func theSameSerialPostedTwiceMovesNothingTwice() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        let intake = InclusionIntake(database)
        let first = try intake.post([Self.steps("w1", "7250")], from: amap, now: Self.morning)
        let again = try intake.post([Self.steps("w1", "7250")], from: amap, now: Self.morning)
        #expect(again[0].repeated && again[0].id == first[0].id && again[0].outcome == first[0].outcome)
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:ann").balance.available == 145)
        let changed = try intake.post([Self.steps("w1", "9000")], from: amap, now: Self.morning)
        #expect(changed[0].outcome.rule == "serial_reused")
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:ann").balance.available == 145)
    }

    @Test func aNonceIsAcceptedOnce() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        _ = try InclusionIntake(database).post([Self.steps("w1", "100")], from: amap, nonce: "nonce-0001", now: Self.morning)
        #expect(throws: InclusionRefusal.replay(nonce: "nonce-0001")) {
            try InclusionIntake(database).post([Self.steps("w2", "100")], from: amap, nonce: "nonce-0001", now: Self.morning)
        }
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:ann").credits.count == 1)
    }

    @Test func aPartnerPostsOnlyTheScenariosInItsScope() throws {
        let database = try temporaryWorkspace()
        let bikes = try Self.partner(database, "bikes", scenarios: ["cycle"])
        let posted = try InclusionIntake(database).post([Self.metro("m1")], from: bikes, now: Self.morning.addingTimeInterval(3600))
        #expect(posted[0].outcome.rule == "scope" && posted[0].status == "refused")
        // The refusal is recorded for the resident to see.
        let view = try InclusionAccounts(database).account(scheme: "city", did: "did:ann")
        #expect(view.credits.first?.outcome.reason == "partner bikes may not post scenario metro")
    }

    @Test func aTripPostedByTwoPartnersIsCreditedOnceAfterARestart() throws {
        let database = try sqliteWorkspace()
        let amap = try Self.partner(database), baidu = try Self.partner(database, "baidu")
        _ = try InclusionIntake(database).post([Self.metro("m1")], from: amap, now: Self.morning.addingTimeInterval(3600))
        // A second process (a restart) rebuilds the screen's memory from the stored credits.
        let restarted = try CityCarbonDatabase(path: database.path)
        let posted = try InclusionIntake(restarted).post([Self.metro("b-9", partner: "baidu")], from: baidu, now: Self.morning.addingTimeInterval(3700))
        #expect(posted[0].outcome.rule == "duplicate")
        #expect(try InclusionReads(restarted).reconcile().balanced)
    }

    @Test func transitIsClaimableFromDayTwoToDayNineAndExpiresAfter() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        let posted = try InclusionIntake(database).post([Self.metro("m1"), Self.metro("m2", at: 3600)], from: amap,
                                                        now: Self.morning.addingTimeInterval(7200))
        let accounts = InclusionAccounts(database)
        let early = try accounts.claim(scheme: "city", did: "did:ann", ids: [posted[0].id!], partner: "amap",
                                       now: Self.morning.addingTimeInterval(86_400))
        #expect(early.first.map { (try? $0.result.get()) == nil } == true)
        let inWindow = try accounts.claim(scheme: "city", did: "did:ann", ids: [posted[0].id!], partner: "amap",
                                          now: Self.morning.addingTimeInterval(9 * 86_400))
        #expect(try inWindow[0].result.get() == 467)
        // Day 10: the second credit's window has closed.
        let late = try accounts.claim(scheme: "city", did: "did:ann", ids: [posted[1].id!], partner: "amap",
                                      now: Self.morning.addingTimeInterval(10 * 86_400))
        #expect(late[0].result == .failure(.notClaimable(posted[1].id!, reason: "its claim window ended on 2026-03-19")))
        let view = try accounts.account(scheme: "city", did: "did:ann")
        #expect(view.balance == PointBalance(pending: 0, available: 467, held: 0))
        #expect(try InclusionReads(database).reconcile().balanced)
    }

    @Test func theExpirySweepExpiresEveryClosedWindow() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        _ = try InclusionIntake(database).post([Self.metro("m1"), Self.metro("m2", account: "did:bo")], from: amap, now: Self.morning.addingTimeInterval(3600))
        #expect(try InclusionAccounts(database).expire(now: Self.morning.addingTimeInterval(9 * 86_400)) == 0)
        #expect(try InclusionAccounts(database).expire(now: Self.morning.addingTimeInterval(10 * 86_400)) == 2)
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:bo").balance == PointBalance())
    }

    @Test func aHeldCreditMovesOnlyAfterReview() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        let events = (0..<61).map { index in
            BehaviourEvent(partner: "amap", serial: "p\(index)", scheme: "city", account: "did:ann", scenario: "parcel-box", startedAt: Self.start,
                           evidence: "operator", activity: [ActivityDatum(name: "boxes", unit: "box", value: Micro("1")!)])
        }
        let posted = try InclusionIntake(database).post(events, from: amap, now: Self.morning)
        #expect(posted[60].status == "held" && posted[60].outcome.rule == "account_velocity")
        let accounts = InclusionAccounts(database)
        #expect(try accounts.account(scheme: "city", did: "did:ann").balance == PointBalance(pending: 0, available: 60 * 37, held: 37))
        #expect(try InclusionReads(database).held().map(\.id) == [posted[60].id!])
        try accounts.release(posted[60].id!, by: "officer")
        #expect(try accounts.account(scheme: "city", did: "did:ann").balance == PointBalance(pending: 0, available: 61 * 37, held: 0))
        #expect(throws: InclusionRefusal.notHeld(posted[60].id!, status: "available")) { try accounts.reject(posted[60].id!, by: "officer") }
        #expect(try InclusionReads(database).reconcile().balanced)
    }

    @Test func redemptionsKeepStockLimitsAndSettle() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        _ = try InclusionIntake(database).post([Self.steps("w1", "5000"), Self.steps("w2", "2450", account: "did:bo")], from: amap, now: Self.morning)
        let accounts = InclusionAccounts(database)
        try accounts.addItem(RedemptionItem(code: "voucher-5", scheme: "city", merchant: "Green Grocer", name: "5 CNY voucher", pricePoints: 50,
                                            faceValueCNY: Micro("5")!, stockPerMonth: 2), by: "officer")
        let first = try accounts.redeem(scheme: "city", did: "did:ann", item: "voucher-5", quantity: 1, serial: "r1", partner: "amap", now: Self.morning)
        #expect(first.points == 50 && !first.repeated)
        #expect(try accounts.redeem(scheme: "city", did: "did:ann", item: "voucher-5", quantity: 1, serial: "r1", partner: "amap",
                                    now: Self.morning).repeated)
        // 49 points cannot buy a 50-point voucher.
        #expect(throws: InclusionRefusal.redemption(.insufficientPoints(available: 49, price: 50))) {
            try accounts.redeem(scheme: "city", did: "did:bo", item: "voucher-5", quantity: 1, serial: "r2", partner: "amap", now: Self.morning)
        }
        _ = try accounts.redeem(scheme: "city", did: "did:ann", item: "voucher-5", quantity: 1, serial: "r3", partner: "amap", now: Self.morning)
        #expect(throws: InclusionRefusal.redemption(.outOfStock(item: "voucher-5", month: "2026-03", stock: 2))) {
            try accounts.redeem(scheme: "city", did: "did:ann", item: "voucher-5", quantity: 1, serial: "r4", partner: "amap", now: Self.morning)
        }
        #expect(try accounts.settlement(month: "2026-03") == [SettlementLine(merchant: "Green Grocer", month: "2026-03", item: "voucher-5",
                                                                              redemptions: 2, points: 100, faceValueCNY: Micro("10")!)])
        #expect(try accounts.account(scheme: "city", did: "did:ann").balance.available == 0)
        #expect(try InclusionReads(database).reconcile().balanced)
    }

    @Test func aLotNeverTakesACreditTwiceAndIssuesIntoTheRegistry() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        // 2,200 walks of 50,000 steps (1,000 g each) by 2,200 residents: 2.2 t.
        let events = (0..<2_200).map { Self.steps("w\($0)", "50000", account: "did:\($0)") }
        _ = try InclusionIntake(database).post(events, from: amap, now: Self.morning)
        let lots = InclusionLots(database)
        try lots.markClaimedElsewhere([1], mechanism: "PHCER 2026-0012", by: "officer")
        let lot = try lots.build(scheme: "city", month: "2026-03", by: "officer")
        #expect(lot.id == "CITY-202603-1" && lot.credits == 2_199 && lot.grams == Micro("2199000") && lot.tonnes == 2)
        #expect(throws: InclusionRefusal.nothingToLot(scheme: "city", month: "2026-03")) {
            try lots.build(scheme: "city", month: "2026-03", by: "officer")
        }
        #expect(throws: InclusionRefusal.lotClaimedTwice(credit: 2)) { try lots.markClaimedElsewhere([2], mechanism: "CCER", by: "officer") }
        let registry = AllowanceRegistry(database)
        try registry.apply(.openAccount(RegistryAccount(id: "INCL-1", kind: .trading, holder: "City climate office", name: "Carbon inclusion",
                                                        representatives: [.init(login: "a", role: .authorised), .init(login: "b", role: .authorised)])))
        let entry = try lots.issue(lot.id, into: "INCL-1", by: "officer")
        #expect(entry.amount == 2 && entry.blocks.first?.unit == "PHCER" && entry.blocks.first?.vintage == 2026)
        #expect(throws: LedgerError.duplicateReference("inclusion-lot:CITY-202603-1")) { try lots.issue(lot.id, into: "INCL-1", by: "officer") }
        #expect(try lots.lot(lot.id)?.registrySequence == entry.sequence)
    }

    @Test func twoStaffBuildingTheSameLotAtOnceTakeEachCreditOnce() async throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        _ = try InclusionIntake(database).post((0..<300).map { Self.steps("w\($0)", "50000", account: "did:\($0)") }, from: amap, now: Self.morning)
        let results = await withTaskGroup(of: StoredLot?.self) { group in
            for staff in ["first", "second"] {
                group.addTask { try? InclusionLots(database).build(scheme: "city", month: "2026-03", by: staff) }
            }
            return await group.reduce(into: [StoredLot?]()) { $0.append($1) }
        }
        let built = results.compactMap { $0 }
        #expect(built.count == 1 && built[0].credits == 300)
        let inLots = try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_event WHERE lot IS NOT NULL") }
        #expect(inLots == 300)
    }

    @Test func anErasedResidentLeavesAWholeButUnlinkableLedger() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        _ = try InclusionIntake(database).post([Self.steps("w1", "7250"), Self.metro("m1")], from: amap, now: Self.morning)
        let accounts = InclusionAccounts(database)
        let export = try accounts.export(scheme: "city", did: "did:ann").serialized()
        #expect(export.contains("\"distance\"") && export.contains("\"account\":\"did:ann\""))
        try accounts.erase(scheme: "city", did: "did:ann", by: "did:ann")
        #expect(throws: InclusionRefusal.unknownAccount("did:ann")) { try accounts.account(scheme: "city", did: "did:ann") }
        let leftovers = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_event WHERE activity IS NOT NULL OR device IS NOT NULL OR district IS NOT NULL")
        }
        #expect(leftovers == 0)
        #expect(try InclusionReads(database).reconcile().balanced)
        #expect(try InclusionReads(database).total().grams == Micro("145"))
        let everything = try database.read { db in try String.fetchAll(db, sql: "SELECT did FROM inclusion_account") }
        #expect(!everything.contains("did:ann"))
    }

    /// The writer keeps pseudonyms' keys in memory; an erasure (here from a second handle on the
    /// workspace, as another process would) must still never link the old key to the pseudonym again.
    @Test func anErasedResidentPostingAgainStartsANewUnlinkedAccount() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        let intake = InclusionIntake(database)
        _ = try intake.post([Self.steps("w1", "7250")], from: amap, now: Self.morning)
        let key = { try database.read { db in try String.fetchOne(db, sql: "SELECT account_key FROM inclusion_account WHERE did = 'did:ann'") } }
        let old = try #require(try key())
        try InclusionAccounts(database).erase(scheme: "city", did: "did:ann", by: "did:ann")
        _ = try intake.post([Self.steps("w2", "3000")], from: amap, now: Self.morning.addingTimeInterval(86_400))
        let new = try #require(try key())
        #expect(new != old)
        let view = try InclusionAccounts(database).account(scheme: "city", did: "did:ann", partner: "amap")
        #expect(view.credits.map(\.serial) == ["w2"] && view.balance.available == 60)
    }

    @Test func rawActivityIsDroppedAfterTheRetentionPeriod() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        _ = try InclusionIntake(database).post([Self.steps("w1", "7250")], from: amap, now: Self.morning)
        let accounts = InclusionAccounts(database)
        #expect(try accounts.purge(now: Self.morning.addingTimeInterval(1_000 * 86_400)) == 0)
        #expect(try accounts.purge(now: Self.morning.addingTimeInterval(1_096 * 86_400)) == 1)
        #expect(try accounts.account(scheme: "city", did: "did:ann").credits[0].outcome.grams == Micro("145"))
    }

    @Test func totalsCountOnlyCreditedReductions() throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database)
        _ = try InclusionIntake(database).post([Self.steps("w1", "7250"), Self.metro("m1"), Self.steps("w2", "1000000")], from: amap, now: Self.morning)
        let reads = InclusionReads(database)
        // The metro trip is pending its claim and the million steps were refused: only the walk counts.
        #expect(try reads.totals(by: .behaviour) == [InclusionTotal(key: "walking", grams: Micro("145")!, credits: 1, accounts: 1)])
        #expect(try reads.totals(by: .district).map(\.key) == ["South"])
        #expect(try reads.decisionsByRule().map(\.rule) == ["implausible"])
    }

    @Test func concurrentPostsKeepTheLedgerBalanced() async throws {
        let database = try temporaryWorkspace()
        let amap = try Self.partner(database), baidu = try Self.partner(database, "baidu")
        await withTaskGroup(of: Void.self) { group in
            for batch in 0..<8 {
                group.addTask {
                    let partner = batch % 2 == 0 ? amap : baidu
                    let events = (0..<50).map { index in
                        BehaviourEvent(partner: partner.code, serial: "\(batch)-\(index)", scheme: "city", account: "did:\(index % 7)", scenario: "parcel-box",
                                       startedAt: Self.start, evidence: "operator", activity: [ActivityDatum(name: "boxes", unit: "box", value: Micro("1")!)])
                    }
                    _ = try? InclusionIntake(database).post(events, from: partner, now: Self.morning)
                }
            }
        }
        let reconciliation = try InclusionReads(database).reconcile()
        #expect(reconciliation.balanced && reconciliation.entries == 400)
    }

    @Test func theDemoCitysResidentsGoThroughTheRealScreenAndTheLedgerReconciles() throws {
        let database = try temporaryWorkspace()
        #expect(try DemoCity.seed(database, inclusion: true))
        let reads = InclusionReads(database)
        #expect(try reads.reconcile().balanced)
        #expect(try reads.total(year: 2023).credits > 2_000)
        // Its planted fraud: a 40 km/h walk and the same metro trip from two partners every sample day; a held burst.
        let rules = Set(try reads.decisionsByRule().map(\.rule))
        #expect(rules.isSuperset(of: ["speed", "duplicate", "device_accounts"]))
        #expect(!(try reads.held().isEmpty))
        #expect(try InclusionLots(database).all().map(\.month).contains("2023-06"))
        #expect(!(try InclusionAccounts(database).settlement(month: String(Day.today.description.prefix(7)))).isEmpty)
    }
}
