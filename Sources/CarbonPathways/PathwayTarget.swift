/// A goal the pathway is checked against: peak by a year, a cut from a base year, net zero,
/// a carbon budget, an intensity cut.
public struct PathwayTarget: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Emissions peak in or before `year`.
        case peakBy = "peak_by"
        /// Emissions in `year` at least `percent` below `baseYear`.
        case reduction
        /// Net emissions (gross − sinks − offsets) at or below zero in `year`.
        case netZeroBy = "net_zero_by"
        /// Gross emissions at or below `tonnes` (0 by default) in `year`.
        case grossBy = "gross_by"
        /// Cumulative emissions from `baseYear` to `year` within `tonnes`.
        case budget
        /// Emissions per unit of GDP in `year` at least `percent` below `baseYear`.
        case intensityReduction = "intensity_reduction"
    }
    public enum Basis: String, Sendable, Hashable, Codable { case gross, net }

    public var id: String
    public var name: [String: String]?
    public var kind: Kind
    public var year: Int
    public var baseYear: Int?
    public var percent: Double?
    public var tonnes: Double?
    /// Which emissions the target reads; gross by default, net for net zero.
    public var basis: Basis?
    public var source: String?

    public init(id: String, kind: Kind, year: Int, baseYear: Int? = nil, percent: Double? = nil, tonnes: Double? = nil, basis: Basis? = nil) {
        self.id = id
        self.kind = kind
        self.year = year
        self.baseYear = baseYear
        self.percent = percent
        self.tonnes = tonnes
        self.basis = basis
    }

    public func name(_ language: String) -> String { name?[language] ?? name?["en"] ?? id }

    public var effectiveBasis: Basis { basis ?? (kind == .netZeroBy ? .net : .gross) }
}
