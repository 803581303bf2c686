import CarbonKit

/// What the fraud screen decided for one event. Every refusal and hold names its rule and a
/// reason a resident can read through the partner's app; nothing is dropped without one.
public struct ScreeningOutcome: Sendable, Hashable, Codable {
    public enum Decision: String, Sendable, Codable, CaseIterable {
        /// Credited in full.
        case credited
        /// Credited up to a cap; the rest refused under `rule`.
        case capped
        /// Credited but held for review: no points move until staff release it.
        case held
        /// Nothing credited.
        case refused
    }

    public var decision: Decision
    /// `code@version` the reduction was computed with; nil when no methodology applied.
    public var methodology: String?
    public var behaviour: String?
    /// Local day of the activity under the scheme's time zone.
    public var day: Day
    public var grams: Micro
    public var points: Int64
    public var rule: String?
    public var reason: String?
    /// For lagged credits: the first and last local day the resident may claim them.
    public var claimableFrom: Day?
    public var claimableUntil: Day?

    public var counts: Bool { decision != .refused }

    public init(decision: Decision, methodology: String?, behaviour: String?, day: Day, grams: Micro, points: Int64, rule: String?,
                reason: String?, claimableFrom: Day?, claimableUntil: Day?) {
        (self.decision, self.methodology, self.behaviour, self.day, self.grams, self.points) = (decision, methodology, behaviour, day, grams, points)
        (self.rule, self.reason, self.claimableFrom, self.claimableUntil) = (rule, reason, claimableFrom, claimableUntil)
    }

    public static func refused(_ rule: String, _ reason: String, day: Day, methodology: Methodology? = nil) -> ScreeningOutcome {
        ScreeningOutcome(decision: .refused, methodology: methodology?.id, behaviour: methodology?.behaviour, day: day, grams: .zero,
                         points: 0, rule: rule, reason: reason, claimableFrom: nil, claimableUntil: nil)
    }
}
