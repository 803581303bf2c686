import Foundation
import Testing

@Suite("citycarbon target, assessment, pilot, report")
struct ProgrammeCommandTests {
    @Test("report build writes the frozen report of a year as HTML in both languages, CSV and JSON, compared with the year before")
    func reportBuild() throws {
        let cli = try CLI()
        try cli.run("init", "--demo")
        let out = cli.directory.appendingPathComponent("report-2023").path
        #expect(try cli.run("report", "build", "--year", "2022", "--out", out, "--plan", "helsinki-2035").status == 0)
        let built = try cli.run("report", "build", "--year", "2023", "--out", out, "--plan", "helsinki-2035")
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stdout.contains("version 2"), "init --demo froze version 1")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("Against 2022") && html.contains("<style>") && !html.contains("/assets/site.css"))
        #expect(try String(contentsOfFile: out + "/report.zh-Hans.html", encoding: .utf8).contains("年度报告"))
        #expect(try String(contentsOfFile: out + "/actions.csv", encoding: .utf8).split(separator: "\n").count == 148)
        #expect(FileManager.default.fileExists(atPath: out + "/snapshot.json") && FileManager.default.fileExists(atPath: out + "/indicators.csv"))
        let xlsx = try #require(FileManager.default.contents(atPath: out + "/report.xlsx"))
        #expect(xlsx.prefix(2) == Data("PK".utf8))
        let future = try cli.run("report", "build", "--year", "2999", "--out", out, "--plan", "helsinki-2035")
        #expect(future.status == 1 && future.stderr.contains("2999"))
    }

    @Test("target allocate shares by hand; parts that do not add up, or a pending target, exit 1 and change nothing")
    func targetAllocate() throws {
        let cli = try CLI()
        try cli.run("init", "--demo")
        let parts = ["Northbank", "Old Town", "Hillcrest", "Eastgate", "Westfield", "Riverside", "Harbour", "Lakeside"]
        let level = 16_786_319.7 * 0.8
        var arguments = ["target", "allocate", "peak-2030", "--by", "jurisdiction", "--method", "manual"]
        for (i, name) in parts.enumerated() { arguments += ["--part", "\(name)=\(i == 0 ? level - 7_000_000 : 1_000_000)"] }
        let listed = try cli.run("target", "list")
        #expect(listed.stdout.contains("peak-2030") && listed.stdout.contains("off_track"))
        let manual = try cli.run(arguments)
        #expect(manual.status == 0, "\(manual.stderr)")
        arguments[arguments.count - 1] = "Lakeside=999"
        let short = try cli.run(arguments)
        #expect(short.status == 1 && short.stderr.contains("short by"))
        let pending = try cli.run("target", "allocate", "co2-per-gdp-2025", "--method", "equal")
        #expect(pending.status == 1 && pending.stderr.contains("pending"))
    }

    @Test("assessment show prints the demo's published 2023 ranking; pilot list counts against the goals")
    func assessmentAndPilots() throws {
        let cli = try CLI()
        try cli.run("init", "--demo")
        let shown = try cli.run("assessment", "show", "--year", "2023")
        #expect(shown.stdout.contains("published") && shown.stdout.contains("Harbour") && shown.stdout.contains("89.7"))
        let rerun = try cli.run("assessment", "freeze", "--year", "2023")
        #expect(rerun.status == 1 && rerun.stderr.contains("frozen"))
        let pilots = try cli.run("pilot", "list")
        #expect(pilots.stdout.contains("county") && pilots.stdout.contains("lakeside-village") && pilots.stdout.contains("eliminated"))
    }
}

@Suite("citycarbon indicator values")
struct IndicatorValuesCommandTests {
    @Test("Measured values load by year and district and change the indicator's status; an inventory indicator or an unknown one is refused with its line")
    func values() throws {
        let cli = try CLI()
        try cli.run("init", "--demo")
        // Forest stock: 6,790 (2020) to 7,790 (2025) × 10^4 m3; 6,900 in 2023 is far behind the path's 7,390.
        let good = try cli.write("values.csv", "indicator,year,value,jurisdiction,source\nforest_stock,2023,6900,,forestry bureau 2024\nforest_stock,2023,850,Harbour,forestry bureau 2024\n")
        let loaded = try cli.run("indicator", "values", good)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout.contains("2 loaded"))
        let list = try cli.run("indicator", "list")
        #expect(list.stdout.split(separator: "\n").contains { $0.contains("forest_stock") && $0.contains("off_track") })
        let bad = try cli.write("bad.csv", "indicator,year,value\nemissions_per_capita,2023,5\nforest_stok,2023,1\n")
        let refused = try cli.run("indicator", "values", bad)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("comes from the published inventories") && refused.stderr.contains("forest_stock") && refused.stderr.contains("row 3"))
    }
}
