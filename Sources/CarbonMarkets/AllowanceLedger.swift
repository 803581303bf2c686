import Foundation

/// The allowance registry's state — accounts, the serial blocks each holds, the last serial of
/// each unit — and the one function that changes it, ``apply(_:at:)``.
///
/// Every check happens before anything changes, so a refused operation leaves the ledger as it
/// was. A balance is never stored: it is the sum of the blocks an account holds, so it cannot
/// drift from the serials. The store keeps this state in memory beside its tables and writes
/// each ``Applied`` change in the same transaction as its entry.
public struct AllowanceLedger: Sendable {
    public let rules: RegistryRules
    public private(set) var accounts: [String: RegistryAccount] = [:]
    /// Each account's blocks, in serial order (``SerialBlock/<``).
    public private(set) var holdings: [String: [SerialBlock]] = [:]
    /// The last serial issued of each unit.
    public private(set) var lastSerial: [String: Int64] = [:]
    public private(set) var sequence: Int64 = 0
    public private(set) var headHash = LedgerEntry.genesis
    private var references: Set<String> = []

    /// The rules' clock and each kind's rules, worked out once: every transfer consults them.
    private let calendar: RegistryCalendar
    private let kinds: [AccountKind: RegistryRules.AccountKindRules]

    public init(rules: RegistryRules = .standard) {
        self.rules = rules
        calendar = rules.calendar
        kinds = Dictionary(uniqueKeysWithValues: AccountKind.allCases.map { ($0, rules.kind($0)) })
    }

    private func rules(of kind: AccountKind) -> RegistryRules.AccountKindRules { kinds[kind]! }

    /// What one operation changed: its entry (whose blocks now belong to its `to` account), the
    /// rest of a block it split (still the sender's, under a new first serial right after the
    /// part that moved), and the account it created or changed.
    public struct Applied: Sendable {
        public var entry: LedgerEntry
        public var rest: SerialBlock?
        public var account: RegistryAccount?
    }

    /// Units `account` holds, of `unit` (and `vintage`) or of every unit.
    /// One unit's serials never exceed its serial space; several units together may pass
    /// `Int64.max`, so a sum across units stops there rather than overflow.
    public func balance(of account: String, unit: String? = nil, vintage: Int? = nil) -> Int64 {
        (holdings[account] ?? []).reduce(0) { sum, block in
            guard (unit == nil || block.unit == unit) && (vintage == nil || block.vintage == vintage) else { return sum }
            let (total, overflow) = sum.addingReportingOverflow(block.count)
            return overflow ? .max : total
        }
    }

    /// Checks `operation` against the rules and the state at `date`, and makes it.
    public mutating func apply(_ operation: LedgerOperation, at date: Date) throws(LedgerError) -> Applied {
        switch operation {
        case let .openAccount(account): return try open(account, at: date)
        case let .setStatus(id, status, by): return try setStatus(id, status, by: by, at: date)
        case let .trust(id, trusted, proposedBy, approvedBy): return try trust(id, trusted, proposedBy, approvedBy, at: date)
        case let .issue(to, unit, vintage, amount, by, reference):
            return try issue(to: to, unit: unit, vintage: vintage, amount: amount, by: by, reference: reference, at: date)
        case let .transfer(transfer): return try move(transfer, at: date)
        }
    }

    /// Rebuilds state from stored entries and holdings, checking the chain as it goes; used by
    /// the store when another process has written since it last looked.
    public mutating func restore(accounts: [RegistryAccount], holdings: [(block: SerialBlock, account: String)],
                                 references: Set<String>, sequence: Int64, headHash: String) {
        self.accounts = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        var held: [String: [SerialBlock]] = [:]
        var last: [String: Int64] = [:]
        for (block, account) in holdings {
            held[account, default: []].append(block)
            last[block.unit] = max(last[block.unit] ?? 0, block.end)
        }
        self.holdings = held.mapValues { $0.sorted() }
        (self.lastSerial, self.references, self.sequence, self.headHash) = (last, references, sequence, headHash)
    }

    // MARK: - Accounts

    private mutating func open(_ account: RegistryAccount, at date: Date) throws(LedgerError) -> Applied {
        guard RegistryAccount.isValidID(account.id) else {
            throw .invalidAccount(field: "id", value: account.id, reason: "must be 3–40 ASCII letters, digits, - or _")
        }
        if let existing = accounts.keys.first(where: { $0.lowercased() == account.id.lowercased() }) { throw .accountExists(existing) }
        let name = account.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidAccount(field: "name", value: account.name, reason: "must be 1–200 characters without control characters")
        }
        let logins = account.representatives.map(\.login)
        guard Set(logins).count == logins.count else {
            throw .invalidAccount(field: "representatives", value: logins.joined(separator: ","), reason: "names someone twice")
        }
        let authorised = account.representatives.filter { $0.role == .authorised }.count
        let final = rules(of: account.kind).final == true
        if !final, authorised < rules.representatives.minimum_authorised {
            throw .invalidAccount(field: "representatives", value: String(authorised),
                                  reason: "an account that sends units needs at least \(rules.representatives.minimum_authorised) authorised representatives")
        }
        var opened = account
        opened.name = name
        opened.status = .open
        opened.trusted = []
        accounts[account.id] = opened
        let entry = append(kind: .openAccount, at: date, from: nil, to: account.id, amount: 0, blocks: [], actor: logins.first ?? "registry",
                           approvedBy: nil, reference: "open:\(account.id)", detail: "\(account.kind.rawValue) \(name)")
        return Applied(entry: entry, rest: nil, account: opened)
    }

    private mutating func setStatus(_ id: String, _ status: RegistryAccount.Status, by: String, at date: Date) throws(LedgerError) -> Applied {
        guard var account = accounts[id] else { throw .unknownAccount(id) }
        account.status = status
        accounts[id] = account
        let entry = append(kind: .status, at: date, from: nil, to: id, amount: 0, blocks: [], actor: by, approvedBy: nil,
                           reference: "status:\(id):\(sequence + 1)", detail: status.rawValue)
        return Applied(entry: entry, rest: nil, account: account)
    }

    private mutating func trust(_ id: String, _ trusted: String, _ proposedBy: String, _ approvedBy: String,
                                at date: Date) throws(LedgerError) -> Applied {
        guard var account = accounts[id] else { throw .unknownAccount(id) }
        guard accounts[trusted] != nil else { throw .unknownAccount(trusted) }
        try checkApproval(of: account, proposedBy: proposedBy, approvedBy: approvedBy)
        let active = calendar.adding(workingDays: rules.trusted_list_activation_business_days, to: date)
        account.trusted.removeAll { $0.account == trusted }
        account.trusted.append(.init(account: trusted, activeFrom: active))
        accounts[id] = account
        let activeMillis = Int64((active.timeIntervalSince1970 * 1000).rounded())
        let entry = append(kind: .trust, at: date, from: id, to: trusted, amount: 0, blocks: [], actor: proposedBy, approvedBy: approvedBy,
                           reference: "trust:\(id):\(trusted):\(sequence + 1)", detail: "active from \(activeMillis)")
        return Applied(entry: entry, rest: nil, account: account)
    }

    private func checkApproval(of account: RegistryAccount, proposedBy: String, approvedBy: String) throws(LedgerError) {
        guard let proposer = account.representative(proposedBy) else { throw .notRepresentative(login: proposedBy, account: account.id) }
        guard proposer.role == .authorised else { throw .proposerMayNotPropose(login: proposedBy) }
        guard account.representative(approvedBy) != nil else { throw .notRepresentative(login: approvedBy, account: account.id) }
        guard approvedBy != proposedBy else { throw .approvalNeedsSecondRepresentative(login: approvedBy) }
    }

    // MARK: - Units

    private mutating func issue(to id: String, unit: String, vintage: Int, amount: Int64, by: String, reference: String,
                                at date: Date) throws(LedgerError) -> Applied {
        guard let account = accounts[id] else { throw .unknownAccount(id) }
        guard account.status == .open else { throw .accountNotOpen(id, account.status) }
        guard rules(of: account.kind).final != true else { throw .wrongDestination(account: id, kind: account.kind, purpose: "issuance") }
        guard UnitName.isValid(unit) else { throw .invalidUnit(unit) }
        guard (1900...9999).contains(vintage) else { throw .invalidVintage(vintage) }
        guard amount >= 1 else { throw .invalidAmount(amount) }
        guard !references.contains(reference) else { throw .duplicateReference(reference) }
        let last = lastSerial[unit] ?? 0
        guard let range = SerialNumberFormats.nextRange(after: last, amount: Double(amount)), range.upperBound - range.lowerBound + 1 == amount else {
            throw .serialsExhausted(unit: unit, remaining: min(Int64.max - last, 8_999_999_999_999_999_999 - last))
        }
        let block = SerialBlock(unit: unit, vintage: vintage, start: range.lowerBound, end: range.upperBound)
        lastSerial[unit] = block.end
        receive([block], into: id)
        references.insert(reference)
        let entry = append(kind: .issue, at: date, from: nil, to: id, amount: amount, blocks: [block], actor: by, approvedBy: nil,
                           reference: reference, detail: nil)
        return Applied(entry: entry, rest: nil, account: nil)
    }

    private mutating func move(_ transfer: Transfer, at date: Date) throws(LedgerError) -> Applied {
        guard transfer.amount >= 1 else { throw .invalidAmount(transfer.amount) }
        guard UnitName.isValid(transfer.unit) else { throw .invalidUnit(transfer.unit) }
        guard let from = accounts[transfer.from] else { throw .unknownAccount(transfer.from) }
        guard let to = accounts[transfer.to] else { throw .unknownAccount(transfer.to) }
        guard from.id != to.id else { throw .sameAccount(from.id) }
        guard from.status == .open else { throw .accountNotOpen(from.id, from.status) }
        guard to.status != .closed else { throw .accountNotOpen(to.id, to.status) }
        guard rules(of: from.kind).final != true else { throw .finalAccountSends(from.id) }
        let kind = transfer.purpose.entryKind
        var detail: String?
        if case let .surrender(year) = transfer.purpose { detail = "compliance year \(year)" }
        try rules.checkDestination(transfer.purpose, to: to)
        try checkApproval(of: from, proposedBy: transfer.proposedBy, approvedBy: transfer.approvedBy)
        let runs = try rules.earliestRun(transfer.purpose, from: from, to: to, trusted: from.trusts(to.id, at: date),
                                         approvedAt: transfer.approvedAt, calendar: calendar)
        guard date >= runs else { throw .delayed(until: runs) }
        guard !references.contains(transfer.reference) else { throw .duplicateReference(transfer.reference) }
        let taken = try take(transfer.amount, unit: transfer.unit, vintage: transfer.vintage, from: from.id)
        receive(taken.moved, into: to.id)
        references.insert(transfer.reference)
        let entry = append(kind: kind, at: date, from: from.id, to: to.id, amount: transfer.amount, blocks: taken.moved,
                           actor: transfer.proposedBy, approvedBy: transfer.approvedBy, reference: transfer.reference, detail: detail)
        return Applied(entry: entry, rest: taken.rest, account: nil)
    }

    /// Takes `amount` units from `account`: oldest vintage first, and within a vintage in as few
    /// pieces as it can: the smallest block that holds the rest of the amount, split; failing
    /// that the largest block whole, and again. Taking from the lowest serials instead would
    /// cut every transfer into the many small blocks an active account receives, and each piece
    /// is a row to write and a line in every statement.
    private mutating func take(_ amount: Int64, unit: String, vintage: Int?, from account: String) throws(LedgerError)
        -> (moved: [SerialBlock], rest: SerialBlock?) {
        var held = holdings[account] ?? []
        var candidates = held.indices.filter { held[$0].unit == unit && (vintage == nil || held[$0].vintage == vintage) }
        guard candidates.reduce(Int64(0), { $0 + held[$1].count }) >= amount else {
            throw .insufficientUnits(account: account, unit: unit, vintage: vintage, held: balance(of: account, unit: unit, vintage: vintage), asked: amount)
        }
        var moved: [SerialBlock] = []
        var removed: [Int] = []
        var rest: SerialBlock?
        var left = amount
        while left > 0 {
            let oldest = candidates.map { held[$0].vintage }.min()!
            let inVintage = candidates.filter { held[$0].vintage == oldest }
            let fitting = inVintage.filter { held[$0].count >= left }
            if let best = fitting.min(by: { (held[$0].count, held[$0].start) < (held[$1].count, held[$1].start) }) {
                let (taken, leftover) = held[best].split(taking: left)
                moved.append(taken)
                removed.append(best)
                rest = leftover
                left = 0
            } else {
                let largest = inVintage.max(by: { (held[$0].count, -held[$0].start) < (held[$1].count, -held[$1].start) })!
                moved.append(held[largest])
                removed.append(largest)
                left -= held[largest].count
                candidates.removeAll { $0 == largest }
            }
        }
        for index in removed.sorted(by: >) { held.remove(at: index) }
        if let rest { insert(rest, into: &held) }
        holdings[account] = held.isEmpty ? nil : held
        return (moved, rest)
    }

    private mutating func receive(_ blocks: [SerialBlock], into account: String) {
        var held = holdings[account] ?? []
        for block in blocks { insert(block, into: &held) }
        holdings[account] = held
    }

    private func insert(_ block: SerialBlock, into blocks: inout [SerialBlock]) {
        var low = 0, high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle] < block { low = middle + 1 } else { high = middle }
        }
        blocks.insert(block, at: low)
    }

    private mutating func append(kind: LedgerEntry.Kind, at date: Date, from: String?, to: String, amount: Int64, blocks: [SerialBlock],
                                 actor: String, approvedBy: String?, reference: String, detail: String?) -> LedgerEntry {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let next = sequence + 1
        let hash = LedgerEntry.hash(sequence: next, atMillis: millis, kind: kind, from: from, to: to, amount: amount, blocks: blocks,
                                    actor: actor, approvedBy: approvedBy, reference: reference, detail: detail, previousHash: headHash)
        let entry = LedgerEntry(sequence: next, atMillis: millis, kind: kind, from: from, to: to, amount: amount, blocks: blocks,
                                actor: actor, approvedBy: approvedBy, reference: reference, detail: detail, previousHash: headHash, hash: hash)
        (sequence, headHash) = (next, hash)
        return entry
    }
}
