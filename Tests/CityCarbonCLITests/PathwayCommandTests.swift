import Foundation
import Testing

@Suite("citycarbon pathway")
struct PathwayCommandTests {
    static let xiongan = "Sources/CityCarbonStore/Resources/demo/pathway-xiongan-2035.json"

    func repositoryFile(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(path).path
    }

    @Test("run prints a scenario file as a table, JSON or CSV without a workspace; the same seed gives the same bands")
    func runFormats() throws {
        let cli = try CLI()
        let file = repositoryFile(Self.xiongan)
        let table = try cli.run("pathway", "run", file, "--runs", "0")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Net zero (net ≤ 0): 2031") && table.stdout.contains("Gross zero: 2040"))
        let csv = try cli.run("pathway", "run", file, "--format", "csv", "--runs", "300", "--seed", "9")
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("year,baseline_t,gross_t,wedge_coal-exit_t") == true && lines.count == 40)
        #expect(try cli.run("pathway", "run", file, "--format", "csv", "--runs", "300", "--seed", "9").stdout == csv.stdout)
        let json = try cli.run("pathway", "run", file, "--format", "json", "--runs", "0")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let analysis = (object["result"] as! [String: Any])["analysis"] as! [String: Any]
        #expect(analysis["neutralityYear"] as? Int == 2031)
    }

    @Test("A scenario with a mistake exits 1 naming the field; an unknown scenario exits 2")
    func errors() throws {
        let cli = try CLI()
        let bad = cli.directory.appendingPathComponent("bad.json")
        var text = try String(contentsOfFile: repositoryFile(Self.xiongan), encoding: .utf8)
        text = text.replacingOccurrences(of: #""from": ["raw_coal"]"#, with: #""from": ["raw_coall"]"#)
        try text.write(to: bad, atomically: true, encoding: .utf8)
        let result = try cli.run("pathway", "run", bad.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.json, field measures[0].from[0]: 'raw_coall'") && result.stderr.contains("raw_coal"))
        #expect(try cli.run("pathway", "run", "no-such-scenario").status == 2)
    }

    @Test("save, list, publish and lmdi work on a workspace")
    func workspace() throws {
        let cli = try CLI()
        try cli.run("init", "--demo")
        let list = try cli.run("pathway", "list")
        #expect(list.stdout.contains("xiongan-2035") && list.stdout.contains("2031") && list.stdout.contains("published"))
        let lmdi = try cli.run("pathway", "lmdi", "--from", "2015", "--to", "2023", "--format", "csv")
        #expect(lmdi.status == 0 && lmdi.stdout.contains("sector,change,population,affluence,intensity,mix,factor"))
        let saved = try cli.run("pathway", "run", "demo-planned", "--runs", "0")
        #expect(saved.status == 0 && saved.stdout.contains("Abatement cost curve, 2030"))
        #expect(try cli.run("pathway", "publish", "demo-planned", "--withdraw").status == 0)
        #expect(try cli.run("pathway", "list").stdout.contains("draft"))
    }

    @Test("The same workspace gives the same bits: lmdi and a scenario run agree digit for digit across processes")
    func sameBitsEveryRun() throws {
        let cli = try CLI()
        try cli.run("init", "--demo")
        // Each process hashes with a new seed: any sum taken in a dictionary's order would differ.
        let lmdi = try (0..<4).map { _ in try cli.run("pathway", "lmdi", "--from", "2015", "--to", "2023", "--format", "json").stdout }
        #expect(!lmdi[0].isEmpty && Set(lmdi).count == 1)
        let runs = try (0..<3).map { _ in try cli.run("pathway", "run", "demo-baseline", "--runs", "0", "--format", "json").stdout }
        #expect(!runs[0].isEmpty && Set(runs).count == 1)
    }
}
