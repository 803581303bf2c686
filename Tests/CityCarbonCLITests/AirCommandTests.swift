import Foundation
import Testing

/// `citycarbon air …` as a user runs it: the index under the standard in force on the day, the
/// correction, a collocation file, the health impact, and refusals that name the place.
@Suite("citycarbon air")
struct AirCommandTests {
    @Test func theIndexOfADayIsUnderTheStandardInForceThatDay() throws {
        let cli = try CLI()
        let march = try cli.run("air", "index", "pm25_24h=70", "pm10_24h=130", "--region", "CN", "--date", "2026-03-01")
        #expect(march.status == 0 && march.stdout.contains("hj633-2026") && march.stdout.contains("AQI 110") && march.stdout.contains("轻度污染"))
        let february = try cli.run("air", "index", "pm25_24h=70", "--region", "CN", "--date", "2026-02-28", "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(february.stdout.utf8)) as? [String: Any])
        #expect(json["standard"] as? String == "hj633-2012" && json["aqi"] as? Int == 94 && json["primary"] as? [String] == ["pm25"])
        let us = try cli.run("air", "index", "pm25_24h=11.9", "--region", "US", "--date", "2025-06-01")
        #expect(us.stdout.contains("us-epa-2024") && us.stdout.contains("AQI 56"))
    }

    @Test func aBadConcentrationIsRefusedWithItsPlaceAndNothingIsPrinted() throws {
        let cli = try CLI()
        let bad = try cli.run("air", "index", "pm25_24h=-3", "pm25=3", "pm10_24h", "--date", "2026-03-01")
        #expect(bad.status == 1 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("concentration 1") && bad.stderr.contains("'-3'"))
        #expect(bad.stderr.contains("concentration 2") && bad.stderr.contains("is not a table of hj633-2026"))
        #expect(bad.stderr.contains("concentration 3") && bad.stderr.contains("is not table=value"))
        #expect(try cli.run("air", "index", "pm25_24h=1e400", "--date", "2026-03-01").status == 1)
        let twice = try cli.run("air", "index", "pm25_24h=70", "pm25_24h=10", "--date", "2026-03-01")
        #expect(twice.status == 1 && twice.stderr.contains("is given twice"))
        #expect(try cli.run("air", "index", "pm25_24h=0x10", "--date", "2026-03-01").status == 1)
        #expect(try cli.run("air", "index", "pm25_24h=10", "--region", "XX").status == 1)
        #expect(try cli.run("air", "index", "pm25_24h=11.9", "--region", "us", "--date", "2025-06-01").stdout.contains("AQI 56"))
        #expect(try cli.run("air", "index", "pm25_24h=5", "--date", "2026-02-30x").status == 1)
    }

    @Test func thePinnedCorrectionGivesItsWorkedValue() throws {
        let run = try CLI().run("air", "correct", "--pm", "20", "--rh", "50")
        #expect(run.status == 0 && run.stdout.hasPrefix("11.92 µg/m³ (epa-purpleair-2021"))
        #expect(try CLI().run("air", "correct", "--pm", "20", "--rh", "150").status == 1)
    }

    @Test func aCollocationFileIsFittedAndJudgedAndABadCellIsNamed() throws {
        let cli = try CLI()
        var rows = ["time,sensor,reference"]
        for hour in 0..<48 { rows.append("\(hour),\(1.4 * Double(5 + hour) + 2),\(5 + hour)") }
        rows.append("48,,20")
        let good = try cli.run("air", "collocate", try cli.write("pairs.csv", rows.joined(separator: "\n")))
        #expect(good.status == 0 && good.stdout.contains("48 pairs: sensor = 1.400 × reference +2.00"))
        #expect(good.stdout.contains("slope") && good.stdout.contains("fail") && good.stdout.contains("EPA/600/R-20/280"))
        let bad = try cli.run("air", "collocate", try cli.write("bad.csv", "sensor,reference\n1,2\nx,3\n4,5\n"))
        #expect(bad.status == 1 && bad.stderr.contains("bad.csv") && bad.stderr.contains("row 3") && bad.stderr.contains("'x'"))
    }

    @Test func theHealthImpactOfALowEmissionZoneHasItsInterval() throws {
        let run = try CLI().run("air", "health", "--population", "1000000", "--baseline-rate", "0.007", "--reduction", "5")
        #expect(run.status == 0 && run.stdout.contains("264.2 (201.0 – 295.2)"))
        let absurd = try CLI().run("air", "health", "--population", "1000000", "--baseline-rate", "7", "--reduction", "5")
        #expect(absurd.status == 1 && absurd.stderr.contains("--baseline-rate"))
    }
}
