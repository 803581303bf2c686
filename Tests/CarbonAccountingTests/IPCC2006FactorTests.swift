import CarbonKit
import Testing
@testable import CarbonAccounting

@Suite("IPCC 2006 Vol. 2 defaults")
struct IPCC2006FactorTests {
    /// Table 1.2 NCV (TJ/Gg) and Table 1.4 CO2 (kg/TJ), as published.
    static let published: [(fuel: String, ncv: Double, co2: Double, kgPerTonne: Double)] = [
        ("natural_gas", 48.0, 56_100, 2_692.8), ("motor_gasoline", 44.3, 69_300, 3_069.99), ("gas_diesel_oil", 43.0, 74_100, 3_186.3),
        ("lpg", 47.3, 63_100, 2_984.63), ("residual_fuel_oil", 40.4, 77_400, 3_126.96), ("jet_kerosene", 44.1, 71_500, 3_153.15),
        ("other_kerosene", 43.8, 71_900, 3_149.22), ("aviation_gasoline", 44.3, 70_000, 3_101), ("crude_oil", 42.3, 73_300, 3_100.59),
        ("naphtha", 44.5, 73_300, 3_261.85), ("petroleum_coke", 32.5, 97_500, 3_168.75), ("refinery_gas", 49.5, 57_600, 2_851.2),
        ("anthracite", 26.7, 98_300, 2_624.61), ("coking_coal", 28.2, 94_600, 2_667.72), ("other_bituminous_coal", 25.8, 94_600, 2_440.68),
        ("sub_bituminous_coal", 18.9, 96_100, 1_816.29), ("lignite", 11.9, 101_000, 1_201.9), ("coke_oven_coke", 28.2, 107_000, 3_017.4),
        ("coke_oven_gas", 38.7, 44_400, 1_718.28), ("blast_furnace_gas", 2.47, 260_000, 642.2), ("peat", 9.76, 106_000, 1_034.56),
    ]

    @Test("Every fossil fuel's CO2 factor and NCV match Tables 1.2 and 1.4", arguments: published)
    func tableValues(_ row: (fuel: String, ncv: Double, co2: Double, kgPerTonne: Double)) throws {
        let perTJ = try factors("IPCC2006", row.fuel, "I.3.1", "TJ")
        #expect(perTJ["CO2"] == row.co2)
        // kg CO2 per tonne = NCV (TJ/Gg) × EF (kg/TJ) / 1000, the GHG Protocol tool's column.
        let perTonne = try factors("IPCC2006", row.fuel, "I.3.1", "t")
        #expect(close(perTonne["CO2"], row.kgPerTonne, relative: 1e-6))
    }

    @Test("Natural gas is 56,100 kg CO2/TJ, and 1.88496 kg/m3 at the tool's 0.7 kg/m3")
    func naturalGas() throws {
        #expect(try factors("IPCC2006", "natural_gas", "I.1.1")["CO2"] == 56_100)
        #expect(close(try factors("IPCC2006", "natural_gas", "I.1.1", "m3")["CO2"], 1.88496, relative: 1e-9))
    }

    @Test("Per litre: motor gasoline 2.2882 and gas/diesel oil 2.9100 kg CO2/L (GHG Protocol cross-sector tool)")
    func perLitre() throws {
        #expect(close(try factors("IPCC2006", "motor_gasoline", "II.1.1", "L")["CO2"], 2.2882, relative: 1e-4))
        #expect(close(try factors("IPCC2006", "gas_diesel_oil", "II.1.1", "L")["CO2"], 2.9100, relative: 1e-4))
    }

    @Test("Wood and biogas carry their CO2 as biogenic: 112,000 and 54,600 kg/TJ")
    func biogenicFuels() throws {
        let wood = try factors("IPCC2006", "wood", "I.1.1")
        #expect(wood["CO2"] == nil)
        #expect(wood["CO2_biogenic"] == 112_000)
        #expect(wood["CH4_non_fossil"] == 300)
        #expect(try factors("IPCC2006", "biogas", "I.2.1")["CO2_biogenic"] == 54_600)
    }

    @Test("Stationary CH4 of coal follows the GPC sub-sector: I.4 → Table 2.2 (1), I.3 → 2.3 (10), I.2 → 2.4 (10), I.1 → 2.5 (300)")
    func stationaryTablesBySubsector() throws {
        #expect(try factors("IPCC2006", "anthracite", "I.4.1")["CH4_fossil"] == 1)
        #expect(try factors("IPCC2006", "anthracite", "I.4.4")["CH4_fossil"] == 1)
        #expect(try factors("IPCC2006", "anthracite", "I.3.1")["CH4_fossil"] == 10)
        #expect(try factors("IPCC2006", "anthracite", "I.2.1")["CH4_fossil"] == 10)
        #expect(try factors("IPCC2006", "anthracite", "I.1.1")["CH4_fossil"] == 300)
        #expect(try factors("IPCC2006", "anthracite", "I.1.1")["N2O"] == 1.5)
    }

    @Test("Agriculture (I.5) uses the residential table 2.5 and non-specified (I.6) the commercial table 2.4")
    func agricultureAndNonSpecified() throws {
        #expect(try factors("IPCC2006", "natural_gas", "I.5.1")["CH4_fossil"] == 5)
        #expect(try factors("IPCC2006", "gas_diesel_oil", "I.6.1")["CH4_fossil"] == 10)
        #expect(try factors("IPCC2006", "gas_diesel_oil", "I.4.1")["CH4_fossil"] == 3)
        #expect(try factors("IPCC2006", "natural_gas", "I.3.1")["N2O"] == 0.1)
    }

    @Test("Road (Table 3.2.2): gasoline defaults to uncontrolled 33/3.2; a catalyst is 25/8.0; diesel 3.9/3.9")
    func road() throws {
        let gasoline = try factors("IPCC2006", "motor_gasoline", "II.1.1")
        #expect(gasoline["CO2"] == 69_300)
        #expect(gasoline["CH4_fossil"] == 33)
        #expect(gasoline["N2O"] == 3.2)
        let catalyst = try factors("IPCC2006", "motor_gasoline", "II.1.1", technology: "oxidation_catalyst")
        #expect(catalyst["CH4_fossil"] == 25)
        #expect(catalyst["N2O"] == 8.0)
        #expect(try factors("IPCC2006", "gas_diesel_oil", "II.1.1")["N2O"] == 3.9)
    }

    @Test("Off-road (3.3.1) diesel 4.15/28.6; gasoline needs its engine named")
    func offRoad() throws {
        #expect(try factors("IPCC2006", "gas_diesel_oil", "II.5.1")["N2O"] == 28.6)
        #expect(try factors("IPCC2006", "motor_gasoline", "II.5.1", technology: "2_stroke_forestry")["CH4_fossil"] == 170)
        #expect(throws: FactorProblem.self) { try factors("IPCC2006", "motor_gasoline", "II.5.1") }
    }

    @Test("Rail (3.4.1) 4.15/28.6 for diesel; navigation (3.5.3) 7/2; aviation (3.6.5) 0.5/2 with jet kerosene at 71,500")
    func otherModes() throws {
        #expect(try factors("IPCC2006", "gas_diesel_oil", "II.2.1")["CH4_fossil"] == 4.15)
        #expect(try factors("IPCC2006", "sub_bituminous_coal", "II.2.1")["N2O"] == 1.5)
        #expect(try factors("IPCC2006", "residual_fuel_oil", "II.3.1")["CH4_fossil"] == 7)
        let jet = try factors("IPCC2006", "jet_kerosene", "II.4.1")
        #expect(jet["CO2"] == 71_500)
        #expect(jet["CH4_fossil"] == 0.5)
        #expect(jet["N2O"] == 2)
    }

    @Test("A mode without a CH4/N2O default is refused rather than silently short: natural gas on rail")
    func missingDefault() {
        #expect(throws: FactorProblem.self) { try factors("IPCC2006", "natural_gas", "II.2.1") }
    }

    @Test("Every number in the built-in data carries a source and a unit")
    func provenance() throws {
        for set in FactorLibrary.standard.sets.values {
            for record in set.records {
                #expect(!record.source.isEmpty, "\(set.name) \(record.fuel) \(record.quantity)")
                #expect(!record.unit.isEmpty, "\(set.name) \(record.fuel) \(record.quantity)")
            }
        }
    }
}

@Suite("China provincial guideline (2011)")
struct CN2011FactorTests {
    /// kg CO2 per kg (per m3 for natural gas) as reproduced by book118; recomputed values agree to 4 figures.
    static let published: [(fuel: String, unit: String, co2: Double)] = [
        ("raw_coal", "kg", 1.9003), ("coke", "kg", 2.8604), ("crude_oil", "kg", 3.0202), ("fuel_oil", "kg", 3.1705),
        ("gasoline", "kg", 2.9251), ("kerosene", "kg", 3.0179), ("diesel", "kg", 3.0959), ("lpg", "kg", 3.1013), ("natural_gas", "m3", 2.1622),
    ]

    @Test("CO2 = NCV × carbon content × oxidation × 44/12 reproduces the published factors", arguments: published)
    func derivedFactors(_ row: (fuel: String, unit: String, co2: Double)) throws {
        let f = try factors("CN2011", row.fuel, "I.3.1", row.unit)
        #expect(close(f["CO2"], row.co2, relative: 5e-5))
        #expect(f.count == 1, "the guideline method gives CO2 only")
    }

    @Test("Refinery gas: the sources disagree on NCV (45,998 vs 46,055 kJ/kg); the kept value is within 0.2 % of 3.0119")
    func refineryGas() throws {
        #expect(close(try factors("CN2011", "refinery_gas", "I.3.1", "kg")["CO2"], 3.0119, relative: 2e-3))
    }

    @Test("Raw coal worked by hand: 100 t × 20.908 GJ/t × 26.37 tC/TJ × 0.94 × 44/12 = 190.03 t CO2")
    func rawCoalByHand() throws {
        let kg = try factors("CN2011", "raw_coal", "I.3.1", "t")["CO2"]! * 100
        let expected: Double = 100.0 * 20.908 * 26.37 * 0.94 * 44.0 / 12.0
        #expect(close(kg, expected, relative: 1e-12))
    }
}

@Suite("Grid electricity series")
struct GridFactorTests {
    @Test("China national averages: 2021 0.5568, 2022 0.5366, 2023 0.5306 kg CO2/kWh")
    func chinaNational() throws {
        #expect(close(try factors("grid:cn_national:2021", "electricity", "I.1.2", "kWh")["CO2"], 0.5568))
        #expect(close(try factors("grid:cn_national:2022", "electricity", "I.1.2", "kWh")["CO2"], 0.5366))
        #expect(close(try factors("grid:cn_national:2023", "electricity", "I.1.2", "kWh")["CO2"], 0.5306))
    }

    @Test("Regional 2022/2023: East 0.5617/0.5500, Southwest 0.2268/0.2472; enterprise reporting 0.5703 t/MWh is its own series")
    func chinaRegionalAndEnterprise() throws {
        #expect(close(try factors("grid:cn_east:2022", "electricity", "I.2.2", "kWh")["CO2"], 0.5617))
        #expect(close(try factors("grid:cn_east:2023", "electricity", "I.2.2", "kWh")["CO2"], 0.5500))
        #expect(close(try factors("grid:cn_southwest:2023", "electricity", "I.2.2", "kWh")["CO2"], 0.2472))
        #expect(close(try factors("grid:cn_enterprise_reporting:2022", "electricity", "I.3.2", "MWh")["CO2"], 570.3))
    }

    @Test("eGRID CAMX 2022: 497.443 lb CO2/MWh is 0.225636 kg/kWh, with CH4 30 and N2O 4 lb/GWh")
    func egrid() throws {
        let f = try factors("grid:us_egrid_camx:2022", "electricity", "I.1.2", "kWh")
        let pound = 0.45359237
        #expect(close(f["CO2"], 497.443 * pound / 1000))
        #expect(close(f["CH4"], 30 * pound / 1e6))
        #expect(close(f["N2O"], 4 * pound / 1e6))
    }

    @Test("Germany UBA 2022 is 434 g/kWh; UK DEFRA 2023 0.20496 kg/kWh")
    func europe() throws {
        #expect(close(try factors("grid:de_uba:2022", "electricity", "I.1.2", "kWh")["CO2"], 0.434))
        #expect(close(try factors("grid:uk_defra:2023", "electricity", "I.1.2", "kWh")["CO2"], 0.20496))
    }

    @Test("Every grid series and year resolves for electricity in a scope-2 row")
    func everySeriesResolves() throws {
        let library = FactorLibrary.standard
        for (series, years) in library.gridSeries {
            for year in years {
                let f = try factors("grid:\(series):\(year)", "electricity", "I.1.2", "MWh")
                #expect(!f.isEmpty, "grid:\(series):\(year)")
            }
        }
    }

    @Test("A grid series without a year, with a missing year, or misspelt, says what exists")
    func lookupErrors() {
        let library = FactorLibrary.standard
        #expect(throws: FactorLookupError.gridSeriesNeedsYear("cn_national", years: [2021, 2022, 2023])) { try library.set(named: "grid:cn_national") }
        #expect(throws: FactorLookupError.gridYearMissing("cn_national", year: 2019, years: [2021, 2022, 2023])) { try library.set(named: "grid:cn_national:2019") }
        #expect(throws: FactorLookupError.unknownGridSeries("cn_nationl", suggestion: "cn_national")) { try library.set(named: "grid:cn_nationl:2022") }
    }
}
