import CityCarbonStore
import Hummingbird
import Synchronization

/// Rendered pages kept until the data changes. Every write appends an audit event, so the
/// audit trail's latest event number is the version of everything a page shows: one small
/// query per request decides whether the stored bytes are still right.
final class PageCache: Sendable {
    private let database: CityCarbonDatabase
    private let pages = Mutex<[String: (version: Int64, body: ByteBuffer)]>([:])

    init(_ database: CityCarbonDatabase) { self.database = database }

    func page(_ key: String, render: () throws -> String) throws -> ByteBuffer {
        let version = try AuditTrail(database).version()
        if let cached = pages.withLock({ $0[key] }), cached.version == version { return cached.body }
        let body = ByteBuffer(string: try render())
        pages.withLock { $0[key] = (version, body) }
        return body
    }
}
