import Testing
@testable import CarbonKit

@Suite("CSV fields as written")
struct CSVOutputTests {
    @Test(arguments: ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\",\"y\")"])
    func aTextASpreadsheetWouldRunIsNeutralised(_ text: String) {
        let field = CSVOutput.field(text)
        let unquoted = field.hasPrefix("\"") ? String(field.dropFirst()) : field
        #expect(unquoted.hasPrefix("'"), "\(text.debugDescription) → \(field)")
    }

    @Test(arguments: ["-12.5", "+3", "-1e-3", "0", "12,5"])
    func numbersStayNumbers(_ text: String) {
        #expect(!CSVOutput.field(text).contains("'"))
    }

    @Test func fieldsWithCommasQuotesOrLineBreaksAreQuoted() {
        #expect(CSVOutput.field("a,b") == "\"a,b\"")
        #expect(CSVOutput.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVOutput.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVOutput.field("=1,2") == "\"'=1,2\"")
        #expect(CSVOutput.field("plain") == "plain")
    }
}
