import CityCarbonPages
import CityCarbonStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import Synchronization

/// Today's figures from the meters, for pages that are otherwise kept until the data changes.
///
/// Readings arrive all day without an audit event, so a cached page cannot hold them: such a
/// page carries a marker (``marker(_:)``) where a live part goes, and every answer puts the
/// current part in its place. The nowcast is worked out at most once per `freshness` (a
/// minute) for the whole process and every part of that time is kept, so the dashboard, the
/// district pages and `/monitoring` show one nowcast and a busy server queries it rarely.
final class LiveFigures: Sendable {
    private struct Minute {
        var minute: Int64
        var at: ContinuousClock.Instant
        var nowcast: Nowcast
        var parts: [String: HTML] = [:]
        /// Cached pages with this minute's parts put in, by page key and data version.
        var pages: [String: ByteBuffer] = [:]
    }

    private let database: CityCarbonDatabase
    private let freshness: Duration
    private let current = Mutex<Minute?>(nil)

    init(_ database: CityCarbonDatabase, freshness: Duration = .seconds(60)) {
        self.database = database
        self.freshness = freshness
    }

    /// The nowcast of this minute.
    func nowcast(now: Date = Date()) throws -> Nowcast { try minute(now).nowcast }

    /// The part named `key`, rendered from this minute's nowcast once.
    func part(_ key: String, now: Date = Date(), render: (Nowcast) throws -> HTML) throws -> HTML {
        let minute = try minute(now)
        if let part = minute.parts[key] { return part }
        let part = try render(minute.nowcast)
        current.withLock { held in
            guard held?.minute == minute.minute, (held?.parts.count ?? 0) < 256 else { return }
            held?.parts[key] = part
        }
        return part
    }

    /// A cached page (`page`, of data version `version`) with this minute's parts put in, kept for
    /// the minute: a busy page is copied once a minute, not on every answer.
    func spliced(_ key: String, page: (body: ByteBuffer, version: Int64), now: Date = Date(),
                 parts: () throws -> [String: HTML]) throws -> ByteBuffer {
        let minute = try minute(now)
        let memo = "\(key)#\(page.version)"
        if let hit = minute.pages[memo] { return hit }
        let result = Self.splice(page.body, try parts())
        current.withLock { held in
            guard held?.minute == minute.minute, (held?.pages.count ?? 0) < 256 else { return }
            held?.pages[memo] = result
        }
        return result
    }

    private func minute(_ now: Date) throws -> Minute {
        let seconds = Int64(now.timeIntervalSince1970)
        // Held while in the same clock minute (the page says the hour) and younger than `freshness`.
        if let held = current.withLock({ $0 }), held.minute == seconds / 60, ContinuousClock.now - held.at < freshness { return held }
        let fresh = Minute(minute: seconds / 60, at: .now, nowcast: try MonitoringRepository(database).nowcast(now: seconds))
        current.withLock { $0 = fresh }
        return fresh
    }

    /// Where a live part named `key` goes in a cached page.
    static func marker(_ key: String) -> HTML { "<!--live:\(key)-->" }

    /// Where `needle` first starts in `haystack`: `memchr` to each candidate of its second byte
    /// (a marker's "!", rare in a page, where "<" is on every tag), `memcmp` for the whole.
    static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let base = haystack.baseAddress, !needle.isEmpty, needle.count <= haystack.count else { return nil }
        let anchor = needle.count > 1 ? 1 : 0
        var from = anchor
        let last = haystack.count - needle.count + anchor
        while from <= last, let hit = memchr(base + from, Int32(needle[anchor]), last - from + 1) {
            let offset = base.distance(to: UnsafeRawPointer(hit)) - anchor
            if needle.withUnsafeBytes({ memcmp(base + offset, $0.baseAddress!, needle.count) }) == 0 { return offset }
            from = offset + anchor + 1
        }
        return nil
    }

    /// The cached page with each marker replaced by its live part (its first occurrence; a page
    /// has each once). Found with `memchr`/`memcmp` and copied once: this runs on every answer of a cached page.
    static func splice(_ page: ByteBuffer, _ parts: [String: HTML]) -> ByteBuffer {
        guard !parts.isEmpty else { return page }
        var found: [(offset: Int, length: Int, part: String)] = []
        page.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for (key, part) in parts {
                let needle = Array(marker(key).markup.utf8)
                guard let offset = Self.find(needle, in: UnsafeRawBufferPointer(start: base, count: bytes.count)) else { continue }
                found.append((offset, needle.count, part.markup))
            }
        }
        guard !found.isEmpty else { return page }
        found.sort { $0.offset < $1.offset }
        var out = ByteBuffer()
        out.reserveCapacity(page.readableBytes + found.reduce(0) { $0 + $1.part.utf8.count })
        var at = 0
        for hit in found {
            out.writeImmutableBuffer(page.getSlice(at: page.readerIndex + at, length: hit.offset - at)!)
            out.writeString(hit.part)
            at = hit.offset + hit.length
        }
        out.writeImmutableBuffer(page.getSlice(at: page.readerIndex + at, length: page.readableBytes - at)!)
        return out
    }
}
