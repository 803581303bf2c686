import Testing
@testable import CarbonKit

@Suite("Gases and GWP sets")
struct GasTests {
    let catalog = GasCatalog.standard

    func gwp(_ set: String, _ gas: String) throws -> Double {
        try catalog.gwpSet(set).potential(of: catalog.gas(gas))
    }

    @Test("CH4 and N2O: SAR 21/310, AR4 25/298, AR5 28/265, AR6 27.9/273")
    func methaneAndNitrousOxide() throws {
        #expect(try gwp("SAR", "CH4") == 21)
        #expect(try gwp("SAR", "N2O") == 310)
        #expect(try gwp("AR4", "CH4") == 25)
        #expect(try gwp("AR4", "N2O") == 298)
        #expect(try gwp("AR5", "CH4") == 28)
        #expect(try gwp("AR5", "N2O") == 265)
        #expect(try gwp("AR6", "CH4") == 27.9)
        #expect(try gwp("AR6", "N2O") == 273)
    }

    @Test("AR6 methane by origin: fossil 29.8, non-fossil 27.0 (AR6 WG1 Table 7.15)")
    func methaneByOrigin() throws {
        #expect(try gwp("AR6", "CH4_fossil") == 29.8)
        #expect(try gwp("AR6", "CH4_non_fossil") == 27.0)
        #expect(try gwp("AR5", "CH4_fossil") == 28)
    }

    @Test("F-gases: SF6 AR5 23,500 and AR6 25,200; HFC-134a AR4 1,430; CF4 AR5 6,630; NF3 AR5 16,100")
    func fluorinatedGases() throws {
        #expect(try gwp("AR5", "SF6") == 23_500)
        #expect(try gwp("AR6", "SF6") == 25_200)
        #expect(try gwp("AR4", "HFC134a") == 1_430)
        #expect(try gwp("AR5", "CF4") == 6_630)
        #expect(try gwp("AR5", "NF3") == 16_100)
        #expect(try gwp("AR4", "C2F6") == 12_200)
    }

    @Test("Every Kyoto group is present: CO2, CH4, N2O, HFCs, PFCs, SF6, NF3")
    func kyotoGroups() {
        let groups = Set(catalog.gases.values.map(\.group))
        for group in [GasGroup.co2, .ch4, .n2o, .hfcs, .pfcs, .sf6, .nf3] { #expect(groups.contains(group)) }
    }

    @Test("A gas a set has no value for cannot be weighed: NF3 in SAR")
    func missingPotential() throws {
        #expect(throws: GasError.noPotential(gas: "NF3", set: "SAR")) { try gwp("SAR", "NF3") }
    }

    @Test("An unknown gas or set is an error that names what exists")
    func unknownNames() {
        #expect(throws: GasError.self) { try catalog.gas("SF7") }
        #expect(throws: GasError.unknownGWPSet("AR7", known: ["AR4", "AR5", "AR6", "SAR"])) { try catalog.gwpSet("AR7") }
    }
}
