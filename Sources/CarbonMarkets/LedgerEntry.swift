import CarbonKit
import Foundation

/// One line of the registry's append-only ledger. Each entry carries the hash of the one
/// before it, so changing, removing or reordering any entry breaks every hash after it.
public struct LedgerEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case openAccount = "open_account"
        case status
        case trust
        case issue
        case transfer
        case surrender
        case cancellation
        case retirement
    }

    public var sequence: Int64
    /// Milliseconds since 1970, the precision the hash covers.
    public var atMillis: Int64
    public var kind: Kind
    public var from: String?
    public var to: String
    public var amount: Int64
    /// The serial blocks issued or moved, in the order they were taken.
    public var blocks: [SerialBlock]
    public var actor: String
    public var approvedBy: String?
    public var reference: String
    /// What else the entry fixes: an opened account's document, a status, a trusted entry's
    /// activation, a surrender's compliance year.
    public var detail: String?
    public var previousHash: String
    public var hash: String

    /// An entry as stored; ``verifies(after:)`` says whether it is the one that was written.
    public init(sequence: Int64, atMillis: Int64, kind: Kind, from: String?, to: String, amount: Int64, blocks: [SerialBlock],
                actor: String, approvedBy: String?, reference: String, detail: String?, previousHash: String, hash: String) {
        (self.sequence, self.atMillis, self.kind, self.from, self.to, self.amount) = (sequence, atMillis, kind, from, to, amount)
        (self.blocks, self.actor, self.approvedBy, self.reference, self.detail) = (blocks, actor, approvedBy, reference, detail)
        (self.previousHash, self.hash) = (previousHash, hash)
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }

    /// The hash before any entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over every field, each prefixed by its length, and the previous hash.
    public static func hash(sequence: Int64, atMillis: Int64, kind: Kind, from: String?, to: String, amount: Int64,
                            blocks: [SerialBlock], actor: String, approvedBy: String?, reference: String, detail: String?,
                            previousHash: String) -> String {
        FieldDigest.hex([String(sequence), String(atMillis), kind.rawValue, from ?? "\u{0}", to, String(amount),
                         blocks.map { $0.description }.joined(separator: ","), actor, approvedBy ?? "\u{0}", reference,
                         detail ?? "\u{0}", previousHash])
    }

    /// Whether the stored hash is the hash of the stored fields after `previousHash`.
    public func verifies(after previousHash: String) -> Bool {
        self.previousHash == previousHash && hash == Self.hash(
            sequence: sequence, atMillis: atMillis, kind: kind, from: from, to: to, amount: amount, blocks: blocks,
            actor: actor, approvedBy: approvedBy, reference: reference, detail: detail, previousHash: previousHash)
    }
}
