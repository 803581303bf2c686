import CarbonKit
import Crypto
import Foundation

/// The Ed25519 key that signs the audit chain's checkpoints, kept in a file outside the
/// database: someone who can rewrite the database cannot also sign a head that hides it.
///
/// The file holds one line, `citycarbon-audit-key-v1 <64 hex digits>`, readable by its owner
/// only. Its public key (hex) is what a verifier trusts.
public struct AuditKey: Sendable {
    let privateKey: Curve25519.Signing.PrivateKey

    public static let header = "citycarbon-audit-key-v1"

    public static func generate() -> AuditKey { AuditKey(privateKey: Curve25519.Signing.PrivateKey()) }

    public var publicKeyHex: String { Hex.string(privateKey.publicKey.rawRepresentation) }

    /// Reads a key file, naming the file when it is not one.
    public static func load(_ path: String) throws -> AuditKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([InputIssue(InputLocation(file: path), reason: "cannot be read", suggestion: "create one: citycarbon audit key --out \(path)")])
        }
        let parts = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        guard parts.count == 2, parts[0] == header, let raw = Hex.bytes(String(parts[1])), raw.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw InputErrors([InputIssue(InputLocation(file: path), reason: "is not a CityCarbon audit key (\(header) and 64 hex digits)")])
        }
        return AuditKey(privateKey: key)
    }

    /// Writes the key to a new file that only its owner may read; never over an existing one.
    public func write(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw InputErrors([InputIssue(InputLocation(file: path), reason: "exists already; a key is never overwritten", suggestion: "choose another file")])
        }
        let text = "\(Self.header) \(Hex.string(privateKey.rawRepresentation))\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw InputErrors([InputIssue(InputLocation(file: path), reason: "cannot be written")])
        }
    }

    /// Signs the statement that the chain's event `event` has hash `hash`.
    public func sign(event: Int64, hash: String, at: String) -> AuditCheckpoint {
        let signature = (try? privateKey.signature(for: AuditCheckpoint.message(event: event, hash: hash, at: at))) ?? Data()
        return AuditCheckpoint(event: event, hash: hash, at: at, publicKey: publicKeyHex, signature: Hex.string(signature))
    }
}
