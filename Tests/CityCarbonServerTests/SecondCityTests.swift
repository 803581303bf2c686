import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// A city that is not the demo, built only from its own files — once with the command line,
/// once in the browser — reaches a published dashboard whose every figure agrees across the
/// pages, the API and the exports, and with the numbers worked out by hand below.
@Suite("A second city from its own files", .serialized)
struct SecondCityTests {
    /// Lakeshire (湖岸市): two districts and a county, direct CO2 and N2O rows so the totals can
    /// be checked by hand under AR6 (N2O 273).
    enum Files {
        static let jurisdictions = """
            name,level,parent,code
            Lakeshire,city,,330199
            North Shore,district,Lakeshire,330101
            Harbour Flats,district,Lakeshire,330102
            Pine Hills,county,Lakeshire,330103

            """
        static func square(_ name: String, _ x: Double) -> String {
            let ring = "[[\(x),30],[\(x),30.1],[\(x + 0.1),30.1],[\(x + 0.1),30],[\(x),30]]"  // clockwise: written back counter-clockwise
            return #"{"type":"Feature","properties":{"name":"\#(name)"},"geometry":{"type":"Polygon","coordinates":[\#(ring)]}}"#
        }
        static let boundaries = #"{"type":"FeatureCollection","features":[\#(square("North Shore", 120)),\#(square("Harbour Flats", 120.1)),\#(square("Pine Hills", 120.2))]}"#
        static let statistics = """
            jurisdiction,year,population,gdp,gdp_unit,gdp_constant,gdp_constant_base_year,energy_tce,energy_method,source
            North Shore,2020,400000,500,10^8 CNY,500,2020,900000,equivalent,Lakeshire Statistical Yearbook 2021 table 2-1
            Harbour Flats,2020,300000,300,10^8 CNY,300,2020,1500000,equivalent,Lakeshire Statistical Yearbook 2021 table 2-1
            Pine Hills,2020,100000,100,10^8 CNY,100,2020,300000,equivalent,Lakeshire Statistical Yearbook 2021 table 2-1
            North Shore,2023,420000,600,10^8 CNY,560,2020,880000,equivalent,Lakeshire Statistical Yearbook 2024 table 2-1
            Harbour Flats,2023,310000,380,10^8 CNY,350,2020,1400000,equivalent,Lakeshire Statistical Yearbook 2024 table 2-1
            Pine Hills,2023,110000,120,10^8 CNY,110,2020,290000,equivalent,Lakeshire Statistical Yearbook 2024 table 2-1

            """
        static let activities = """
            year,jurisdiction,gpc_ref,gas,amount,unit,notation_key,source,note
            2020,North Shore,I.1.1,CO2,300000,t,,district heating survey 2020,
            2020,Harbour Flats,I.3.1,CO2,500000,t,,key emitters' reports 2020,
            2020,Pine Hills,II.1.1,CO2,200000,t,,transport survey 2020,
            2020,Lakeshire,III.1.1,N2O,100,t,,landfill operator 2020,
            2023,North Shore,I.1.1,CO2,280000,t,,district heating survey 2023,
            2023,North Shore,I.1.3,CO2,5000,t,,grid losses 2023,
            2023,Harbour Flats,I.3.1,CO2,450000,t,,key emitters' reports 2023,
            2023,Harbour Flats,I.4.4,CO2,100000,t,,power plant 2023,
            2023,Pine Hills,II.1.1,CO2,210000,t,,transport survey 2023,
            2023,Lakeshire,III.1.1,N2O,90,t,,landfill operator 2023,
            2023,Pine Hills,V.1,,,,NE,,livestock not yet surveyed

            """
        static let settings = [("name.en", "Lakeshire"), ("name.zh-Hans", "湖岸市"), ("gwp", "AR6"), ("price_base_year", "2020")]

        // By hand: BASIC 2023 = 280,000 + 450,000 + 210,000 + 90 × 273; BASIC+ adds the 5,000 t of losses;
        // the power plant (I.4.4) is territorial only.
        static let basic2023 = 280_000.0 + 450_000 + 210_000 + 90 * 273
        static let basicPlus2023 = basic2023 + 5_000
        static let basic2020 = 300_000.0 + 500_000 + 200_000 + 100 * 273
        static let people2023 = 840_000.0, gdp2023 = 1_100.0e8
    }

    /// Every figure shown for 2023 agrees across the dashboard, the inventory page, the
    /// indicator API, the inventory API, the GPC, CIRIS and CDP exports and the open data.
    static func expectFiguresAgree(_ client: some TestClientProtocol) async throws {
        let perCapita = Files.basicPlus2023 / Files.people2023, perGDP = Files.basicPlus2023 / (Files.gdp2023 / 1e4)
        let dashboard = try await client.execute(uri: "/", method: .get).text
        #expect(dashboard.contains("Lakeshire") && !dashboard.contains("Demo City"))
        #expect(OneFigureTests.first(#"Per resident, 2023</div><div class="value">([0-9.]+)<"#, in: dashboard) == String(format: "%.2f", perCapita))
        #expect(OneFigureTests.first(#"Per unit of GDP, 2023</div><div class="value">([0-9.]+)<"#, in: dashboard) == String(format: "%.2f", perGDP))
        #expect(OneFigureTests.first(#"BASIC total, 2023</div><div class="value">([0-9.]+)<"#, in: dashboard) == String(format: "%.2f", Files.basic2023 / 1e6))
        #expect(dashboard.contains("North Shore"), "the map names the districts from the boundaries file")
        let chinese = try await client.execute(uri: "/?lang=zh-Hans", method: .get).text
        #expect(chinese.contains("湖岸市"))

        let api = try await client.execute(uri: "/api/v1/inventories/2023", method: .get).text
        let totals = (try JSONSerialization.jsonObject(with: Data(api.utf8)) as? [String: Any])?["totals"] as? [String: Double]
        #expect(totals?["basic"].map { abs($0 - Files.basic2023) < 1e-6 } == true)
        #expect(totals?["basic_plus"].map { abs($0 - Files.basicPlus2023) < 1e-6 } == true)
        #expect(totals?["territorial"].map { abs($0 - (Files.basic2023 - 0 + 100_000)) < 1e-6 } == true)

        let capita = try await client.execute(uri: "/api/v1/indicators/emissions_per_capita", method: .get).text
        #expect(OneFigureTests.value(capita, year: 2023).map { abs($0 - perCapita) < 1e-9 } == true)
        let gdp = try await client.execute(uri: "/api/v1/indicators/emissions_per_gdp", method: .get).text
        #expect(OneFigureTests.value(gdp, year: 2023).map { abs($0 - perGDP) < 1e-9 } == true)
        let total = try await client.execute(uri: "/api/v1/indicators/emissions_basic_plus", method: .get).text
        #expect(OneFigureTests.value(total, year: 2023).map { abs($0 - Files.basicPlus2023) < 1e-6 } == true)
        #expect(OneFigureTests.value(total, year: 2020).map { abs($0 - Files.basic2020) < 1e-6 } == true)

        // The GPC layout's city rows hold the city's whole area.
        let gpc = try ReferenceTable(name: "gpc.csv", text: try await client.execute(uri: "/api/v1/inventories/2023?format=csv", method: .get).text)
        let cityRows = gpc.rows.filter { $0["jurisdiction"] == "Lakeshire" && $0["aggregation"] == "with_jurisdictions_below" && $0["level"] == "B" }
        #expect(abs(cityRows.reduce(0) { $0 + (Double($1["co2e_t"]) ?? 0) } - Files.basic2023) < 1e-6)
        let ciris = try ReferenceTable(name: "ciris.csv", text: try await client.execute(uri: "/api/v1/inventories/2023?format=csv&layout=ciris", method: .get).text)
        let basicRows = ciris.rows.filter { $0["Reporting level"] == "B" }
        #expect(abs(basicRows.reduce(0) { $0 + (Double($1["GHGs (metric tonnes CO2e) - Total CO2e"]) ?? 0) } - Files.basic2023) < 1e-6)
        #expect(ciris.rows.first { $0["GPC ref. no."] == "V.1" }?["Notation key"] == "NE")
        let cdp = try await client.execute(uri: "/api/v1/inventories/2023?format=csv&layout=cdp", method: .get).text
        #expect(cdp.contains("2023,Lakeshire,III.1,Waste,"))

        // Open data: the city's statistics are its districts' sums, stated as derived.
        let statistics = try await client.execute(uri: "/api/v1/jurisdictions/Lakeshire/statistics", method: .get).text
        #expect(statistics.contains(#""population":840000"#), "\(statistics.prefix(300))")
        let boundaries = try await client.execute(uri: "/api/v1/boundaries", method: .get).text
        #expect(boundaries.contains("[[[120,30],[120.1,30],[120.1,30.1],[120,30.1],[120,30]]]"), "written counter-clockwise")
    }

    @Test("Built with the command line from its files, Lakeshire's published figures agree everywhere")
    func throughTheCommandLine() async throws {
        let folder = try ScratchDirectory.make("lakeshire")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("lakeshire.sqlite").path
        func file(_ name: String, _ text: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func cli(_ arguments: String...) throws { try cli(arguments) }
        func cli(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = Self.executable
            process.arguments = arguments + ["--database", workspace]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "citycarbon \(arguments.joined(separator: " ")): \(message)")
        }
        try cli("init")
        try cli(["city", "set"] + Files.settings.flatMap { [$0.0, $0.1] })
        try cli("import", "jurisdictions", try file("jurisdictions.csv", Files.jurisdictions))
        try cli("import", "boundaries", try file("districts.geojson", Files.boundaries))
        try cli("import", "statistics", try file("statistics.csv", Files.statistics))
        try cli("import", "activities", try file("activities.csv", Files.activities))
        try cli("inventory", "compute")
        try cli("inventory", "publish", "--year", "2020")
        try cli("inventory", "publish", "--year", "2023")
        try cli("statistics", "publish")
        try await application(try CityCarbonDatabase(path: workspace)).test(.router) { client in try await Self.expectFiguresAgree(client) }
    }

    @Test("Built in the browser from the same files, Lakeshire's published figures agree everywhere")
    func throughTheBrowser() async throws {
        let database = try CityCarbonDatabase(path: try ScratchDirectory.make("lakeshire").appendingPathComponent("workspace.sqlite").path)
        try AccountRepository(database, passwordCost: 4).create(username: "office", password: staffPassword, role: .admin, actor: "test")
        try await application(database).test(.router) { client in
            let office = try await signIn(client, "office")
            func upload(_ path: String, _ name: String, _ content: String) async throws -> TestResponse {
                let body = multipart([("csrf", office.csrf)], file: ("file", name, content))
                let response = try await client.execute(uri: path, method: .post, headers: [.cookie: office.cookie, .contentType: body.contentType], body: body.body)
                #expect(response.status == .ok, "\(path): \(response.text.prefix(600))")
                return response
            }
            func post(_ path: String, _ fields: [(String, String)] = []) async throws {
                let response = try await client.execute(uri: path, method: .post, headers: office.formHeaders(), body: office.form(fields))
                #expect([.ok, .seeOther].contains(response.status), "\(path): \(response.status) \(response.text.prefix(600))")
            }
            try await post("/staff/city", Files.settings)
            _ = try await upload("/staff/city-data/jurisdictions", "jurisdictions.csv", Files.jurisdictions)
            _ = try await upload("/staff/city-data/boundaries", "districts.geojson", Files.boundaries)
            _ = try await upload("/staff/city-data/statistics", "statistics.csv", Files.statistics)
            let preview = try await upload("/staff/upload", "activities.csv", Files.activities).text
            let commit = try #require(OneFigureTests.first(#"action="(/staff/upload/[^"]+/commit)""#, in: preview))
            try await post(commit)
            try await post("/staff/inventories/2020/publish")
            try await post("/staff/inventories/2023/publish")
            try await post("/staff/statistics/publish")
            try await Self.expectFiguresAgree(client)
        }
    }

    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("citycarbon").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("citycarbon")
    }
}
