import Dispatch
import Foundation
public import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An HTTP server on 127.0.0.1, on a port the system picks, inside the test process.
///
/// It runs on a thread of its own: the tests that use it block their own thread while a child
/// `bdscheck` talks to it, and on a 2-core machine two such tests would otherwise take every
/// thread of the shared pool and starve the server. `deinit` stops it.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (_ request: Request, _ record: @Sendable (String) -> Void) async throws -> Response

    public let port: Int
    private let task: Task<Void, any Error>
    private let log: RequestLog

    /// Starts serving every request with `handler` and returns once the port is bound.
    public init(handler: @escaping Handler) throws {
        let router = Router(context: BasicRequestContext.self)
        let bound = PortBox()
        let log = RequestLog()
        let record: @Sendable (String) -> Void = { line in log.lines.withLock { $0.append(line) } }
        let respond: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            try await handler(request, record)
        }
        router.get("/", use: respond)
        router.get("**", use: respond)
        var logger = Logger(label: "test.loopback-http")
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "loopback"),
            onServerRunning: { channel in bound.set(channel.localAddress?.port ?? -1) },
            logger: logger
        )
        let task = Task(executorPreference: LoopbackExecutor.shared) {
            do {
                try await app.runService(gracefulShutdownSignals: [])
            } catch {
                bound.set(-1)
                throw error
            }
        }
        guard let port = bound.wait(seconds: 30), port > 0 else {
            task.cancel()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the loopback HTTP server did not start"])
        }
        self.port = port
        self.task = task
        self.log = log
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// What the handler recorded, in order (one line per request for the servers below).
    public var requests: [String] { log.lines.withLock { $0 } }

    deinit {
        task.cancel()
    }
}

private final class RequestLog: Sendable {
    let lines = Mutex<[String]>([])
}

/// The port the server reports once it listens, handed to the thread that waits for it.
private final class PortBox: @unchecked Sendable {
    private let value = Mutex<Int?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func set(_ port: Int) {
        let first = value.withLock { current -> Bool in
            guard current == nil else { return false }
            current = port
            return true
        }
        if first { ready.signal() }
    }

    func wait(seconds: Double) -> Int? {
        guard ready.wait(timeout: .now() + seconds) == .success else { return nil }
        return value.withLock { $0 }
    }
}

/// Runs the loopback servers' tasks on one serial queue, apart from the shared cooperative pool.
private final class LoopbackExecutor: TaskExecutor {
    static let shared = LoopbackExecutor()
    private let queue = DispatchQueue(label: "bdscheck-tests.loopback-http")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension LoopbackHTTPServer {
    /// Serves the files of `directory` with `Last-Modified` and `ETag`, and answers a conditional GET
    /// for an unchanged file with 304 Not Modified (`If-None-Match` first, else `If-Modified-Since`).
    ///
    /// Records one line per request: the path, then `conditional` when it carried either header.
    public static func files(in directory: String) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request, record in
            let path = request.uri.path
            let conditional = request.headers[.ifNoneMatch] != nil || request.headers[.ifModifiedSince] != nil
            record(path + (conditional ? " conditional" : ""))
            let name = String(path.drop { $0 == "/" })
            let file = (directory as NSString).appendingPathComponent(name)
            guard !name.contains(".."), let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let modified = attributes[.modificationDate] as? Date
            else {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such file\n")))
            }
            let seconds = Int(modified.timeIntervalSince1970)
            let etag = "\"\(seconds)-\((attributes[.size] as? Int) ?? 0)\""
            var headers: HTTPFields = [.lastModified: HTTPDate.format(seconds), .eTag: etag]
            let notModified: Bool
            if let match = request.headers[.ifNoneMatch] {
                notModified = match.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
            } else if let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse) {
                notModified = seconds <= since
            } else {
                notModified = false
            }
            if notModified { return Response(status: .notModified, headers: headers) }
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            headers[.contentType] = "text/csv"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// A server that misbehaves on purpose, and records the path of every request it gets.
    ///
    /// - `500`: answers 500 Internal Server Error.
    /// - `loop`: redirects every request to itself.
    /// - `to-file`: redirects to `file:///etc/passwd`.
    /// - `record`: answers 200 with a tiny DTD (used to prove nothing is ever asked for).
    /// - `stall-head`: reads the request and never answers.
    /// - `stall-body`: sends headers announcing 100 000 bytes, a few of them, then nothing.
    public static func misbehaving(_ mode: String) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request, record in
            record(request.uri.path)
            switch mode {
            case "500":
                return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "internal error")))
            case "loop":
                return Response(status: .found, headers: [.location: request.uri.path])
            case "to-file":
                return Response(status: .found, headers: [.location: "file:///etc/passwd"])
            case "stall-head":
                try await Task.sleep(for: .seconds(300))
                return Response(status: .ok)
            case "stall-body":
                let body = ResponseBody(contentLength: 100_000) { writer in
                    try await writer.write(ByteBuffer(string: "target,campaign\n"))
                    try await Task.sleep(for: .seconds(300))
                }
                return Response(status: .ok, headers: [.contentType: "text/csv"], body: body)
            default:
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"<!ENTITY leak "fetched">"#)))
            }
        }
    }
}

/// HTTP dates (RFC 9110 IMF-fixdate), whole seconds.
enum HTTPDate {
    static func formatter() -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f
    }

    static func format(_ seconds: Int) -> String {
        formatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func parse(_ text: String) -> Int? {
        formatter().date(from: text).map { Int($0.timeIntervalSince1970) }
    }
}
