/// Ranks comparable sites by how much they use per square metre or per unit of output, so the
/// one that wastes energy stands out (the article "'雙碳'願景下的'世界數字友好城市'建設", 2022, §五.3: two sites doing the same work).
public enum IntensityBenchmark {
    public struct Input: Sendable, Hashable {
        public let siteKey: String
        /// Sites are compared only within a peer group (kind and use).
        public let peerGroup: String
        /// kWh, or kg CO2e, over the period.
        public let amount: Double
        /// m² of floor area, or units of output over the same period.
        public let denominator: Double

        public init(siteKey: String, peerGroup: String, amount: Double, denominator: Double) {
            (self.siteKey, self.peerGroup, self.amount, self.denominator) = (siteKey, peerGroup, amount, denominator)
        }
    }

    public struct Entry: Sendable, Hashable, Codable {
        public let siteKey: String
        public let peerGroup: String
        public let intensity: Double
        /// 1 = least intensive in its group.
        public let rank: Int
        public let groupSize: Int
        /// The median intensity of the *other* sites in the group; nil for a site alone in its group.
        public let peerMedian: Double?
        /// Intensity ÷ peer median.
        public let ratioToPeers: Double?
        /// At least `outlierRatio` times its peers.
        public let isOutlier: Bool
    }

    /// Entries per site, grouped and ranked; sites without a positive denominator are left out.
    /// A site is compared with the median of its peers *without itself*, so in a group of two the
    /// wasteful one is measured against the efficient one, not against an average it inflates.
    public static func rank(_ inputs: [Input], outlierRatio: Double = 1.2) -> [Entry] {
        let usable = inputs.filter { $0.denominator > 0 }
        var entries: [Entry] = []
        for (group, members) in Dictionary(grouping: usable, by: \.peerGroup).sorted(by: { $0.key < $1.key }) {
            let sorted = members.map { ($0, $0.amount / $0.denominator) }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0.siteKey < $1.0.siteKey) }
            for (index, (input, intensity)) in sorted.enumerated() {
                let others = sorted.enumerated().filter { $0.offset != index }.map(\.element.1)
                let peerMedian = others.isEmpty ? nil : Baseline.median(others)
                let ratio = peerMedian.flatMap { $0 > 0 ? intensity / $0 : nil }
                entries.append(Entry(siteKey: input.siteKey, peerGroup: group, intensity: intensity, rank: index + 1,
                                     groupSize: sorted.count, peerMedian: peerMedian, ratioToPeers: ratio,
                                     isOutlier: (ratio ?? 0) >= outlierRatio))
            }
        }
        return entries
    }
}
