import ArgumentParser
import CarbonAccounting
import CarbonKit
import CityProgramme
import Foundation

/// `citycarbon bench inventory`: end-to-end and compute-only throughput of the inventory
/// engine on a synthetic activity file, each run in a fresh process so peak memory is its own.
struct InventoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Time parse + validate + compute of a synthetic activity CSV, and compute alone.",
        discussion: """
        Writes a synthetic CSV of --rows rows (fixed seed, realistic mix of fuels, units, factor
        sets, GPC references and districts), then runs --runs fresh processes that each read,
        parse, validate and compute it end to end, then compute alone. Prints rows per second
        and peak memory (max RSS) of each run, and the medians.
        """
    )

    @Option(help: "Rows in the synthetic file.")
    var rows = 1_000_000

    @Option(help: "Measured runs (each a fresh process).")
    var runs = 5

    @Option(help: ArgumentHelp("Use (or keep) the synthetic file at this path.", valueName: "file"))
    var file: String?

    @Option(help: .hidden)
    var measure: String?

    func validate() throws {
        if rows < 1 { throw ValidationError("--rows must be at least 1") }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        if let measure { try Self.measureOnce(measure); return }
        let path = file ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("citycarbon-bench-\(rows).csv")
        if !FileManager.default.fileExists(atPath: path) || file == nil {
            let start = Date()
            try SyntheticActivities.write(rows: rows, to: path)
            Terminal.note("Wrote \(rows) rows to \(path) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s.")
        }
        defer { if file == nil { try? FileManager.default.removeItem(atPath: path) } }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("citycarbon bench inventory: \(rows) rows, \(String(format: "%.1f", Double(size) / 1_048_576)) MiB, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(runs) runs")
        var results: [[String: Double]] = []
        for run in 1...runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = ["bench", "inventory", "--measure", path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Double] else {
                throw CLIFailure.input("run \(run) failed: \(String(decoding: data, as: UTF8.self))")
            }
            results.append(object)
            print(String(format: "run %d: end-to-end %.3f s (%.0f rows/s), compute alone %.3f s (%.0f rows/s), peak memory %.0f MB",
                         run, object["end_to_end_s"]!, Double(rows) / object["end_to_end_s"]!, object["compute_s"]!,
                         Double(rows) / object["compute_s"]!, object["peak_mb"]!))
        }
        func median(_ key: String) -> Double {
            let values = results.map { $0[key]! }.sorted()
            return values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        }
        print(String(format: "median: end-to-end %.3f s = %.0f rows/s (read + parse %.3f s, validate %.3f s, compute %.3f s); compute alone %.3f s = %.0f rows/s (sums %.3f s beside the input fingerprint %.3f s); peak memory %.0f MB",
                     median("end_to_end_s"), Double(rows) / median("end_to_end_s"), median("parse_s"), median("validate_s"),
                     median("engine_s"), median("compute_s"), Double(rows) / median("compute_s"), median("sums_s"), median("fingerprint_s"),
                     median("peak_mb")))
    }

    static func measureOnce(_ path: String) throws {
        let clock = ContinuousClock()
        let gwp = try GasCatalog.standard.gwpSet(CitySettings.standard.gwp)
        _ = FactorLibrary.standard
        let t0 = clock.now
        let bytes = try FileInput.read(path)
        let table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ActivityCSV.parse(b, file: path) }
        let t1 = clock.now
        let validated = try ActivityValidator().validate(table, file: path)
        let t2 = clock.now
        let inventory = try InventoryEngine.compute(validated, gwp: gwp)
        let t3 = clock.now
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // Compute alone, best of three: rows already parsed and validated.
        var computeBest = Double.infinity
        for _ in 0..<3 {
            let s = clock.now
            let again = try InventoryEngine.compute(validated, gwp: gwp)
            computeBest = min(computeBest, seconds(clock.now - s))
            precondition(again.provenance.inputFingerprint == inventory.provenance.inputFingerprint)
        }
        var sumsBest = Double.infinity, fingerprintBest = Double.infinity
        let sets = validated.factorSetsUsed.compactMap { try? FactorLibrary.standard.set(named: $0) }
        for _ in 0..<3 {
            var s = clock.now
            _ = try InventoryEngine.compute(validated, gwp: gwp, fingerprint: false)
            sumsBest = min(sumsBest, seconds(clock.now - s))
            s = clock.now
            _ = InputFingerprint.compute(validated, factorSets: sets)
            fingerprintBest = min(fingerprintBest, seconds(clock.now - s))
        }
        let result: [String: Double] = [
            "sums_s": sumsBest, "fingerprint_s": fingerprintBest,
            "end_to_end_s": seconds(t3 - t0), "parse_s": seconds(t1 - t0), "validate_s": seconds(t2 - t1), "engine_s": seconds(t3 - t2),
            "compute_s": computeBest, "peak_mb": Double(usage.ru_maxrss) / 1024, "basic_t": inventory.totals(year: inventory.years.last!).basic,
        ]
        let data = try JSONSerialization.data(withJSONObject: result)
        FileHandle.standardOutput.write(data)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// A deterministic synthetic city year: ten districts, the common fuels in the right GPC rows
/// and units, grid electricity, a few explicit-factor and notation-key rows.
enum SyntheticActivities {
    static let districts = ["Riverside", "Old Town", "Harbour", "Hillcrest", "Eastgate", "Westfield", "Northbank", "Southport", "Lakeside", "Airport District"]
    static let kinds: [(ref: String, fuel: String, unit: String, set: String, scale: Double)] = [
        ("I.1.1", "natural_gas", "m3", "", 5_000), ("I.1.1", "lpg", "t", "", 20), ("I.1.2", "electricity", "kWh", "grid:cn_east:2022", 80_000),
        ("I.2.1", "natural_gas", "10^4 m3", "", 3), ("I.2.2", "electricity", "MWh", "grid:cn_east:2022", 200), ("I.3.1", "other_bituminous_coal", "t", "", 400),
        ("I.3.1", "raw_coal", "t", "CN2011", 500), ("I.3.1", "natural_gas", "TJ", "", 2), ("I.3.2", "electricity", "MWh", "grid:cn_national:2022", 900),
        ("I.4.4", "sub_bituminous_coal", "t", "", 2_000), ("I.5.1", "gas_diesel_oil", "t", "", 5), ("II.1.1", "motor_gasoline", "L", "", 40_000),
        ("II.1.1", "gas_diesel_oil", "t", "", 30), ("II.1.1", "diesel", "t", "CN2011", 30), ("II.2.2", "electricity", "MWh", "grid:cn_east:2022", 300),
        ("II.4.1", "jet_kerosene", "t", "", 100), ("II.5.1", "gas_diesel_oil", "t", "", 3), ("I.1.3", "electricity", "kWh", "grid:cn_east:2022", 4_000),
    ]

    static func write(rows: Int, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CLIFailure.input("cannot write \(path)")
        }
        defer { try? handle.close() }
        var buffer = "year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,ef_quality,source\n"
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            return seed
        }
        let qualities = ["H", "M", "L"]
        for i in 0..<rows {
            let kind = kinds[Int(next() % UInt64(kinds.count))]
            let district = districts[Int(next() % UInt64(districts.count))]
            let year = 2022
            let amount = Double(next() % 1_000_000) / 1_000_000 * kind.scale * 2
            let ad = qualities[Int(next() % 3)]
            buffer += "\(year),\(district),\(kind.ref),\(kind.fuel),\(String(format: "%.3f", amount)),\(kind.unit),\(kind.set),\(ad),,statistics bureau table \(i % 40 + 1)\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
    }
}
