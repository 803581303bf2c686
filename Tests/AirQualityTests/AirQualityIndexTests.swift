import Testing
@testable import AirQuality

/// The index under each standard against the published tables and independent implementations
/// (aqi-hub 0.3.3 for HJ 633-2026 and US 2024, python-aqi 0.6.1 for HJ 633-2012 and US before 2024).
@Suite("Air-quality index by standard and date")
struct AirQualityIndexTests {
    static let standards = AQIStandards.shipped

    static func iaqi(_ id: String, _ table: String, _ concentration: Double) throws -> Int {
        let standard = try #require(standards.standard(id))
        return try AirQualityIndex.subIndex(table, concentration, standard: standard).get().value
    }

    @Test func theShippedTablesAreWellFormedAndCoverEveryDay() {
        #expect(Self.standards.problems == [])
        #expect(Self.standards.regions == ["CN", "US"])
    }

    @Test(arguments: [(35.0, 50), (50, 80), (60, 100), (70, 110), (75, 114), (115, 150), (150, 200), (250, 300)])
    func hj633of2026IndexesPM25(concentration: Double, expected: Int) throws {
        #expect(try Self.iaqi("hj633-2026", "pm25_24h", concentration) == expected)
    }

    @Test(arguments: [(50.0, 50), (120, 100), (130, 104), (150, 112)])
    func hj633of2026IndexesPM10(concentration: Double, expected: Int) throws {
        #expect(try Self.iaqi("hj633-2026", "pm10_24h", concentration) == expected)
    }

    @Test(arguments: [(50.0, 69), (70, 94), (75, 100)])
    func hj633of2012IndexesPM25(concentration: Double, expected: Int) throws {
        #expect(try Self.iaqi("hj633-2012", "pm25_24h", concentration) == expected)
    }

    /// HJ 633's continuous segments round up: 35.5 µg/m³ is ⌈50.625⌉ = 51, not python-aqi's truncated 50.
    @Test func hj633RoundsTheSubIndexUpAtASegmentsStart() throws {
        #expect(try Self.iaqi("hj633-2012", "pm25_24h", 35.5) == 51)
    }

    @Test(arguments: [(9.0, 50), (9.1, 51), (11.9, 56), (35.4, 100), (35.5, 101), (55.5, 151), (125.4, 200), (225.5, 301)])
    func usEPA2024IndexesPM25(concentration: Double, expected: Int) throws {
        #expect(try Self.iaqi("us-epa-2024", "pm25_24h", concentration) == expected)
    }

    @Test(arguments: [(11.9, 50), (35.4, 100), (55.5, 151)])
    func usEPABefore2024IndexesPM25(concentration: Double, expected: Int) throws {
        #expect(try Self.iaqi("us-epa-2018", "pm25_24h", concentration) == expected)
    }

    /// The US truncates before indexing: 9.09 µg/m³ is 9.0, Good, not Moderate.
    @Test func usEPATruncatesTheConcentrationFirst() throws {
        #expect(try Self.iaqi("us-epa-2024", "pm25_24h", 9.09) == 50)
        #expect(try Self.iaqi("us-epa-2024", "pm10_24h", 54.9) == 50)
    }

    /// The same day's PM2.5 of 70 µg/m³ is 良 (94) on 28 February 2026 and 轻度污染 (110) on 1 March.
    @Test func theVersionInForceSwitchesOnTheFirstOfMarch2026() throws {
        let before = try #require(Self.standards.inForce(region: "CN", on: "2026-02-28"))
        let after = try #require(Self.standards.inForce(region: "CN", on: "2026-03-01"))
        #expect(before.id == "hj633-2012" && after.id == "hj633-2026")
        let old = try #require(AirQualityIndex.compute(["pm25_24h": 70], standard: before, kind: .daily))
        let new = try #require(AirQualityIndex.compute(["pm25_24h": 70], standard: after, kind: .daily))
        #expect(old.value == 94 && old.category.zh == "良")
        #expect(new.value == 110 && new.category.zh == "轻度污染" && new.category.en == "Lightly polluted")
        #expect(Self.standards.inForce(region: "US", on: "2024-05-05")?.id == "us-epa-2018")
        #expect(Self.standards.inForce(region: "US", on: "2024-05-06")?.id == "us-epa-2024")
    }

    @Test func thePrimaryPollutantIsNamedOnlyAboveFiftyAndTiesListEach() throws {
        let standard = try #require(Self.standards.standard("hj633-2026"))
        let clean = try #require(AirQualityIndex.compute(["pm25_24h": 20, "pm10_24h": 40], standard: standard, kind: .daily))
        #expect(clean.value == 40 && clean.primary == [])
        // PM2.5 60 and PM10 120 both index at exactly 100.
        let tie = try #require(AirQualityIndex.compute(["pm25_24h": 60, "pm10_24h": 120, "no2_24h": 30], standard: standard, kind: .daily))
        #expect(tie.value == 100 && tie.primary == ["pm10", "pm25"])
    }

    /// HJ 633: SO2 1-hour above 800 µg/m³ is indexed by its 24-hour table; O3 8-hour above 800 by the 1-hour table.
    @Test func aboveTheirTablesSO2AndO3FallBackAsTheStandardSays() throws {
        let standard = try #require(Self.standards.standard("hj633-2012"))
        let so2 = try AirQualityIndex.subIndex("so2_1h", 900, standard: standard, others: ["so2_24h": 475]).get()
        #expect(so2.value == 150 && so2.usedTable == "so2_24h")
        #expect(throws: SubIndexRefusal.self) { try AirQualityIndex.subIndex("so2_1h", 900, standard: standard).get() }
        let o3 = try AirQualityIndex.subIndex("o3_8h", 850, standard: standard, others: ["o3_1h": 1000]).get()
        #expect(o3.value == 400 && o3.usedTable == "o3_1h")
    }

    @Test func theRealTimeIndexUsesHourlyGasesAndTheDailyIndexDailyMeans() throws {
        let standard = try #require(Self.standards.standard("hj633-2026"))
        let readings: [String: Double] = ["no2_1h": 250, "no2_24h": 50, "pm25_24h": 30]
        let hourly = try #require(AirQualityIndex.compute(readings, standard: standard, kind: .realtime))
        let daily = try #require(AirQualityIndex.compute(readings, standard: standard, kind: .daily))
        // NO2 1-hour 250 → 105 (rounded up); NO2 24-hour 50 → 63.
        #expect(hourly.value == 105 && hourly.primary == ["no2"])
        #expect(daily.value == 63 && daily.primary == ["no2"])
    }

    @Test func aConcentrationAboveTheScaleIsCappedAndSaysSo() throws {
        let standard = try #require(Self.standards.standard("hj633-2026"))
        let found = try AirQualityIndex.subIndex("pm25_24h", 1e308, standard: standard).get()
        #expect(found.value == 500 && found.beyondScale)
    }

    @Test(arguments: [Double.nan, .infinity, -1])
    func aConcentrationThatIsNotOneGivesNoSubIndex(concentration: Double) throws {
        let standard = try #require(Self.standards.standard("hj633-2026"))
        #expect(throws: SubIndexRefusal.self) { try AirQualityIndex.subIndex("pm25_24h", concentration, standard: standard).get() }
        let index = AirQualityIndex.compute(["pm25_24h": concentration, "pm10_24h": 50], standard: standard, kind: .daily)
        #expect(index?.value == 50 && index?.skipped["pm25_24h"] != nil)
    }

    /// Property: within a table, a higher concentration never gives a lower sub-index.
    @Test(arguments: ["hj633-2012", "hj633-2026", "us-epa-2018", "us-epa-2024"])
    func subIndicesNeverFallAsConcentrationsRise(id: String) throws {
        let standard = try #require(Self.standards.standard(id))
        for (table, breakpoints) in standard.tables where breakpoints.above == nil {
            let top = breakpoints.segments.last!.c_hi * 1.1
            var previous = -1
            for step in 0...2_000 {
                let concentration = breakpoints.segments.first!.c_lo + top * Double(step) / 2_000
                guard let value = try? AirQualityIndex.subIndex(table, concentration, standard: standard).get().value else { continue }
                #expect(value >= previous, "\(id) \(table) at \(concentration)")
                previous = value
            }
        }
    }
}
