import ArgumentParser
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation

/// `citycarbon bench ingest`: sustained ingestion of 15-minute readings into a fresh workspace,
/// the way a head-end catches up after an outage: day by day, a block of meters at a time.
struct IngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Time sustained ingestion of 15-minute meter readings (dedup, register conversion, emissions, roll-ups, durable commits).",
        discussion: """
        Registers --meters datastreams (half electricity interval meters in kWh, half gas
        registers in m3) on --meters/2 sites in 10 districts of a fresh SQLite workspace (or, with
        --postgres, a fresh database on that PostgreSQL server, dropped afterwards), then
        ingests --days days of readings in batches of --batch-meters meters × one day, each
        batch one durable transaction. Only the ingest calls are timed; with --csv the batch is
        CSV text and its parsing is timed too. Prints readings per second of each run, the
        median, peak memory and the size of the database.

        One day of a million meters (the catch-up after a day's outage): --meters 1000000 --days 1 --runs 1
        """
    )

    @Option(help: "Datastreams (meters).") var meters = 20_000
    @Option(help: "Days of 15-minute readings per meter.") var days = 2
    @Option(help: "Meters per batch (each batch holds one day of them).") var batchMeters = 1_000
    @Option(help: "Measured runs, each in a fresh workspace.") var runs = 3
    @Flag(help: "Send every batch as CSV text, so parsing is timed with ingestion.") var csv = false
    @Flag(help: "Also time one anomaly scan of all meters after each run.") var scan = false
    @Option(help: ArgumentHelp("Directory for the workspaces (default: the temporary directory).", valueName: "dir")) var directory: String?
    @Option(help: ArgumentHelp("Run on this PostgreSQL server instead, in a new database per run.", valueName: "postgres://user@host:port/db")) var postgres: String?

    func validate() throws {
        if meters < 2 || days < 1 || batchMeters < 1 || runs < 1 { throw ValidationError("--meters must be at least 2; --days, --batch-meters and --runs at least 1") }
        if let postgres, PostgresLocation(url: postgres) == nil { throw ValidationError("--postgres must be a URL like postgres://postgres@127.0.0.1:5432/postgres") }
    }

    func run() throws {
        let perDay = 96
        let total = meters * days * perDay
        let server = postgres.flatMap(PostgresLocation.init(url:))
        print("citycarbon bench ingest: \(meters) meters × \(days) day(s) × \(perDay) readings = \(GroupedNumber.format(Double(total), decimals: 0)) readings per run, batches of \(batchMeters) meters × 1 day\(csv ? ", as CSV" : ""), \(server.map { "PostgreSQL at \($0)" } ?? "SQLite"), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        var rates: [Double] = []
        for run in 1...runs {
            let folder = URL(fileURLWithPath: directory ?? NSTemporaryDirectory()).appendingPathComponent("citycarbon-ingest-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("bench.sqlite").path
            let benchName = "citycarbon_bench_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            let database = try server.map { try CityCarbonDatabase(postgres: try CityCarbonDatabase.createPostgresDatabase(benchName, on: $0)) }
                ?? CityCarbonDatabase(path: path)
            defer { if let server { try? CityCarbonDatabase.dropPostgresDatabase(benchName, on: server) } }
            let setupStart = ContinuousClock.now
            try Self.register(database, meters: meters)
            let setup = ContinuousClock.now - setupStart
            let ingestor = ReadingIngestor(database)
            let start = Date(timeIntervalSince1970: 1_795_536_000)  // 2026-11-24T16:00Z, local midnight in UTC+8
            var elapsed = Duration.zero
            var stored = 0
            for day in 0..<days {
                var first = 0
                while first < meters {
                    let block = first..<min(meters, first + batchMeters)
                    let readings = Self.readings(meters: block, day: day, start: UnixSeconds(start.timeIntervalSince1970))
                    if csv {
                        var text = "datastream,time,value\n"
                        text.reserveCapacity(readings.count * 40)
                        for r in readings { text += "\(r.datastream),\(r.time),\(r.value)\n" }
                        let bytes = Array(text.utf8)
                        let t0 = ContinuousClock.now
                        let parsed = try ReadingCSV.parse(bytes, file: "batch.csv")
                        stored += try ingestor.ingest(parsed, actor: "bench", source: "batch.csv").stored
                        elapsed += ContinuousClock.now - t0
                    } else {
                        let t0 = ContinuousClock.now
                        stored += try ingestor.ingest(readings, actor: "bench", source: "batch").stored
                        elapsed += ContinuousClock.now - t0
                    }
                    first = block.upperBound
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(stored) / seconds
            if scan {
                let t0 = ContinuousClock.now
                let found = try MonitoringRepository(database).scan(now: UnixSeconds(start.timeIntervalSince1970) + UnixSeconds(days * 86_400) + 1800)
                let took = ContinuousClock.now - t0
                print(String(format: "run %d: anomaly scan of %d datastreams in %.2f s (%d new alerts)", run, meters,
                             Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18, found))
            }
            rates.append(rate)
            let size = server == nil ? Self.size(of: path)
                : try database.read { try Double.fetchOne($0, sql: "SELECT pg_database_size(current_database())") } ?? 0
            print(String(format: "run %d: %@ readings in %.2f s = %@ readings/s (registration %.1f s; database %.0f MB)", run,
                         GroupedNumber.format(Double(stored), decimals: 0), seconds, GroupedNumber.format(rate, decimals: 0),
                         Double(setup.components.seconds) + Double(setup.components.attoseconds) / 1e18, size / 1e6))
        }
        rates.sort()
        let median = rates.count % 2 == 1 ? rates[rates.count / 2] : (rates[rates.count / 2 - 1] + rates[rates.count / 2]) / 2
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "median: %@ readings/s; peak memory %.0f MB", GroupedNumber.format(median, decimals: 0), Double(usage.ru_maxrss) / 1024))
    }

    static func register(_ database: CityCarbonDatabase, meters: Int) throws {
        var jurisdictions = "name,level,parent\nBench City,city,\n"
        for d in 0..<10 { jurisdictions += "District \(d),district,Bench City\n" }
        try JurisdictionRepository(database).importCSV(Array(jurisdictions.utf8), file: "jurisdictions.csv", actor: "bench")
        let uses = [("building", "office", "I.2"), ("building", "residential", "I.1"), ("facility", "factory", "I.3"), ("community", "residential", "I.1")]
        var sites = "key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2\n"
        var streams = "key,site,quantity,unit,kind,interval_s,multiplier,rollover_at\n"
        for s in 0..<(meters / 2) {
            let (kind, use, gpc) = uses[s % uses.count]
            sites += "s\(s),Site \(s),\(kind),\(use),District \(s % 10),Org \(s % 100),\(gpc),\(1000 + s % 9000)\n"
            streams += "e\(s),s\(s),electricity,kWh,interval,900,,\n"
            streams += "g\(s),s\(s),natural_gas,m3,cumulative,900,1,100000\n"
        }
        try MonitoringRegistry(database).importSites(Array(sites.utf8), file: "sites.csv", actor: "bench")
        try MonitoringRegistry(database).importDatastreams(Array(streams.utf8), file: "streams.csv", actor: "bench")
    }

    /// One day of readings for a block of meters: electricity follows an office day, gas
    /// registers run up (and some wrap past 99,999).
    static func readings(meters: Range<Int>, day: Int, start: UnixSeconds) -> [Reading] {
        var result: [Reading] = []
        result.reserveCapacity(meters.count * 96)
        let dayStart = start + UnixSeconds(day * 86_400)
        for m in meters {
            let site = m / 2
            let isGas = m % 2 == 1
            let key = isGas ? "g\(site)" : "e\(site)"
            var register = Double((site * 7919) % 100_000) + Double(day) * 96 * 1.5
            for slot in 1...96 {
                let hour = (slot - 1) / 4
                let load = (8..<18).contains(hour) ? 12.0 : 4.0
                let wobble = Double((site &* 31 &+ slot &* 17) % 10) * 0.1
                if isGas {
                    register += 1 + wobble
                    if register >= 100_000 { register -= 100_000 }
                    result.append(Reading(datastream: key, time: dayStart + UnixSeconds(slot * 900), value: (register * 1000).rounded() / 1000))
                } else {
                    result.append(Reading(datastream: key, time: dayStart + UnixSeconds(slot * 900), value: load + wobble))
                }
            }
        }
        return result
    }

    static func size(of path: String) -> Double {
        ["", "-wal", "-shm"].reduce(0.0) { sum, suffix in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.doubleValue ?? 0)
        }
    }
}
