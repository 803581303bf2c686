/// Something in a datastream's data that a person should look at.
public struct Anomaly: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Far above what this hour of the week usually uses.
        case spike
        /// The same value hour after hour where use normally varies: a stuck register or sensor.
        case flatline
        /// A consumption below zero, which a consuming meter cannot produce.
        case negative
        /// More than the connection could physically deliver in the interval.
        case impossible
        /// The register went back without a plausible wrap: meter exchanged or reset.
        case reset
        /// No reading for longer than expected.
        case missing
        /// A register moved across a silence longer than a day: when the consumption happened is
        /// unknown, so it is counted in no hour.
        case unplaced
    }

    public let kind: Kind
    public let from: UnixSeconds
    public let to: UnixSeconds
    public let observed: Double?
    public let expected: Double?

    public init(kind: Kind, from: UnixSeconds, to: UnixSeconds, observed: Double? = nil, expected: Double? = nil) {
        (self.kind, self.from, self.to, self.observed, self.expected) = (kind, from, to, observed, expected)
    }
}
