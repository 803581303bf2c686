import Testing
@testable import CarbonKit

@Suite("XLSX workbooks")
struct XLSXWriterTests {
    @Test("CRC-32 of \"123456789\" is the standard check value 0xCBF43926")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("A workbook is a ZIP whose entries are the OOXML parts, with strings escaped and numbers as numbers")
    func package() throws {
        let bytes = XLSXWriter(sheets: [XLSXWriter.Sheet(name: "Actions 2023", rows: [[.text("name"), .text("t CO2e")], [.text("Bus & tram <fleet>"), .number(12000), .number(0.25)]])]).bytes()
        #expect(Array(bytes.prefix(4)) == [0x50, 0x4b, 0x03, 0x04])
        #expect(Array(bytes.suffix(22).prefix(4)) == [0x50, 0x4b, 0x05, 0x06])
        let text = String(decoding: bytes, as: UTF8.self)
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"] {
            #expect(text.contains(part), "\(part)")
        }
        #expect(text.contains("Bus &amp; tram &lt;fleet&gt;") && text.contains(#"<c r="B2"><v>12000</v></c>"#))
        #expect(text.contains(#"<c r="C2"><v>0.25</v></c>"#))
        #expect(text.contains(#"<sheet name="Actions 2023" sheetId="1""#))
    }

    @Test("Columns past Z are AA, AB …; sheet names lose the characters Excel forbids and stay unique")
    func namesAndColumns() {
        #expect(XLSXWriter.column(0) == "A" && XLSXWriter.column(25) == "Z" && XLSXWriter.column(26) == "AA" && XLSXWriter.column(701) == "ZZ")
        let writer = XLSXWriter(sheets: [.init(name: "a/b", rows: []), .init(name: "A_B", rows: []), .init(name: String(repeating: "x", count: 40), rows: [])])
        #expect(writer.uniqueNames() == ["a_b", "A_B 2", String(repeating: "x", count: 31)])
    }
}
