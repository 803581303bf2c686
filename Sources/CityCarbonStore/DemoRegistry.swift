import CarbonMarkets
import Foundation

/// The demo city's allowance registry: an allocation account, three key emitters, a trader and
/// the registry's final accounts, with a year of allocation, trading, surrender and retirement.
/// Made up (illustrative, not real holdings), but every entry goes through the ledger's rules.
public enum DemoRegistry {
    /// The year the demo's allocation, trading and surrender are for (the units' vintage).
    public static let complianceYear = 2024

    public static func seed(_ database: CityCarbonDatabase, now: Date = Date()) throws {
        let registry = AllowanceRegistry(database)
        func reps(_ id: String) -> [RegistryAccount.Representative] {
            [.init(login: "\(id.lowercased())-officer", role: .authorised), .init(login: "\(id.lowercased())-manager", role: .authorised)]
        }
        func day(_ offset: Int) -> Date { now.addingTimeInterval(Double(offset) * 86_400) }
        func transfer(_ from: String, _ to: String, _ amount: Int64, unit: String = "CEA", vintage: Int? = nil,
                      purpose: Transfer.Purpose = .transfer, _ reference: String, approved: Int) -> LedgerOperation {
            .transfer(Transfer(from: from, to: to, amount: amount, unit: unit, vintage: vintage, purpose: purpose,
                               proposedBy: "\(from.lowercased())-officer", approvedBy: "\(from.lowercased())-manager",
                               approvedAt: day(approved), reference: reference))
        }
        let accounts: [(String, AccountKind, String?, String)] = [
            ("CITY-ALLOC", .nationalAllocation, nil, "Demo City allocation account"),
            ("NB-POWER", .operatorHolding, DemoEnterprises.power, "Northbank Power Plant"),
            ("EH-STEEL", .operatorHolding, DemoEnterprises.steel, "East Harbour Steel Works"),
            ("WH-CEMENT", .operatorHolding, DemoEnterprises.cement, "West Hills Cement Plant"),
            ("GREEN-TRADE", .trading, "Green Exchange Services Co.", "Green Exchange trading account"),
        ]
        var operations: [LedgerOperation] = accounts.map { id, kind, holder, name in
            .openAccount(RegistryAccount(id: id, kind: kind, holder: holder, name: name, representatives: reps(id)))
        }
        operations += [("SURRENDER", AccountKind.surrender, "Surrender account"), ("CANCELLATION", .cancellation, "Voluntary cancellation account"),
                       ("RETIREMENT", .retirement, "Retirement account")].map {
            .openAccount(RegistryAccount(id: $0.0, kind: $0.1, name: $0.2))
        }
        try apply(registry, operations, at: day(-330))
        try apply(registry, [.issue(to: "CITY-ALLOC", unit: "CEA", vintage: 2024, amount: 2_400_000, by: "registrar", reference: "demo-issue-CEA-2024"),
                             .issue(to: "GREEN-TRADE", unit: "CCER", vintage: 2024, amount: 60_000, by: "registrar", reference: "demo-issue-CCER-2024")],
                  at: day(-320))
        try apply(registry, [transfer("CITY-ALLOC", "NB-POWER", 1_643_600, "demo-allocate-NB", approved: -310),
                             transfer("CITY-ALLOC", "EH-STEEL", 420_000, "demo-allocate-EH", approved: -310),
                             transfer("CITY-ALLOC", "WH-CEMENT", 210_000, "demo-allocate-WH", approved: -310)], at: day(-310))
        try apply(registry, [.trust(account: "NB-POWER", trusted: "GREEN-TRADE", proposedBy: "nb-power-officer", approvedBy: "nb-power-manager"),
                             .trust(account: "WH-CEMENT", trusted: "GREEN-TRADE", proposedBy: "wh-cement-officer", approvedBy: "wh-cement-manager"),
                             .trust(account: "GREEN-TRADE", trusted: "EH-STEEL", proposedBy: "green-trade-officer", approvedBy: "green-trade-manager")],
                  at: day(-300))
        try apply(registry, [transfer("NB-POWER", "GREEN-TRADE", 85_000, "demo-sale-NB", approved: -200),
                             transfer("GREEN-TRADE", "EH-STEEL", 40_000, "demo-sale-EH", approved: -190),
                             transfer("GREEN-TRADE", "EH-STEEL", 12_000, unit: "CCER", "demo-sale-EH-CCER", approved: -190)], at: day(-180))
        try apply(registry, [transfer("NB-POWER", "SURRENDER", 1_540_200, purpose: .surrender(complianceYear: 2024), "demo-surrender-NB", approved: -40),
                             transfer("EH-STEEL", "SURRENDER", 448_000, purpose: .surrender(complianceYear: 2024), "demo-surrender-EH", approved: -40),
                             transfer("EH-STEEL", "SURRENDER", 12_000, unit: "CCER", purpose: .surrender(complianceYear: 2024), "demo-surrender-EH-CCER", approved: -40),
                             transfer("WH-CEMENT", "SURRENDER", 205_500, purpose: .surrender(complianceYear: 2024), "demo-surrender-WH", approved: -40),
                             transfer("GREEN-TRADE", "RETIREMENT", 5_000, unit: "CCER", purpose: .retirement, "demo-retire-GT", approved: -30)],
                  at: day(-30))
    }

    private static func apply(_ registry: AllowanceRegistry, _ operations: [LedgerOperation], at date: Date) throws {
        for result in try registry.apply(operations, at: date) { _ = try result.get() }
    }
}
