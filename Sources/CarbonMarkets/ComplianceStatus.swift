/// An installation's compliance for one year: what it had to surrender, what counted, what is
/// missing, and its code, as the EU's compliance data publishes it (A: surrendered at least the
/// obligation; B: surrendered less; C: no verified emissions by the deadline).
public struct ComplianceStatus: Sendable, Equatable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case A, B, C
        /// Outside the scheme this year.
        case excluded = "EXCLUDED"
    }

    public var year: Int
    public var code: Code
    /// Tonnes to surrender under the year's cycle; nil without verified emissions.
    public var obligation: Double?
    /// Offsets counted towards the obligation: at most the cycle's share.
    public var offsetsCounted: Double
    /// Offsets surrendered beyond that share, which do not count.
    public var offsetsRefused: Double
    public var shortfall: Double
    /// Tonnes to deduct from next year's allocation for the shortfall.
    public var deductionFromNextAllocation: Double

    /// The status from the year's verified emissions (nil when none were entered by the
    /// deadline), free allocation, and the allowances and offsets surrendered for it.
    public static func assess(year: Int, verified: Double?, allocation: Double, surrenderedAllowances: Double,
                              surrenderedOffsets: Double = 0, gas: Bool = false, excluded: Bool = false) -> ComplianceStatus {
        if excluded {
            return ComplianceStatus(year: year, code: .excluded, obligation: nil, offsetsCounted: 0, offsetsRefused: 0, shortfall: 0,
                                    deductionFromNextAllocation: 0)
        }
        guard let verified, verified.isFinite, verified >= 0 else {
            return ComplianceStatus(year: year, code: .C, obligation: nil, offsetsCounted: 0, offsetsRefused: max(0, surrenderedOffsets),
                                    shortfall: 0, deductionFromNextAllocation: 0)
        }
        let cycle = ComplianceCycle.of(year: year)
        let obligation = cycle?.obligation(verified: verified, allocation: allocation, gas: gas) ?? verified
        let offsetCap = cycle?.maximumOffsets(obligation: obligation) ?? 0
        let offsets = min(max(0, surrenderedOffsets), offsetCap)
        let covered = max(0, surrenderedAllowances) + offsets
        let shortfall = max(0, obligation - covered)
        return ComplianceStatus(year: year, code: shortfall > 0 ? .B : .A, obligation: obligation, offsetsCounted: offsets,
                                offsetsRefused: max(0, surrenderedOffsets) - offsets, shortfall: shortfall,
                                deductionFromNextAllocation: shortfall * ComplianceCycle.deductionPerTonneShort)
    }
}
