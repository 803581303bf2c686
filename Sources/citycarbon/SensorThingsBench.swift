import AirQuality
import ArgumentParser
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation

/// `citycarbon bench sta`: SensorThings queries on one datastream holding a million observations.
struct SensorThingsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sta",
        abstract: "Time SensorThings $filter queries on a datastream with a million observations.",
        discussion: """
        Registers one minute-interval meter in a fresh SQLite workspace (or, with --postgres, a
        fresh database on that server), ingests --observations readings through the monitoring
        pipeline, then answers each kind of query --queries times with random windows, as the
        server's handler does (the key's view of the registries, the query, the JSON): a day's
        window with a result bound, counted; a week newest first; a result bound over the whole
        series; a count of the whole series above a value; and an hour of the day, a filter the
        store cannot narrow, so the service reads the series until a page is full. Prints p50 and
        p99 per kind.
        """
    )

    @Option(help: "Observations in the datastream.") var observations = 1_000_000
    @Option(help: "Queries of each kind.") var queries = 200
    @Option(help: "Air sensors registered beside the meter, each with a day of hourly PM2.5: the registry every request reads.") var sensors = 0
    @Option(help: ArgumentHelp("Directory for the workspace (default: the temporary directory).", valueName: "dir")) var directory: String?
    @Option(help: ArgumentHelp("Run on this PostgreSQL server instead, in a new database.", valueName: "postgres://user@host:port/db")) var postgres: String?

    func validate() throws {
        if observations < 10_000 || queries < 1 { throw ValidationError("--observations must be at least 10,000 and --queries at least 1") }
        if let postgres, PostgresLocation(url: postgres) == nil { throw ValidationError("--postgres must be a URL like postgres://postgres@127.0.0.1:5432/postgres") }
    }

    func run() throws {
        let server = postgres.flatMap(PostgresLocation.init(url:))
        print("citycarbon bench sta: \(GroupedNumber.format(Double(observations), decimals: 0)) observations in one datastream, \(queries) queries of each kind, \(server.map { "PostgreSQL at \($0)" } ?? "SQLite"), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        try BenchWorkspace.run("sta", directory: directory, server: server) { database in
            let start: UnixSeconds = 1_735_660_800  // 2025-01-01T00:00:00+08:00
            let loadStart = ContinuousClock.now
            let id = try Self.load(database, observations: observations, start: start)
            if sensors > 0 { try Self.register(database, sensors: sensors, day: start + UnixSeconds(observations) * 60 - 86_400) }
            print(String(format: "loaded %@ observations in %.1f s", GroupedNumber.format(Double(observations), decimals: 0), Self.seconds(ContinuousClock.now - loadStart)))
            let span = UnixSeconds(observations) * 60
            var random = SeededRandom(seed: 7)
            func anyTime(_ room: UnixSeconds) -> UnixSeconds { start + UnixSeconds(random.next() % UInt64(max(1, span - room))) }
            let kinds: [(String, () -> String)] = [
                ("a day, result above 60, counted", {
                    let from = anyTime(86_400)
                    return "$filter=phenomenonTime ge \(Timestamp.iso(from)) and phenomenonTime lt \(Timestamp.iso(from + 86_400)) and result gt 60&$top=100&$count=true"
                }),
                ("a week, newest first", {
                    let from = anyTime(7 * 86_400)
                    return "$filter=phenomenonTime ge \(Timestamp.iso(from)) and phenomenonTime lt \(Timestamp.iso(from + 7 * 86_400))&$orderby=phenomenonTime desc&$top=100"
                }),
                ("the whole series, result above a value", { "$filter=result gt \(40 + random.next() % 50)&$top=100" }),
                ("the whole series above a value, counted", { "$filter=result gt \(40 + random.next() % 50)&$top=10&$count=true" }),
                ("an hour of the day, which the store cannot narrow", { "$filter=hour(phenomenonTime) eq \(random.next() % 24)&$top=100" }),
            ]
            let observationsPath = "Datastreams(\(id))/Observations"
            var all = kinds.map { kind in (kind.0, { (observationsPath, kind.1()) }) }
            if sensors > 0 {
                all.append(("an air sensor with its streams expanded", {
                    ("Things('pa-\(random.next() % UInt64(sensors))')", "$expand=Locations,Datastreams($expand=Observations($top=24))")
                }))
            }
            for (name, make) in all {
                var times: [Double] = []
                var returned = 0
                for _ in 0..<queries {
                    let (pathText, text) = make()
                    let t0 = ContinuousClock.now
                    let path = try STAPath.parse(pathText)
                    let pairs = text.split(separator: "&").map { part -> (String, String) in
                        let halves = part.split(separator: "=", maxSplits: 1)
                        return (String(halves[0]), String(halves[1]))
                    }
                    let options = try STAQueryOptions.parse(pairs)
                    let service = STAService(source: try SensorThingsSource(database, scope: .everything), root: "http://bench/sta/v1.1",
                                             now: Date().timeIntervalSince1970)
                    guard case let .json(answer) = try service.get(path, options, query: text) else { throw ValidationError("no answer to \(text)") }
                    let body = answer.serialized()
                    times.append(Self.seconds(ContinuousClock.now - t0) * 1000)
                    returned += body.utf8.count
                }
                times.sort()
                let p50 = times[times.count / 2], p99 = times[min(times.count - 1, Int((Double(times.count) * 0.99).rounded(.up)) - 1)]
                print(String(format: "%@: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%.0f KB a answer on average)", name, p50, p99, times.last!,
                             Double(returned) / Double(queries) / 1024))
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak memory %.0f MB", Double(usage.ru_maxrss) / 1024))
    }

    /// `count` low-cost sensors in District 0, each with 24 hours of PM2.5 from `day`.
    static func register(_ database: CityCarbonDatabase, sensors count: Int, day: UnixSeconds) throws {
        let network = AirNetwork(database)
        for n in 0..<count {
            try network.register(AirSensor(code: "pa-\(n)", name: "Sensor \(n)", owner: "Org \(n % 10)", model: "PA-II", grade: .lowCost,
                                           latitude: 30 + Double(n % 100) / 1000, longitude: 120 + Double(n / 100) / 1000, district: "District 0"),
                                 by: "bench")
        }
        let first = day / 3600 * 3600
        var sheet = "sensor,hour,parameter,value\n"
        for n in 0..<count { for h in 0..<24 { sheet += "pa-\(n),\(Timestamp.iso(first + UnixSeconds(h) * 3600)),pm25,\(20 + (n + h) % 30)\n" } }
        _ = try network.load(Array(sheet.utf8), file: "bench.csv", by: "bench", now: Date(timeIntervalSince1970: Double(first + 30 * 86_400)))
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    /// One site with one minute-interval electricity meter, and its readings: a daily load curve.
    static func load(_ database: CityCarbonDatabase, observations: Int, start: UnixSeconds) throws -> Int64 {
        try JurisdictionRepository(database).importCSV(Array("name,level,parent\nBench City,city,\nDistrict 0,district,Bench City\n".utf8),
                                                      file: "jurisdictions.csv", actor: "bench")
        let registry = MonitoringRegistry(database)
        try registry.importSites(Array("key,name,kind,use,jurisdiction,organisation,gpc_ref\ns0,Site 0,building,office,District 0,Org 0,I.2\n".utf8),
                                 file: "sites.csv", actor: "bench")
        try registry.importDatastreams(Array("key,site,quantity,unit,kind,interval_s,multiplier,rollover_at\ne0,s0,electricity,kWh,interval,60,,\n".utf8),
                                       file: "streams.csv", actor: "bench")
        let ingestor = ReadingIngestor(database)
        var first = 0
        while first < observations {
            let block = first..<min(observations, first + 50_000)
            let readings = block.map { i -> Reading in
                let minute = i % 1440
                let value = 20 + 60 * max(0, sin(Double(minute) / 1440 * 2 * .pi)) + Double((i &* 7919) % 100) / 10
                return Reading(datastream: "e0", time: start + UnixSeconds(i + 1) * 60, value: value)
            }
            _ = try ingestor.ingest(readings, actor: "bench", source: "bench")
            first = block.upperBound
        }
        return try registry.datastreams().first!.id
    }
}
