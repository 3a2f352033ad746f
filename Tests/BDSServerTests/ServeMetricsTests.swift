import AsyncHTTPClient
import BDSServer
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `bdscheck serve` as a child process on a port it picks, reading its port from its log.
///
/// The request series come from Hummingbird's `MetricsMiddleware` through the process-wide
/// metrics system, which only `serve` bootstraps (once per process); a child process therefore
/// counts exactly this test's requests, whatever the other tests do meanwhile.
final class ServeProcess {
    let process = Process()
    let port: Int
    let directory: String

    init(arguments: [String]) throws {
        directory = try ServerFixture.temporaryDirectory()
        let log = directory + "/serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        process.executableURL = dir.appendingPathComponent("bdscheck")
        process.arguments = ["serve", "--port", "0"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BDSCHECK_LOG_LEVEL"] = "info"
        environment.removeValue(forKey: "BDSCHECK_ADMIN_TOKEN")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let started = Date()
        var found: Int?
        while found == nil, process.isRunning, Date().timeIntervalSince(started) < 60 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            } else {
                usleep(50_000)
            }
        }
        guard let found else {
            process.terminate()
            process.waitUntilExit()
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "bdscheck serve did not start: \(text)"])
        }
        port = found
    }

    /// The body and status of a GET.
    func get(_ path: String) async throws -> (status: UInt, body: String) {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: body))
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@Suite("`bdscheck serve` metrics: swift-metrics bootstrapped by the server, rendered by swift-prometheus")
struct ServeMetricsTests {
    @Test("/metrics counts requests by route template and status, times them by route, and counts verdicts by level")
    func requestSeries() async throws {
        let serve = try ServeProcess(arguments: ["--store", ServerFixture.sharedStorePath])
        #expect(try await serve.get("/v1/barcodes/0040822011143").status == 200)
        #expect(try await serve.get("/v1/barcodes/4000000000020").status == 200)
        #expect(try await serve.get("/v1/barcodes/0040822011144").status == 400)
        #expect(try await serve.get("/no/such/thing").status == 404)
        let (status, text) = try await serve.get("/metrics")
        #expect(status == 200)
        #expect(text.contains(#"bdscheck_http_requests_total{route="/v1/barcodes/{code}",method="GET",status="200"} 2"#))
        #expect(text.contains(#"bdscheck_http_requests_total{route="/v1/barcodes/{code}",method="GET",status="400"} 1"#))
        #expect(text.contains(#"status="404"} 1"#))
        #expect(text.contains(#"bdscheck_http_request_duration_seconds_count{route="/v1/barcodes/{code}",method="GET"} 3"#))
        #expect(
            text.contains(#"bdscheck_http_request_duration_seconds_bucket{route="/v1/barcodes/{code}",method="GET",le="+Inf"} 3"#)
        )
        #expect(text.contains("# TYPE bdscheck_http_request_duration_seconds histogram"))
        #expect(text.contains(#"bdscheck_verdicts_total{verdict="listed-consumer-boycott"} 1"#))
        #expect(text.contains(#"bdscheck_verdicts_total{verdict="unknown"} 1"#))
        #expect(text.contains(#"bdscheck_store_reloads_total{result="success"} 0"#))
        #expect(text.contains("bdscheck_store_age_seconds "))
        #expect(text.contains("bdscheck_store_opened_timestamp_seconds "))
        #expect(!text.contains("0040822011143"), "one series per barcode would grow without bound")
    }
}
