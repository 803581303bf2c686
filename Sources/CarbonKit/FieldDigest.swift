import Crypto

/// SHA-256 over a list of text fields, each prefixed by its length in bytes and a colon, so that
/// no two lists give the same input (`"ab","c"` is not `"a","bc"`). The audit trail and the
/// allowance ledger chain their records with it. The message is built in one buffer and hashed in one
/// call: a ledger hashes one record per transfer.
public enum FieldDigest {
    public static func hex(_ fields: [String]) -> String {
        var message: [UInt8] = []
        message.reserveCapacity(fields.reduce(0) { $0 + $1.utf8.count + 8 })
        for field in fields {
            message.append(contentsOf: String(field.utf8.count).utf8)
            message.append(0x3A)
            message.append(contentsOf: field.utf8)
        }
        return Hex.string(SHA256.hash(data: message))
    }
}
