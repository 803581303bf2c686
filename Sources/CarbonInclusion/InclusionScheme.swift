import CarbonKit
import Foundation

/// A carbon-inclusion scheme: the city's own account, or a partner's (Ant Forest). It adopts one
/// methodology version per scenario and says how its grams become points — the two quantities
/// are never mixed: a reduction is grams of CO2e, points are whole numbers of the scheme's own
/// unit, and only the scheme's rule turns one into the other.
public struct InclusionScheme: Sendable, Decodable {
    public struct PointsRule: Sendable, Decodable {
        public var per_gram: Micro
        /// `down` only: points are never rounded up past what the reduction earned.
        public var rounding: String
    }

    public struct Velocity: Sendable, Decodable {
        public var account_events_per_hour: Int
        public var device_events_per_hour: Int
        /// Accounts one device may post for in a day before the rest are held.
        public var device_accounts_per_day: Int
    }

    public var code: String
    public var name: String
    public var time_zone: String
    public var points: PointsRule
    /// How much a kind of evidence is worth against the strongest (`operator`: the transit
    /// operator's own record). A kind not listed is not accepted.
    public var evidence_weights: [String: Micro]
    /// Evidence strong enough for a reduction to go into a lot sold or surrendered elsewhere.
    public var lot_evidence: [String]
    /// The unit type a lot is issued as in a registry.
    public var registry_unit: String
    /// Days a lagged credit stays claimable once issued; nil: credits are claimed at once.
    public var claim_window_days: Int?
    /// Days raw activity data is kept before only the credit remains.
    public var retention_days: Int
    /// Grams one account may earn in a day across all behaviours.
    public var daily_cap_g: Micro?
    public var velocity: Velocity
    /// Scenario code → `methodology@version`.
    public var scenarios: [String: String]
    public var source: String

    /// The UTC offset of the scheme's day, in seconds: caps and windows count local days.
    public var utcOffsetSeconds: Int { TimeZone(identifier: time_zone)?.secondsFromGMT() ?? 0 }

    /// Points for `grams` of reduction with evidence `evidence`; nil when the evidence is not accepted.
    public func points(for grams: Micro, evidence: String) -> Int64? {
        guard let weight = evidence_weights[evidence] else { return nil }
        guard let scaled = grams.times(points.per_gram), let weighted = scaled.times(weight) else { return nil }
        return max(0, weighted.floor)
    }
}
