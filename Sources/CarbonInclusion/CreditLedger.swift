import CarbonKit
import Foundation

/// A resident account's points in three places: pending (issued, waiting for its claim window),
/// available (claimed, spendable) and held (under review).
public struct PointBalance: Sendable, Equatable, Codable {
    public var pending: Int64 = 0
    public var available: Int64 = 0
    public var held: Int64 = 0
    public init(pending: Int64 = 0, available: Int64 = 0, held: Int64 = 0) { (self.pending, self.available, self.held) = (pending, available, held) }
}

/// One line of the points ledger: append-only, each carrying the hash of the one before, so
/// a changed, removed or reordered line breaks every hash after it. Points move between the
/// three places of an account's balance; grams ride along on the lines that create or lot them.
public struct CreditEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An event's points, into pending, available or held.
        case credit
        /// Pending → available, by the resident within the claim window.
        case claim
        /// Pending points whose claim window ended.
        case expire
        /// Held → pending or available after review.
        case release
        /// Held points refused after review.
        case reject
        /// Available points spent on a catalogue item.
        case redeem
        /// A credit's grams put into a lot (no points move).
        case lot
    }

    public var sequence: Int64
    public var atMillis: Int64
    public var kind: Kind
    /// The ledger's own account key, never the partner's pseudonym.
    public var account: String
    /// The credit the line is about, or the redemption's reference.
    public var reference: String
    public var pending: Int64
    public var available: Int64
    public var held: Int64
    public var grams: Micro
    public var previousHash: String
    public var hash: String

    public static let genesis = String(repeating: "0", count: 64)

    /// An entry as stored; ``verifies(after:)`` says whether it is the one that was written.
    public init(sequence: Int64, atMillis: Int64, kind: Kind, account: String, reference: String, pending: Int64, available: Int64,
                held: Int64, grams: Micro, previousHash: String, hash: String) {
        (self.sequence, self.atMillis, self.kind, self.account, self.reference) = (sequence, atMillis, kind, account, reference)
        (self.pending, self.available, self.held, self.grams, self.previousHash, self.hash) = (pending, available, held, grams, previousHash, hash)
    }

    public static func hash(sequence: Int64, atMillis: Int64, kind: Kind, account: String, reference: String, pending: Int64,
                            available: Int64, held: Int64, grams: Micro, previousHash: String) -> String {
        var message = FieldDigest.Message()
        message.add(sequence); message.add(atMillis); message.add(kind.rawValue); message.add(account); message.add(reference)
        message.add(pending); message.add(available); message.add(held); message.add(grams.description); message.add(previousHash)
        return message.hex
    }

    public func verifies(after previousHash: String) -> Bool {
        self.previousHash == previousHash && hash == Self.hash(
            sequence: sequence, atMillis: atMillis, kind: kind, account: account, reference: reference, pending: pending,
            available: available, held: held, grams: grams, previousHash: previousHash)
    }
}

/// Why the ledger refused a line; nothing changed.
public enum CreditLedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    case insufficient(account: String, place: String, held: Int64, asked: Int64)
    case overflow(account: String)

    public var description: String {
        switch self {
        case let .insufficient(account, place, held, asked): "account \(account) has \(held) \(place) points, fewer than the \(asked) asked"
        case let .overflow(account): "account \(account)'s balance would overflow"
        }
    }
}

/// The points ledger: balances, the chain's head, and the rule that no place of a balance ever
/// goes below zero. Balances are always the sum of the movements (``reconcile(_:)``).
public struct CreditLedger: Sendable {
    public private(set) var balances: [String: PointBalance] = [:]
    public private(set) var sequence: Int64
    public private(set) var headHash: String

    public init(sequence: Int64 = 0, headHash: String = CreditEntry.genesis, balances: [String: PointBalance] = [:]) {
        (self.sequence, self.headHash, self.balances) = (sequence, headHash, balances)
    }

    /// Appends a movement of points (deltas per place) after checking no place goes negative.
    public mutating func append(_ kind: CreditEntry.Kind, account: String, reference: String, pending: Int64 = 0,
                                available: Int64 = 0, held: Int64 = 0, grams: Micro = .zero,
                                atMillis: Int64) throws(CreditLedgerError) -> CreditEntry {
        var balance = balances[account] ?? PointBalance()
        /// `current + delta`, refused when it overflows or goes below zero.
        func moved(_ current: Int64, by delta: Int64, _ place: String) throws(CreditLedgerError) -> Int64 {
            let (sum, overflow) = current.addingReportingOverflow(delta)
            if overflow { throw .overflow(account: account) }
            if sum < 0 { throw .insufficient(account: account, place: place, held: current, asked: -delta) }
            return sum
        }
        balance.pending = try moved(balance.pending, by: pending, "pending")
        balance.available = try moved(balance.available, by: available, "available")
        balance.held = try moved(balance.held, by: held, "held")
        let next = sequence + 1
        let hash = CreditEntry.hash(sequence: next, atMillis: atMillis, kind: kind, account: account, reference: reference,
                                    pending: pending, available: available, held: held, grams: grams, previousHash: headHash)
        let entry = CreditEntry(sequence: next, atMillis: atMillis, kind: kind, account: account, reference: reference, pending: pending,
                                available: available, held: held, grams: grams, previousHash: headHash, hash: hash)
        balances[account] = balance
        sequence = next
        headHash = hash
        return entry
    }

    /// What a check of stored entries against stored balances found.
    public struct Reconciliation: Sendable, Equatable {
        public var entries: Int
        /// The first entry whose hash or link is wrong.
        public var brokenAt: Int64?
        /// Accounts whose stored balance is not the sum of their movements.
        public var mismatched: [String]
        public var balanced: Bool { brokenAt == nil && mismatched.isEmpty }
    }

    /// Re-walks `entries` (in sequence order) and compares the sums with `stored` balances.
    public static func reconcile(_ entries: some Sequence<CreditEntry>, stored: [String: PointBalance]) -> Reconciliation {
        var walk = Walk()
        for entry in entries { walk.add(entry) }
        return walk.finish(stored: stored)
    }

    /// A reconciliation one entry at a time, for a ledger too long to hold in memory at once.
    public struct Walk: Sendable {
        /// The hash the next entry must follow.
        public private(set) var previous = CreditEntry.genesis
        private var sums: [String: PointBalance] = [:]
        private var count = 0
        private var broken: Int64?
        private var sequence: Int64 = 0

        public init() {}

        /// Checks `entry` follows the last one (sequence and hash) and adds its movement.
        public mutating func add(_ entry: CreditEntry) {
            count += 1
            if broken == nil, entry.sequence != sequence + 1 || !entry.verifies(after: previous) { broken = entry.sequence }
            previous = entry.hash
            sequence = entry.sequence
            var sum = sums[entry.account] ?? PointBalance()
            sum.pending &+= entry.pending
            sum.available &+= entry.available
            sum.held &+= entry.held
            sums[entry.account] = sum
        }

        public func finish(stored: [String: PointBalance]) -> Reconciliation {
            let accounts = Set(sums.keys).union(stored.keys)
            let mismatched = accounts.filter { (sums[$0] ?? PointBalance()) != (stored[$0] ?? PointBalance()) }.sorted()
            return Reconciliation(entries: count, brokenAt: broken, mismatched: mismatched)
        }
    }
}
