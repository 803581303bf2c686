import CarbonKit

/// Where an enterprise stands for one compliance year, as the regulator's desk and the public
/// disclosure show it: verified emissions, allowances allocated, surrendered and owed back, and
/// the year's code. Before the surrender deadline the year is open and the code is what it would
/// be if the deadline were today; after it the code is final.
public struct CompliancePosition: Sendable, Equatable {
    public var enterprise: String
    public var year: Int
    public var verified: Double?
    /// Free allocation issued for the year (pre-allocation and true-up), whole units.
    public var allocated: Int64
    /// Pre-allocated units beyond the final allocation, owed back by surrendering them too.
    public var returnDue: Int64
    public var surrenderedAllowances: Int64
    public var surrenderedOffsets: Int64
    public var status: ComplianceStatus
    public var surrenderDeadline: Day?
    public var verifiedDeadline: Day?
    /// Whether the surrender deadline is still ahead on the day assessed.
    public var open: Bool

    /// Units still to surrender: the obligation and any units owed back, less what counted.
    public var toSurrender: Double {
        guard let obligation = status.obligation else { return 0 }
        return max(0, obligation + Double(returnDue) - Double(surrenderedAllowances) - status.offsetsCounted)
    }

    /// Whether the verified-emissions deadline has passed without them: the operator account is to be blocked.
    public var verifiedMissingAfterDeadline: Bool { verified == nil && verifiedDeadline.map { $0 < assessedOn } == true }

    /// The day the position was assessed on.
    public var assessedOn: Day

    public static func assess(enterprise: String, year: Int, verified: Double?, allocated: Int64, returnDue: Int64 = 0,
                              surrenderedAllowances: Int64, surrenderedOffsets: Int64, on day: Day, gas: Bool = false) -> CompliancePosition {
        // Units owed back are surrendered alongside the obligation: they count against it only once that is covered.
        let status = ComplianceStatus.assess(year: year, verified: verified, allocation: Double(allocated - returnDue),
                                             surrenderedAllowances: Double(max(0, surrenderedAllowances - returnDue)),
                                             surrenderedOffsets: Double(surrenderedOffsets), gas: gas)
        let deadline = ComplianceCycle.surrenderDeadline(year: year)
        return CompliancePosition(enterprise: enterprise, year: year, verified: verified, allocated: allocated, returnDue: returnDue,
                                  surrenderedAllowances: surrenderedAllowances, surrenderedOffsets: surrenderedOffsets, status: status,
                                  surrenderDeadline: deadline, verifiedDeadline: ComplianceCycle.verifiedEmissionsDeadline(year: year),
                                  open: deadline.map { day <= $0 } ?? true, assessedOn: day)
    }
}
