import Testing
@testable import CarbonKit

/// A sheet saved in a legacy encoding is refused at the row and byte of its first bad byte.
@Suite struct SheetTextTests {
    @Test func aBadByteIsNamedByRowAndOffset() {
        let bytes: [UInt8] = Array("sensor,pm25\nS1,2\nS2,3".utf8) + [0xFF] + Array(",4\n".utf8)
        do {
            _ = try ReferenceTable.text(of: bytes, file: "hours.csv")
            Issue.record("accepted")
        } catch {
            let issue = error.issues[0]
            #expect(issue.location.file == "hours.csv" && issue.location.row == 3)
            #expect(issue.reason == "is not UTF-8 text: byte 0xFF at byte 22 of the file")
        }
    }

    @Test func aNulByteIsNamedByRowAndOffsetInsteadOfCuttingTheCell() {
        let bytes: [UInt8] = Array("district,year,source\nHarbour,2031,before".utf8) + [0x00] + Array("after\n".utf8)
        do {
            _ = try ReferenceTable.text(of: bytes, file: "statistics.csv")
            Issue.record("accepted")
        } catch {
            #expect(error.issues[0].location.file == "statistics.csv" && error.issues[0].location.row == 2)
            #expect(error.issues[0].reason == "holds a NUL byte (0x00) at byte 41 of the file")
        }
    }

    @Test func overlongFormsSurrogatesAndTruncatedSequencesAreNotUTF8() {
        #expect(ReferenceTable.firstInvalidUTF8([0x41, 0xC0, 0x80]) == 1)
        #expect(ReferenceTable.firstInvalidUTF8([0xED, 0xA0, 0x80]) == 0)
        #expect(ReferenceTable.firstInvalidUTF8([0x41, 0x42, 0xE4, 0xB8]) == 2)
        #expect(ReferenceTable.firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80]) == 0)
        #expect(ReferenceTable.firstInvalidUTF8(Array("杭州 PM2.5 µg/m³ 😀".utf8)) == nil)
    }

    /// The offset is found exactly when Swift's own validation refuses the bytes.
    @Test func theCheckAgreesWithSwiftsValidationOnRandomBytes() {
        var random = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x41, 0x0A, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x90, 0x8F]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((ReferenceTable.firstInvalidUTF8(bytes) == nil) == valid, "\(bytes)")
        }
    }
}
