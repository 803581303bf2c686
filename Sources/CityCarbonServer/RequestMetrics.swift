import CityCarbonPages
import Foundation
import Hummingbird
import Logging
import Synchronization

/// Request counts and latencies per route and status, written in the Prometheus text format.
public final class RequestMetrics: Sendable {
    /// Upper bounds of the latency histogram, in seconds.
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct Key: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private struct Series {
        var count = 0
        var sum = 0.0
        var bucketCounts = [Int](repeating: 0, count: RequestMetrics.buckets.count)

        mutating func add(_ seconds: Double) {
            count += 1
            sum += seconds
            for (i, bound) in RequestMetrics.buckets.enumerated() where seconds <= bound { bucketCounts[i] += 1 }
        }
    }

    private let state = Mutex<[Key: Series]>([:])
    private let started = Date()

    public init() {}

    func record(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { series in
            series[Key(method: method, route: route, status: status), default: Series()].add(seconds)
        }
    }

    /// The Prometheus exposition text (version 0.0.4).
    public func exposition(extra: [(name: String, help: String, value: Double)] = []) -> String {
        let snapshot = state.withLock { $0 }.map { key, series in
            ("method=\"\(key.method)\",route=\"\(key.route)\",status=\"\(key.status)\"", series)
        }.sorted { $0.0 < $1.0 }
        var out = "# HELP citycarbon_http_requests_total HTTP requests answered, by method, route and status.\n"
        out += "# TYPE citycarbon_http_requests_total counter\n"
        for (key, s) in snapshot { out += "citycarbon_http_requests_total{\(key)} \(s.count)\n" }
        out += "# HELP citycarbon_http_request_duration_seconds Time to answer a request.\n"
        out += "# TYPE citycarbon_http_request_duration_seconds histogram\n"
        for (key, s) in snapshot {
            for (i, bound) in RequestMetrics.buckets.enumerated() {
                out += "citycarbon_http_request_duration_seconds_bucket{\(key),le=\"\(bound)\"} \(s.bucketCounts[i])\n"
            }
            out += "citycarbon_http_request_duration_seconds_bucket{\(key),le=\"+Inf\"} \(s.count)\n"
            out += "citycarbon_http_request_duration_seconds_sum{\(key)} \(s.sum)\n"
            out += "citycarbon_http_request_duration_seconds_count{\(key)} \(s.count)\n"
        }
        out += "# HELP citycarbon_uptime_seconds Seconds since the server started.\n# TYPE citycarbon_uptime_seconds gauge\n"
        out += "citycarbon_uptime_seconds \(Date().timeIntervalSince(started))\n"
        for metric in extra {
            out += "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) gauge\n\(metric.name) \(metric.value)\n"
        }
        return out
    }
}
