/// A workbook of plain sheets written as Office Open XML (.xlsx): strings as inline strings,
/// finite numbers as numbers, the first row bold and frozen as a header. The package is a ZIP
/// of stored (uncompressed) entries, which every spreadsheet program reads, so no compression
/// library is needed.
public struct XLSXWriter: Sendable {
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(Double)
        case empty
    }

    public struct Sheet: Sendable {
        public var name: String
        public var rows: [[Cell]]

        public init(name: String, rows: [[Cell]]) {
            self.name = name
            self.rows = rows
        }
    }

    public var sheets: [Sheet]

    public init(sheets: [Sheet]) { self.sheets = sheets }

    /// The .xlsx file's bytes.
    public func bytes() -> [UInt8] {
        var zip = StoredZip()
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        zip.add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(overrides)</Types>
            """)
        zip.add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        let names = uniqueNames()
        zip.add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            \(names.enumerated().map { "<sheet name=\"\(Self.escape($1))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined())</sheets></workbook>
            """)
        let relationships = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        zip.add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relationships)\
            <Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """)
        zip.add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """)
        for (index, sheet) in sheets.enumerated() {
            var xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>
                """
            for (r, row) in sheet.rows.enumerated() {
                xml += "<row r=\"\(r + 1)\">"
                for (c, cell) in row.enumerated() {
                    let reference = Self.column(c) + String(r + 1)
                    let style = r == 0 ? " s=\"1\"" : ""
                    switch cell {
                    case .text(let text): xml += "<c r=\"\(reference)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(Self.escape(text))</t></is></c>"
                    case .number(let x) where x.isFinite:
                        let value = x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
                        xml += "<c r=\"\(reference)\"\(style)><v>\(value)</v></c>"
                    case .number, .empty: break
                    }
                }
                xml += "</row>"
            }
            zip.add("xl/worksheets/sheet\(index + 1).xml", xml + "</sheetData></worksheet>")
        }
        return zip.finish()
    }

    /// Sheet names as Excel allows them: at most 31 characters, none of `[]:*?/\`, unique.
    func uniqueNames() -> [String] {
        var used: Set<String> = []
        return sheets.map { sheet in
            var base = String(sheet.name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
            if base.isEmpty { base = "Sheet" }
            var name = base, n = 2
            while used.contains(name.lowercased()) { name = String(base.prefix(28)) + " \(n)"; n += 1 }
            used.insert(name.lowercased())
            return name
        }
    }

    /// 0 → A, 25 → Z, 26 → AA.
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// XML text with the characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// A ZIP archive of stored entries (method 0), enough for an OOXML package.
struct StoredZip {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    mutating func add(_ name: String, _ text: String) {
        let data = Array(text.utf8), path = Array(name.utf8)
        let crc = CRC32.checksum(data)
        let offset = UInt32(body.count)
        // Local file header.
        body += le32(0x0403_4b50) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
        body += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(path.count)) + le16(0) + path + data
        // Central directory entry.
        directory += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
        directory += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(path.count)) + le16(0) + le16(0) + le16(0) + le16(0)
        directory += le32(0) + le32(offset) + path
        count += 1
    }

    func finish() -> [UInt8] {
        body + directory + le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
            + le32(UInt32(directory.count)) + le32(UInt32(body.count)) + le16(0)
    }

    private func le16(_ x: UInt16) -> [UInt8] { [UInt8(x & 0xff), UInt8(x >> 8)] }
    private func le32(_ x: UInt32) -> [UInt8] { (0..<4).map { UInt8((x >> (8 * $0)) & 0xff) } }
}

/// CRC-32 as ZIP uses it (IEEE 802.3, reflected, polynomial 0xEDB88320).
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
