import CarbonKit
import Crypto
import Foundation

/// How a partner signs a request: HMAC-SHA256 with its signing secret over the timestamp, a
/// nonce, the method, the path with its query (`/api/v1/inclusion/catalogue?x=1`) and the
/// SHA-256 of the body, one per line; the signature is sent as hex. The timestamp bounds
/// how old a request may be and the nonce makes each one single-use, so a captured request
/// cannot be replayed; the body digest makes any change to it break the signature.
public enum PartnerSignature {
    /// Seconds a signed request's timestamp may differ from the server's clock.
    public static let toleranceSeconds: Int64 = 300

    public static func message(timestamp: String, nonce: String, method: String, path: String, body: Data) -> Data {
        Data("\(timestamp)\n\(nonce)\n\(method.uppercased())\n\(path)\n\(Hex.string(SHA256.hash(data: body)))".utf8)
    }

    public static func sign(secret: String, timestamp: String, nonce: String, method: String, path: String, body: Data) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: message(timestamp: timestamp, nonce: nonce, method: method, path: path, body: body), using: key)
        return Hex.string(code)
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed(String)
        case expired(timestamp: Int64, now: Int64, tolerance: Int64)
        case badSignature

        public var description: String {
            switch self {
            case let .malformed(what): what
            case let .expired(timestamp, now, tolerance):
                "the request's timestamp \(timestamp) is \(abs(now - timestamp)) s from the server's clock; at most \(tolerance) s are accepted"
            case .badSignature: "the signature does not match the request"
            }
        }
    }

    /// Checks a request's signature and timestamp; the nonce's single use is the store's to check.
    public static func verify(secret: String, timestamp: String, nonce: String, signature: String, method: String, path: String,
                              body: Data, now: Int64, tolerance: Int64 = toleranceSeconds) -> Refusal? {
        guard let seconds = Int64(timestamp), timestamp.utf8.count <= 12 else { return .malformed("the timestamp must be whole seconds since 1970") }
        guard nonce.utf8.count >= 8, nonce.utf8.count <= 64, nonce.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .malformed("the nonce must be 8 to 64 printable ASCII characters")
        }
        guard abs(seconds - now) <= tolerance else { return .expired(timestamp: seconds, now: now, tolerance: tolerance) }
        let expected = sign(secret: secret, timestamp: timestamp, nonce: nonce, method: method, path: path, body: body)
        var difference: UInt8 = expected.utf8.count == signature.utf8.count ? 0 : 1
        for (a, b) in zip(expected.utf8, signature.lowercased().utf8) { difference |= a ^ b }
        return difference == 0 ? nil : .badSignature
    }
}
