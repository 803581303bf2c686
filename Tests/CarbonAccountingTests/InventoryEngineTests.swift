import CarbonKit
import Testing
@testable import CarbonAccounting

@Suite("Inventory engine")
struct InventoryEngineTests {
    @Test("1 TJ of natural gas in homes under AR5: 56.1 t CO2 + 5 kg CH4 × 28 + 0.1 kg N2O × 265 = 56.2665 t CO2e")
    func naturalGasByHand() throws {
        let inv = try inventory(header + "2022,Riverside,I.1.1,natural_gas,1,TJ,,,,,,,,,H,,bills,\n")
        let totals = inv.totals(year: 2022)
        let expected: Double = 56.1 + 5.0 * 28 / 1000 + 0.1 * 265 / 1000
        #expect(close(totals.basic, expected))
        let cell = try #require(inv.cells.first)
        #expect(close(cell.gasesKg["CO2"], 56_100))
        #expect(close(cell.gasesKg["CH4_fossil"], 5))
        #expect(close(cell.gasesKg["N2O"], 0.1))
    }

    @Test("Changing the GWP set changes the total: AR4 (25/298) and AR6 (fossil CH4 29.8, N2O 273) differ from AR5")
    func gwpChangesTotal() throws {
        let csv = header + "2022,Riverside,I.1.1,anthracite,1,TJ,,,,,,,,,,,,\n"
        let ar5 = try inventory(csv, gwp: "AR5").totals(year: 2022).basic
        let ar4 = try inventory(csv, gwp: "AR4").totals(year: 2022).basic
        let ar6 = try inventory(csv, gwp: "AR6").totals(year: 2022).basic
        let expectedAR5: Double = 98.3 + 0.3 * 28.0 + 0.0015 * 265.0
        let expectedAR4: Double = 98.3 + 0.3 * 25.0 + 0.0015 * 298.0
        let expectedAR6: Double = 98.3 + 0.3 * 29.8 + 0.0015 * 273.0
        #expect(close(ar5, expectedAR5))
        #expect(close(ar4, expectedAR4))
        #expect(close(ar6, expectedAR6))
        #expect(ar4 != ar5 && ar5 != ar6)
        #expect(close(try inventory(csv).reweighted(with: GasCatalog.standard.gwpSet("AR4")).totals(year: 2022).basic, ar4))
    }

    @Test("Totals: BASIC, BASIC+, territorial (with I.4.4 and III.x.3), and scopes 1–3 each take their rows")
    func totalsRules() throws {
        // One tonne CO2 per row through explicit factors, so each row is exactly 1 t CO2e.
        let refs = ["I.1.1", "I.1.2", "I.1.3", "I.4.4", "II.1.3", "III.1.1", "III.1.2", "III.1.3", "IV.1", "V.1", "VI.1"]
        let csv = header + refs.map { "2022,Riverside,\($0),,1,t,,1000,,,,,,,,,," }.joined(separator: "\n") + "\n"
        let t = try inventory(csv).totals(year: 2022)
        #expect(t.basic == 4)            // I.1.1, I.1.2, III.1.1, III.1.2
        #expect(t.basicPlus == 8)        // + I.1.3, II.1.3, IV.1, V.1
        #expect(t.territorial == 6)      // I.1.1, I.4.4, III.1.1, III.1.3, IV.1, V.1
        #expect(t.scope1 == 6)
        #expect(t.scope2 == 1)
        #expect(t.scope3 == 4)           // I.1.3, II.1.3, III.1.2, VI.1
    }

    @Test("Biogenic CO2 is reported separately and is in no total")
    func biogenic() throws {
        let inv = try inventory(header + "2022,Riverside,I.1.1,wood,10,t,,,,,,,,,,,,\n")
        let t = inv.totals(year: 2022)
        let biogenic: Double = 10.0 * 15.6 / 1000 * 112          // 17.472 t
        let nonCO2: Double = 0.156 * (0.3 * 28.0 + 0.004 * 265.0) // only CH4 and N2O count
        #expect(close(t.biogenicCO2, biogenic))
        #expect(close(t.basic, nonCO2))
        #expect(inv.byGas(year: 2022)["CO2"] == nil)
    }

    @Test("Notation keys count zero, are kept with their explanation, and IE names the row that includes it")
    func notationKeys() throws {
        let inv = try inventory(header + """
            2022,Riverside,I.1.1,natural_gas,1,TJ,,,,,,,,,,,,
            2022,Riverside,II.5.1,,,,,,,,,,IE,II.1.1,,,,in road transport
            2022,Riverside,V.1,,,,,,,,,,NO,,,,,no livestock\n
            """)
        #expect(close(inv.totals(year: 2022).basicPlus, 56.2665))
        let keyed = inv.cells.filter { !$0.notationKeys.isEmpty }
        #expect(keyed.count == 2)
        #expect(keyed.first { $0.gpcRef == "II.5.1" }?.notationKeys.first == NotationEntry(key: .includedElsewhere, ieRef: "II.1.1", explanation: "in road transport"))
        #expect(keyed.allSatisfy { $0.co2eTonnes == 0 })
    }

    @Test("Districts roll up to their city, which adds its own rows")
    func rollUp() throws {
        let tree = try JurisdictionTree([
            Jurisdiction(name: "Demo City", level: .city), Jurisdiction(name: "North", level: .district, parent: "Demo City"),
            Jurisdiction(name: "South", level: .district, parent: "Demo City"),
        ])
        let csv = header + """
            2022,North,I.1.1,,1,t,,1000,,,,,,,,,,
            2022,South,I.1.1,,2,t,,1000,,,,,,,,,,
            2022,Demo City,II.4.1,,4,t,,1000,,,,,,,,,,\n
            """
        let inv = try inventory(csv, jurisdictions: tree)
        let by = inv.byJurisdiction(year: 2022)
        #expect(by["North"] == 1)
        #expect(by["South"] == 2)
        #expect(by["Demo City"] == 7)
        #expect(inv.totals(year: 2022).basic == 7)
    }

    @Test("Explicit factors use exactly the gases given: CO2 and N2O, no library CH4")
    func explicitFactors() throws {
        let inv = try inventory(header + "2022,Riverside,I.1.1,natural_gas,100,GJ,,56.1,,0.0001,,,,,,,,\n")
        let cell = try #require(inv.cells.first)
        #expect(close(cell.gasesKg["CO2"], 5_610))
        #expect(cell.gasesKg["CH4_fossil"] == nil)
        let expected: Double = 5.61 + 0.00001 * 265.0
        #expect(close(cell.co2eTonnes, expected))
    }

    @Test("A gas row adds its mass directly: 1 kg SF6 from switchgear is 23.5 t CO2e under AR5")
    func gasRow() throws {
        let inv = try inventory(header + "2022,Riverside,IV.2,,1,kg,,,,,SF6,,,,,,,\n")
        #expect(close(inv.totals(year: 2022).basicPlus, 23.5))
        #expect(inv.totals(year: 2022).basic == 0)
        #expect(close(inv.byGas(year: 2022)["SF6"], 0.001))
    }

    @Test("T&D losses given as consumption and a loss rate: 1,000 MWh × 5 %/95 % × 0.5366 t/MWh")
    func transmissionLosses() throws {
        let inv = try inventory(header + "2022,Riverside,I.1.3,electricity,1000,MWh,grid:cn_national:2022,,,,,0.05,,,,,,\n")
        let expected: Double = 1000.0 * 0.05 / 0.95 * 0.5366
        #expect(close(inv.totals(year: 2022).scope3, expected))
        #expect(inv.totals(year: 2022).basic == 0)
    }

    @Test("Data quality: a cell shows its worst rating; library default factors rate L (IPCC) and M (grid)")
    func dataQuality() throws {
        let inv = try inventory(header + """
            2022,Riverside,I.1.1,natural_gas,1,TJ,,,,,,,,,H,,,
            2022,Riverside,I.1.1,lpg,1,t,,,,,,,,,M,,,
            2022,Riverside,I.1.2,electricity,1,MWh,grid:cn_national:2022,,,,,,,,H,,,\n
            """)
        let residential = try #require(inv.cells.first { $0.gpcRef == "I.1.1" })
        #expect(residential.adQuality == .medium)
        #expect(residential.efQuality == .low)
        #expect(inv.cells.first { $0.gpcRef == "I.1.2" }?.efQuality == .medium)
    }

    @Test("The China method beside GPC: 100 t raw coal in industry is 190.03 t CO2 with CN2011")
    func chinaMethod() throws {
        let inv = try inventory(header + "2022,Riverside,I.3.1,raw_coal,100,t,CN2011,,,,,,,,,,,\n")
        #expect(close(inv.totals(year: 2022).basic, 190.03, relative: 5e-5))
        #expect(inv.provenance.factorSets.map(\.name) == ["CN2011"])
    }

    @Test("The same rows give the same fingerprint and number; a changed amount changes the fingerprint")
    func reproducible() throws {
        let csv = header + "2022,Riverside,I.1.1,natural_gas,1,TJ,,,,,,,,,,,,\n"
        let a = try inventory(csv), b = try inventory(csv)
        #expect(a.provenance.inputFingerprint == b.provenance.inputFingerprint)
        #expect(a.provenance.inputFingerprint.hasPrefix("sha256:"))
        #expect(a.totals(year: 2022) == b.totals(year: 2022))
        let c = try inventory(header + "2022,Riverside,I.1.1,natural_gas,1.0000001,TJ,,,,,,,,,,,,\n")
        #expect(c.provenance.inputFingerprint != a.provenance.inputFingerprint)
        #expect(a.provenance.factorSets.first?.name == "IPCC2006")
        #expect(a.provenance.gwpSet == "AR5")
    }

    @Test("Several years are kept apart")
    func years() throws {
        let inv = try inventory(header + """
            2020,Riverside,I.1.1,,1,t,,1000,,,,,,,,,,
            2022,Riverside,I.1.1,,3,t,,1000,,,,,,,,,,\n
            """)
        #expect(inv.years == [2020, 2022])
        #expect(inv.totals(year: 2020).basic == 1)
        #expect(inv.totals(year: 2022).basic == 3)
    }
}
