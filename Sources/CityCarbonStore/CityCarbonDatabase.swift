import CarbonAccounting
import CarbonKit
import Foundation
import GRDB

/// The workspace database: one SQLite file in WAL mode, migrated on open, or a PostgreSQL
/// database for a platform that outgrows one file.
///
/// Repositories reach either through ``read(_:)`` and ``write(_:)`` with one SQL text. Every
/// large table carries `jurisdiction_id` (readings carry their datastream's), so the same
/// schema distributes on Citus; see `docs/scale-out.md`.
public final class CityCarbonDatabase: Sendable {
    enum Engine: Sendable {
        case sqlite(any DatabaseWriter)
        case postgres(PostgresStore)
    }

    let engine: Engine
    /// The SQLite file, or the PostgreSQL URL without its password.
    public let path: String
    /// What ingestion keeps in memory of the monitoring registry; see ``MonitoringState``.
    let monitoring = MonitoringState()
    /// Computations decoded once, by id (``DecodedInventories``).
    let inventories = DecodedInventories()
    /// The allowance ledger as of its stored head (``AllowanceRegistry``).
    let allowances = AllowanceLedgerState()
    /// The carbon-inclusion ledger and fraud screens as of their stored head (``InclusionIntake``).
    let inclusion = InclusionState()
    /// The registries SensorThings answers from, kept a few seconds (``SensorThingsRegistry``).
    let sensorThings = SensorThingsRegistry()
    /// Meter channels' readings as columns, for SensorThings counts (``ObservationColumns``).
    let observationColumns = ObservationColumns()

    /// Opens (creating if needed) the SQLite file at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // A write is acknowledged only once it is on disk: meter batches are acknowledged to
        // devices that then discard them.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Checkpoint the WAL every 10,000 pages (about 40 MB) rather than 1,000: a page that
            // many commits change (an account's, a meter's roll-up) is copied into the file once
            // per checkpoint, and the allowance ledger commits about 1.3 times faster.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
            // Read pages through a memory map instead of copying each into a buffer with read():
            // the ledger's commits read the block and account pages they change.
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
            // Keep 64 MiB of pages rather than SQLite's 2 MiB: the indexes intake writes into
            // (serials, accounts, ledger lines) outgrow a small cache, and every page evicted is read
            // back from the WAL with a system call.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        let writer = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(writer)
        engine = .sqlite(writer)
    }

    /// An in-memory SQLite database, for tests and for computing without a workspace.
    public init() throws {
        self.path = ":memory:"
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let writer = try DatabaseQueue(configuration: configuration)
        try SQLiteSchema.migrator.migrate(writer)
        engine = .sqlite(writer)
    }

    /// Connects to a PostgreSQL database and creates the schema when the database is empty.
    public init(postgres location: PostgresLocation) throws {
        path = location.description
        let store = try PostgresStore(location)
        try PostgresSchema.prepare(store)
        engine = .postgres(store)
    }

    /// A `postgres://` URL opens PostgreSQL; anything else is a SQLite file path.
    public convenience init(location: String) throws {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            guard let postgres = PostgresLocation(url: location) else {
                throw InputErrors([InputIssue(InputLocation(field: "database"), value: location,
                                              reason: "is not a PostgreSQL URL", suggestion: "postgres://user:password@host:5432/database")])
            }
            try self.init(postgres: postgres)
        } else {
            try self.init(path: location)
        }
    }

    /// Creates an empty database named `name` on the server `server` names (for benchmarks and
    /// tests that want a fresh one), and returns where it is.
    public static func createPostgresDatabase(_ name: String, on server: PostgresLocation) throws -> PostgresLocation {
        try PostgresStore(server).script("CREATE DATABASE \(name)")
        var location = server
        location.database = name
        return location
    }

    public static func dropPostgresDatabase(_ name: String, on server: PostgresLocation) throws {
        try PostgresStore(server).script("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    public var dialect: SQLDialect {
        switch engine {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Runs `body` in a read-only snapshot, beside writes.
    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        switch engine {
        case let .sqlite(writer): try writer.read { db in try body(SQLiteConnection(db)) }
        case let .postgres(store): try store.read(body)
        }
    }

    /// Runs `body` in a write transaction, committed when it returns and rolled back when it
    /// throws. Writes are serial.
    public func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        switch engine {
        case let .sqlite(writer): try writer.write { db in try body(SQLiteConnection(db)) }
        case let .postgres(store): try store.write(body)
        }
    }

    /// Writes a consistent copy of a SQLite workspace to the new file `path` (`VACUUM INTO`),
    /// beside readers and between writes: a backup of a workspace that keeps serving, and how
    /// tests start many workspaces from one seeded city. A PostgreSQL workspace is copied with
    /// the server's own tools (`pg_dump`, `CREATE DATABASE … TEMPLATE`).
    public func copy(to path: String) throws {
        switch engine {
        case let .sqlite(writer):
            // VACUUM cannot run inside a transaction.
            try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        case .postgres:
            throw InputErrors([InputIssue(InputLocation(field: "database"), value: self.path,
                                          reason: "is PostgreSQL: copy it with pg_dump or CREATE DATABASE … TEMPLATE")])
        }
    }

    public static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
