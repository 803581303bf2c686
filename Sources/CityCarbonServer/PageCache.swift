import CityCarbonPages
import CityCarbonStore
import Hummingbird
import Synchronization

/// Rendered pages kept until the data changes. Every write appends an audit event, so the
/// audit trail's latest event number is the version of everything a page shows. The version
/// is read again at most every `freshness`, so a busy server answers from memory and a
/// change made by any process (the CLI too) shows within that time.
///
/// The cache holds at most `capacity` bytes: past it, the least recently served pages go first,
/// and pages of an older version go as soon as a newer one is stored. Routes key pages only on
/// values they checked (a known year, district, filter), so no query can grow it unchecked.
final class PageCache: Sendable {
    private let database: CityCarbonDatabase
    private let freshness: Duration
    let capacity: Int

    private struct Page {
        var version: Int64
        var body: ByteBuffer
        var lastUse: UInt64
    }

    private struct Store {
        var pages: [String: Page] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var newestVersion: Int64 = .min

        mutating func remove(_ key: String) {
            if let page = pages.removeValue(forKey: key) { bytes -= page.body.readableBytes + key.utf8.count }
        }
    }

    private struct Check {
        var version: Int64
        var at: ContinuousClock.Instant
    }

    private let store = Mutex(Store())
    private let checked = Mutex<Check?>(nil)

    init(_ database: CityCarbonDatabase, freshness: Duration, capacity: Int = 64 << 20) {
        self.database = database
        self.freshness = freshness
        self.capacity = capacity
    }

    private func version() throws -> Int64 {
        let now = ContinuousClock.now
        if let last = checked.withLock({ $0 }), now - last.at < freshness { return last.version }
        let version = try AuditTrail(database).version()
        checked.withLock { $0 = Check(version: version, at: now) }
        return version
    }

    /// Bytes held now (bodies and keys), for tests and metrics.
    var bytes: Int { store.withLock { $0.bytes } }
    var count: Int { store.withLock { $0.pages.count } }

    func page(_ key: String, render: () throws -> String) throws -> ByteBuffer {
        try versionedPage(key, render: render).body
    }

    /// A page of markup.
    func page(_ key: String, render: () throws -> HTML) throws -> ByteBuffer { try page(key) { try render().markup } }

    func versionedPage(_ key: String, render: () throws -> HTML) throws -> (body: ByteBuffer, version: Int64) {
        try versionedPage(key) { try render().markup }
    }

    /// A page of markup kept only when `keepIf` says so of what it was made from (a page that
    /// still lacks a part computed in the background is answered, not kept).
    func page<Source>(_ key: String, keepIf: (Source) -> Bool, render: () throws -> (HTML, Source)) throws -> ByteBuffer {
        if let hit = held(key, version: try version()) { return hit }
        let (page, source) = try render()
        guard keepIf(source) else { return ByteBuffer(string: page.markup) }
        return try self.page(key) { page }
    }

    /// The page held under `key` for data version `version`, marked as used.
    private func held(_ key: String, version: Int64) -> ByteBuffer? {
        store.withLock { store in
            guard var page = store.pages[key], page.version == version else { return nil }
            store.clock += 1
            page.lastUse = store.clock
            store.pages[key] = page
            return page.body
        }
    }

    /// The page and the data version it shows, for a caller that keeps something derived from it.
    func versionedPage(_ key: String, render: () throws -> String) throws -> (body: ByteBuffer, version: Int64) {
        let version = try version()
        if let hit = held(key, version: version) { return (hit, version) }
        let body = ByteBuffer(string: try render())
        let size = body.readableBytes + key.utf8.count
        guard size <= capacity / 4 else { return (body, version) }
        store.withLock { store in
            if version > store.newestVersion {
                // The data changed: every page of an older version is stale.
                store.newestVersion = version
                for (old, page) in store.pages where page.version < version { store.remove(old) }
            }
            store.remove(key)
            store.clock += 1
            store.pages[key] = Page(version: version, body: body, lastUse: store.clock)
            store.bytes += size
            if store.bytes > capacity {
                // Evict the least recently served down to three quarters, so eviction is rare.
                for (old, _) in store.pages.sorted(by: { $0.value.lastUse < $1.value.lastUse }) where store.bytes > capacity * 3 / 4 {
                    store.remove(old)
                }
            }
        }
        return (body, version)
    }
}
