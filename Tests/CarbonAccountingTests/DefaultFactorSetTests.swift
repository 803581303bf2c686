import CarbonKit
import Testing
@testable import CarbonAccounting

/// A row naming no factor set is priced by the validator's default, or by its fuel's.
@Suite("Default factor sets")
struct DefaultFactorSetTests {
    static let rows = header + """
        2022,Riverside,I.1.1,natural_gas,1,TJ,,,,,,,,,,,,
        2022,Riverside,I.2.1,other_bituminous_coal,1,TJ,,,,,,,,,,,,\n
        """

    @Test func aRowWithoutASetTakesTheDefaultOrItsFuels() throws {
        let bytes = Array(Self.rows.utf8)
        let table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ActivityCSV.parse(b, file: "a.csv") }
        let standard = try ActivityValidator().validate(table, file: "a.csv")
        #expect(standard.factorSetsUsed == ["IPCC2006"])
        let byFuel = try ActivityValidator(factorSetByFuel: ["natural_gas": "CN2011"]).validate(table, file: "a.csv")
        #expect(byFuel.factorSetsUsed == ["CN2011", "IPCC2006"])
        #expect(byFuel.factorSetName(row: 0) == "CN2011" && byFuel.factorSetName(row: 1) == "IPCC2006")
    }

    @Test func anUnknownDefaultIsNamedNotACrash() throws {
        let bytes = Array(Self.rows.utf8)
        let table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ActivityCSV.parse(b, file: "a.csv") }
        #expect {
            try ActivityValidator(defaultFactorSet: "NO_SUCH_SET").validate(table, file: "a.csv")
        } throws: { error in
            (error as? InputErrors)?.issues.first?.value == "NO_SUCH_SET"
        }
    }
}
