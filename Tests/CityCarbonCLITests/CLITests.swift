import CityCarbonStore
import CarbonKit
import Foundation
import GRDB
import Testing

/// Runs the built `citycarbon` executable and captures what it prints.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("citycarbon").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("citycarbon")
    }

    let directory: URL

    init() throws {
        directory = try ScratchDirectory.make("cli")
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(arguments) }
}

let activityCSV = """
    year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,ef_quality,source,notation_key,ie_ref,note
    2022,Riverside,I.1.1,natural_gas,1,TJ,,H,,gas utility,,,
    2022,Riverside,I.1.2,electricity,1000,MWh,grid:cn_national:2022,H,M,grid company,,,
    2022,Old Town,I.4.4,sub_bituminous_coal,100,t,,M,,power plant,,,
    2022,Old Town,I.1.1,wood,10,t,,L,,survey,,,
    2022,Old Town,V.1,,,,,,,,NE,,livestock not yet surveyed

    """

@Suite("citycarbon command line", .serialized)
struct CLITests {
    @Test("inventory compute --format json prints the documented object, straight from a file")
    func computeJSON() throws {
        let cli = try CLI()
        let file = try cli.write("activities.csv", activityCSV)
        let result = try cli.run("inventory", "compute", "--activities", file, "--gwp", "AR5", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["gwp"] as? String == "AR5")
        #expect(object["unit"] as? String == "tCO2e")
        let totals = try #require(object["totals"] as? [String: Double])
        // 1 TJ gas in homes (56.2665 t) + 1,000 MWh × 0.5366 + wood's CH4 and N2O; I.4.4 only in territorial.
        let wood = 0.156 * (0.3 * 28.0 + 0.004 * 265.0)
        #expect(abs(totals["basic"]! - (56.2665 + 536.6 + wood)) < 1e-6)
        #expect(abs(totals["territorial"]! - (56.2665 + wood + 181.629 + 0.00189 * 28 + 0.002835 * 265)) < 1e-6)
        #expect(abs(totals["biogenic_co2"]! - 17.472) < 1e-9)
        for key in ["basic_plus", "scope1", "scope2", "scope3"] { #expect(totals[key] != nil) }
        #expect((object["by_sector"] as? [String: Double])?["I"] != nil)
        #expect((object["by_gpc_ref"] as? [String: Double])?["I.4.4"] != nil)
        #expect((object["by_gas_t"] as? [String: Double])?["CH4"] != nil)
        #expect((object["by_jurisdiction"] as? [String: Double])?.keys.sorted() == ["Old Town", "Riverside"])
        let keys = try #require(object["notation_keys"] as? [[String: Any]])
        #expect(keys.first?["key"] as? String == "NE")
        #expect(keys.first?["gpc_ref"] as? String == "V.1")
    }

    @Test("A different --gwp gives a different total")
    func gwpOption() throws {
        let cli = try CLI()
        let file = try cli.write("activities.csv", activityCSV)
        let ar4 = try cli.run("inventory", "compute", "--activities", file, "--gwp", "AR4", "--format", "json")
        let ar6 = try cli.run("inventory", "compute", "--activities", file, "--gwp", "AR6", "--format", "json")
        #expect(ar4.status == 0 && ar6.status == 0)
        #expect(ar4.stdout != ar6.stdout)
    }

    @Test("Input errors are all printed with their place, exit 1")
    func inputErrors() throws {
        let cli = try CLI()
        let file = try cli.write("bad.csv", "year,jurisdiction,gpc_ref,fuel,amount,unit\n2022,A,I.1.1,natral_gas,1,TJ\n2022,A,I.1.1,natural_gas,-3,TJ\n")
        let result = try cli.run("inventory", "compute", "--activities", file)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.csv, row 2, column 4 (fuel): 'natral_gas': unknown fuel (did you mean 'natural_gas'?)"))
        #expect(result.stderr.contains("row 3, column 5 (amount)"))
        #expect(result.stderr.contains("2 errors"))
    }

    @Test("Wrong usage exits 2; --help exits 0 everywhere")
    func usage() throws {
        let cli = try CLI()
        #expect(try cli.run("inventory", "compute", "--gwp", "AR9").status == 2)
        #expect(try cli.run("no-such-command").status == 2)
        for command in [["--help"], ["inventory", "--help"], ["inventory", "compute", "--help"], ["import", "activities", "--help"], ["factors", "show", "--help"], ["bench", "inventory", "--help"]] {
            let result = try cli.run(command)
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE"), "\(command)")
        }
    }

    @Test("init, import jurisdictions and activities, compute, show and list work on a workspace")
    func workspaceFlow() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let tree = try cli.write("jurisdictions.csv", "name,level,parent\nDemo City,city,\nRiverside,district,Demo City\nOld Town,district,Demo City\n")
        #expect(try cli.run("import", "jurisdictions", tree).status == 0)
        let file = try cli.write("activities.csv", activityCSV)
        let imported = try cli.run("import", "activities", file)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported 5 activity rows"))
        #expect(try cli.run("import", "activities", file).status == 1)
        #expect(try cli.run("import", "activities", file, "--replace").status == 0)
        let computed = try cli.run("inventory", "compute", "--year", "2022")
        #expect(computed.status == 0, "\(computed.stderr)")
        #expect(computed.stdout.contains("Demo City"))
        let shown = try cli.run("inventory", "show", "--year", "2022", "--format", "csv")
        #expect(shown.status == 0)
        #expect(shown.stdout.hasPrefix("year,jurisdiction,gpc_ref"))
        #expect(try cli.run("inventory", "list").stdout.contains("2022"))
        #expect(try cli.run("inventory", "show", "--year", "1999").status == 1)
    }

    @Test("A city loads its own statistics and boundaries from files; a bad file names its place and changes nothing")
    func ownStatisticsAndBoundaries() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let tree = try cli.write("jurisdictions.csv", "name,level,parent,code\nRiver City,city,,440100\nEast,district,River City,440103\nWest,district,River City,440104\n")
        #expect(try cli.run("import", "jurisdictions", tree).status == 0)
        let statistics = try cli.write("statistics.csv", "jurisdiction,year,population,gdp,gdp_unit,source\nEast,2023,1200000,1800.5,10^8 CNY,yearbook\nWest,2023,800000,950,10^8 CNY,yearbook\n")
        let imported = try cli.run("import", "statistics", statistics)
        #expect(imported.status == 0 && imported.stdout.contains("Imported 2 statistics rows"), "\(imported.stderr)")
        #expect(try cli.run("statistics", "publish").status == 0)
        #expect(try cli.run("statistics", "list", "--published").stdout.contains("1200000"))
        func feature(_ property: String, _ ring: String) -> String {
            #"{"type":"Feature","properties":{\#(property)},"geometry":{"type":"Polygon","coordinates":[\#(ring)]}}"#
        }
        let east = feature(#""name":"East""#, "[[113.3,23.1],[113.3,23.2],[113.4,23.2],[113.4,23.1],[113.3,23.1]]")
        let bowTie = feature(#""adcode":440104"#, "[[113.2,23.1],[113.3,23.2],[113.3,23.1],[113.2,23.2],[113.2,23.1]]")
        let bad = try cli.write("bad.geojson", #"{"type":"FeatureCollection","features":[\#(east),\#(bowTie)]}"#)
        let refused = try cli.run("import", "boundaries", bad)
        #expect(refused.status == 1 && refused.stderr.contains("bad.geojson") && refused.stderr.contains("features[1].geometry.coordinates[0]"), "\(refused.stderr)")
        #expect(refused.stderr.contains("West: crosses itself"))
        let west = feature(#""adcode":440104"#, "[[113.2,23.1],[113.3,23.1],[113.3,23.2],[113.2,23.2],[113.2,23.1]]")
        let good = try cli.write("good.geojson", #"{"type":"FeatureCollection","features":[\#(east),\#(west)]}"#)
        let loaded = try cli.run("import", "boundaries", good)
        #expect(loaded.status == 0 && loaded.stdout.contains("Imported 2 boundaries from good.geojson"), "\(loaded.stderr)")
    }

    @Test("city set changes settings all or none and city show lists them; a bad value exits 1 naming its key")
    func citySettings() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let set = try cli.run("city", "set", "name.zh-Hans", "河城市", "utc_offset", "+08:00", "headline_level", "basic")
        #expect(set.status == 0 && set.stdout.contains("河城市") && set.stdout.contains("basic"), "\(set.stderr)")
        let refused = try cli.run("city", "set", "gwp", "AR5", "grid_series", "cn_atlantis")
        #expect(refused.status == 1 && refused.stderr.contains("grid_series") && refused.stderr.contains("cn_atlantis"), "\(refused.stderr)")
        let shown = try cli.run("city", "show")
        #expect(shown.stdout.contains("headline_level") && shown.stdout.contains("cn_national") && shown.stdout.contains("+08:00"))
        #expect(try cli.run("city", "set", "gwp").status != 0)
    }

    @Test("inventory show writes the GPC layout with a UTF-8 BOM for Excel, or as an XLSX workbook")
    func gpcExports() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--demo").status == 0)
        let bom = try cli.run("inventory", "show", "--year", "2023", "--format", "csv", "--bom")
        #expect(bom.status == 0 && bom.stdout.hasPrefix("\u{FEFF}year,jurisdiction,gpc_ref,aggregation,"))
        let path = cli.directory.appendingPathComponent("gpc.xlsx").path
        #expect(try cli.run("inventory", "show", "--year", "2023", "--xlsx", "-o", path).status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.prefix(2) == Data("PK".utf8))
        #expect(try cli.run("inventory", "show", "--year", "2023", "--xlsx").status != 0, "a workbook needs --output")
    }

    @Test("inventory export writes the ciris and cdp layouts; a gpc or ciris file imported into a new city gives the same totals")
    func exportRoundTrip() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--demo").status == 0)
        func totals(_ arguments: String...) throws -> [String: Double] {
            let shown = try cli.run(["inventory", "show", "--year", "2023", "--format", "json"] + arguments)
            let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            return try #require(object?["totals"] as? [String: Double])
        }
        let original = try totals()
        let tree = cli.directory.appendingPathComponent("tree.csv").path
        FileManager.default.createFile(atPath: tree, contents: Data("name,level,parent,code\nDemo City,city,,990100\n".utf8))
        for layout in ["gpc", "ciris"] {
            let file = cli.directory.appendingPathComponent("\(layout).csv").path
            let exported = try cli.run("inventory", "export", "--layout", layout, "--year", "2023", "--published", "-o", file)
            #expect(exported.status == 0, "\(exported.stderr)")
            let other = cli.directory.appendingPathComponent("\(layout).sqlite").path
            #expect(try cli.run("init", "--database", other).status == 0)
            if layout == "ciris" { #expect(try cli.run("import", "jurisdictions", tree, "--database", other).status == 0) }
            else {
                let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("Sources/CityCarbonStore/Resources/demo/jurisdictions.csv").path
                #expect(try cli.run("import", "jurisdictions", demo, "--database", other).status == 0)
            }
            let imported = try cli.run("import", "activities", file, "--layout", layout, "--database", other)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(try cli.run("inventory", "compute", "--database", other).status == 0)
            let again = try totals("--database", other)
            for key in ["basic", "basic_plus", "territorial", "biogenic_co2"] {
                #expect(abs((again[key] ?? 0) - (original[key] ?? 0)) <= 1e-9 * (original[key] ?? 1), "\(layout) \(key)")
            }
        }
        let cdp = try cli.run("inventory", "export", "--layout", "cdp", "--year", "2023")
        #expect(cdp.status == 0 && cdp.stdout.contains(",I.1,Stationary energy,Residential buildings,"))
        let refused = try cli.run("import", "activities", "-", "--layout", "cdp")
        #expect(refused.status != 0)
        #expect(try cli.run("inventory", "export", "--layout", "ciris", "--jurisdiction", "Atlantis").status != 0)
    }

    @Test("audit verify passes on an intact trail and exits 1 naming the event altered in SQLite")
    func auditVerify() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--demo").status == 0)
        let intact = try cli.run("audit", "verify")
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.contains("intact"))
        #expect(try cli.run("audit", "list", "--entity", "publication").stdout.contains("publish"))
        let queue = try DatabaseQueue(path: cli.directory.appendingPathComponent("citycarbon.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_event_no_update")
            try db.execute(sql: "UPDATE audit_event SET actor = 'mallory' WHERE id = 2")
        }
        let broken = try cli.run("audit", "verify")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("event 2"))
    }

    @Test("audit key, a signed publication and a saved head: verify holds, then names a cut tail and changed published numbers")
    func signedAuditVerify() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--demo").status == 0)
        let keyFile = cli.directory.appendingPathComponent("audit.key").path
        let made = try cli.run("audit", "key", "--out", keyFile)
        #expect(made.status == 0 && made.stdout.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
        #expect(try cli.run("audit", "key", "--out", keyFile).status != 0)
        #expect(try cli.run("inventory", "publish", "--year", "2022", "--audit-key", keyFile).stdout.contains("signed"))
        let head = try cli.run("audit", "checkpoint", "--key", keyFile)
        let saved = try cli.write("heads.jsonl", head.stdout)
        let intact = try cli.run("audit", "verify", "--key", keyFile, "--checkpoints", saved)
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.contains("signed checkpoints hold") && intact.stdout.contains("recomputed from their pinned rows"))
        let queue = try DatabaseQueue(path: cli.directory.appendingPathComponent("citycarbon.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_event_no_delete")
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM audit_event")!
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_event WHERE id = ?", arguments: [last - 1])!
            try db.execute(sql: "DELETE FROM audit_event WHERE id = ?", arguments: [last])
            try db.execute(sql: "UPDATE audit_head SET last_id = ?, last_hash = ?", arguments: [last - 1, previous])
            try db.execute(sql: "UPDATE inventory SET basic_plus_t = basic_plus_t * 0.9 WHERE id = (SELECT inventory_id FROM inventory_publication WHERE year = 2021)")
        }
        let broken = try cli.run("audit", "verify", "--key", keyFile, "--checkpoints", saved)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("no longer in the chain") && broken.stderr.contains("2021:"))
    }

    @Test("Commands that need a workspace say how to make one")
    func missingWorkspace() throws {
        let cli = try CLI()
        let result = try cli.run("inventory", "show")
        #expect(result.status == 2)
        #expect(result.stderr.contains("citycarbon init"))
    }

    @Test("factors list and show print the library with sources")
    func factors() throws {
        let cli = try CLI()
        let list = try cli.run("factors", "list")
        #expect(list.status == 0)
        #expect(list.stdout.contains("IPCC2006") && list.stdout.contains("CN2011") && list.stdout.contains("cn_national"))
        let show = try cli.run("factors", "show", "IPCC2006", "--fuel", "natural_gas")
        #expect(show.stdout.contains("56100"))
        #expect(show.stdout.contains("Table 1.4"))
        #expect(try cli.run("factors", "show", "IPCC2007").status == 1)
    }
}

extension CLI {
    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
