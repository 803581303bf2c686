import Foundation
@testable import CityCarbonStore

/// The PostgreSQL server the store suite runs against, when one is given:
/// `CITYCARBON_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres`.
enum TestPostgres {
    static let server: PostgresLocation? = ProcessInfo.processInfo.environment["CITYCARBON_TEST_POSTGRES"].flatMap(PostgresLocation.init(url:))

    /// A new, empty database on `server`, one per test, so tests run in parallel unaware of each other.
    static func createDatabase(on server: PostgresLocation) throws -> PostgresLocation {
        let name = "citycarbon_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return try CityCarbonDatabase.createPostgresDatabase(name, on: server)
    }
}
