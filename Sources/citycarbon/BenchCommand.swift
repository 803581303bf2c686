import ArgumentParser
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks. Build with `swift build -c release` first: debug builds are many times slower.",
        subcommands: [InventoryBench.self, ImportBench.self, PathwayBench.self, IngestBench.self, LedgerBench.self, InclusionBench.self,
                      SensorThingsBench.self, AirBench.self]
    )
}
