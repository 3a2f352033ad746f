import BDSCore
import Foundation
import Synchronization

/// Counters and latency histograms, written out in the Prometheus text format.
///
/// Hand-written rather than swift-metrics + swift-prometheus: the server needs a handful of series,
/// and this keeps the package graph (and the build) as it is.
public final class ServerMetrics: Sendable {
    struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    struct RouteKey: Hashable {
        var route: String
        var method: String
    }

    struct Histogram {
        var buckets: [Int]
        var count = 0
        var sum = 0.0

        init(bucketCount: Int) { buckets = Array(repeating: 0, count: bucketCount) }
    }

    struct State {
        var requests: [RequestKey: Int] = [:]
        var durations: [RouteKey: Histogram] = [:]
        var verdicts: [VerdictLevel: Int] = [:]
        var reloads: [String: Int] = [:]
    }

    /// Upper bounds in seconds, from 100 µs (a lookup) to 1 s (a large batch on a cold cache).
    static let bounds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

    let state = Mutex(State())

    public init() {}

    func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let slot = Self.bounds.firstIndex { seconds <= $0 }
        state.withLock { s in
            s.requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            let key = RouteKey(route: route, method: method)
            var h = s.durations[key] ?? Histogram(bucketCount: Self.bounds.count)
            if let slot { h.buckets[slot] += 1 }
            h.count += 1
            h.sum += seconds
            s.durations[key] = h
        }
    }

    func recordVerdict(_ level: VerdictLevel) {
        state.withLock { $0.verdicts[level, default: 0] += 1 }
    }

    func recordReload(succeeded: Bool) {
        state.withLock { $0.reloads[succeeded ? "success" : "failure", default: 0] += 1 }
    }

    /// The exposition, with the store gauges the caller reads from the store in use.
    func prometheusText(storeAgeSeconds: Double?, storeOpenedAt: Date) -> String {
        let s = state.withLock { $0 }
        var out = ""
        out += "# HELP bdscheck_http_requests_total HTTP requests answered, by route template, method and status.\n"
        out += "# TYPE bdscheck_http_requests_total counter\n"
        for (k, n) in s.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "bdscheck_http_requests_total{route=\"\(escape(k.route))\",method=\"\(k.method)\",status=\"\(k.status)\"} \(n)\n"
        }
        out += "# HELP bdscheck_http_request_duration_seconds Time to produce a response, by route template and method.\n"
        out += "# TYPE bdscheck_http_request_duration_seconds histogram\n"
        for (k, h) in s.durations.sorted(by: { ($0.key.route, $0.key.method) < ($1.key.route, $1.key.method) }) {
            let labels = "route=\"\(escape(k.route))\",method=\"\(k.method)\""
            var cumulative = 0
            for (i, bound) in Self.bounds.enumerated() {
                cumulative += h.buckets[i]
                out += "bdscheck_http_request_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "bdscheck_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(h.count)\n"
            out += "bdscheck_http_request_duration_seconds_sum{\(labels)} \(h.sum)\n"
            out += "bdscheck_http_request_duration_seconds_count{\(labels)} \(h.count)\n"
        }
        out += "# HELP bdscheck_verdicts_total Answers given, by verdict level.\n"
        out += "# TYPE bdscheck_verdicts_total counter\n"
        for level in VerdictLevel.allCases {
            out += "bdscheck_verdicts_total{verdict=\"\(level.rawValue)\"} \(s.verdicts[level] ?? 0)\n"
        }
        out += "# HELP bdscheck_store_reloads_total Store reloads (SIGHUP or admin endpoint), by result.\n"
        out += "# TYPE bdscheck_store_reloads_total counter\n"
        for result in ["success", "failure"] {
            out += "bdscheck_store_reloads_total{result=\"\(result)\"} \(s.reloads[result] ?? 0)\n"
        }
        if let storeAgeSeconds {
            out += "# HELP bdscheck_store_age_seconds Seconds since the store in use was built.\n"
            out += "# TYPE bdscheck_store_age_seconds gauge\n"
            out += "bdscheck_store_age_seconds \(storeAgeSeconds)\n"
        }
        out += "# HELP bdscheck_store_opened_timestamp_seconds When the store in use was opened (Unix time).\n"
        out += "# TYPE bdscheck_store_opened_timestamp_seconds gauge\n"
        out += "bdscheck_store_opened_timestamp_seconds \(storeOpenedAt.timeIntervalSince1970)\n"
        return out
    }

    func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
