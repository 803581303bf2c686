import Foundation
import Testing

/// The air network from the command line: register, load, a day's index.
@Suite("citycarbon air sensor, load and day")
struct AirNetworkCommandTests {
    @Test func aSensorsHoursMakeADaysIndexAndABadSheetNamesItsCells() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--demo").status == 0)
        let add = try cli.run("air", "sensor", "add", "ref-1", "--name", "Station", "--owner", "Environment Services", "--model", "BAM-1020",
                              "--grade", "reference", "--latitude", "60.18", "--longitude", "24.95")
        #expect(add.status == 0)
        #expect(try cli.run("air", "sensor", "list").stdout.contains("BAM-1020"))
        var lines = ["sensor,hour,parameter,value"]
        for hour in 0..<24 { lines.append(String(format: "ref-1,2026-03-01T%02d:00:00+08:00,pm10,130", hour)) }
        let load = try cli.run("air", "load", try cli.write("hours.csv", lines.joined(separator: "\n")))
        #expect(load.status == 0 && load.stdout.contains("Stored 24 hours: 0 flagged, 0 corrected."))
        let bad = try cli.run("air", "load", try cli.write("bad.csv", "sensor,hour,parameter,value\nref-1,2026-03-01T01:00:00+08:00,pm10,-5x\n"))
        #expect(bad.status == 1 && bad.stderr.contains("bad.csv") && bad.stderr.contains("row 2") && bad.stderr.contains("-5x"))
        let day = try cli.run("air", "day", "2026-03-01")
        // The demo city is at UTC+08:00, so the sheet's hours are its local day; a PM10 of 130 is 104 under HJ 633-2026.
        #expect(day.status == 0 && day.stdout.contains("AQI 104") && day.stdout.contains("hj633-2026"), "\(day.stdout)")
        #expect(try cli.run("air", "day", "2026-03-02").stdout.contains("No complete day"))
        // The same day recomputed under the version before: PM10 130 is 90 under HJ 633-2012.
        let history = try cli.run("air", "day", "2026-03-01", "--standard", "hj633-2012")
        #expect(history.stdout.contains("AQI 90") && history.stdout.contains("hj633-2012"))
        #expect(try cli.run("air", "day", "2026-03-01", "--standard", "hj633-1999").status == 1)
    }

    @Test func theDemosCollocationBecomesItsSensorsCalibrationAndAnUnknownOneIsNamed() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--demo").status == 0)
        let applied = try cli.run("air", "calibrate", "1")
        #expect(applied.status == 0 && applied.stdout.contains("collocation-1") && applied.stdout.contains("pa-1"), "\(applied.stderr)")
        let unknown = try cli.run("air", "calibrate", "99")
        #expect(unknown.status == 1 && unknown.stderr.contains("collocation") && unknown.stderr.contains("is not a kept collocation"))
    }
}
