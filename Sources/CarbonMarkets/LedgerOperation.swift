import Foundation

/// A change the registry's ledger can make. Each one that succeeds becomes one ``LedgerEntry``.
public enum LedgerOperation: Sendable, Equatable {
    case openAccount(RegistryAccount)
    case setStatus(account: String, RegistryAccount.Status, by: String)
    /// Adds `trusted` to `account`'s trusted list; proposed by one representative, approved by
    /// another, active after the rules' working days.
    case trust(account: String, trusted: String, proposedBy: String, approvedBy: String)
    /// New units of `unit` and `vintage`, numbered after the last serial of that unit.
    case issue(to: String, unit: String, vintage: Int, amount: Int64, by: String, reference: String)
    case transfer(Transfer)
}

/// Units leaving an account: to another account, or to a final account to be surrendered for
/// a compliance year, cancelled or retired. Proposed by one representative, approved by another.
public struct Transfer: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case transfer
        case surrender(complianceYear: Int)
        case cancellation
        case retirement
    }

    public var from: String
    public var to: String
    public var amount: Int64
    public var unit: String
    /// Only this vintage; nil takes the oldest vintages first.
    public var vintage: Int?
    public var purpose: Purpose
    public var proposedBy: String
    public var approvedBy: String
    /// When the second representative approved: a delayed transfer runs no earlier than its delay after it.
    public var approvedAt: Date
    /// The caller's key (a request id): the same key never moves units twice.
    public var reference: String

    public init(from: String, to: String, amount: Int64, unit: String, vintage: Int? = nil, purpose: Purpose = .transfer,
                proposedBy: String, approvedBy: String, approvedAt: Date, reference: String) {
        (self.from, self.to, self.amount, self.unit, self.vintage, self.purpose) = (from, to, amount, unit, vintage, purpose)
        (self.proposedBy, self.approvedBy, self.approvedAt, self.reference) = (proposedBy, approvedBy, approvedAt, reference)
    }
}

/// Why the ledger refused an operation; nothing changed.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownAccount(String)
    case accountExists(String)
    case invalidAccount(field: String, value: String, reason: String)
    case accountNotOpen(String, RegistryAccount.Status)
    case notRepresentative(login: String, account: String)
    case approvalNeedsSecondRepresentative(login: String)
    case proposerMayNotPropose(login: String)
    case finalAccountSends(String)
    case wrongDestination(account: String, kind: AccountKind, purpose: String)
    case notTrusted(from: String, to: String)
    case delayed(until: Date)
    case insufficientUnits(account: String, unit: String, vintage: Int?, held: Int64, asked: Int64)
    case invalidAmount(Int64)
    case invalidUnit(String)
    case invalidVintage(Int)
    case serialsExhausted(unit: String, remaining: Int64)
    case duplicateReference(String)
    case sameAccount(String)

    public var description: String {
        switch self {
        case let .unknownAccount(id): "no account \(id)"
        case let .accountExists(id): "account \(id) exists already (account ids differ by more than upper and lower case)"
        case let .invalidAccount(field, value, reason): "account field \(field) = \(value): \(reason)"
        case let .accountNotOpen(id, status): "account \(id) is \(status.rawValue)"
        case let .notRepresentative(login, account): "\(login) does not represent account \(account)"
        case let .approvalNeedsSecondRepresentative(login): "\(login) proposed this: another representative must approve it"
        case let .proposerMayNotPropose(login): "\(login) is an additional representative and may only approve"
        case let .finalAccountSends(id): "account \(id) is final: its units never leave it"
        case let .wrongDestination(account, kind, purpose): "account \(account) is a \(kind.rawValue) account: it cannot receive a \(purpose)"
        case let .notTrusted(from, to): "account \(to) is not on \(from)'s trusted list, and \(from) may send only to it"
        case let .delayed(until): "a transfer outside the trusted list runs from \(ISO8601DateFormatter().string(from: until))"
        case let .insufficientUnits(account, unit, vintage, held, asked):
            "account \(account) holds \(held) \(unit)\(vintage.map { " of vintage \($0)" } ?? ""), fewer than the \(asked) asked"
        case let .invalidAmount(amount): "amount \(amount) must be a whole number of units from 1"
        case let .invalidUnit(unit): "unit \(unit) must be 2–12 capital letters or digits"
        case let .invalidVintage(year): "vintage \(year) must be a year 1900–9999"
        case let .serialsExhausted(unit, remaining): "too many units: \(unit) has \(remaining) serial numbers left to issue"
        case let .duplicateReference(reference): "reference \(reference) was used already: nothing moved twice"
        case let .sameAccount(id): "account \(id) cannot send units to itself"
        }
    }
}
