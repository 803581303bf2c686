import CityCarbonStore
import Hummingbird
import Synchronization

/// Rendered pages kept until the data changes. Every write appends an audit event, so the
/// audit trail's latest event number is the version of everything a page shows. The version
/// is read again at most every `freshness`, so a busy server answers from memory and a
/// change made by any process (the CLI too) shows within that time.
final class PageCache: Sendable {
    private let database: CityCarbonDatabase
    private let freshness: Duration
    private struct Page {
        var version: Int64
        var body: ByteBuffer
    }

    private struct Check {
        var version: Int64
        var at: ContinuousClock.Instant
    }

    private let pages = Mutex<[String: Page]>([:])
    private let checked = Mutex<Check?>(nil)

    init(_ database: CityCarbonDatabase, freshness: Duration) {
        self.database = database
        self.freshness = freshness
    }

    private func version() throws -> Int64 {
        let now = ContinuousClock.now
        if let last = checked.withLock({ $0 }), now - last.at < freshness { return last.version }
        let version = try AuditTrail(database).version()
        checked.withLock { $0 = Check(version: version, at: now) }
        return version
    }

    func page(_ key: String, render: () throws -> String) throws -> ByteBuffer {
        let version = try version()
        if let cached = pages.withLock({ $0[key] }), cached.version == version { return cached.body }
        let body = ByteBuffer(string: try render())
        pages.withLock { $0[key] = Page(version: version, body: body) }
        return body
    }
}
