import CarbonKit
import Testing
@testable import CarbonMarkets

/// The allocation of a power enterprise, stage by stage, from its months of evidence.
@Suite("Enterprise allocation: pre-allocation, final allocation, true-up")
struct EnterpriseAllocationTests {
    static let plant = Enterprise(creditCode: "91440300708461136T", name: "Harbour Power", industry: "4411", jurisdiction: "South", facilities: [
        Facility(key: "unit-1", name: "Unit 1", sources: [EmissionSource(key: "coal", kind: .combustion, fuel: "raw_coal")], unitClass: .coalOver300MW),
        Facility(key: "boiler", name: "Boiler", sources: [EmissionSource(key: "gas", kind: .combustion, fuel: "natural_gas")]),
    ])

    /// Twelve months supplying `supply` MWh in all, evenly, at `load`, 700 hours each.
    static func months(year: Int, supply: Double, load: Double? = nil, heat: Double = 0) -> [MonthlyEvidence] {
        (1...12).map { MonthlyEvidence(facility: "unit-1", year: year, month: $0, generation: supply / 12 * 1.05, supply: supply / 12,
                                       heatSupplied: heat / 12, operatingHours: 700, loadFactor: load) }
    }

    @Test("The reference's worked example: 2,000,000 MWh supplied in 2021 at 0.8218 t/MWh is 1,643,600 t")
    func finalAllocationOfTheReference() throws {
        let allocation = try EnterpriseAllocation.compute(Self.plant, year: 2021, stage: .final, months: Self.months(year: 2021, supply: 2_000_000))
        #expect(abs(allocation.tonnes - 1_643_600) < 1e-6)
        #expect(allocation.units == 1_643_600)
        #expect(allocation.lines.map(\.facility) == ["unit-1"], "the boiler has no benchmark class and is not allocated")
    }

    @Test("A pre-allocation is 70 % of last year's supply times the year's benchmark, without the load correction")
    func preAllocation() throws {
        let allocation = try EnterpriseAllocation.compute(Self.plant, year: 2021, stage: .pre, months: Self.months(year: 2020, supply: 2_000_000, load: 0.70))
        #expect(abs(allocation.tonnes - 0.7 * 1_643_600) < 1e-6)
        #expect(allocation.units == 1_150_520)
    }

    @Test("The final allocation applies the load-factor correction: F(0.75) = 1.015 on 2,000,000 MWh")
    func loadCorrectionAtTrueUp() throws {
        let allocation = try EnterpriseAllocation.compute(Self.plant, year: 2021, stage: .final, months: Self.months(year: 2021, supply: 2_000_000, load: 0.75))
        #expect(abs(allocation.tonnes - 1_643_600 * 1.015) < 1e-6)
        #expect(EnterpriseAllocation.trueUp(final: allocation.units, preAllocated: 1_150_520) == 1_668_254 - 1_150_520)
    }

    @Test("A pre-allocation larger than the final allocation leaves units owed back")
    func negativeTrueUp() {
        #expect(EnterpriseAllocation.trueUp(final: 900_000, preAllocated: 1_150_520) == -250_520)
    }

    @Test("Months' load factors are weighted by their operating hours; heat's share is of the output energy")
    func powerOutput() throws {
        let months = [MonthlyEvidence(facility: "unit-1", year: 2021, month: 1, generation: 1_000, supply: 900, heatSupplied: 400, operatingHours: 600, loadFactor: 0.9),
                      MonthlyEvidence(facility: "unit-1", year: 2021, month: 2, generation: 1_000, supply: 950, operatingHours: 200, loadFactor: 0.5),
                      MonthlyEvidence(facility: "other", year: 2021, month: 1, supply: 5_000)]
        let output = try #require(PowerOutput.of(months, facility: "unit-1"))
        #expect(output.suppliedMWh == 1_850 && output.months == 2)
        #expect(abs(output.loadFactor! - (0.9 * 600 + 0.5 * 200) / 800) < 1e-12)
        #expect(abs(output.heatRatio - 400 / (400 + 3.6 * 2_000)) < 1e-12)
        #expect(PowerOutput.of([], facility: "unit-1") == nil)
    }

    @Test("A year without benchmarks is refused with the years that have them, never guessed")
    func noBenchmarks() {
        #expect(throws: EnterpriseAllocation.Problem.rules(.noBenchmarks(year: 2025, known: [2019, 2020, 2021, 2022]))) {
            try EnterpriseAllocation.compute(Self.plant, year: 2025, stage: .final, months: Self.months(year: 2025, supply: 1_000))
        }
    }

    @Test("An enterprise without a power facility has nothing to allocate, and is told why")
    func noPowerFacility() {
        let steel = Enterprise(creditCode: "91330100716105852F", name: "Steel", industry: "3110", jurisdiction: "North",
                               facilities: [Facility(key: "bf-1", name: "BF 1")])
        #expect(throws: EnterpriseAllocation.Problem.noPowerFacility("91330100716105852F")) {
            try EnterpriseAllocation.compute(steel, year: 2021, stage: .pre, months: [])
        }
    }

    @Test("A power facility whose months give no output is named, and allocated nothing")
    func facilityWithoutOutput() throws {
        let allocation = try EnterpriseAllocation.compute(Self.plant, year: 2021, stage: .final, months: [])
        #expect(allocation.withoutOutput == ["unit-1"] && allocation.units == 0)
    }
}

@Suite("Compliance position of an enterprise-year")
struct CompliancePositionTests {
    @Test("Deadlines come from the cycle's data, and a year no cycle has fixed takes the default (31 December of the next year)")
    func deadlines() {
        #expect(ComplianceCycle.surrenderDeadline(year: 2020) == Day("2021-12-31"))
        #expect(ComplianceCycle.surrenderDeadline(year: 2022) == Day("2023-12-31"))
        #expect(ComplianceCycle.surrenderDeadline(year: 2024) == Day("2025-12-31"))
        #expect(ComplianceCycle.surrenderDeadline(year: 2026) == Day("2027-12-31"))
        #expect(ComplianceCycle.verifiedEmissionsDeadline(year: 2025) == Day("2026-06-30"))
        #expect(ComplianceCycle.allowanceUnits == ["CEA"] && ComplianceCycle.offsetUnits == ["CCER"])
    }

    @Test("Before the deadline the year is open, and what is still to surrender is shown")
    func openYear() throws {
        let position = CompliancePosition.assess(enterprise: "X", year: 2022, verified: 735_474, allocated: 701_248, surrenderedAllowances: 600_000,
                                                 surrenderedOffsets: 0, on: try #require(Day("2023-06-01")))
        #expect(position.open && position.status.code == .B)
        #expect(abs(position.toSurrender - 135_474) < 1e-9)
    }

    @Test("After the deadline a short surrender is B, the shortfall deducted from next year's allocation tonne for tonne")
    func shortAfterDeadline() throws {
        let position = CompliancePosition.assess(enterprise: "X", year: 2022, verified: 735_474, allocated: 701_248, surrenderedAllowances: 701_248,
                                                 surrenderedOffsets: 0, on: try #require(Day("2024-01-01")))
        #expect(!position.open && position.status.code == .B)
        #expect(abs(position.status.shortfall - 34_226) < 1e-9 && abs(position.status.deductionFromNextAllocation - 34_226) < 1e-9)
    }

    @Test("Offsets count up to 5 % of the obligation; the rest is refused")
    func offsetCap() throws {
        let position = CompliancePosition.assess(enterprise: "X", year: 2023, verified: 100_000, allocated: 90_000, surrenderedAllowances: 94_000,
                                                 surrenderedOffsets: 8_000, on: try #require(Day("2025-01-01")))
        #expect(position.status.offsetsCounted == 5_000 && position.status.offsetsRefused == 3_000)
        #expect(position.status.code == .B && abs(position.toSurrender - 1_000) < 1e-9)
    }

    @Test("Units owed back from a pre-allocation above the final are surrendered on top of the obligation")
    func returnDue() throws {
        let owing = CompliancePosition.assess(enterprise: "X", year: 2022, verified: 100_000, allocated: 120_000, returnDue: 20_000,
                                              surrenderedAllowances: 100_000, surrenderedOffsets: 0, on: try #require(Day("2024-01-01")))
        #expect(owing.status.code == .B && owing.toSurrender == 20_000)
        let settled = CompliancePosition.assess(enterprise: "X", year: 2022, verified: 100_000, allocated: 120_000, returnDue: 20_000,
                                                surrenderedAllowances: 120_000, surrenderedOffsets: 0, on: try #require(Day("2024-01-01")))
        #expect(settled.status.code == .A && settled.toSurrender == 0)
    }

    @Test("Without verified emissions after their deadline the code is C and the account is due to be blocked")
    func missingVerified() throws {
        let before = CompliancePosition.assess(enterprise: "X", year: 2025, verified: nil, allocated: 0, surrenderedAllowances: 0,
                                               surrenderedOffsets: 0, on: try #require(Day("2026-06-30")))
        #expect(!before.verifiedMissingAfterDeadline, "the deadline day itself is still in time")
        let after = CompliancePosition.assess(enterprise: "X", year: 2025, verified: nil, allocated: 0, surrenderedAllowances: 0,
                                              surrenderedOffsets: 0, on: try #require(Day("2026-07-01")))
        #expect(after.verifiedMissingAfterDeadline && after.status.code == .C)
    }
}

@Suite("Carbon-efficiency grades of a year's enterprises")
struct CarbonEfficiencyAssessmentTests {
    static func input(_ code: String, industry: String = "3011", district: String = "North", year: Int = 2024, co2: Double,
                      valueAdded: Double = 1) -> CarbonEfficiencyAssessment.Input {
        .init(enterprise: code, name: code, industry: industry, jurisdiction: district, year: year, co2: co2, valueAdded: valueAdded,
              basis: .statistics)
    }

    @Test("The reference's vector: an industry whose intensity is 1.0 grades 0.55 … 2.50 as 1 … 5, bounds inclusive")
    func referenceVector() {
        let ratios = [0.55, 0.60, 0.70, 0.80, 1.00, 1.20, 1.50, 2.00, 2.50]
        // A balancing enterprise makes the industry's Σ CO2 / Σ value added exactly 1.0.
        var inputs = ratios.enumerated().map { Self.input("E\($0.offset)", co2: $0.element) }
        let total = ratios.reduce(0, +)
        inputs.append(Self.input("BALANCE", co2: 100 - total, valueAdded: 100 - Double(ratios.count)))
        let results = CarbonEfficiencyAssessment(inputs).results
        let grades = ratios.indices.map { index in results.first { $0.input.enterprise == "E\(index)" }?.grade }
        #expect(grades == [1, 1, 2, 2, 3, 3, 4, 4, 5])
        #expect(results.allSatisfy { abs(($0.industryIntensity ?? 0) - 1.0) < 1e-12 })
    }

    @Test("An industry with fewer than three enterprises in the city is not graded, and says how many it has")
    func tooFewPeers() {
        let results = CarbonEfficiencyAssessment([Self.input("A", co2: 1), Self.input("B", co2: 3)]).results
        #expect(results.allSatisfy { $0.grade == nil && $0.industryEnterprises == 2 && $0.industryIntensity == nil })
    }

    @Test("Industries grade apart: a steel works is not compared with cement plants")
    func industriesApart() {
        let inputs = [Self.input("C1", co2: 1), Self.input("C2", co2: 1), Self.input("C3", co2: 1),
                      Self.input("S1", industry: "3110", co2: 10), Self.input("S2", industry: "3110", co2: 10), Self.input("S3", industry: "3110", co2: 10)]
        #expect(CarbonEfficiencyAssessment(inputs).results.allSatisfy { $0.grade == 3 })
    }

    @Test("The trend compares with last year's grade; grades 4 and 5 make the supervision list, worst first")
    func trendAndSupervision() {
        let last = [Self.input("A", year: 2023, co2: 1), Self.input("B", year: 2023, co2: 1), Self.input("C", year: 2023, co2: 1)]
        let now = [Self.input("A", co2: 0.5), Self.input("B", co2: 1.5), Self.input("C", co2: 3), Self.input("D", co2: 1)]
        let assessment = CarbonEfficiencyAssessment(now, previous: last)
        let by = Dictionary(uniqueKeysWithValues: assessment.results.map { ($0.input.enterprise, $0) })
        #expect(by["A"]?.grade == 1 && by["A"]?.trend == .better && by["A"]?.previousGrade == 3)
        #expect(by["C"]?.grade == 4 && by["C"]?.trend == .worse)
        #expect(by["D"]?.trend == .new)
        #expect(assessment.supervisionList.map(\.input.enterprise) == ["C"])
    }

    @Test("District and industry summaries count grades and add CO2 and value added")
    func summaries() {
        let inputs = [Self.input("A", district: "North", co2: 1), Self.input("B", district: "North", co2: 1),
                      Self.input("C", district: "South", co2: 4, valueAdded: 2), Self.input("D", industry: "4411", district: "South", co2: 9)]
        let assessment = CarbonEfficiencyAssessment(inputs)
        let south = assessment.byDistrict.first { $0.key == "South" }
        #expect(south?.enterprises == 2 && south?.co2 == 13 && south?.valueAdded == 3 && south?.byGrade[0] == 1)
        #expect(assessment.byIndustry.map(\.key) == ["3011", "4411"])
        // Cement's intensity is 6 t / 4 × 10⁴ CNY = 1.5: A and B at K = 0.67 are grade 2, C at K = 1.33 grade 4.
        #expect(assessment.byIndustry[0].byGrade == [0, 0, 2, 0, 1, 0])
    }

    @Test("Impossible figures are not graded: no value added, NaN or negative CO2")
    func impossible() {
        let inputs = [Self.input("A", co2: 1), Self.input("B", co2: 1), Self.input("C", co2: 1),
                      Self.input("Z", co2: 1, valueAdded: 0), Self.input("N", co2: .nan), Self.input("M", co2: -5)]
        let results = CarbonEfficiencyAssessment(inputs).results
        #expect(results.filter { ["Z", "N", "M"].contains($0.input.enterprise) }.allSatisfy { $0.grade == nil && $0.level == nil })
        #expect(results.filter { ["A", "B", "C"].contains($0.input.enterprise) }.allSatisfy { $0.grade == 3 })
    }
}

@Suite("Bulk sheets: enterprise years and months of evidence")
struct CarbonAccountSheetTests {
    static func table(_ name: String, _ text: String) throws -> ReferenceTable { try ReferenceTable(name: name, text: text) }
    static let plant = EnterpriseAllocationTests.plant

    @Test("Enterprise years load, with every wrong cell named by row and column")
    func enterpriseYears() throws {
        let good = try Self.table("y.csv", "credit_code,year,value_added_10k_cny,output,output_unit,energy_co2_t\n91440300708461136T,2024,1000,2,MWh,5000\n")
        #expect(try EnterpriseYearSheet.parse(good, known: ["91440300708461136T"]) == [
            EnterpriseYear(creditCode: "91440300708461136T", year: 2024, valueAdded: 1000, output: 2, outputUnit: "MWh", energyCO2: 5000)])
        let bad = try Self.table("y.csv", """
            credit_code,year,value_added_10k_cny,output,output_unit,energy_co2_t
            91440300708461136X,2024,1000,,,
            91440300708461136T,1e308,0,,,
            91440300708461136T,2024,NaN,5,,-1
            91440300708461136T,2024,10,,,
            """)
        do {
            _ = try EnterpriseYearSheet.parse(bad, known: ["91440300708461136T"])
            Issue.record("refused")
        } catch {
            let found = error.issues.map { "\($0.location.row ?? 0):\($0.location.field ?? "")" }
            #expect(found == ["2:credit_code", "3:year", "3:value_added_10k_cny", "4:value_added_10k_cny", "4:energy_co2_t", "4:output_unit", "5:year"])
        }
    }

    @Test("Rows of batches make months: several batches of a source, and the month's own figures on any row")
    func evidenceMonths() throws {
        let sheet = try Self.table("evidence.csv", """
            credit_code,facility,year,month,source,amount,ncv,carbon_content,oxidation,emission_factor,generation,supply,heat_supplied,operating_hours,load_factor
            91440300708461136T,unit-1,2025,1,coal,1000,21.5,0.0262,,,,,,,
            91440300708461136T,unit-1,2025,1,coal,500,20.9,,,,72000,68000,,700,0.8
            91440300708461136T,unit-1,2025,2,coal,900,,,,,,,,,
            """)
        let parsed = try EvidenceSheet.parse(sheet, enterprises: [Self.plant])
        #expect(parsed.count == 1 && parsed[0].enterprise == "91440300708461136T")
        let january = parsed[0].months[0]
        #expect(january.month == 1 && january.batches.map(\.amount) == [1000, 500] && january.batches[0].carbonContent == 0.0262)
        #expect(january.supply == 68000 && january.loadFactor == 0.8)
        #expect(parsed[0].months[1].month == 2)
    }

    @Test("Evidence problems are named at their row and column, and nothing is returned")
    func evidenceProblems() throws {
        let sheet = try Self.table("evidence.csv", """
            credit_code,facility,year,month,source,amount,ncv,carbon_content,oxidation,emission_factor,generation,supply,heat_supplied,operating_hours,load_factor
            91440300708461136T,unit-9,2025,1,coal,1000,,,,,,,,,
            91440300708461136T,unit-1,2025,13,coal,1000,,,,,,,,,
            91440300708461136T,unit-1,2025,2,coal,-5,,,,,,,,,
            91440300708461136T,unit-1,2025,2,grid,5,,,,,,,,,
            91440300708461136T,unit-1,2025,2,coal,5,,,,,,100,,,
            91440300708461136T,unit-1,2025,2,coal,5,,,,,,200,,800,
            91440300708461136X,unit-1,2025,2,coal,5,,,,,,,,,
            """)
        do {
            _ = try EvidenceSheet.parse(sheet, enterprises: [Self.plant])
            Issue.record("refused")
        } catch {
            let found = error.issues.map { "\($0.location.row ?? 0):\($0.location.field ?? "")" }
            #expect(found.contains("2:facility") && found.contains("3:month") && found.contains("5:source") && found.contains("7:supply"))
            #expect(found.contains("8:credit_code"))
            #expect(found.contains("4:amount"), "a negative amount is named at its own row")
            #expect(found.contains("4:operating_hours"), "a month's own figure is named at the month's first row")
        }
    }
}

@Suite("Bulk sheets refuse what they cannot read plainly")
struct SheetRefusalTests {
    static let plant = EnterpriseAllocationTests.plant

    @Test("A column named twice is refused, naming both places, before any row is read")
    func repeatedColumn() {
        do {
            _ = try ReferenceTable(name: "evidence.csv", text: "credit_code,amount,amount\n91440300708461136T,CANARY,1\n")
            Issue.record("refused")
        } catch {
            #expect(error.issues.map(\.reason) == ["is a column name twice (columns 2 and 3)"] && error.issues.first?.location.column == 3)
        }
    }

    @Test("A sheet with a header and no rows (or one read as a single line) is refused, not accepted as nothing")
    func noRows() throws {
        let classicMac = "credit_code,facility,year,month,source,amount\r91440300708461136T,unit-1,2025,1,coal,5\r"
        for text in ["credit_code,facility,year,month,source,amount\n", classicMac] {
            let table = try ReferenceTable(name: "evidence.csv", text: text)
            #expect(throws: InputErrors.self) { try EvidenceSheet.parse(table, enterprises: [Self.plant]) }
        }
        let years = try ReferenceTable(name: "years.csv", text: "credit_code,year,value_added_10k_cny\n")
        #expect(throws: InputErrors.self) { try EnterpriseYearSheet.parse(years, known: []) }
    }

    @Test("Only plain decimals are numbers: hexadecimal, infinity and grouping are refused, and a bad amount is named once")
    func plainDecimals() throws {
        #expect(SheetNumber.parse("0x10") == nil && SheetNumber.parse("inf") == nil && SheetNumber.parse("1,000") == nil)
        #expect(SheetNumber.parse("nan") == nil && SheetNumber.parse("") == nil && SheetNumber.parse("1e400") == nil && SheetNumber.parse("-") == nil)
        #expect(SheetNumber.parse("-2.5E-3") == -0.0025 && SheetNumber.parse("1000") == 1000 && SheetNumber.parse(".5") == 0.5)
        let table = try ReferenceTable(name: "evidence.csv", text: "credit_code,facility,year,month,source,amount\n91440300708461136T,unit-1,2025,1,coal,0x10\n")
        do {
            _ = try EvidenceSheet.parse(table, enterprises: [Self.plant])
            Issue.record("refused")
        } catch {
            #expect(error.issues.map { "\($0.location.field ?? ""):\($0.value ?? "")" } == ["amount:0x10"])
        }
    }

    @Test("A process factor on a bought-electricity row is named with the cell's own value")
    func cellValueNamed() throws {
        let plant = Enterprise(creditCode: "91440300708461136T", name: "Harbour Power", industry: "4411", jurisdiction: "South", facilities: [
            Facility(key: "unit-1", name: "Unit 1", sources: [EmissionSource(key: "grid", kind: .purchasedElectricity)])])
        let table = try ReferenceTable(name: "evidence.csv", text: """
            credit_code,facility,year,month,source,amount,emission_factor
            91440300708461136T,unit-1,2025,1,grid,5,1e308
            """)
        do {
            _ = try EvidenceSheet.parse(table, enterprises: [plant])
            Issue.record("refused")
        } catch {
            #expect(error.issues.contains { $0.location.field == "emission_factor" && $0.value == "1e308" && $0.location.row == 2 })
        }
    }
}
