import Foundation

extension Transfer.Purpose {
    /// The kind of account this purpose sends to; nil for a transfer between holding accounts.
    public var destinationKind: AccountKind? {
        switch self {
        case .transfer: nil
        case .surrender: .surrender
        case .cancellation: .cancellation
        case .retirement: .retirement
        }
    }

    /// The ledger entry it makes.
    public var entryKind: LedgerEntry.Kind {
        switch self {
        case .transfer: .transfer
        case .surrender: .surrender
        case .cancellation: .cancellation
        case .retirement: .retirement
        }
    }
}

/// Where a transfer may go and when it may run: one set of rules that a proposal, an approval
/// and the ledger itself all apply, so a request the desk accepts is one the ledger can run.
extension RegistryRules {
    /// Refuses a destination the purpose does not allow: a surrender goes only to a surrender
    /// account (and so on), and a plain transfer never into a final account.
    public func checkDestination(_ purpose: Transfer.Purpose, to: RegistryAccount) throws(LedgerError) {
        let allowed = purpose.destinationKind.map { to.kind == $0 } ?? (kind(to.kind).final != true)
        guard allowed else { throw .wrongDestination(account: to.id, kind: to.kind, purpose: purpose.entryKind.rawValue) }
    }

    /// When a transfer from `from` approved at `approvedAt` may run: at once to a final or a
    /// `trusted` account, or from an account that sends everywhere at once; after the delay in
    /// registry hours from one whose transfers outside its list wait; never from one that sends
    /// only to its list.
    public func earliestRun(_ purpose: Transfer.Purpose, from: RegistryAccount, to: RegistryAccount, trusted: Bool,
                            approvedAt: Date, calendar: RegistryCalendar) throws(LedgerError) -> Date {
        guard purpose.destinationKind == nil, !trusted else { return approvedAt }
        switch kind(from.kind).outside_trusted_list ?? .refused {
        case .immediate: return approvedAt
        case .refused: throw .notTrusted(from: from.id, to: to.id)
        case .delayed: return calendar.delayed(hours: delay_outside_trusted_list_hours, from: approvedAt)
        }
    }
}
