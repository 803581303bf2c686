import CarbonKit

/// One activity value a partner reports, with its unit, as AntChain's `active_datum` carries it.
public struct ActivityDatum: Sendable, Hashable, Codable {
    public var name: String
    public var unit: String
    public var value: Micro

    public init(name: String, unit: String, value: Micro) { (self.name, self.unit, self.value) = (name, unit, value) }

    /// The value in `target` units when the two units measure the same thing; nil otherwise.
    public func value(in target: String) -> Micro? {
        if unit == target { return value }
        guard let from = Self.units[unit], let to = Self.units[target], from.dimension == to.dimension else { return nil }
        return Micro.multiplyDivide(value.millionths, from.millionthsOfBase, to.millionthsOfBase).map(Micro.init(millionths:))
    }

    /// Units a partner may send, as millionths of their dimension's base unit. Definitions, not
    /// reference data: a kilometre is a thousand metres wherever one is.
    private static let units: [String: (dimension: String, millionthsOfBase: Int64)] = [
        "m": ("length", 1_000), "km": ("length", 1_000_000),
        "Wh": ("energy", 1_000), "kWh": ("energy", 1_000_000),
        "s": ("time", 1_000_000), "min": ("time", 60_000_000), "h": ("time", 3_600_000_000),
    ]
}

/// A resident's behaviour as a partner platform (or the city's own app, `Self`) reports it:
/// the partner's serial is its idempotency key, the account is the partner's pseudonym for the
/// resident, and the raw activity data is kept so the credit can be computed again.
public struct BehaviourEvent: Sendable, Hashable, Codable {
    public var partner: String
    public var serial: String
    public var scheme: String
    public var account: String
    public var scenario: String
    /// Seconds since 1970 (UTC) the activity started and, for a trip, ended.
    public var startedAt: Int64
    public var endedAt: Int64?
    public var device: String?
    /// `operator`, `meter`, `screenshot`, `self_check_in`: what vouches for the activity.
    public var evidence: String
    public var navigation: Bool?
    /// Household conditions a household methodology's exclusions look at (`tariff_tier_3`, `distributed_pv`).
    public var conditions: [String]
    /// The district the resident lives in, when the partner knows it: for totals by district.
    public var district: String?
    public var activity: [ActivityDatum]

    public init(partner: String, serial: String, scheme: String, account: String, scenario: String, startedAt: Int64,
                endedAt: Int64? = nil, device: String? = nil, evidence: String, navigation: Bool? = nil,
                conditions: [String] = [], district: String? = nil, activity: [ActivityDatum]) {
        (self.partner, self.serial, self.scheme, self.account, self.scenario) = (partner, serial, scheme, account, scenario)
        (self.startedAt, self.endedAt, self.device, self.evidence) = (startedAt, endedAt, device, evidence)
        (self.navigation, self.conditions, self.district, self.activity) = (navigation, conditions, district, activity)
    }

    public func datum(_ name: String) -> ActivityDatum? { activity.first { $0.name == name } }
}
