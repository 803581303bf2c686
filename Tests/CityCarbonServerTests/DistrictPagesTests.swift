import CarbonKit
import NIOCore
import CityCarbonStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// A page per district, the district list and the map's layers: every district figure the
/// same wherever it shows, each link landing on the rows it names.
@Suite("Districts: a page each, a list and a map with layers")
struct DistrictPagesTests {
    /// The cells of the page's last table row headed `name` (a chart's own table comes before the page's).
    func cells(_ page: String, row name: String) -> [String] {
        let pattern = try! Regex("<tr><th scope=\"row\">(?:<a [^>]*>)?\(NSRegularExpression.escapedPattern(for: name))(?:</a>)?</th>(.*?)</tr>")
        guard let row = page.matches(of: pattern).last, let rest = row.output[1].substring else { return [] }
        return rest.matches(of: /<td[^>]*>(.*?)<\/td>/).map { String($0.output.1) }
    }

    @Test("A district's emissions and emissions per resident are the same on its page, in the list and on the map's layers")
    func oneFigureEverywhere() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let list = try await client.execute(uri: "/districts", method: .get).text
            let row = cells(list, row: "Northbank")
            #expect(row.count == 3 && row[0] == "1,232" && row[1] == "3.9", "\(row)")
            // Per resident is the published emissions over the published population of the same year.
            let statistics = try await client.execute(uri: "/api/v1/jurisdictions/Northbank/statistics", method: .get).json
            let population = try #require(statistics["items"]?.array?.first { $0["year"]?.number == 2023 }?["population"]?.number)
            let inventory = try #require(try InventoryCache(database).published(year: 2023))
            let tonnes = inventory.totals(year: 2023, jurisdiction: "Northbank").basicPlus
            #expect(String(format: "%.1f", tonnes / population) == row[1])
            let page = try await client.execute(uri: "/districts/Northbank", method: .get).text
            #expect(page.contains("2023: 1,232 kt CO2e (BASIC+). 3.9 t per resident."))
            let perResident = try await client.execute(uri: "/?layer=per_capita", method: .get).text
            #expect(perResident.contains("<title>Northbank: 3.9</title>"))
            let emissions = try await client.execute(uri: "/", method: .get).text
            #expect(emissions.contains("<title>Northbank: 1,232</title>"))
        }
    }

    @Test("Each sector of a district links to the inventory's sub-sectors of that sector in that district, with the same total")
    func sectorDrillDown() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/districts/Northbank", method: .get).text
            #expect(cells(page, row: "I Stationary energy").first == "842.0")
            #expect(page.contains(#"<a href="/inventory/2023?jurisdiction=Northbank&amp;sector=I">I Stationary energy</a>"#))
            let inventory = try await client.execute(uri: "/inventory/2023?jurisdiction=Northbank&sector=I&compare=none", method: .get)
            #expect(inventory.status == .ok)
            let total = try #require(cells(inventory.text, row: "BASIC+").first)
            let tonnes = try #require(Double(total.replacingOccurrences(of: ",", with: "")))
            #expect(String(format: "%.1f", tonnes / 1000) == "842.0")
            #expect(inventory.text.contains("I.1.1") && !inventory.text.contains("II.1.1"))
        }
    }

    @Test("A district's actions are those its office answers for, counted by the plan page's rule")
    func actionsOfItsOffice() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/districts/Northbank", method: .get).text
            let sentence = try #require(page.firstMatch(of: /Northbank district office answers for (\d+) actions of [^:]+: ([^.]*)\./))
            #expect(sentence.output.1 == "24")
            // The parts add up to the whole, each by the status the plan page shows (late included).
            let parts = sentence.output.2.matches(of: /(\d+)/).compactMap { Int($0.output.1) }
            #expect(parts.reduce(0, +) == 24, "\(sentence.output.2)")
            let late = try #require(sentence.output.2.firstMatch(of: /late (\d+)/)).output.1
            #expect(page.matches(of: /<\/a> · late<\/li>/).count == Int(late))
            #expect(page.contains(#"href="/plans/helsinki-2035?organisation=Northbank%20district%20office""#))
            let plan = try await client.execute(uri: "/plans/helsinki-2035?organisation=Northbank%20district%20office", method: .get).text
            #expect(plan.contains("24 of 147 actions"))
            let listed = page.matches(of: /<li><a href="\/plans\/helsinki-2035\/actions\//).count
            #expect(listed == 24)
            // A district whose office is not named says so instead of listing another's actions.
            let other = try await client.execute(uri: "/districts/Harbour", method: .get).text
            #expect(other.contains("No organisation answering for this district is named"))
        }
    }

    @Test("A district's office comes from the jurisdictions file; a file without the column keeps it")
    func officeFromTheJurisdictionsFile() async throws {
        let database = try demoWorkspace()
        let repository = JurisdictionRepository(database)
        #expect(try repository.tree().nodes["Northbank"]?.office == "Northbank district office")
        try repository.importCSV(Array("name,level,parent\nNorthbank,district,Demo City\n".utf8), file: "tree.csv")
        #expect(try repository.tree().nodes["Northbank"]?.office == "Northbank district office")
        try repository.importCSV(Array("name,level,office\nHarbour,district,Harbour district office\n".utf8), file: "tree.csv")
        #expect(try repository.tree().nodes["Harbour"]?.office == "Harbour district office")
        try await application(database).test(.router) { client in
            let json = try await client.execute(uri: "/api/v1/jurisdictions?parent=Demo%20City", method: .get).json
            let harbour = try #require(json["items"]?.array?.first { $0["name"]?.string == "Harbour" })
            #expect(harbour["office"]?.string == "Harbour district office")
        }
    }

    @Test("The assessment layer colours each district by its published light, and the list says the same light")
    func assessmentLayer() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let map = try await client.execute(uri: "/?layer=assessment", method: .get).text
            let list = try await client.execute(uri: "/districts", method: .get).text
            let ranking = try await client.execute(uri: "/api/v1/assessments/2023", method: .get).json
            for result in try #require(ranking["results"]?.array) {
                let name = try #require(result["jurisdiction"]?.string), light = try #require(result["light"]?.string)
                #expect(map.contains("<title>\(name): \(light)</title>"))
                #expect(cells(list, row: name).last == light)
            }
            #expect(map.contains(#"<a aria-current="true" href="/?layer=assessment#district-map"><strong>Assessment</strong></a>"#))
        }
    }

    @Test("Today's figures on a district's page, the dashboard and the live layer are the nowcast the API gives")
    func todayIsTheNowcast() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            func eastgateToday() async throws -> Double {
                let nowcast = try await client.execute(uri: "/api/v1/monitoring/nowcast", method: .get).json
                return try #require(nowcast["districts"]?.array?.first { $0["name"]?.string == "Eastgate" }?["today_kg_co2e"]?.number)
            }
            // An hour that completes between two requests changes today's figure: read until the API gives the same before and after.
            var page = "", live = "", eastgate = 0.0
            for _ in 1...3 {
                eastgate = try await eastgateToday()
                page = try await client.execute(uri: "/districts/Eastgate", method: .get).text
                live = try await client.execute(uri: "/districts?layer=live", method: .get).text
                if try await eastgateToday() == eastgate { break }
            }
            let tonnes = (String(format: "%.2f", eastgate / 1000) as NSString).doubleValue
            let formatted = Localizer(.en).number(tonnes, decimals: 2)
            #expect(page.contains("its monitored sites emitted \(formatted) t CO2e"))
            #expect(!page.contains("<!--live:"))
            #expect(live.contains("<title>Eastgate: \(Localizer(.en).number(eastgate / 1000, decimals: 1))</title>"))
            let dashboard = try await client.execute(uri: "/", method: .get).text
            let monitoring = try await client.execute(uri: "/monitoring", method: .get).text
            let lead = try #require(monitoring.firstMatch(of: /<p class="lead">(Today \(.*?\)[^<]*)<\/p>/)).output.1
            #expect(dashboard.contains(String(lead)) && !dashboard.contains("<!--live:"))
        }
    }

    @Test("An unknown district or map layer is not found, whatever its name, and nothing is cached for it")
    func unknownNames() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            for name in ["Nowhere", "northbank", "Northbank%00", "%2E%2E%2Fstaff", String(repeating: "x", count: 4000), "N%C3%B8rthbank", "%FF%FE"] {
                let response = try await client.execute(uri: "/districts/\(name)", method: .get)
                #expect(response.status == .notFound || response.status == .badRequest, "\(name.prefix(20)): \(response.status)")
            }
            for layer in ["bogus", "LIVE", "live%00", "1e308"] {
                for path in ["/", "/districts"] {
                    let response = try await client.execute(uri: "\(path)?layer=\(layer)", method: .get)
                    #expect(response.status.code / 100 == 4 && response.text.contains("emissions, per_capita, assessment, live"), "\(path) \(layer)")
                }
            }
        }
    }
}

@Suite("Live parts put into a cached page")
struct LiveSpliceTests {
    @Test("Each marker is replaced by its part, in any order, the rest byte for byte; a page without markers is unchanged")
    func splice() {
        let page = ByteBuffer(string: "<p>a</p>\(LiveFigures.marker("map"))<p>b — 中</p>\(LiveFigures.marker("today"))<p>c</p>")
        let out = LiveFigures.splice(page, ["today": "<i>T</i>", "map": "<svg/>", "absent": "x"])
        #expect(String(buffer: out) == "<p>a</p><svg/><p>b — 中</p><i>T</i><p>c</p>")
        let plain = ByteBuffer(string: "<p>nothing live</p>")
        #expect(String(buffer: LiveFigures.splice(plain, ["today": "x"])) == "<p>nothing live</p>")
        var offset = ByteBuffer(string: "xx<!--live:today-->yy")
        offset.moveReaderIndex(forwardBy: 2)
        #expect(String(buffer: LiveFigures.splice(offset, ["today": "T"])) == "<!--live:today-->yy".replacingOccurrences(of: "<!--live:today-->", with: "T"))
    }
}

extension LiveSpliceTests {
    @Test("The byte search finds a needle at the start, the end, after near misses, and nowhere when it is absent")
    func find() {
        func at(_ needle: String, _ haystack: String) -> Int? {
            Array(haystack.utf8).withUnsafeBytes { LiveFigures.find(Array(needle.utf8), in: $0) }
        }
        #expect(at("<!--a-->", "<!--a-->rest") == 0)
        #expect(at("<!--a-->", "xx<!--b--><!<!--a-->") == 12)
        #expect(at("<!--a-->", "tail<!--a-->") == 4)
        #expect(at("<!--a-->", "<!--a--") == nil && at("<!--a-->", "") == nil && at("!", "a!") == 1)
    }
}

extension LiveSpliceTests {
    @Test("Within a minute a page is spliced once per data version; another version is spliced again")
    func splicedOncePerMinute() throws {
        let live = LiveFigures(try demoWorkspace(), freshness: .seconds(60))
        let page = ByteBuffer(string: "<p>\(LiveFigures.marker("today"))</p>")
        var calls = 0
        let now = Date()
        let parts = { () -> [String: HTML] in calls += 1; return ["today": "T\(calls)"] }
        let first = try live.spliced("dashboard/en", page: (page, 7), now: now, parts: parts)
        let again = try live.spliced("dashboard/en", page: (page, 7), now: now, parts: parts)
        #expect(String(buffer: first) == "<p>T1</p>" && String(buffer: again) == "<p>T1</p>" && calls == 1)
        let newer = try live.spliced("dashboard/en", page: (page, 8), now: now, parts: parts)
        #expect(String(buffer: newer) == "<p>T2</p>" && calls == 2)
    }
}
