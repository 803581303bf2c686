import CarbonKit
import Foundation

/// The registry's controls as data (`Resources/registry-rules.json`, with its sources): how many
/// representatives an account needs, how long a trusted-list entry takes to activate, the delay of
/// a transfer to an account outside the list, the registry's hours, and what each kind of account
/// may do. A city or a pilot scheme changes them by changing the file, not the code.
public struct RegistryRules: Sendable, Decodable {
    public struct Hours: Sendable, Decodable {
        /// An IANA time-zone name: the registry's clock.
        public var time_zone: String
        public var opens_hour: Int
        public var closes_hour: Int
        /// Open weekdays, 1 = Sunday … 7 = Saturday (Foundation's numbering).
        public var weekdays: [Int]
    }

    /// What a transfer to an account outside the sender's trusted list does.
    public enum OutsideTrustedList: String, Sendable, Decodable {
        case immediate, delayed, refused
    }

    public struct AccountKindRules: Sendable, Decodable {
        public var outside_trusted_list: OutsideTrustedList?
        /// A final account (surrender, cancellation, retirement) receives units and never sends them.
        public var final: Bool?
        public var holds_for_trading: Bool?
    }

    public struct Article64: Sendable, Decodable {
        public var share_of_proceeds: Double
        public var overall_mitigation: Double
    }

    public struct Representatives: Sendable, Decodable {
        public var minimum_authorised: Int
    }

    public var source: String
    public var representatives: Representatives
    public var trusted_list_activation_business_days: Int
    public var delay_outside_trusted_list_hours: Int
    public var registry_hours: Hours
    public var holidays: [Day]
    public var account_kinds: [String: AccountKindRules]
    public var article_6_4_issuance: Article64

    /// The rules the platform ships with.
    public static let standard: RegistryRules = ReferenceData.load("registry-rules")

    public func kind(_ kind: AccountKind) -> AccountKindRules {
        account_kinds[kind.rawValue] ?? AccountKindRules(outside_trusted_list: .refused, final: false, holds_for_trading: false)
    }

    /// The registry's clock under these rules.
    public var calendar: RegistryCalendar {
        RegistryCalendar(timeZone: TimeZone(identifier: registry_hours.time_zone) ?? TimeZone(secondsFromGMT: 0)!,
                         opensHour: registry_hours.opens_hour, closesHour: registry_hours.closes_hour,
                         weekdays: Set(registry_hours.weekdays), holidays: Set(holidays))
    }
}
