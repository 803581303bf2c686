import CarbonKit
import Foundation
import Testing
@testable import CarbonAccounting

/// The CIRIS and CDP layouts, and reading GPC and CIRIS files back: export → import → the same totals.
@Suite("Inventory layouts")
struct InventoryLayoutTests {
    let tree = try! JurisdictionTree([
        Jurisdiction(name: "Demo City", level: .city), Jurisdiction(name: "Riverside", level: .district, parent: "Demo City"),
        Jurisdiction(name: "Old Town", level: .district, parent: "Demo City"),
    ])
    let csv = """
        year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,gas,ad_quality,source,notation_key,ie_ref,note
        2022,Riverside,I.1.1,natural_gas,1,TJ,,,H,gas utility,,,
        2022,Riverside,I.1.2,electricity,1000,MWh,grid:cn_national:2022,,H,grid company,,,
        2022,Old Town,I.1.1,wood,10,t,,,L,survey,,,
        2022,Old Town,IV.1,,2.5,t,,SF6,M,plant report,,,
        2022,Old Town,III.1.1,,40,t,,CH4_non_fossil,M,landfill survey,,,
        2022,Demo City,II.1.1,,120,t,,CO2e,M,bus operator,,,
        2022,Old Town,V.1,,,,,,,,NE,,livestock not yet surveyed
        2022,Riverside,I.4.4,,,,,,,,NO,,no power plant

        """

    func roundTrip(_ layout: InventoryLayout, gwp: String) throws -> (Inventory, Inventory) {
        let original = try inventory(csv, gwp: gwp, jurisdictions: tree)
        let exported = InventoryExport.csv(original, year: 2022, layout: layout)
        let table = try ReferenceTable(name: "\(layout).csv", text: exported)
        let native = try LayoutImport.activityCSV(table, layout: layout, jurisdiction: nil, gwp: try GasCatalog.standard.gwpSet(gwp))
        return (original, try inventory(native, gwp: gwp, jurisdictions: tree))
    }

    @Test("GPC layout: exported and imported again, every total, jurisdiction and notation key is the same", arguments: ["AR5", "AR6"])
    func gpcRoundTrip(gwp: String) throws {
        let (original, again) = try roundTrip(.gpc, gwp: gwp)
        let (a, b) = (original.totals(year: 2022), again.totals(year: 2022))
        #expect(close(b.basic, a.basic, relative: 1e-12) && close(b.basicPlus, a.basicPlus, relative: 1e-12))
        #expect(close(b.territorial, a.territorial, relative: 1e-12) && close(b.biogenicCO2, a.biogenicCO2, relative: 1e-12))
        for (name, tonnes) in original.byJurisdiction(year: 2022) { #expect(close(again.byJurisdiction(year: 2022)[name], tonnes, relative: 1e-12), "\(name)") }
        #expect(again.cells(year: 2022).flatMap(\.notationKeys).map(\.key.rawValue).sorted() == ["NE", "NO"])
        // Non-fossil CH4 under AR6 (27.0, not 29.8) cannot be told from CH4 by mass: it comes back as its CO2e.
        #expect(InventoryExport.csv(again, year: 2022).contains(",III.1.1,own,"))
    }

    @Test("CIRIS layout: the city's whole area comes back at the city with the same totals", arguments: ["AR5", "AR6"])
    func cirisRoundTrip(gwp: String) throws {
        let (original, again) = try roundTrip(.ciris, gwp: gwp)
        let (a, b) = (original.totals(year: 2022), again.totals(year: 2022))
        #expect(close(b.basic, a.basic, relative: 1e-12) && close(b.basicPlus, a.basicPlus, relative: 1e-12))
        #expect(close(b.biogenicCO2, a.biogenicCO2, relative: 1e-12))
        #expect(Set(again.cells(year: 2022).map(\.jurisdiction)) == ["Demo City"])
        #expect(close(again.byGas(year: 2022)["CH4"] ?? 0, (original.byGas(year: 2022)["CH4"] ?? 0) + (original.byGas(year: 2022)["CH4_non_fossil"] ?? 0), relative: 1e-9)
                || gwp == "AR6")
    }

    @Test("The CIRIS sheet has eCRF's column names and one row per GPC reference of the city, SF6 in t CO2e")
    func cirisColumns() throws {
        let text = InventoryExport.csv(try inventory(csv, jurisdictions: tree), year: 2022, layout: .ciris)
        let table = try ReferenceTable(name: "ciris.csv", text: text)
        for column in ["Inventory year", "GPC ref. no.", "CRF - Sector", "CRF - Sub-sector", "Scope", "Notation key",
                       "GHGs (metric tonnes CO2e) - Total CO2e"] { #expect(table.columns.contains(column), "\(column)") }
        #expect(table.rows.count == GPCTaxonomy.standard.entries.count)
        let ippu = try #require(table.rows.first { $0["GPC ref. no."] == "IV.1" })
        // 2.5 t SF6 × 23,500 (AR5).
        #expect(ippu["GHGs (metric tonnes CO2e) - SF6"] == "58750")
        #expect(ippu["City"] == "Demo City")
        let livestock = try #require(table.rows.first { $0["GPC ref. no."] == "V.1" })
        #expect(livestock["Notation key"] == "NE" && livestock["Notation key - Explanation"] == "livestock not yet surveyed")
    }

    @Test("The CDP table sums each sub-sector by scope, keys what is not reported, and leaves scopes the GPC has no source for empty")
    func cdpTable() throws {
        let original = try inventory(csv, jurisdictions: tree)
        let table = try ReferenceTable(name: "cdp.csv", text: InventoryExport.csv(original, year: 2022, layout: .cdp))
        let residential = try #require(table.rows.first { $0["GPC sub-sector"] == "I.1" })
        let direct = try residential.double("Direct emissions (metric tonnes CO2e)")
        #expect(close(direct, original.cells(year: 2022).filter { $0.gpcRef == "I.1.1" }.reduce(0) { $0 + $1.co2eTonnes }))
        #expect(residential["Emissions occurring outside the jurisdiction boundary as a result of in-jurisdiction activities (metric tonnes CO2e)"] == "")
        #expect(residential["Outside-boundary emissions - Notation key"] == "NE")
        let ippu = try #require(table.rows.first { $0["GPC sub-sector"] == "IV.1" })
        #expect(ippu["Indirect emissions - Notation key"] == "" && ippu["Indirect emissions from use of grid-supplied electricity, heat, steam and/or cooling (metric tonnes CO2e)"] == "")
    }

    @Test("A CDP table is refused as an import, and a bad reference or year names its row and column")
    func importRefusals() throws {
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        let cdp = try ReferenceTable(name: "cdp.csv", text: InventoryExport.csv(try inventory(csv, jurisdictions: tree), year: 2022, layout: .cdp))
        #expect(throws: InputErrors.self) { try LayoutImport.activityCSV(cdp, layout: .cdp, jurisdiction: nil, gwp: gwp) }
        let bad = try ReferenceTable(name: "c.csv", text: "Inventory year,GPC ref. no.,GHGs (metric tonnes CO2e) - CO2\n2022,I.1.9,5\nyear,I.1.1,5\n2022,I.1.1,lots\n")
        #expect {
            try LayoutImport.activityCSV(bad, layout: .ciris, jurisdiction: "Demo City", gwp: gwp)
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.count == 3 && issues[0].location.row == 2 && issues[0].value == "I.1.9"
                && issues[1].location.column == 1 && issues[2].value == "lots" && issues[2].location.column == 3
        }
    }

    @Test("An eCRF sheet giving only the total is imported as that total in t CO2e")
    func totalOnly() throws {
        let table = try ReferenceTable(name: "ecrf.csv", text: "Inventory year,GPC ref. no.,GHGs (metric tonnes CO2e) - Total CO2e\n2016,I.1.1,436.329\n")
        let native = try LayoutImport.activityCSV(table, layout: .ciris, jurisdiction: "Demo City", gwp: try GasCatalog.standard.gwpSet("AR5"))
        #expect(try inventory(native, jurisdictions: tree).totals(year: 2016).basic == 436.329)
    }
}
