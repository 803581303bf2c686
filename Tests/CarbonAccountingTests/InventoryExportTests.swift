import CarbonKit
import Foundation
import Testing
@testable import CarbonAccounting

@Suite("Inventory export")
struct InventoryExportTests {
    let csv = header + """
        2022,Riverside,I.1.1,natural_gas,1,TJ,,,,,,,,,H,,utility,
        2022,Riverside,I.4.4,,,,,,,,,,NO,,,,,no power plant
        2022,Riverside,I.1.1,wood,1,t,,,,,,,,,,,,\n
        """

    @Test("JSON has the documented fields, in tonnes CO2e and gas tonnes")
    func jsonFields() throws {
        let inv = try inventory(csv)
        let text = InventoryExport.json(inv, year: 2022).serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["gwp"] as? String == "AR5")
        #expect(object["unit"] as? String == "tCO2e")
        let totals = try #require(object["totals"] as? [String: Double])
        for key in ["basic", "basic_plus", "territorial", "scope1", "scope2", "scope3", "biogenic_co2"] { #expect(totals[key] != nil, "\(key)") }
        #expect(close(totals["biogenic_co2"], 0.0156 * 112))
        #expect((object["by_sector"] as? [String: Double])?.keys.sorted() == ["I", "II", "III", "IV", "V"])
        #expect((object["by_gas_t"] as? [String: Double])?["CO2"] == 56.1)
        #expect((object["by_jurisdiction"] as? [String: Double])?["Riverside"] != nil)
        let keys = try #require(object["notation_keys"] as? [[String: String]])
        #expect(keys.first?["gpc_ref"] == "I.4.4")
        #expect(keys.first?["key"] == "NO")
        #expect(keys.first?["jurisdiction"] == "Riverside")
    }

    @Test("The CSV has a row per GPC reference and jurisdiction: reported, keyed, or not estimated and said so")
    func gpcLayout() throws {
        let text = InventoryExport.csv(try inventory(csv), year: 2022)
        let lines = text.split(separator: "\r\n").map(String.init)
        #expect(lines.first == InventoryExport.csvColumns.joined(separator: ","))
        #expect(lines.count == 1 + 53)
        let residential = try #require(lines.first { $0.contains(",I.1.1,") })
        #expect(residential.contains(",reported,"))
        #expect(residential.contains("utility"))
        #expect(lines.first { $0.contains(",I.4.4,") }?.contains(",notation_key,") == true)
        #expect(lines.first { $0.contains(",I.4.4,") }?.contains("no power plant") == true)
        let empty = try #require(lines.first { $0.contains(",II.1.1,") })
        #expect(empty.contains(",not_estimated,") && empty.contains(",NE,,") && empty.contains(InventoryExport.notEstimatedNote))
        #expect(residential.contains(",Stationary energy,I.1,Residential buildings,Fuel combustion within the city boundary,"))
    }

    @Test("Each gas is given in t CO2e under the inventory's GWP set beside its mass, and they add up to the row's CO2e")
    func co2ePerGas() throws {
        let text = InventoryExport.csv(try inventory(csv), year: 2022)
        let table = try ReferenceTable(name: "export.csv", text: text)
        let row = try #require(table.rows.first { $0["gpc_ref"] == "I.1.1" })
        let ch4 = try #require(Double(row["ch4_t"])), ch4e = try #require(Double(row["ch4_co2e_t"]))
        #expect(abs(ch4e - ch4 * 28) < 1e-9, "AR5: CH4 28")
        let n2o = try #require(Double(row["n2o_t"])), n2oe = try #require(Double(row["n2o_co2e_t"]))
        #expect(abs(n2oe - n2o * 265) < 1e-9, "AR5: N2O 265")
        let sum = ["co2_co2e_t", "ch4_co2e_t", "n2o_co2e_t"].compactMap { Double(row[$0]) }.reduce(0, +)
        #expect(abs(sum - Double(row["co2e_t"])!) < 1e-6)
    }

    @Test("A city with districts gets rows for its whole area, so the city's rows hold the city's total")
    func cityRows() throws {
        let tree = try JurisdictionTree([Jurisdiction(name: "City", level: .city), Jurisdiction(name: "Riverside", level: .district, parent: "City")])
        let inv = try inventory(csv, jurisdictions: tree)
        let rows = try ReferenceTable(name: "export.csv", text: InventoryExport.csv(inv, year: 2022)).rows
        let city = rows.filter { $0["jurisdiction"] == "City" && $0["aggregation"] == "with_jurisdictions_below" }
        #expect(city.count == 53)
        let total = city.filter { $0["status"] == "reported" && GPCTaxonomy.standard.entry($0["gpc_ref"])?.inBasicPlus == true }
            .compactMap { Double($0["co2e_t"]) }.reduce(0, +)
        #expect(abs(total - inv.totals(year: 2022, jurisdiction: "City").basicPlus) < 1e-6)
    }

    @Test("CSV export reads back to the same CO2e per reference")
    func roundTrip() throws {
        let inv = try inventory(csv)
        let text = InventoryExport.csv(inv, year: 2022)
        let table = try ReferenceTable(name: "export.csv", text: text)
        var back: [String: Double] = [:]
        for row in table.rows where row["status"] == "reported" { back[row["gpc_ref"]] = Double(row["co2e_t"]) }
        for (ref, value) in inv.byGPCRef(year: 2022) where value != 0 { #expect(back[ref] == value) }
    }
}
