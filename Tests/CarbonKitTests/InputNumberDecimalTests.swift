import Testing
@testable import CarbonKit

/// One number parser for every form: read one way, and what could mean two things refused.
@Suite("Decimal numbers typed into forms")
struct InputNumberDecimalTests {
    static func read(_ text: String) -> Double? { try? InputNumber.decimal(text, field: "amount") }

    @Test(arguments: [("1250000", 1_250_000.0), ("1,250,000", 1_250_000), ("1,250,000.5", 1_250_000.5), ("1 250 000", 1_250_000),
                      ("-3.5", -3.5), ("−3.5", -3.5), ("+2", 2), (".5", 0.5), ("5.", 5), ("1e3", 1000), ("2.5E-2", 0.025),
                      ("１２３．５", 123.5), ("  42\u{3000}", 42), ("1,500", 1500), ("0", 0)])
    func readsPlainAndGroupedNumbers(_ text: String, _ value: Double) {
        #expect(Self.read(text) == value, "\(text)")
    }

    @Test(arguments: ["1,5", "1,50", "12,5000", "1.250,5", "1,250.000,5", ",5", "1,", "1,,000", "1, 000", "1.2.3", "", " ", "abc",
                      "NaN", "inf", "-inf", "1e999", "1e", "1e+", "0x10", "1_000", "--1", "12%", "1e3.5"])
    func refusesWhatIsNotOneNumber(_ text: String) {
        #expect(Self.read(text) == nil, "\(text)")
    }

    @Test func theAmbiguousCommaIsNamedAsSuch() {
        #expect {
            try InputNumber.decimal("1,5", field: "measures[2].share")
        } throws: { error in
            let issue = error as? InputIssue
            return issue?.location.field == "measures[2].share" && issue?.value == "1,5" && issue?.reason.contains("ambiguous") == true
        }
    }

    @Test func aRangeIsEnforced() {
        #expect((try? InputNumber.decimal("0.4", field: "share", in: 0...1)) == 0.4)
        #expect((try? InputNumber.decimal("1.4", field: "share", in: 0...1)) == nil)
    }
}
