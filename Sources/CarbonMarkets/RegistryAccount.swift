import Foundation

/// The kinds of account a registry keeps (after the EU Union Registry's account types).
public enum AccountKind: String, Sendable, Codable, CaseIterable {
    case nationalAllocation = "national_allocation"
    case operatorHolding = "operator_holding"
    case aircraftOperatorHolding = "aircraft_operator_holding"
    case personHolding = "person_holding"
    case trading
    case surrender
    case cancellation
    case retirement
}

/// A registry account: who holds it, who may act for it, and which accounts it trusts.
public struct RegistryAccount: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case open
        /// Sends nothing until unblocked, e.g. when verified emissions are missing at the deadline.
        case blocked
        case closed
    }

    public enum Role: String, Sendable, Codable {
        /// Proposes and approves transfers.
        case authorised
        /// Approves only: the second pair of eyes.
        case additional
    }

    public struct Representative: Sendable, Equatable, Codable {
        public var login: String
        public var role: Role
        public init(login: String, role: Role) { (self.login, self.role) = (login, role) }
    }

    /// A trusted-list entry: transfers to `account` go without delay from `activeFrom`.
    public struct TrustedEntry: Sendable, Equatable, Codable {
        public var account: String
        public var activeFrom: Date
        public init(account: String, activeFrom: Date) { (self.account, self.activeFrom) = (account, activeFrom) }
    }

    public var id: String
    public var kind: AccountKind
    /// The enterprise or person holding it; nil for the registry's own accounts.
    public var holder: String?
    public var name: String
    public var status: Status
    public var representatives: [Representative]
    public var trusted: [TrustedEntry]

    public init(id: String, kind: AccountKind, holder: String? = nil, name: String, status: Status = .open,
                representatives: [Representative] = [], trusted: [TrustedEntry] = []) {
        (self.id, self.kind, self.holder, self.name, self.status) = (id, kind, holder, name, status)
        (self.representatives, self.trusted) = (representatives, trusted)
    }

    public func representative(_ login: String) -> Representative? { representatives.first { $0.login == login } }

    /// Whether `other` is on this account's trusted list and active at `date`.
    public func trusts(_ other: String, at date: Date) -> Bool {
        trusted.contains { $0.account == other && $0.activeFrom <= date }
    }

    /// Account ids are what serial look-ups and statements print: 3–40 ASCII letters, digits, `-` and `_`.
    public static func isValidID(_ id: String) -> Bool {
        (3...40).contains(id.utf8.count) && id.utf8.allSatisfy {
            (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95
        }
    }
}
