import CarbonAccounting
import CarbonKit
import CarbonPathways
import CityCarbonStore
import ClimatePlans
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// Public means published: with a draft of every kind planted, marked with text no published
/// record holds, no public page, API route, export or metric shows the mark, and the public
/// numbers are the published computation's.
@Suite("Nothing unpublished reaches the public")
struct PublishedOnlyTests {
    static let marker = "ZZDRAFTMARKER"

    /// The demo city with drafts of every kind: replaced 2023 activity rows (recomputed, not
    /// published), 2022 recomputed under another GWP, a plan action draft submitted for
    /// review, a new unpublished scenario, a published scenario saved over, population and GDP
    /// of every district and year replaced, indicator values loaded, an indicator's note and
    /// name changed and a new indicator added.
    static func plantDrafts() throws -> (CityCarbonDatabase, published: [PublishedInventory]) {
        let (database, district, _) = try staffWorkspace()
        let published = try PublicationRepository(database).published()
        let rows = """
            year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,source,notation_key,ie_ref,note
            2023,\(district),I.1.1,natural_gas,987654321,TJ,,H,\(marker) source,,,\(marker) note
            """
        try ActivityRepository(database).importCSV(Array(rows.utf8), file: "\(marker).csv", existing: .replace, actor: "editor")
        _ = try InventoryRepository(database).compute(year: 2023, gwp: GasCatalog.standard.gwpSet("AR5"), actor: "editor")
        _ = try InventoryRepository(database).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR6"), actor: "editor")
        let action = try #require(try PlanRepository(database).actions(plan: "helsinki-2035").first)
        var edited = action
        edited.name = Multilingual(["en": "\(marker) action", "zh-Hans": "\(marker) 行动"])
        edited.description = Multilingual(["en": "\(marker) description"])
        let admin = Principal(actor: "admin", role: .admin)
        _ = try ActionDraftRepository(database).save(edited, plan: "helsinki-2035", by: admin, submit: true, today: Day(year: 2026, month: 12, day: 2)!)
        let scenarios = PathwayRepository(database)
        let live = try #require(try scenarios.scenarios(publishedOnly: true).first)
        var draft = live.scenario
        draft.identifier = "zz-draft"
        draft.name = ["en": "\(marker) scenario", "zh-Hans": "\(marker) 情景"]
        try scenarios.save(draft, actor: "editor")
        var savedOver = live.scenario
        savedOver.name = ["en": "\(marker) saved over", "zh-Hans": "\(marker) 覆盖"]
        try scenarios.save(savedOver, actor: "editor")
        let tree = try JurisdictionRepository(database).tree()
        var statistics = "jurisdiction,year,population,gdp,gdp_unit,source\n"
        for name in tree.order { for year in 2015...2024 { statistics += "\(name),\(year),198765432,987654321,10^8 CNY,\(marker) yearbook\n" } }
        try StatisticsRepository(database).importCSV(Array(statistics.utf8), file: "\(marker).csv", actor: "editor")
        let indicators = IndicatorRepository(database)
        let first = try #require(try indicators.all(edition: .current).first).indicator.identifier
        _ = try indicators.importValues(Array("indicator,year,value,source\n\(first),2024,987654321,\(marker) survey\n".utf8), file: "\(marker).csv", actor: "editor")
        _ = try indicators.importSheet(Array("""
            identifier,group,name_zh,name_en,unit,direction,kind,baseline_year,baseline,target_year,target,source,note
            \(first),\(marker),\(marker) 指标,\(marker) indicator,%,increase,binding,2020,0,2025,,\(marker) plan,\(marker) note
            zz_new,\(marker),\(marker) 新,\(marker) new,%,increase,expected,2020,0,2025,1,\(marker) plan,
            """.utf8), file: "\(marker).csv", actor: "editor")
        return (database, published)
    }

    /// Every public GET route of the router with each value its parameters can take here.
    static func publicURLs(_ database: CityCarbonDatabase, table: RouteTable) throws -> [String] {
        let tree = try JurisdictionRepository(database).tree()
        let years = try PublicationRepository(database).publishedYears().map(String.init) + ["2024"]
        let scenarios = try PathwayRepository(database).scenarios().map(\.scenario.identifier)
        let action = try PlanRepository(database).actions(plan: "helsinki-2035").first!.identifier
        let values: [String: [String]] = [
            ":year": years, ":plan": ["helsinki-2035"], ":action": [action], ":indicator": try IndicatorRepository(database).all(edition: .published).map(\.indicator.identifier).prefix(3).map { $0 },
            ":scenario": scenarios, ":name": tree.order.prefix(3).map { $0 } + ["IPCC2006"], ":id": ["NB-POWER", "GREEN-TRADE"],
            ":unit": ["CEA"], ":serial": ["1", "2000000"],
        ]
        var urls: [String] = []
        for entry in table.all where entry.method == "GET" && entry.access == .everyone && entry.path != "/assets/site.css" {
            var expanded = [entry.path == "//" ? "/" : entry.path]
            for (parameter, options) in values {
                expanded = expanded.flatMap { path in path.contains(parameter) ? options.map { path.replacingOccurrences(of: parameter, with: $0) } : [path] }
            }
            for path in expanded {
                switch entry.path {
                case "/api/v1/activities": urls += years.flatMap { ["\(path)?year=\($0)", "\(path)?year=\($0)&format=csv&per_page=500"] }
                case "/api/v1/decomposition": urls += ["\(path)?from=2015&to=2023", "\(path)?from=2022&to=2023"]
                case "/registry/serials": urls += ["\(path)?unit=CEA&serial=1", "\(path)?unit=CCER&serial=20000"]
                case "/inventory/:year/fuels": urls += ["\(path)?ref=I.1.1", "\(path)?ref=I.1", "\(path)?ref=I.1.1&jurisdiction=\(tree.order[1])"]
                case "/api/v1/inventories/:year", "/api/v1/jurisdictions/:name/statistics": urls += [path, path + "?format=csv"]
                default: urls.append(path)
                }
            }
        }
        return urls.flatMap { [$0, $0 + ($0.contains("?") ? "&" : "?") + "lang=zh-Hans"] }
    }

    @Test("No public page, API route, export or metric shows any draft's mark")
    func noMarkerLeaks() async throws {
        let (database, _) = try Self.plantDrafts()
        let table = RouteTable()
        try await application(database, routeTable: table).test(.router) { client in
            let urls = try Self.publicURLs(database, table: table)
            #expect(urls.count > 100)
            var fetched = 0
            for url in urls {
                let response = try await client.execute(uri: url, method: .get)
                #expect(response.status.code < 500, "\(url): \(response.status)")
                let body = String(decoding: response.body.readableBytesView, as: UTF8.self)
                #expect(!body.contains(Self.marker), "\(url) shows a draft")
                #expect(!body.contains("987654321") && !body.contains("198765432"), "\(url) shows a draft amount")
                if !url.contains("zz-draft") { #expect(!body.contains("zz-draft"), "\(url) names an unpublished scenario") }
                fetched += 1
            }
            #expect(fetched == urls.count)
        }
    }

    @Test("The public inventory list, dashboard date and metrics are the published computation's")
    func publicNumbersArePublished() async throws {
        let (database, published) = try Self.plantDrafts()
        try await application(database).test(.router) { client in
            let list = try await client.execute(uri: "/api/v1/inventories", method: .get)
            let items = try #require((try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [String: Any])?["items"] as? [[String: Any]])
            #expect(items.count == published.count)
            for (item, year) in zip(items, published) {
                #expect(item["year"] as? Int == year.year)
                #expect(abs((item["basic_plus"] as? Double ?? 0) - year.basicPlusTonnes) <= 1e-6)
                #expect(item["gwp"] as? String == year.gwp)
            }
            let one = try await client.execute(uri: "/api/v1/inventories/2023", method: .get)
            let totals = try #require((try JSONSerialization.jsonObject(with: Data(one.body.readableBytesView)) as? [String: Any])?["totals"] as? [String: Any])
            #expect(abs((totals["basic_plus"] as? Double ?? 0) - (published.first { $0.year == 2023 }?.basicPlusTonnes ?? -1)) <= 1e-6)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let pinned = try ActivityRepository(database).count(rows: .published)
            #expect(metrics.contains("citycarbon_activity_rows \(pinned)"))
            #expect(pinned != (try ActivityRepository(database).count()))
        }
    }

    @Test("Publishing again shows the new rows; withdrawing takes them away")
    func publishingPinsTheRows() throws {
        let (database, _) = try Self.plantDrafts()
        try PublicationRepository(database).publish(year: 2023, by: "admin")
        let page = try ActivityRepository(database).page(year: 2023, jurisdictions: nil, gpcPrefix: nil, offset: 0, limit: 500, rows: .published)
        #expect(page.rows.contains { $0.note == "\(Self.marker) note" })
        try PublicationRepository(database).withdraw(year: 2023, by: "admin")
        #expect(try ActivityRepository(database).page(year: 2023, jurisdictions: nil, gpcPrefix: nil, offset: 0, limit: 5, rows: .published).total == 0)
    }

    @Test("The staff home names the unpublished statistics and indicators; an admin's publish makes them public")
    func staffPublishStatisticsAndIndicators() async throws {
        let (database, _) = try Self.plantDrafts()
        let root = try #require(try JurisdictionRepository(database).tree().roots.first)
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let home = String(buffer: try await client.execute(uri: "/staff", method: .get, headers: admin.headers).body)
            #expect(home.contains("data-action=\"publish-statistics\"") && home.contains("data-action=\"publish-indicators\""))
            #expect(home.contains("zz_new"))
            let statisticsURL = "/api/v1/jurisdictions/\(root.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)/statistics"
            #expect(!String(buffer: try await client.execute(uri: statisticsURL, method: .get).body).contains(Self.marker))
            for data in ["statistics", "indicators"] {
                let published = try await client.execute(uri: "/staff/\(data)/publish", method: .post, headers: admin.formHeaders(), body: admin.form())
                #expect(published.status == .seeOther, "\(data)")
                #expect(published.headers[.location]?.contains("notice=\(data)") == true)
            }
            #expect(String(buffer: try await client.execute(uri: statisticsURL, method: .get).body).contains(Self.marker))
            #expect(String(buffer: try await client.execute(uri: "/api/v1/indicators/zz_new", method: .get).body).contains(Self.marker))
            let again = String(buffer: try await client.execute(uri: "/staff", method: .get, headers: admin.headers).body)
            #expect(!again.contains("data-action=\"publish-statistics\"") && !again.contains("data-action=\"publish-indicators\""))
            // An editor sees what is pending but has no button, and the route refuses it.
            try StatisticsRepository(database).importCSV(Array("jurisdiction,year,population\n\(root),2024,1\n".utf8), file: "late.csv", actor: "editor")
            let editor = try await signIn(client, "editor")
            let page = String(buffer: try await client.execute(uri: "/staff", method: .get, headers: editor.headers).body)
            #expect(page.contains("data-draft=\"statistics\"") && !page.contains("data-action=\"publish-statistics\""))
            let refused = try await client.execute(uri: "/staff/statistics/publish", method: .post, headers: editor.formHeaders(), body: editor.form())
            #expect(refused.status == .forbidden)
        }
    }

    @Test("A year whose rows changed since its computation cannot be published")
    func publishingStaleComputationIsRefused() throws {
        let (database, district, _) = try staffWorkspace()
        let rows = "year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,source,notation_key,ie_ref,note\n2023,\(district),I.1.1,natural_gas,5,TJ,,H,s,,,\n"
        try ActivityRepository(database).importCSV(Array(rows.utf8), file: "late.csv", existing: .replace, actor: "editor")
        #expect(throws: InputErrors.self) { try PublicationRepository(database).publish(year: 2023, by: "admin") }
    }

    @Test("Saving over a published scenario leaves the published version live until it is published again")
    func savingNeverChangesThePublishedScenario() throws {
        let (database, _) = try Self.plantDrafts()
        let repository = PathwayRepository(database)
        let live = try #require(try repository.scenarios(publishedOnly: true).first)
        #expect(!live.scenario.name("en").contains(Self.marker))
        let saved = try #require(try repository.scenario(live.scenario.identifier))
        #expect(saved.scenario.name("en").contains(Self.marker) && saved.hasUnpublishedChanges)
        // Publishing the new version goes through review: submitted, then the version seen published.
        #expect(throws: PathwayError.notSubmitted(live.scenario.identifier)) {
            try repository.publish(live.scenario.identifier, actor: "admin", seen: saved.digest)
        }
        try repository.submit(live.scenario.identifier, actor: "editor")
        #expect(throws: PathwayError.changedSinceReviewed(live.scenario.identifier)) {
            try repository.publish(live.scenario.identifier, actor: "admin", seen: live.digest)
        }
        try repository.publish(live.scenario.identifier, actor: "admin", seen: saved.digest)
        #expect(try repository.scenario(live.scenario.identifier, published: true)?.scenario.name("en").contains(Self.marker) == true)
        // Saving after a submission takes it back to a draft.
        var again = saved.scenario
        again.name = ["en": "second revision"]
        try repository.save(again, actor: "editor")
        try repository.submit(live.scenario.identifier, actor: "editor")
        try repository.save({ var s = again; s.name = ["en": "third revision"]; return s }(), actor: "editor")
        #expect(try repository.scenario(live.scenario.identifier)?.submittedBy == nil)
        #expect(try repository.scenario(live.scenario.identifier)?.submittedBy == nil)
    }
}

/// Resources a request can make the server spend are bounded, and hostile numbers are 4xx.
@Suite("Bounded requests")
struct BoundedRequestTests {
    @Test("An offset past every integer on the audit page is a 400 naming the field, and the server goes on")
    func auditOffsetOverflow() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            for offset in ["9223372036854775807", "-1", "99999999999999999999", "1e3"] {
                let response = try await client.execute(uri: "/staff/audit?offset=\(offset)", method: .get, headers: admin.headers)
                #expect(response.status == .badRequest, "offset=\(offset)")
                #expect(String(buffer: response.body).contains("offset"))
            }
            #expect(try await client.execute(uri: "/staff/audit?offset=50", method: .get, headers: admin.headers).status == .ok)
        }
    }

    @Test("The decomposition's years are checked before any arithmetic")
    func decompositionYears() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            for query in ["from=-9223372036854775808&to=2023", "from=2015&to=9223372036854775807", "from=1e3&to=2023"] {
                let response = try await client.execute(uri: "/api/v1/decomposition?\(query)", method: .get)
                #expect(response.status == .badRequest, "\(query)")
            }
        }
    }

    @Test("A roll-up over three centuries of hours is answered a month at a time, with the next page linked")
    func rollupsArePaged() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/monitoring/rollups?level=district&period=hour&from=1900-01-01&to=2200-12-31", method: .get)
            #expect(response.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(json["to"] as? String == "1900-01-31")
            #expect(json["next"] as? String == "/api/v1/monitoring/rollups?level=district&period=hour&from=1900-02-01&to=2200-12-31")
            let short = try await client.execute(uri: "/api/v1/monitoring/rollups?level=city&period=day&from=2026-11-01&to=2026-11-30", method: .get)
            let shortJSON = try #require(try JSONSerialization.jsonObject(with: Data(short.body.readableBytesView)) as? [String: Any])
            #expect(shortJSON["next"] is NSNull && shortJSON["to"] as? String == "2026-11-30")
        }
    }

    @Test("Random filter values are not found, never rendered into the page cache, and the cache stays within its bytes")
    func pageCacheIsBounded() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            for i in 0..<50 {
                let response = try await client.execute(uri: "/plans/helsinki-2035?organisation=nobody-\(i)", method: .get)
                #expect(response.status == .notFound)
                let district = try await client.execute(uri: "/inventory/2023?jurisdiction=nowhere-\(i)", method: .get)
                #expect(district.status == .notFound)
            }
        }
        let cache = PageCache(database, freshness: .seconds(60), capacity: 64 * 1024)
        for i in 0..<500 { _ = try cache.page("page-\(i)") { String(repeating: "x", count: 1000) } }
        #expect(cache.bytes <= 64 * 1024)
        #expect(cache.count < 100)
        // The most recent page is still served from memory.
        #expect(try String(buffer: cache.page("page-499") { "rendered again" }).hasPrefix("x"))
    }

    @Test("A multipart boundary longer than RFC 2046 allows is refused at once")
    func longBoundary() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let boundary = String(repeating: "a", count: 5000)
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nx\r\n--\(boundary)--\r\n"
            let page = try await client.execute(uri: "/login", method: .get)
            let response = try await client.execute(uri: "/login", method: .post,
                                                    headers: [.cookie: "cc_login=\(setCookie(page, "cc_login")!)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
        }
    }

    @Test("The multipart search is linear: a body of near-boundaries is parsed in one pass")
    func multipartSearchIsLinear() throws {
        let boundary = String(repeating: "a", count: 69) + "b"
        let hay = Array(String(repeating: "a", count: 1 << 20).utf8) + Array(boundary.utf8)
        #expect(FormData.find(Array(boundary.utf8), in: hay, from: 0) == 1 << 20)
        #expect(FormData.find([1, 2], in: [0, 1, 1, 2], from: 0) == 2)
        #expect(FormData.find([1, 2], in: [0, 1, 1, 2], from: 3) == nil)
    }

    @Test("Exports neutralise a text a spreadsheet would run: activity notes in the open data CSV")
    func csvExportsHaveNoFormulas() async throws {
        let (database, district, _) = try staffWorkspace()
        let rows = "year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,source,notation_key,ie_ref,note\n"
            + "2023,\(district),I.1.1,natural_gas,5,TJ,,H,=HYPERLINK(\"http://evil.example\"),,,@SUM(1+1)\n"
        try ActivityRepository(database).importCSV(Array(rows.utf8), file: "f.csv", existing: .replace, actor: "editor")
        _ = try InventoryRepository(database).compute(year: 2023, gwp: GasCatalog.standard.gwpSet("AR5"), actor: "editor")
        try PublicationRepository(database).publish(year: 2023, by: "admin")
        try await application(database).test(.router) { client in
            let csv = String(buffer: try await client.execute(uri: "/api/v1/activities?year=2023&format=csv&per_page=500", method: .get).body)
            #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""))
            #expect(csv.contains("'@SUM(1+1)"))
            #expect(!csv.contains(",=") && !csv.contains(",@"))
        }
    }
}

/// Slow clients are cut off: a request head dribbled in is closed after the deadline.
@Suite("Connections that do not finish their request")
struct SlowClientTests {
    @Test("A request head that does not arrive within the deadline gets the connection closed")
    func slowHeadIsClosed() async throws {
        let database = try demoWorkspace()
        var options = ServerOptions(freshness: .zero, passwordCost: 4)
        options.requestHeadTimeout = .milliseconds(500)
        let app = Application(router: CityCarbonApplication.router(database: database, options: options), server: CityCarbonApplication.server(options),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func connection() -> Int32 {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                #expect(connected == 0)
                // Generous: the whole suite runs beside it; a hang still shows as -1, never 0.
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                return fd
            }
            let slow = connection()
            defer { close(slow) }
            _ = "GET / HTTP/1.1\r\nHost: x\r\n".withCString { send(slow, $0, strlen($0), 0) }
            try await Task.sleep(for: .seconds(2))
            var buffer = [UInt8](repeating: 0, count: 64)
            // Closed by the server: end of stream, not a response and not a hang.
            #expect(recv(slow, &buffer, buffer.count, 0) == 0)
            // A client that sends its request at once is answered as usual.
            let prompt = connection()
            defer { close(prompt) }
            _ = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".withCString { send(prompt, $0, strlen($0), 0) }
            let n = recv(prompt, &buffer, buffer.count, 0)
            #expect(n > 12 && String(decoding: buffer.prefix(12), as: UTF8.self) == "HTTP/1.1 200")
            // A keep-alive client asking every 300 ms is answered each time: the deadline moves
            // with each request and never closes a connection that keeps within it.
            let steady = connection()
            defer { close(steady) }
            var reply = [UInt8](repeating: 0, count: 4096)
            var answered = ContinuousClock.now
            for round in 0..<5 {
                // On a loaded machine a sleep may overshoot the deadline: only a request sent
                // well within it says anything, and the first one that is not ends the check.
                if round > 0 && ContinuousClock.now - answered > .milliseconds(350) { break }
                _ = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".withCString { send(steady, $0, strlen($0), 0) }
                let got = recv(steady, &reply, reply.count, 0)
                #expect(got > 12 && String(decoding: reply.prefix(12), as: UTF8.self) == "HTTP/1.1 200")
                answered = ContinuousClock.now
                try await Task.sleep(for: .milliseconds(150))
            }
            // Idle after its last answer for longer than the deadline: closed.
            try await Task.sleep(for: .seconds(2))
            #expect(recv(steady, &reply, reply.count, 0) == 0)
        }
    }
}
