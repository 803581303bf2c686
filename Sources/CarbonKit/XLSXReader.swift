import Foundation

/// Reads the first worksheet of an XLSX workbook (an OOXML package: a ZIP of XML parts) as a
/// ``ReferenceTable``, so a sheet saved from a spreadsheet program is checked exactly as its
/// CSV would be, row for row: the spreadsheet's row numbers are the rows errors name. Cells are
/// read as the text they hold: shared and inline strings, numbers as written, booleans as
/// TRUE/FALSE, a formula's cached value. No formula is evaluated, nothing external is fetched.
public enum XLSXReader {
    /// The largest part read (an expanded worksheet): a sheet bomb is refused, not expanded.
    public static let partLimit = 256 << 20

    /// Whether `bytes` are a ZIP package (an XLSX) rather than text.
    public static func isPackage(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public static func table(_ bytes: [UInt8], name: String) throws(InputErrors) -> ReferenceTable {
        func refuse(_ reason: String) -> InputErrors {
            InputErrors([InputIssue(InputLocation(file: name), reason: reason, suggestion: "save the sheet again as .xlsx, or as CSV UTF-8")])
        }
        let entries: [String: Entry]
        do { entries = try Self.entries(bytes) } catch { throw refuse(error.description) }
        let shared: [String]
        let rows: [Int: [Int: String]]
        do {
            // The first sheet as the workbook orders them, through its relationships: never a guess by file name.
            guard let workbook = entries["xl/workbook.xml"], let relations = entries["xl/_rels/workbook.xml.rels"],
                  let sheet = try firstSheet(workbook: try workbook.content(bytes), relations: try relations.content(bytes)),
                  let part = entries[sheet] else {
                throw refuse("is not a workbook: it names no worksheet it holds")
            }
            shared = try entries["xl/sharedStrings.xml"].map { try strings(try $0.content(bytes)) } ?? []
            rows = try cells(try part.content(bytes), shared: shared)
        } catch let errors as InputErrors {
            throw errors
        } catch let failure as Failure {
            throw refuse(failure.description)
        } catch {
            throw refuse("\(error)")
        }
        guard let headerRow = rows.keys.min(), let header = rows[headerRow] else { throw InputErrors([InputIssue(InputLocation(file: name), reason: "has no header row")]) }
        let width = (header.keys.max() ?? -1) + 1
        let columns = (0..<width).map { header[$0] ?? "" }
        var index: [String: Int] = [:]
        var issues: [InputIssue] = []
        for (i, column) in columns.enumerated() {
            if let first = index[column], !column.isEmpty {
                issues.append(InputIssue(InputLocation(file: name, row: headerRow, column: i + 1), value: column,
                                         reason: "is a column name twice (columns \(first + 1) and \(i + 1))"))
            }
            index[column] = index[column] ?? i
        }
        var tableRows: [ReferenceTable.Row] = []
        for line in rows.keys.sorted() where line != headerRow {
            let cells = rows[line]!
            // A row whose cells are all empty is a blank line of the sheet, as in a CSV.
            if cells.values.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if let beyond = cells.keys.filter({ $0 >= width }).min(), !(cells[beyond] ?? "").isEmpty {
                issues.append(InputIssue(InputLocation(file: name, row: line, column: beyond + 1), value: String((cells[beyond] ?? "").prefix(40)),
                                         reason: "is beyond the header's \(width) columns"))
                continue
            }
            let values = (0..<width).map { cells[$0] ?? "" }
            if let first = values.first, first.hasPrefix("#") { continue }
            tableRows.append(ReferenceTable.Row(table: name, line: line, columnIndex: index, values: values))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return ReferenceTable(name: name, columns: columns, rows: tableRows)
    }

    // MARK: The package

    public enum Failure: Error, CustomStringConvertible {
        case notZip(String)
        case inflate(Inflate.Failure)
        case xml(String)
        public var description: String {
            switch self {
            case let .notZip(reason): "is not a readable XLSX package: \(reason)"
            case let .inflate(failure): "a part of the workbook cannot be read: \(failure.description)"
            case let .xml(reason): "the worksheet is not well-formed: \(reason)"
            }
        }
    }

    struct Entry {
        var name: String
        var method: Int
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localOffset: Int

        func content(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
            guard localOffset + 30 <= bytes.count, u32(bytes, localOffset) == 0x04034B50 else { throw .notZip("a part's header is missing") }
            let nameLength = u16(bytes, localOffset + 26)
            guard localOffset + 30 + nameLength <= bytes.count,
                  Array(bytes[(localOffset + 30)..<(localOffset + 30 + nameLength)]) == Array(name.utf8) else {
                throw .notZip("a part's name differs between its header and the directory: the file is damaged")
            }
            let start = localOffset + 30 + nameLength + u16(bytes, localOffset + 28)
            guard start + compressedSize <= bytes.count, size <= XLSXReader.partLimit else { throw .notZip("a part is cut short or too large") }
            let data = Array(bytes[start..<start + compressedSize])
            let content: [UInt8]
            switch method {
            case 0: content = data
            case 8:
                do { content = try Inflate.decompress(data, limit: XLSXReader.partLimit) } catch { throw .inflate(error) }
            default: throw .notZip("a part is compressed with method \(method)")
            }
            // A part damaged on its way (a cut download, a flipped bit) fails its checksum rather than being read as other numbers.
            guard CRC32.checksum(content) == crc else { throw .notZip("a part fails its CRC-32 checksum: the file is damaged") }
            return content
        }
    }

    static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }

    /// The package's parts by name, from its central directory.
    static func entries(_ bytes: [UInt8]) throws(Failure) -> [String: Entry] {
        guard bytes.count >= 22 else { throw .notZip("too short") }
        var end = bytes.count - 22
        let stop = max(0, bytes.count - 22 - 65_535)
        while end >= stop, u32(bytes, end) != 0x06054B50 { end -= 1 }
        guard end >= stop else { throw .notZip("no end of central directory") }
        let count = u16(bytes, end + 10), directory = u32(bytes, end + 16)
        var entries: [String: Entry] = [:]
        var at = directory
        for _ in 0..<count {
            guard at + 46 <= bytes.count, u32(bytes, at) == 0x02014B50 else { throw .notZip("a central directory entry is corrupt") }
            let nameLength = u16(bytes, at + 28), extra = u16(bytes, at + 30), comment = u16(bytes, at + 32)
            guard at + 46 + nameLength <= bytes.count else { throw .notZip("a part's name is cut short") }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(name: name, method: u16(bytes, at + 10), crc: UInt32(u32(bytes, at + 16)), compressedSize: u32(bytes, at + 20), size: u32(bytes, at + 24),
                                  localOffset: u32(bytes, at + 42))
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    // MARK: The XML

    /// The part of the workbook's first `<sheet>`: its `r:id` looked up in the workbook's relationships.
    static func firstSheet(workbook: [UInt8], relations: [UInt8]) throws(Failure) -> String? {
        var scanner = Scanner(workbook)
        var id: String?
        while id == nil, let tag = scanner.nextTag() {
            if tag.name == "sheet", !tag.closing { id = tag.attributes["id"] }
        }
        guard let id else { return nil }
        var rels = Scanner(relations)
        while let tag = rels.nextTag() {
            guard tag.name == "Relationship", tag.attributes["Id"] == id, let target = tag.attributes["Target"] else { continue }
            // Targets are relative to xl/, or absolute from the package root.
            return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        return nil
    }

    /// `sharedStrings.xml`: each `<si>`'s text, its runs joined.
    static func strings(_ xml: [UInt8]) throws(Failure) -> [String] {
        var result: [String] = []
        var scanner = Scanner(xml)
        var current: String?
        while let tag = scanner.nextTag() {
            switch tag.name {
            case "si": if tag.closing { result.append(current ?? ""); current = nil } else if tag.selfClosing { result.append("") } else { current = "" }
            case "t" where !tag.closing && !tag.selfClosing: current = (current ?? "") + (try scanner.text(until: "t"))
            default: break
            }
        }
        return result
    }

    /// The worksheet's cells by row number and column index (0-based).
    static func cells(_ xml: [UInt8], shared: [String]) throws(Failure) -> [Int: [Int: String]] {
        var rows: [Int: [Int: String]] = [:]
        var scanner = Scanner(xml)
        var row = 0, column = -1
        var type = "", value: String?
        while let tag = scanner.nextTag() {
            switch tag.name {
            case "row" where !tag.closing:
                row = tag.attributes["r"].flatMap { Int($0) } ?? row + 1
                column = -1
            case "c" where !tag.closing:
                column = tag.attributes["r"].flatMap(columnIndex) ?? column + 1
                type = tag.attributes["t"] ?? ""
                value = nil
                if tag.selfClosing { continue }
            case "v" where !tag.closing && !tag.selfClosing: value = try scanner.text(until: "v")
            case "t" where !tag.closing && !tag.selfClosing: value = (value ?? "") + (try scanner.text(until: "t"))
            case "c" where tag.closing:
                guard let raw = value else { continue }
                var text = raw
                switch type {
                case "s":
                    guard let index = Int(raw), shared.indices.contains(index) else { throw .xml("row \(row) refers to a shared string \(raw) that does not exist") }
                    text = shared[index]
                case "b": text = raw == "1" ? "TRUE" : "FALSE"
                default: break
                }
                guard row >= 1, row <= 10_000_000, column >= 0, column < 16_384 else { throw .xml("a cell outside the sheet's grid") }
                rows[row, default: [:]][column] = text
            default: break
            }
        }
        return rows
    }

    /// `AB12` → 27.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, letters = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters > 0 && letters <= 3 ? index - 1 : nil
    }

    /// A minimal scanner of the XML a spreadsheet writes: tags with attributes and text between.
    struct Scanner {
        struct Tag {
            var name: String
            var closing: Bool
            var selfClosing: Bool
            var attributes: [String: String]
        }

        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func nextTag() -> Tag? {
            while position < bytes.count {
                guard let open = bytes[position...].firstIndex(of: 0x3C) else { position = bytes.count; return nil }
                guard let close = bytes[open...].firstIndex(of: 0x3E) else { position = bytes.count; return nil }
                position = close + 1
                var inside = bytes[(open + 1)..<close]
                if inside.first == 0x3F || inside.first == 0x21 { continue }   // <?xml …?>, <!-- … -->, <!DOCTYPE …>
                let closing = inside.first == 0x2F
                if closing { inside = inside.dropFirst() }
                let selfClosing = inside.last == 0x2F
                if selfClosing { inside = inside.dropLast() }
                let text = String(decoding: inside, as: UTF8.self)
                let nameEnd = text.firstIndex(where: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) ?? text.endIndex
                var name = String(text[..<nameEnd])
                if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
                return Tag(name: name, closing: closing, selfClosing: selfClosing, attributes: Self.attributes(text[nameEnd...]))
            }
            return nil
        }

        static func attributes(_ text: Substring) -> [String: String] {
            var result: [String: String] = [:]
            var rest = text[...]
            while let equals = rest.firstIndex(of: "=") {
                var key = rest[..<equals].trimmingCharacters(in: .whitespacesAndNewlines)
                if let colon = key.lastIndex(of: ":") { key = String(key[key.index(after: colon)...]) }
                let afterEquals = rest[rest.index(after: equals)...].drop(while: { $0 == " " })
                guard let quote = afterEquals.first, quote == "\"" || quote == "'" else { break }
                let valueStart = afterEquals.index(after: afterEquals.startIndex)
                guard let valueEnd = afterEquals[valueStart...].firstIndex(of: quote) else { break }
                result[key] = unescape(String(afterEquals[valueStart..<valueEnd]))
                rest = afterEquals[afterEquals.index(after: valueEnd)...]
            }
            return result
        }

        /// The text up to `</name>`, entities decoded; the scanner moves past the closing tag.
        mutating func text(until name: String) throws(Failure) -> String {
            var collected: [UInt8] = []
            while position < bytes.count {
                guard let open = bytes[position...].firstIndex(of: 0x3C) else { break }
                collected += bytes[position..<open]
                position = open
                guard let tag = nextTag() else { break }
                if tag.name == name && tag.closing { return Self.unescape(String(decoding: collected, as: UTF8.self)) }
            }
            throw .xml("<\(name)> is not closed")
        }

        static func unescape(_ text: String) -> String {
            guard text.contains("&") else { return text }
            var result = "", rest = text[...]
            while let amp = rest.firstIndex(of: "&") {
                result += rest[..<amp]
                guard let semicolon = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semicolon) <= 10 else {
                    result += "&"
                    rest = rest[rest.index(after: amp)...]
                    continue
                }
                let entity = rest[rest.index(after: amp)..<semicolon]
                switch entity {
                case "lt": result += "<"
                case "gt": result += ">"
                case "amp": result += "&"
                case "quot": result += "\""
                case "apos": result += "'"
                default:
                    let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                    if let number, let scalar = Unicode.Scalar(number) { result.unicodeScalars.append(scalar) } else { result += "&\(entity);" }
                }
                rest = rest[rest.index(after: semicolon)...]
            }
            return result + rest
        }
    }
}

extension ReferenceTable {
    init(name: String, columns: [String], rows: [Row]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// A sheet uploaded as CSV (UTF-8) or as an XLSX workbook (its first worksheet).
    public static func sheet(_ bytes: [UInt8], name: String) throws(InputErrors) -> ReferenceTable {
        if XLSXReader.isPackage(bytes) { return try XLSXReader.table(bytes, name: name) }
        return try ReferenceTable(name: name, text: try text(of: bytes, file: name))
    }
}
