import CarbonKit
import Crypto
import Foundation

/// A signed statement that the audit chain's event `event` had hash `hash`. Whoever keeps one
/// (a saved `/api/v1/audit/head`, the checkpoint published with an inventory) can later prove
/// that the chain was not rewritten up to that event, nor cut short before it.
public struct AuditCheckpoint: Sendable, Equatable, Codable {
    public var event: Int64
    public var hash: String
    public var at: String
    /// The signer's Ed25519 public key (hex): a verifier checks it is the key it trusts.
    public var publicKey: String
    public var signature: String

    enum CodingKeys: String, CodingKey { case event, hash, at, publicKey = "public_key", signature }

    static func message(event: Int64, hash: String, at: String) -> Data {
        Data("citycarbon audit checkpoint\nevent \(event)\nhash \(hash)\nat \(at)\n".utf8)
    }

    /// Whether `publicKey` (hex) signed this statement.
    public func isSigned(by publicKey: String) -> Bool {
        guard publicKey.lowercased() == self.publicKey.lowercased(), let raw = Hex.bytes(publicKey),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw), let signature = Hex.bytes(signature) else { return false }
        return key.isValidSignature(signature, for: Self.message(event: event, hash: hash, at: at))
    }

    public var json: JSONValue {
        .object([("event", .integer(Int(event))), ("hash", .string(hash)), ("at", .string(at)), ("public_key", .string(publicKey)),
                 ("signature", .string(signature))])
    }

    /// Checkpoints from a file: one JSON object, an array of them, JSON lines, or saved
    /// `/api/v1/audit/head` answers (their `checkpoint` member).
    public static func read(_ bytes: [UInt8], file: String) throws -> [AuditCheckpoint] {
        let decoder = JSONDecoder()
        struct Head: Decodable { let checkpoint: AuditCheckpoint? }
        func one(_ data: Data) -> [AuditCheckpoint]? {
            if let c = try? decoder.decode(AuditCheckpoint.self, from: data) { return [c] }
            if let list = try? decoder.decode([AuditCheckpoint].self, from: data) { return list }
            if let head = try? decoder.decode(Head.self, from: data), let c = head.checkpoint { return [c] }
            return nil
        }
        if let all = one(Data(bytes)) { return all }
        var found: [AuditCheckpoint] = []
        for (i, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = one(Data(line.utf8)) else {
                throw InputErrors([InputIssue(InputLocation(file: file, row: i + 1), reason: "is not a signed audit checkpoint")])
            }
            found += parsed
        }
        return found
    }
}

extension AuditTrail {
    /// The chain's head now: its last event and that event's hash.
    public func head() throws -> (event: Int64, hash: String) {
        try database.read { db in
            let row = try SQLRow.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
            return (row?["last_id"] ?? 0, row?["last_hash"] ?? Self.genesis)
        }
    }

    /// Signs the head with `key` and keeps the checkpoint, naming what it was made for
    /// (`publication 2023`). The checkpoint is an attestation, not data: it is not an event.
    @discardableResult
    public func checkpoint(with key: AuditKey, subject: String) throws -> AuditCheckpoint {
        try database.write { db in
            let row = try SQLRow.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
            let checkpoint = key.sign(event: row?["last_id"] ?? 0, hash: row?["last_hash"] ?? Self.genesis, at: CityCarbonDatabase.now())
            try db.execute(sql: """
                INSERT INTO audit_checkpoint (event, hash, at, public_key, signature, subject) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (event, public_key) DO NOTHING
                """, arguments: [checkpoint.event, checkpoint.hash, checkpoint.at, checkpoint.publicKey, checkpoint.signature, subject])
            return checkpoint
        }
    }

    /// The checkpoints kept in the workspace, oldest first, or the latest one made for `subject`.
    public func checkpoints(subject: String? = nil) throws -> [AuditCheckpoint] {
        try database.read { db in try Self.checkpoints(db, subject: subject) }
    }

    static func checkpoints(_ db: any SQLConnection, subject: String?) throws -> [AuditCheckpoint] {
        try SQLRow.fetchAll(db, sql: "SELECT * FROM audit_checkpoint \(subject == nil ? "" : "WHERE subject = ?") ORDER BY event",
                            arguments: subject.map { [$0] } ?? []).map {
            AuditCheckpoint(event: $0["event"], hash: $0["hash"], at: $0["at"], publicKey: $0["public_key"], signature: $0["signature"])
        }
    }

    /// What the chain contradicts of `checkpoints` signed by `publicKey`: a checkpoint not signed
    /// by it, an event it signed that is gone (the tail was cut), or one whose hash changed (the
    /// chain was rewritten and re-hashed). Empty when every checkpoint holds.
    public func problems(against checkpoints: [AuditCheckpoint], trusting publicKey: String) throws -> [String] {
        try database.read { db in
            var problems: [String] = []
            for c in checkpoints {
                guard c.isSigned(by: publicKey) else {
                    problems.append("the checkpoint of event \(c.event) (\(c.at)) is not signed by the trusted key \(publicKey.prefix(16))…")
                    continue
                }
                guard c.event > 0 else { continue }
                guard let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit_event WHERE id = ?", arguments: [c.event]) else {
                    problems.append("event \(c.event), signed at \(c.at), is no longer in the chain: events were removed")
                    continue
                }
                if hash != c.hash { problems.append("event \(c.event) no longer has the hash signed at \(c.at): the chain was rewritten") }
            }
            return problems
        }
    }
}
