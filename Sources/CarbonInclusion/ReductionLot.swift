import CarbonKit

/// A credit as the lot builder sees it: its reduction, evidence, and whether it is already
/// spoken for — in a lot, or claimed under another mechanism (DB11/T 3043-2024: the same
/// reduction is never claimed under two mechanisms).
public struct LotCandidate: Sendable, Equatable {
    public var credit: Int64
    public var grams: Micro
    public var evidence: String
    public var day: Day
    public var lot: String?
    public var claimedElsewhere: String?
    public var settled: Bool

    public init(credit: Int64, grams: Micro, evidence: String, day: Day, lot: String? = nil, claimedElsewhere: String? = nil, settled: Bool) {
        (self.credit, self.grams, self.evidence, self.day, self.lot, self.claimedElsewhere, self.settled) =
            (credit, grams, evidence, day, lot, claimedElsewhere, settled)
    }
}

/// A lot of verified reductions of one scheme and month, to be issued as whole tonnes into a
/// registry. The tonnes are rounded down; the grams below the last whole tonne go with the lot
/// and are never issued or reused, so a lot never claims more than its credits hold.
public struct ReductionLot: Sendable, Equatable {
    public var id: String
    public var scheme: String
    public var month: String
    public var credits: [Int64]
    public var grams: Micro
    public var tonnes: Int64 { grams.millionths / 1_000_000 / 1_000_000 }

    /// The lot of `month` (`YYYY-MM`) from `candidates`: only settled credits (claimed or credited
    /// outright, not held, pending or expired) with lot-grade evidence, in no lot yet and not
    /// claimed elsewhere. Nil when nothing qualifies.
    public static func assemble(id: String, scheme: InclusionScheme, month: String, from candidates: [LotCandidate]) -> ReductionLot? {
        let eligible = candidates.filter {
            $0.settled && $0.lot == nil && $0.claimedElsewhere == nil && scheme.lot_evidence.contains($0.evidence)
                && $0.day.description.hasPrefix(month + "-") && $0.grams.millionths > 0
        }
        guard !eligible.isEmpty else { return nil }
        return ReductionLot(id: id, scheme: scheme.code, month: month, credits: eligible.map(\.credit).sorted(),
                            grams: eligible.reduce(Micro.zero) { $0 + $1.grams })
    }
}
