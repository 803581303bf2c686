import Testing
@testable import CarbonKit

@Suite("CSV scanner")
struct CSVScannerTests {
    func records(_ text: String) -> [[String]] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(bytes: buffer)
            var record = CSVRecord()
            var result: [[String]] = []
            while scanner.next(into: &record) { result.append(record.fields.map { scanner.string($0) }) }
            return result
        }
    }

    @Test("A byte-order mark is skipped and CRLF ends a record")
    func bomAndCRLF() {
        #expect(records("\u{FEFF}a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
    }

    @Test("Quoted fields keep commas, doubled quotes and line breaks")
    func quoting() {
        #expect(records("x,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\"\n") == [["x", "a, b", "say \"hi\"", "two\nlines"]])
    }

    @Test("A trailing comma gives an empty last field and blank lines are skipped")
    func trailingCommaAndBlankLines() {
        #expect(records("a,b,\n\n1,2,\n") == [["a", "b", ""], ["1", "2", ""]])
    }

    @Test("Records report the line they start on, counting quoted line breaks")
    func lineNumbers() {
        let bytes = Array("h\n\"a\nb\"\nc\n".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(bytes: buffer)
            var record = CSVRecord()
            var lines: [Int] = []
            while scanner.next(into: &record) { lines.append(record.line) }
            #expect(lines == [1, 2, 4])
        }
    }
}

@Suite("Suggestions")
struct SuggestionTests {
    @Test("natral_gas suggests natural_gas")
    func typo() {
        #expect(Suggestion.closest(to: "natral_gas", among: ["natural_gas", "lpg", "naphtha"]) == "natural_gas")
    }

    @Test("Nothing close suggests nothing")
    func nothingClose() {
        #expect(Suggestion.closest(to: "uranium", among: ["natural_gas", "lpg"]) == nil)
    }
}

@Suite("Jurisdiction tree")
struct JurisdictionTreeTests {
    @Test("A district's lineage runs up to the country")
    func lineage() throws {
        let tree = try JurisdictionTree([
            Jurisdiction(name: "China", level: .country), Jurisdiction(name: "Zhejiang", level: .province, parent: "China"),
            Jurisdiction(name: "Hangzhou", level: .city, parent: "Zhejiang"), Jurisdiction(name: "Xihu", level: .district, parent: "Hangzhou"),
        ])
        #expect(tree.lineage(of: "Xihu") == ["Xihu", "Hangzhou", "Zhejiang", "China"])
        #expect(tree.roots == ["China"])
    }

    @Test("An unknown parent and a cycle are refused")
    func refusals() {
        #expect(throws: InputErrors.self) { try JurisdictionTree([Jurisdiction(name: "A", level: .district, parent: "Nowhere")]) }
        #expect(throws: InputErrors.self) {
            try JurisdictionTree([Jurisdiction(name: "A", level: .city, parent: "B"), Jurisdiction(name: "B", level: .city, parent: "A")])
        }
    }
}
