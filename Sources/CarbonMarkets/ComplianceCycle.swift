import CarbonKit
import Foundation

/// What a compliance cycle of China's national market asks of a unit, by the cycle's own rules
/// held as data (`Resources/compliance-cycles.json`, with their sources): how much must be
/// surrendered, how much may be borrowed from the next cycle or banked into it, and how much of
/// the surrender may be offsets. A rule a cycle does not have gives nothing (no borrowing in
/// 2023–24, no cap on the obligation after the first cycle).
public struct ComplianceCycle: Sendable, Decodable {
    public var name: String
    public var years: [Int]
    var obligation_cap_share_of_verified: Double?
    var gas_obligation_capped_at_allocation: Bool?
    var borrow_share_of_gap: Double?
    var borrow_when_gap_exceeds_share_of_allocation: Double?
    var banking_base_tonnes: Double?
    var banking_per_net_tonne_sold: Double?
    var offsets_max_share_of_obligation: Double?
    var surrender_by: [String: String]?

    struct File: Decodable {
        struct Shortfall: Decodable { var deduction_from_next_allocation_per_tonne: Double }
        struct MonthDay: Decodable { var month_day: String; var years_after: Int }
        struct Deadlines: Decodable {
            var surrender_by_default: MonthDay
            var verified_emissions_by: MonthDay
            var allowance_units: [String]
            var offset_units: [String]
        }
        var source: String
        var cycles: [ComplianceCycle]
        var shortfall: Shortfall
        var deadlines: Deadlines
    }

    private static let file = ReferenceData.load("compliance-cycles", as: File.self)

    /// Every cycle the platform knows, oldest first.
    public static let all: [ComplianceCycle] = file.cycles

    /// Tonnes deducted from next year's allocation per tonne not surrendered.
    public static var deductionPerTonneShort: Double { file.shortfall.deduction_from_next_allocation_per_tonne }

    /// The last day to surrender for `year`: the cycle's date, or the default (31 December of the
    /// next year) for a year no known cycle has fixed yet.
    public static func surrenderDeadline(year: Int) -> Day? {
        if let date = of(year: year)?.surrender_by?[String(year)] { return Day(date) }
        return Day("\(year + file.deadlines.surrender_by_default.years_after)-\(file.deadlines.surrender_by_default.month_day)")
    }

    /// The last day for `year`'s verified emissions: an operator account without them is blocked after it.
    public static func verifiedEmissionsDeadline(year: Int) -> Day? {
        Day("\(year + file.deadlines.verified_emissions_by.years_after)-\(file.deadlines.verified_emissions_by.month_day)")
    }

    /// Units that count as allowances, and as offsets, when surrendered.
    public static var allowanceUnits: Set<String> { Set(file.deadlines.allowance_units) }
    public static var offsetUnits: Set<String> { Set(file.deadlines.offset_units) }

    /// The cycle a year belongs to, nil for a year outside every known cycle.
    public static func of(year: Int) -> ComplianceCycle? { all.first { $0.years.contains(year) } }

    /// Tonnes to surrender for `verified` emissions and a free `allocation`: the verified emissions,
    /// capped in the first cycle at the allocation plus a share of the verified emissions (gas
    /// units at their allocation).
    public func obligation(verified: Double, allocation: Double, gas: Bool = false) -> Double {
        var cap = Double.infinity
        if let share = obligation_cap_share_of_verified { cap = allocation + share * verified }
        if gas, gas_obligation_capped_at_allocation == true { cap = allocation }
        return max(0, min(verified, cap))
    }

    /// Tonnes a unit short of allowances may borrow from the next cycle: a share of the gap, when
    /// the gap exceeds a share of the allocation; none in a cycle without borrowing.
    public func maximumBorrowing(verified: Double, allocation: Double) -> Double {
        guard let share = borrow_share_of_gap, let threshold = borrow_when_gap_exceeds_share_of_allocation else { return 0 }
        let gap = verified - allocation
        return gap > threshold * allocation ? share * gap : 0
    }

    /// Tonnes a unit may bank into the next cycle after selling `netSold` net; unlimited (nil) where the cycle sets no cap.
    public func bankingCap(netSold: Double) -> Double? {
        guard let base = banking_base_tonnes, let perTonne = banking_per_net_tonne_sold else { return nil }
        return base + perTonne * max(0, netSold)
    }

    /// Tonnes of the obligation that offsets (CCER) may cover.
    public func maximumOffsets(obligation: Double) -> Double { (offsets_max_share_of_obligation ?? 0) * max(0, obligation) }
}
