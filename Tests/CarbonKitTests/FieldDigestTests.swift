import CarbonKit
import Crypto
import Foundation
import Testing

/// The ledgers' and audit trail's stored hashes depend on these bytes: the builder must give
/// exactly the digest the list of strings gives.
@Suite struct FieldDigestTests {
    @Test func aListOfFieldsIsHashedWithEachFieldsLengthAndAColonBeforeIt() {
        let expected = Hex.string(SHA256.hash(data: Data("2:ab1:c0:3:碳".utf8)))
        #expect(FieldDigest.hex(["ab", "c", "", "碳"]) == expected)
        #expect(FieldDigest.hex(["a", "bc"]) != FieldDigest.hex(["ab", "c"]))
    }

    @Test func anIntegerFieldHashesAsItsDecimalText() {
        for value: Int64 in [0, 7, -1, 10, 99, 100, -1234567890, 1_700_000_000_000, .max, .min] {
            var message = FieldDigest.Message()
            message.add(value)
            message.add("x")
            #expect(message.hex == FieldDigest.hex([String(value), "x"]), "\(value)")
        }
    }

    @Test func aNonNativeStringHashesAsItsUTF8Bytes() {
        let bridged = NSString(string: "résumé 碳普惠") as String
        var message = FieldDigest.Message(capacity: 0)
        message.add(bridged)
        #expect(message.hex == FieldDigest.hex(["résumé 碳普惠"]))
    }
}
