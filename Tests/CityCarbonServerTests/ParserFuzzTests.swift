import CityProgramme
import CarbonAccounting
import CarbonInclusion
import CarbonKit
import CarbonMarkets
import CarbonMonitoring
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

/// Every parser of outside input, fed mutations of real inputs — flipped and inserted bytes,
/// invalid UTF-8, cut and doubled ranges, and the numbers and characters that broke things
/// before (1e308, 2^63, NaN, year 0001, quotes, BOMs, look-alikes). Each must return or throw
/// its typed error naming a place; a crash ends the test process, so a pass is the proof.
///
/// `CITYCARBON_FUZZ_SECONDS` is each target's time (default 1 s; `.ci/run` gives more);
/// `CITYCARBON_FUZZ_SEED` picks another sequence of inputs (a run is the same for its seed).
@Suite("Parsers under mutated input", .serialized)
struct ParserFuzzTests {
    static let seconds = Double(ProcessInfo.processInfo.environment["CITYCARBON_FUZZ_SECONDS"] ?? "") ?? 1
    static let seed = UInt64(ProcessInfo.processInfo.environment["CITYCARBON_FUZZ_SEED"] ?? "") ?? 1

    /// The seeded generator, with the fuzzer's own helpers.
    struct Random {
        var generator: SeededRandom
        init(state: UInt64) { generator = SeededRandom(seed: state) }
        mutating func next() -> UInt64 { generator.next() }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let tokens: [[UInt8]] = ["1e308", "-1e308", "1e999", "NaN", "nan", "inf", "-inf", "9223372036854775807", "-9223372036854775808",
                                    "18446744073709551616", "0", "-0", "0.0000000000000000000001", "\"", "\"\"", ",", "\n", "\r\n", "\r", "\t", " ",
                                    "\u{0}", "\u{FEFF}", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-02-30", "{", "}", "[", "]", ":", "\\u0000",
                                    "%", "%ff", "=", "+", "@", "-", "#", "\u{202E}", "ℌ", "１２３", "\u{3000}", "null", "true", "{}", "[]", "\"bt\":"]
        .map { Array($0.utf8) } + [[0xFF], [0xFE, 0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]

    static func mutate(_ seed: [UInt8], _ r: inout Random) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + r.below(8)) {
            let at = r.below(bytes.count + 1)
            switch r.below(6) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << r.below(8))
            case 1: bytes.insert(UInt8(truncatingIfNeeded: r.next()), at: at)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, at + 1 + r.below(40))
                if at < end { bytes.removeSubrange(at..<end) }
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, at + 1 + r.below(200))
                if at < end { bytes.insert(contentsOf: bytes[at..<end], at: at) }
            default: bytes.insert(contentsOf: tokens[r.below(tokens.count)], at: at)
            }
        }
        return bytes
    }

    /// Runs `body` on mutations of `seeds` for the target's time; returns how many inputs it took.
    @discardableResult
    static func fuzz(_ name: String, seeds: [String], _ body: ([UInt8]) throws -> Void) rethrows -> Int {
        try fuzz(name, bytes: seeds.map { Array($0.utf8) }, body)
    }

    /// The same for binary seeds (a workbook).
    @discardableResult
    static func fuzz(_ name: String, bytes seedBytes: [[UInt8]], _ body: ([UInt8]) throws -> Void) rethrows -> Int {
        // FNV-1a of the name, not `hashValue`: that is seeded anew in every process.
        var r = Random(state: name.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 } ^ seed)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var runs = 0
        while ContinuousClock.now < deadline || runs < 50 {
            try body(mutate(seedBytes[r.below(seedBytes.count)], &r))
            runs += 1
        }
        print("fuzz \(name): \(runs) mutated inputs in \(seconds) s (seed \(seed)), no crash")
        return runs
    }

    static func demo(_ name: String) -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("Sources/CityCarbonStore/Resources/demo/\(name)"), encoding: .utf8)) ?? ""
        // A few hundred lines are seed enough, and keep each run short.
        return text.split(separator: "\n", omittingEmptySubsequences: false).prefix(60).joined(separator: "\n")
    }

    /// A parser's verdict on bad input: its typed errors, each naming where.
    static func named(_ errors: InputErrors) {
        #expect(!errors.issues.isEmpty)
        for issue in errors.issues.prefix(3) { #expect(!issue.description.isEmpty) }
    }

    @Test func activityCSV() {
        let seeds = [Self.demo("activities.csv"), "year,jurisdiction,gpc_ref,fuel,amount,unit\n2022,North,I.1.1,natural_gas,1,TJ\n"]
        Self.fuzz("activity", seeds: seeds) { bytes in
            do throws(InputErrors) { _ = try ActivityCSV.read(bytes, file: "a.csv") } catch { Self.named(error) }
        }
    }

    @Test func inventoryLayoutsAndMonitoringSheets() throws {
        let tree = try JurisdictionTree([Jurisdiction(name: "City", level: .city), Jurisdiction(name: "North", level: .district, parent: "City")])
        let inventory = try InventoryEngine.compute(try ActivityCSV.read(Array(Self.demo("activities.csv").utf8), file: "a.csv"),
                                                    gwp: try GasCatalog.standard.gwpSet("AR5"))
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        for layout in [InventoryLayout.gpc, .ciris] {
            let seeds = [String(InventoryExport.csv(inventory, year: nil, layout: layout).prefix(6_000))]
            Self.fuzz("layout-\(layout.rawValue)", seeds: seeds) { bytes in
                do throws(InputErrors) {
                    let table = try ReferenceTable(name: "l.csv", text: try ReferenceTable.text(of: bytes, file: "l.csv"))
                    let native = try LayoutImport.activityCSV(table, layout: layout, jurisdiction: "City", gwp: gwp)
                    _ = try ActivityCSV.read(Array(native.utf8), file: "n.csv", jurisdictions: tree)
                } catch { Self.named(error) }
            }
        }
        let sheets = ["key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2\na,Hall,building,office,North,City,I.2,1e308\n",
                      "time,kg_per_kwh\n2026-01-01T01:00:00Z,0.5\n2026-01-01T02:00:00Z,0.6\n"]
        Self.fuzz("monitoring-sheets", seeds: sheets) { bytes in
            do throws(InputErrors) {
                let table = try ReferenceTable(name: "s.csv", text: try ReferenceTable.text(of: bytes, file: "s.csv"))
                if table.columns.contains("time") { _ = try MonitoringSheets.factorSeries(table, name: "n", source: "s") }
                else { _ = try MonitoringSheets.sites(table, jurisdictions: ["North"]) }
            } catch { Self.named(error) }
        }
    }

    @Test func readingCSVAndJSON() {
        let csv = ["datastream,time,value\nnb-tower/elec,2026-11-25T00:15:00+08:00,410.5\nx,1795565700,1e3\n"]
        Self.fuzz("reading-csv", seeds: csv) { bytes in
            do throws(InputErrors) { _ = try ReadingCSV.parse(bytes, file: "r.csv") } catch { Self.named(error) }
        }
        let json = [#"{"readings":[{"datastream":"nb-tower/elec","time":"2026-11-25T00:15:00Z","value":410.5},{"datastream":"x","time":1795565700,"value":-2}]}"#,
                    #"[{"datastream":"a","time":"2026-11-25T00:15:00Z","value":1}]"#]
        Self.fuzz("reading-json", seeds: json) { bytes in
            do throws(InputErrors) { _ = try ReadingJSON.parse(bytes, file: "r.json") } catch { Self.named(error) }
        }
    }

    @Test func partnerBatches() {
        let events = [#"{"events":[{"serial":"s1","account":"did:a","scenario":"metro","started_at":"2026-03-10T08:00:00+08:00","ended_at":"2026-03-10T08:20:00.5Z","evidence":"operator","navigation":true,"district":"North","conditions":["x"],"activity":[{"name":"distance","unit":"km","value":"10.5"},{"name":"steps","unit":"step","value":7250}]}]}"#]
        Self.fuzz("partner-batch", seeds: events) { bytes in
            if case let .failure(errors) = PartnerBatch.decode(Data(bytes), partner: "amap", scheme: "city") { Self.named(errors) }
        }
    }

    @Test func senMLAndSensorThings() {
        let senml = [#"[{"bn":"urn:dev:ow:10e2073a01080063/","bt":1.7955657e9,"bu":"kWh","n":"import","v":12.5},{"n":"import","t":900,"v":11},{"n":"gas","s":5,"bs":1}]"#]
        Self.fuzz("senml", seeds: senml) { bytes in
            do throws(InputErrors) { _ = try SenML.parse(bytes, file: "p", now: 1_795_565_700) } catch { Self.named(error) }
        }
        let create = [#"[{"Datastream":{"@iot.id":7},"components":["phenomenonTime","result"],"dataArray@iot.count":2,"dataArray":[["2026-11-25T00:00:00Z/2026-11-25T00:15:00Z",12.5],["2026-11-25T00:30:00Z",11]]}]"#]
        Self.fuzz("sta-create", seeds: create) { bytes in
            do throws(InputErrors) { _ = try SensorThings.createObservations(bytes) } catch { Self.named(error) }
        }
        let one = [#"{"phenomenonTime":"2026-11-25T00:15:00Z","result":399,"Datastream":{"@iot.id":3}}"#]
        Self.fuzz("sta-observation", seeds: one) { bytes in
            do throws(InputErrors) { _ = try SensorThings.observation(bytes) } catch { Self.named(error) }
        }
    }

    /// SensorThings query options and paths: a refusal names its option and character, and
    /// whatever parses also evaluates, on any entity.
    @Test func sensorThingsQueries() {
        let filters = ["phenomenonTime ge 2026-03-01T00:00:00Z and (result gt 35.5 or not (result le -2)) and substringof('pm', Datastream/name)",
                       "geo.distance(geography'POINT(120 30)', geography'POINT(121 31)') lt 0.5 and year(resultTime) eq 2026 mul 2 div 0",
                       "concat(tolower(name), 'it''s') eq 'x' and properties/owner ne null and round(result mod 3) ge ceiling(-1.5)"]
        struct Anything: STAFilterSubject {
            func value(at path: ArraySlice<String>) -> STAValue {
                switch path.count % 4 { case 0: .number(-1e308); case 1: .string("碳\u{0}"); case 2: .time(9e15); default: .interval(-9e15, 9e15) }
            }
        }
        Self.fuzz("sta-filter", seeds: filters) { bytes in
            do throws(STAQueryError) {
                _ = try STAExpression.parse(String(decoding: bytes, as: UTF8.self)).evaluate(Anything(), now: 1e9)
            } catch { #expect(error.position != nil || !error.message.isEmpty) }
        }
        let options = ["$expand=Datastreams($select=name;$top=2;$expand=Observations($orderby=phenomenonTime desc;$filter=result gt 1))&$top=5&$count=true"]
        Self.fuzz("sta-options", seeds: options) { bytes in
            let pairs = String(decoding: bytes, as: UTF8.self).split(separator: "&").map { part -> (String, String) in
                let halves = part.split(separator: "=", maxSplits: 1)
                return (String(halves.first ?? ""), halves.count > 1 ? String(halves[1]) : "")
            }
            do throws(STAQueryError) { try STAQueryOptions.parse(pairs).check(for: .thing) } catch { #expect(!error.message.isEmpty) }
        }
        Self.fuzz("sta-path", seeds: ["Datastreams('JK-001:pm25')/Thing/Locations(5)/name/$value", "Things(1)/Datastreams/$ref"]) { bytes in
            do throws(STAQueryError) { _ = try STAPath.parse(String(decoding: bytes, as: UTF8.self)) } catch { #expect(!error.message.isEmpty) }
        }
    }

    @Test func scenarioJSON() {
        let seeds = [Self.demoWhole("pathway-demo-planned.json")]
        Self.fuzz("scenario", seeds: seeds) { bytes in
            do throws(InputErrors) {
                let scenario = try ScenarioFile.decode(bytes, file: "s.json")
                // What decodes must also compile or be refused, without a trap in its arithmetic.
                do { _ = try PathwayModel(scenario, base: PathwayBase(year: 2020, cells: [
                    .init(district: "A", sector: "I.1", fuel: "natural_gas", energyTJ: 10, emissionsTonnes: 561),
                ], districts: [:], gdpUnit: nil)) } catch { }
            } catch { Self.named(error) }
        }
    }

    static func demoWhole(_ name: String) -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("Sources/CityCarbonStore/Resources/demo/\(name)"), encoding: .utf8)) ?? "{}"
    }

    @Test func planIndicatorTargetAndPilotSheets() {
        Self.fuzz("plan", seeds: [Self.demo("helsinki-plan.csv")]) { bytes in
            do throws(InputErrors) { _ = try PlanSheet.parse(String(decoding: bytes, as: UTF8.self), file: "p.csv") } catch { Self.named(error) }
        }
        Self.fuzz("indicators", seeds: [Self.demo("hangzhou-indicators.csv")]) { bytes in
            do throws(InputErrors) { _ = try IndicatorSheet.parse(String(decoding: bytes, as: UTF8.self), file: "i.csv") } catch { Self.named(error) }
        }
        Self.fuzz("targets", seeds: [Self.demo("targets.csv")]) { bytes in
            do throws(InputErrors) { _ = try TargetSheet.parse(String(decoding: bytes, as: UTF8.self), file: "t.csv", jurisdictions: ["Demo City", "Harbour"]) }
            catch { Self.named(error) }
        }
        Self.fuzz("pilots", seeds: [Self.demo("pilots.csv")]) { bytes in
            do throws(InputErrors) { _ = try PilotSheet.apply(String(decoding: bytes, as: UTF8.self), file: "p.csv", to: [], jurisdictions: ["Harbour"]) }
            catch { Self.named(error) }
        }
        Self.fuzz("pilot-goals", seeds: [Self.demo("pilot-goals.csv")]) { bytes in
            do throws(InputErrors) { _ = try PilotSheet.goals(String(decoding: bytes, as: UTF8.self), file: "g.csv") } catch { Self.named(error) }
        }
    }

    @Test func keyEmitterSheetsAndWorkbooks() throws {
        let plant = Enterprise(creditCode: "91330100MA2DEM002L", name: "Northbank Energy Co.", industry: "4411", jurisdiction: "Northbank", facilities: [
            Facility(key: "unit-1", name: "Unit 1", sources: [EmissionSource(key: "coal", kind: .combustion, fuel: "raw_coal"),
                                                             EmissionSource(key: "grid", kind: .purchasedElectricity)], unitClass: .coalOver300MW)])
        let evidence = """
            credit_code,facility,year,month,source,amount,ncv,carbon_content,oxidation,emission_factor,generation,supply,heat_supplied,operating_hours,load_factor
            91330100MA2DEM002L,unit-1,2025,1,coal,30000,21.5,0.0262,,,72000,68000,,700,0.78
            91330100MA2DEM002L,unit-1,2025,1,grid,1500,,,,,,,,,
            91330100MA2DEM002L,unit-1,2025,2,coal,31000,,,0.98,,70000,66000,10,640,0.8
            """
        Self.fuzz("evidence-sheet", seeds: [evidence]) { bytes in
            do throws(InputErrors) {
                _ = try EvidenceSheet.parse(try ReferenceTable.sheet(bytes, name: "e.csv"), enterprises: [plant])
            } catch { Self.named(error) }
        }
        let years = "credit_code,year,value_added_10k_cny,output,output_unit,energy_co2_t\n91330100MA2DEM002L,2025,180000,1.2,TWh,740000\n"
        Self.fuzz("enterprise-years", seeds: [years]) { bytes in
            do throws(InputErrors) {
                _ = try EnterpriseYearSheet.parse(try ReferenceTable.sheet(bytes, name: "y.csv"), known: ["91330100MA2DEM002L"])
            } catch { Self.named(error) }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let workbook = Array(try #require(FileManager.default.contents(atPath: root.appendingPathComponent("Fixtures/evidence.xlsx").path)))
        Self.fuzz("xlsx", bytes: [workbook]) { bytes in
            do throws(InputErrors) { _ = try XLSXReader.table(bytes, name: "w.xlsx") } catch { Self.named(error) }
        }
    }

    @Test func formAndMultipartBodies() {
        Self.fuzz("urlencoded", seeds: ["csrf=abc&username=viewer%20&password=p%C3%A4ss&next=%2Fstaff"]) { bytes in
            _ = FormData.urlEncoded(String(decoding: bytes, as: UTF8.self))
        }
        let boundary = "----CityCarbonFuzz"
        let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nyear,x\n2022,1\r\n--\(boundary)--\r\n"
        Self.fuzz("multipart", seeds: [body]) { bytes in
            do { _ = try FormData.multipart(bytes, boundary: boundary) } catch { #expect(error is ProblemDetails) }
        }
    }

    @Test func queryStringsOfThePublicRoutes() async throws {
        let database = try demoWorkspace()
        let table = RouteTable()
        try await application(database, routeTable: table).test(.router) { client in
            var r = Random(state: 42)
            let paths = ["/api/v1/activities", "/api/v1/inventories/2023", "/api/v1/jurisdictions", "/api/v1/factor-sets/IPCC2006/factors", "/api/v1/decomposition",
                         "/api/v1/monitoring/rollups", "/inventory/2023", "/plans/helsinki-2035", "/pathways", "/factors/IPCC2006", "/api/v1/plans/helsinki-2035/actions"]
            let names = ["year", "format", "page", "per_page", "jurisdiction", "gpc_ref", "from", "to", "level", "period", "fuel", "sector", "compare",
                         "status", "category", "organisation", "lang", "district", "kind", "parent", "quantity"]
            let values = ["2023", "csv", "json", "1", "0", "-1", "9223372036854775807", "1e308", "NaN", "%00", "%ff%fe", "%E2%80%AE", "1900-01-01",
                          "2200-12-31", "0001-01-01", "hour", "day", "city", "district", "zh-Hans", "Old%20Town", String(repeating: "x", count: 3000)]
            let deadline = ContinuousClock.now + .milliseconds(Int(Self.seconds * 1000))
            var runs = 0
            while ContinuousClock.now < deadline || runs < 50 {
                var query: [String] = []
                for _ in 0..<(1 + r.below(4)) { query.append("\(names[r.below(names.count)])=\(values[r.below(values.count)])") }
                let uri = paths[r.below(paths.count)] + "?" + query.joined(separator: "&")
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status.code < 500, "\(uri): \(response.status)")
                runs += 1
            }
        }
    }
}
