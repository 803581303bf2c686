import Foundation
import Testing
@testable import CarbonKit

/// DEFLATE as zlib writes it, and an XLSX workbook as openpyxl saves it, read back exactly.
@Suite("Reading XLSX sheets")
struct XLSXReaderTests {
    static let text = String(repeating: "credit_code,facility,year,month,source,amount\n", count: 40)

    static func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

    @Test("Stored, fixed-Huffman and dynamic-Huffman blocks from zlib decompress to the original")
    func blocks() throws {
        #expect(try Inflate.decompress(Self.bytes("ARMA7P9oZWxsbywgc3RvcmVkIGJsb2Nr"), limit: 100) == Array("hello, stored block".utf8))
        let fixed = "Sy5KTcksiU/OT0nVSUtMzszJLKnUqUxNLNLJzc8rydApzi8tSk7VSczNL80r4UoeVT2qelT1qOpR1aOqR6RqAA=="
        #expect(try Inflate.decompress(Self.bytes(fixed), limit: 10_000) == Array(Self.text.utf8))
        let dynamic = "7cqxDcAwCATAPrP8ThHCREGyjURw4e0ziP/q07TmdWs0wyPq3WtjmyRGzHrxxUo1yIg161Jubm5ubu4j9w8="
        #expect(try Inflate.decompress(Self.bytes(dynamic), limit: 10_000) == Array(Self.text.utf8))
    }

    @Test("Output past the limit, truncated input and a reserved block type are refused, not crashed on")
    func hostileDeflate() {
        let dynamic = Self.bytes("7cqxDcAwCATAPrP8ThHCREGyjURw4e0ziP/q07TmdWs0wyPq3WtjmyRGzHrxxUo1yIg161Jubm5ubu4j9w8=")
        #expect(throws: Inflate.Failure.tooLarge(limit: 100)) { try Inflate.decompress(dynamic, limit: 100) }
        #expect(throws: Inflate.Failure.truncated) { try Inflate.decompress(Array(dynamic.prefix(10)), limit: 10_000) }
        #expect(throws: Inflate.Failure.invalid("block type 3")) { try Inflate.decompress([0x07], limit: 10) }
        for length in 0..<dynamic.count { _ = try? Inflate.decompress(Array(dynamic.prefix(length)), limit: 10_000) }
        var state: UInt64 = 1
        for _ in 0..<2_000 {
            let noise = (0..<64).map { _ -> UInt8 in state = state &* 6_364_136_223_846_793_005 &+ 1; return UInt8(state >> 56) }
            _ = try? Inflate.decompress(noise, limit: 1 << 16)
        }
    }

    /// `Tests/Fixtures/evidence.xlsx`: saved by openpyxl 3 with a blank third row, a formula and a second sheet.
    static var workbookBytes: [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/evidence.xlsx")
        return Array(FileManager.default.contents(atPath: url.path) ?? Data())
    }

    @Test("openpyxl's workbook reads as its first sheet: rows keep the sheet's numbers, a blank row is skipped, text is unescaped")
    func workbook() throws {
        let bytes = Self.workbookBytes
        #expect(XLSXReader.isPackage(bytes))
        let table = try ReferenceTable.sheet(bytes, name: "evidence.xlsx")
        #expect(table.columns == ["credit_code", "facility", "year", "month", "source", "amount", "ncv", "carbon_content"])
        #expect(table.rows.map(\.line) == [2, 4, 5])
        #expect(table.rows[0].values == ["91440300708461136T", "unit-1", "2025", "1", "coal", "1000", "21.5", "0.0262"])
        #expect(table.rows[1]["amount"] == "900.5" && table.rows[1]["ncv"] == "")
        #expect(table.rows[2]["amount"] == "", "a formula without a cached value is not evaluated")
        #expect(table.rows[2]["carbon_content"] == "a < b & c")
        #expect(table.rows[2].location("amount").column == 6)
    }

    @Test("Bytes that look like a package but are not one are refused with the file's name")
    func brokenPackage() {
        for bytes in [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 100),
                      Array(Self.workbookBytes.prefix(3_000))] {
            do {
                _ = try ReferenceTable.sheet(bytes, name: "broken.xlsx")
                Issue.record("refused")
            } catch {
                #expect(error.issues.first?.location.file == "broken.xlsx")
            }
        }
    }

    @Test("A flipped bit anywhere in the workbook is refused or changes nothing read: never other numbers")
    func damagedWorkbook() throws {
        let bytes = Self.workbookBytes
        let original = try ReferenceTable.sheet(bytes, name: "w.xlsx")
        for index in stride(from: 0, to: bytes.count, by: 7) {
            var damaged = bytes
            damaged[index] ^= 0x10
            guard let table = try? ReferenceTable.sheet(damaged, name: "w.xlsx") else { continue }
            #expect(table.columns == original.columns && table.rows.map(\.values) == original.rows.map(\.values), "byte \(index)")
        }
    }

    @Test("Our own workbooks read back: inline strings with markup characters, numbers, and the first of several sheets")
    func roundTrip() throws {
        let bytes = XLSXWriter(sheets: [
            .init(name: "evidence", rows: [[.text("credit_code"), .text("amount"), .text("note")],
                                           [.text("91330100MA2DEM002L"), .number(1250.5), .text("a < b & \"c\" 碳")]]),
            .init(name: "other", rows: [[.text("ignored")]]),
        ]).bytes()
        let table = try ReferenceTable.sheet(bytes, name: "ours.xlsx")
        #expect(table.columns == ["credit_code", "amount", "note"])
        #expect(table.rows.first?.values == ["91330100MA2DEM002L", "1250.5", "a < b & \"c\" 碳"])
    }

    @Test("A CSV is still read as text, and a sheet that is neither UTF-8 nor a package is refused")
    func csvStillWorks() throws {
        #expect(try ReferenceTable.sheet(Array("a,b\n1,2\n".utf8), name: "x.csv").rows.first?.values == ["1", "2"])
        #expect(throws: InputErrors.self) { try ReferenceTable.sheet([0xFF, 0xFE, 0x00], name: "x.csv") }
    }
}
