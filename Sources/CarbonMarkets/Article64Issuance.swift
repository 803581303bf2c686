/// How an issuance under the Paris Agreement's Article 6.4 mechanism is shared out: a share
/// of proceeds for adaptation and a cancellation for overall mitigation in global emissions
/// come off the top, the rest goes to the holder (rates in `Resources/registry-rules.json`).
public struct Article64Issuance: Sendable, Equatable {
    public var shareOfProceeds: Int64
    public var overallMitigation: Int64
    public var holder: Int64

    /// The split of `issued` units; shares round half up to whole units, the holder takes the
    /// rest, so the three always add up to the issuance.
    public init(issued: Int64, rules: RegistryRules = .standard) {
        precondition(issued >= 0)
        let rates = rules.article_6_4_issuance
        shareOfProceeds = Int64((Double(issued) * rates.share_of_proceeds).rounded(.toNearestOrAwayFromZero))
        overallMitigation = Int64((Double(issued) * rates.overall_mitigation).rounded(.toNearestOrAwayFromZero))
        holder = issued - shareOfProceeds - overallMitigation
    }
}
