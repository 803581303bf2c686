import ArgumentParser
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import CityProgramme
import Foundation

/// `import activities` end to end into a fresh workspace, and computing the year from it.
struct ImportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time `citycarbon import activities` of a synthetic activity CSV into a fresh workspace, then computing its year from it.",
        discussion: """
        Writes the synthetic CSV of `bench inventory` (--rows rows, fixed seed), then runs --runs fresh
        processes that each create a workspace (SQLite, or with --postgres a new database on that
        server, dropped afterwards) with the city's districts, import the file as `citycarbon import
        activities` does (read, parse, validate, one transaction of inserts, durable commit), and
        compute and store the year's inventory from the stored rows. Prints rows per second, the
        phases, peak memory (max RSS) and database size of each run, and the medians.
        """
    )

    @Option(help: "Rows in the synthetic file.") var rows = 1_000_000
    @Option(help: "Measured runs (each a fresh process and workspace).") var runs = 3
    @Option(help: ArgumentHelp("Use (or keep) the synthetic file at this path.", valueName: "file")) var file: String?
    @Option(help: ArgumentHelp("Directory for the workspaces (default: the temporary directory).", valueName: "dir")) var directory: String?
    @Option(help: ArgumentHelp("Run on this PostgreSQL server instead, in a new database per run.", valueName: "postgres://user@host:port/db"))
    var postgres: String?
    @Option(help: .hidden) var measure: String?

    func validate() throws {
        if rows < 1 || runs < 1 { throw ValidationError("--rows and --runs must be at least 1") }
        if let postgres, PostgresLocation(url: postgres) == nil { throw ValidationError("--postgres must be a URL like postgres://postgres@127.0.0.1:5432/postgres") }
    }

    func run() throws {
        if let measure { try measureOnce(measure); return }
        let path = file ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("citycarbon-bench-\(rows).csv")
        if !FileManager.default.fileExists(atPath: path) || file == nil { try SyntheticActivities.write(rows: rows, to: path) }
        defer { if file == nil { try? FileManager.default.removeItem(atPath: path) } }
        print("citycarbon bench import: \(rows) rows into \(postgres == nil ? "SQLite" : "PostgreSQL"), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(runs) runs")
        var results: [[String: Double]] = []
        for run in 1...runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = ["bench", "import", "--measure", path] + (postgres.map { ["--postgres", $0] } ?? []) + (directory.map { ["--directory", $0] } ?? [])
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let object = try JSONSerialization.jsonObject(with: data) as? [String: Double] else {
                throw CLIFailure.input("run \(run) failed: \(String(decoding: data, as: UTF8.self))")
            }
            results.append(object)
            print(String(format: "run %d: import %.3f s = %@ rows/s (validate %.3f s, store %.3f s); compute from the workspace %.3f s; peak memory %.0f MB; database %.0f MB",
                         run, object["import_s"]!, GroupedNumber.format(Double(rows) / object["import_s"]!, decimals: 0), object["validate_s"]!,
                         object["store_s"]!, object["compute_s"]!, object["peak_mb"]!, object["database_mb"]!))
        }
        func median(_ key: String) -> Double {
            let values = results.map { $0[key]! }.sorted()
            return values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        }
        print(String(format: "median: import %.3f s = %@ rows/s (validate %.3f s, store %.3f s); compute %.3f s; peak memory %.0f MB",
                     median("import_s"), GroupedNumber.format(Double(rows) / median("import_s"), decimals: 0), median("validate_s"),
                     median("store_s"), median("compute_s"), median("peak_mb")))
    }

    func measureOnce(_ path: String) throws {
        let folder = URL(fileURLWithPath: directory ?? NSTemporaryDirectory()).appendingPathComponent("citycarbon-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = postgres.flatMap(PostgresLocation.init(url:))
        let name = "citycarbon_bench_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let workspace = folder.appendingPathComponent("bench.sqlite").path
        let database = try server.map { try CityCarbonDatabase(postgres: try CityCarbonDatabase.createPostgresDatabase(name, on: $0)) }
            ?? CityCarbonDatabase(path: workspace)
        defer { if let server { try? CityCarbonDatabase.dropPostgresDatabase(name, on: server) } }
        var tree = "name,level,parent\nBench City,city,\n"
        for district in SyntheticActivities.districts { tree += "\(district),district,Bench City\n" }
        try JurisdictionRepository(database).importCSV(Array(tree.utf8), file: "jurisdictions.csv", actor: "bench")
        let clock = ContinuousClock()
        let t0 = clock.now
        let bytes = try FileInput.read(path)
        let repository = ActivityRepository(database)
        let plan = try repository.validate(bytes, file: "bench.csv")
        let t1 = clock.now
        _ = try repository.store(plan, existing: .refuse, actor: "bench")
        let t2 = clock.now
        let inventory = try InventoryRepository(database).compute(year: 2022, gwp: try GasCatalog.standard.gwpSet(CitySettings.standard.gwp), actor: "bench")
        let t3 = clock.now
        precondition(inventory.provenance.rows == plan.activities.table.count)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let size = server == nil ? Double((try? FileManager.default.attributesOfItem(atPath: workspace)[.size] as? Int) ?? 0)
            : try database.read { try Double.fetchOne($0, sql: "SELECT pg_database_size(current_database())") } ?? 0
        let result: [String: Double] = [
            "import_s": InventoryBench.seconds(t2 - t0), "validate_s": InventoryBench.seconds(t1 - t0), "store_s": InventoryBench.seconds(t2 - t1),
            "compute_s": InventoryBench.seconds(t3 - t2), "peak_mb": Double(usage.ru_maxrss) / 1024, "database_mb": size / 1e6,
        ]
        FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: result))
    }
}
