import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// Where a PostgreSQL store lives: `postgres://user[:password]@host[:port]/database`.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    /// Nil when `url` is not a `postgres://` or `postgresql://` URL naming a database.
    public init?(url: String) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else { return nil }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { return nil }
        self.host = host
        port = components.port ?? 5432
        username = components.user ?? "postgres"
        password = components.password
        self.database = database
    }

    /// The URL without its password, for logs and pages.
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}

/// Connections to one PostgreSQL database, used the way GRDB's pool is: any number of
/// readers, each in a snapshot (`REPEATABLE READ READ ONLY`), and one writer at a time in this
/// process, so repositories keep the serial writes they were written for on SQLite.
final class PostgresStore: @unchecked Sendable {
    let location: PostgresLocation
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var nextID = 0
    private let writeLock = NSRecursiveLock()

    init(_ location: PostgresLocation) throws {
        self.location = location
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "citycarbon.postgres")
        logger.logLevel = .error
        self.logger = logger
        // Fail at open, with the server's reason, rather than at the first page.
        release(try connect())
    }

    deinit {
        for connection in idle { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    private func connect() throws -> PostgresConnection {
        let id = lock.withLock { nextID += 1; return nextID }
        let configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.username,
                                                             password: location.password, database: location.database, tls: .disable)
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger).wait()
        } catch let error as PSQLError {
            throw PostgresStoreError(error, sql: "connect to \(location)")
        }
    }

    private func acquire() throws -> PostgresConnection {
        if let connection = lock.withLock({ idle.popLast() }), !connection.isClosed { return connection }
        return try connect()
    }

    private func release(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        lock.withLock { idle.append(connection) }
    }

    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        return try transaction("BEGIN", body)
    }

    /// Runs statements that are not in a transaction (a schema script of several statements).
    func script(_ sql: String) throws {
        let connection = try acquire()
        defer { release(connection) }
        do { _ = try connection.simpleQuery(sql).wait() } catch let error as PSQLError { throw PostgresStoreError(error, sql: sql) }
    }

    private func transaction<T>(_ begin: String, _ body: (any SQLConnection) throws -> T) throws -> T {
        let connection = try acquire()
        let sql = PostgresSQLConnection(connection, logger: logger)
        do {
            try sql.execute(sql: begin)
            let value = try body(sql)
            try sql.execute(sql: "COMMIT")
            release(connection)
            return value
        } catch {
            if (try? sql.execute(sql: "ROLLBACK")) != nil { release(connection) } else { _ = try? connection.close().wait() }
            throw error
        }
    }
}
