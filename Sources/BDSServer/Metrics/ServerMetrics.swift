import BDSCore
import CoreMetrics
import Foundation
public import Prometheus

/// The server's metrics: swift-metrics handles backed by one Prometheus registry, which `/metrics` renders.
///
/// The verdict, reload and store series are made through this registry's own factory, so every
/// server (each test has its own) counts apart. The request series come from Hummingbird's
/// `MetricsMiddleware`, which records through the process-wide `MetricsSystem`: they reach this
/// registry once `bootstrapMetricsSystem()` was called, which a process may do only once
/// (`bdscheck serve` does it at start).
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let verdicts: [VerdictLevel: CoreMetrics.Counter]
    let reloadSucceeded: CoreMetrics.Counter
    let reloadFailed: CoreMetrics.Counter

    /// Upper bounds of the request-duration buckets, from 100 µs (a lookup) to 1 s (a large batch on a cold cache).
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        factory = Self.factory(registry: registry)
        var verdicts: [VerdictLevel: CoreMetrics.Counter] = [:]
        for level in VerdictLevel.allCases {
            verdicts[level] = CoreMetrics.Counter(
                label: "bdscheck_verdicts_total", dimensions: [("verdict", level.rawValue)], factory: factory)
        }
        self.verdicts = verdicts
        reloadSucceeded = CoreMetrics.Counter(
            label: "bdscheck_store_reloads_total", dimensions: [("result", "success")], factory: factory)
        reloadFailed = CoreMetrics.Counter(
            label: "bdscheck_store_reloads_total", dimensions: [("result", "failure")], factory: factory)
    }

    /// A factory writing into `registry`, which gives Hummingbird's request metrics the project's names.
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = ["bdscheck_http_request_duration_seconds": durationBuckets]
        factory.nameAndLabelSanitizer = { name, labels in bdscheckName(name, labels) }
        return factory
    }

    /// Points the process's `MetricsSystem` at this registry. Once per process: a second call traps.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(Self.factory(registry: registry))
    }

    /// Hummingbird's metric and label names (`hb.requests`, `http.route`, …) as the series `/metrics` has always shown.
    ///
    /// The duration histogram leaves out the status, as before: one histogram per route and method.
    static func bdscheckName(_ name: String, _ labels: [(String, String)]) -> (String, [(String, String)]) {
        let renamed = labels.map { key, value -> (String, String) in
            switch key {
            case "http.route": ("route", value)
            case "http.request.method": ("method", value)
            case "http.response.status_code", "error.type": ("status", value)
            default: (key.replacingOccurrences(of: ".", with: "_"), value)
            }
        }
        switch name {
        case "hb.requests": return ("bdscheck_http_requests_total", renamed)
        case "hb.request.errors": return ("bdscheck_http_request_errors_total", renamed)
        case "http.server.request.duration":
            return ("bdscheck_http_request_duration_seconds", renamed.filter { $0.0 != "status" })
        case "http.server.active_requests": return ("bdscheck_http_active_requests", renamed)
        default: return (name, labels)
        }
    }

    func recordVerdict(_ level: VerdictLevel) {
        verdicts[level]?.increment()
    }

    func recordReload(succeeded: Bool) {
        (succeeded ? reloadSucceeded : reloadFailed).increment()
    }

    /// The exposition, after setting the store gauges from the store in use.
    func prometheusText(storeAgeSeconds: Double?, storeOpenedAt: Date) -> String {
        if let storeAgeSeconds {
            CoreMetrics.Gauge(label: "bdscheck_store_age_seconds", factory: factory).record(storeAgeSeconds)
        }
        CoreMetrics.Gauge(label: "bdscheck_store_opened_timestamp_seconds", factory: factory).record(
            storeOpenedAt.timeIntervalSince1970)
        return registry.emitToString()
    }
}
