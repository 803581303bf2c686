import CarbonKit
import Testing
@testable import CarbonAccounting

@Suite("Activity CSV: what is accepted")
struct ActivityCSVAcceptanceTests {
    @Test("A byte-order mark, CRLF line ends, quoted fields and header case are fine")
    func tolerantSyntax() throws {
        let csv = "\u{FEFF}Year,Jurisdiction,GPC_Ref,Fuel,Amount,Unit,Source\r\n2022,\"Old Town\",I.1.1,natural_gas,1,TJ,\"bills, 2022\"\r\n"
        let inv = try inventory(csv)
        #expect(inv.cells.first?.jurisdiction == "Old Town")
        #expect(inv.cells.first?.sources == ["bills, 2022"])
    }

    @Test("Only the three required columns and the amount are needed for explicit-factor rows")
    func minimalColumns() throws {
        let inv = try inventory("year,jurisdiction,gpc_ref,amount,co2_kg_per_unit\n2022,A,III.1.1,10,2000\n")
        #expect(inv.totals(year: 2022).basic == 20)
    }

    @Test("A large file is parsed in parallel chunks with the same result and line numbers as a small one")
    func parallelChunks() throws {
        var csv = header
        for i in 0..<40_000 { csv += "2022,D\(i % 7),I.1.1,natural_gas,\(i % 100).5,GJ,,,,,,,,,H,,\"src, \(i % 3)\",\n" }
        csv += "2022,D1,I.1.1,natral_gas,1,GJ,,,,,,,,,,,,\n"
        let bad = issues(csv)
        #expect(bad.count == 1)
        #expect(bad.first?.location.row == 40_002)
        let good = String(csv.dropLast("2022,D1,I.1.1,natral_gas,1,GJ,,,,,,,,,,,,\n".count))
        let bytes = Array(good.utf8)
        let parallel = try bytes.withUnsafeBufferPointer { try ActivityCSV.parse($0, file: "t", parallel: true) }
        let serial = try bytes.withUnsafeBufferPointer { try ActivityCSV.parse($0, file: "t", parallel: false) }
        #expect(parallel.count == 40_000)
        #expect(parallel.records == serial.records)
        #expect(parallel[39_999].line == 40_001)
    }
}

@Suite("Activity CSV: bad input is refused with its place")
struct ActivityCSVErrorTests {
    func only(_ row: String, extraHeader: String = header) -> [InputIssue] { issues(extraHeader + row + "\n") }

    @Test("An unknown fuel names row, column and value, and suggests the nearest fuel")
    func unknownFuel() throws {
        let issue = try #require(only("2022,A,I.1.1,natral_gas,1,TJ,,,,,,,,,,,,").first)
        #expect(issue.location.row == 2)
        #expect(issue.location.column == 4)
        #expect(issue.location.field == "fuel")
        #expect(issue.value == "natral_gas")
        #expect(issue.suggestion == "did you mean 'natural_gas'?")
    }

    @Test("Negative, non-finite and unparsable amounts are errors", arguments: ["-1", "nan", "inf", "1e999", "1e300", "12abc", "1,5", "0x10"])
    func badAmounts(_ amount: String) throws {
        let found = only("2022,A,I.1.1,natural_gas,\"\(amount)\",TJ,,,,,,,,,,,,")
        #expect(found.count == 1)
        #expect(found.first?.location.field == "amount")
    }

    @Test("A unit that cannot apply to the fuel: litres of coal, without a density")
    func unitNotForFuel() throws {
        let issue = try #require(only("2022,A,I.3.1,coking_coal,1,L,,,,,,,,,,,,").first)
        #expect(issue.location.field == "unit")
        #expect(issue.reason.contains("density"))
    }

    @Test("An unknown unit suggests the nearest")
    func unknownUnit() throws {
        #expect(only("2022,A,I.1.1,natural_gas,1,Tj,,,,,,,,,,,,").first?.suggestion == "did you mean 'TJ'?")
    }

    @Test("An unknown GPC reference is an error")
    func unknownReference() throws {
        let issue = try #require(only("2022,A,I.9.1,natural_gas,1,TJ,,,,,,,,,,,,").first)
        #expect(issue.location.field == "gpc_ref")
        #expect(issue.value == "I.9.1")
    }

    @Test("A notation key with an amount is an error")
    func notationKeyWithAmount() throws {
        let issue = try #require(only("2022,A,I.1.1,,5,,,,,,,,NO,,,,,").first)
        #expect(issue.location.field == "amount")
    }

    @Test("A row with neither an amount nor a notation key is an error")
    func neither() throws {
        let issue = try #require(only("2022,A,I.1.1,natural_gas,,TJ,,,,,,,,,,,,").first)
        #expect(issue.reason.contains("amount or a notation key"))
    }

    @Test("IE without ie_ref, and ie_ref without IE, are errors")
    func includedElsewhere() {
        #expect(only("2022,A,I.1.1,,,,,,,,,,IE,,,,,").first?.location.field == "ie_ref")
        #expect(only("2022,A,I.1.1,,,,,,,,,,NE,I.2.1,,,,").first?.location.field == "ie_ref")
    }

    @Test("A notation key and an amount for the same cell contradict each other")
    func keyAndAmountConflict() {
        let found = issues(header + "2022,A,I.1.1,natural_gas,1,TJ,,,,,,,,,,,,\n2022,A,I.1.1,,,,,,,,,,NO,,,,,\n")
        #expect(found.count == 1)
    }

    @Test("Fuel in a grid-energy row, and electricity in a fuel row, break the scope rules")
    func scopeRules() {
        #expect(only("2022,A,I.1.2,natural_gas,1,TJ,,,,,,,,,,,,").first?.location.field == "fuel")
        #expect(!only("2022,A,I.1.1,electricity,1,MWh,grid:cn_national:2022,,,,,,,,,,,").isEmpty)
    }

    @Test("Electricity without a grid series says how to name one")
    func electricityNeedsGrid() throws {
        let issue = try #require(only("2022,A,I.1.2,electricity,1,MWh,,,,,,,,,,,,").first)
        #expect(issue.suggestion?.contains("grid:cn_national:2022") == true)
    }

    @Test("A bad year, a bad quality rating and an unknown notation key are errors")
    func badCodes() {
        #expect(only("20x2,A,I.1.1,natural_gas,1,TJ,,,,,,,,,,,,").first?.location.field == "year")
        #expect(only("2022,A,I.1.1,natural_gas,1,TJ,,,,,,,,,X,,,").first?.location.field == "ad_quality")
        #expect(only("2022,A,I.1.1,,,,,,,,,,NA,,,,,").contains { $0.location.field == "notation_key" })
    }

    @Test("Header problems: an unknown column suggests the right one; a required column missing is named")
    func headerProblems() {
        let unknown = issues("year,jurisdiction,gpc_ref,fuel,amout,unit\n2022,A,I.1.1,natural_gas,1,TJ\n")
        #expect(unknown.first?.suggestion == "did you mean 'amount'?")
        let missing = issues("year,gpc_ref,fuel,amount,unit\n2022,I.1.1,natural_gas,1,TJ\n")
        #expect(missing.first?.value == "jurisdiction")
    }

    @Test("A row with the wrong number of fields and an unclosed quote are errors")
    func syntax() {
        #expect(issues("year,jurisdiction,gpc_ref,fuel,amount,unit\n2022,A,I.1.1,natural_gas,1\n").first?.reason.contains("fields") == true)
        #expect(!issues("year,jurisdiction,gpc_ref,fuel,amount,unit\n2022,A,I.1.1,natural_gas,1,\"TJ\n").isEmpty)
    }

    @Test("Every error is reported, not just the first")
    func allErrors() {
        let found = issues(header + """
            2022,A,I.1.1,natral_gas,1,TJ,,,,,,,,,,,,
            2022,A,I.1.1,natural_gas,-1,TJ,,,,,,,,,,,,
            2022,A,I.77,natural_gas,1,TJ,,,,,,,,,,,,
            2022,A,I.1.1,,,,,,,,,,,,,,,\n
            """)
        #expect(found.map { $0.location.row ?? 0 } == [2, 3, 4, 5])
    }

    @Test("A jurisdiction outside the given tree is an error with a suggestion")
    func unknownJurisdiction() throws {
        let tree = try JurisdictionTree([Jurisdiction(name: "Riverside", level: .district)])
        let found = issues(header + "2022,Riverside2,I.1.1,natural_gas,1,TJ,,,,,,,,,,,,\n", jurisdictions: tree)
        #expect(found.first?.suggestion == "did you mean 'Riverside'?")
    }

    @Test("An empty file and a header without rows are errors, not crashes")
    func emptyInput() {
        #expect(!issues("").isEmpty)
        #expect(!issues(header).isEmpty)
    }
}
