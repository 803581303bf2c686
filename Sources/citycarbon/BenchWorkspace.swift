import CityCarbonStore
import Foundation

/// A fresh workspace for one benchmark run: a SQLite file in a new folder under `directory` (the
/// temporary directory by default), or a new database on a PostgreSQL server; removed afterwards.
enum BenchWorkspace {
    static func run<T>(_ name: String, directory: String?, server: PostgresLocation?, _ body: (CityCarbonDatabase) throws -> T) throws -> T {
        let folder = URL(fileURLWithPath: directory ?? NSTemporaryDirectory()).appendingPathComponent("citycarbon-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let databaseName = "citycarbon_bench_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let database = try server.map { try CityCarbonDatabase(postgres: try CityCarbonDatabase.createPostgresDatabase(databaseName, on: $0)) }
            ?? CityCarbonDatabase(path: folder.appendingPathComponent("bench.sqlite").path)
        defer { if let server { try? CityCarbonDatabase.dropPostgresDatabase(databaseName, on: server) } }
        return try body(database)
    }
}
