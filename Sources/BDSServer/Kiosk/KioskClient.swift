public import AsyncHTTPClient
public import BDSCore
public import BDSStore
import BDSWire
public import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import NIOPosix

/// Asks a bdscheck server about each scan, and when the server cannot answer, a local store if one was given.
public struct KioskClient: Sendable {
    public enum Answer: Sendable {
        /// The server answered.
        case verdict(Verdict)
        /// The server did not answer; the local store did. `reason` says what went wrong with the server.
        case fallback(Verdict, reason: String)
        /// The server refused the query (a 4xx), with its message.
        case refused(String)
        /// Neither the server nor a local store answered.
        case unreachable(String)
    }

    public var server: URL
    public var fallbackStore: Store?
    /// Tries per scan before the server counts as unreachable.
    public var attempts: Int
    public var retryDelay: Duration
    /// Seconds one try may take, from connecting to the last byte of the answer.
    public var timeout: TimeInterval
    /// The client the requests go through; its owner shuts it down.
    public var http: HTTPClient
    /// The largest answer read from the server (a verdict is a few kB).
    static let maxAnswerBytes = 4 << 20

    public init(
        server: URL, fallbackStore: Store? = nil, attempts: Int = 2, retryDelay: Duration = .milliseconds(500),
        timeout: TimeInterval = 3,
        http: HTTPClient = .shared
    ) {
        self.server = server
        self.fallbackStore = fallbackStore
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
        self.timeout = timeout
        self.http = http
    }

    /// A client for a kiosk: a refused connection fails the try at once instead of being retried until the timeout.
    ///
    /// The caller owns it and calls `shutdown()` when the kiosk ends.
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func answer(_ scan: String) async -> Answer {
        var failure = "no attempt made"
        for attempt in 1...attempts {
            switch await ask(scan) {
            case .success(let answer): return answer
            case .failure(let problem): failure = problem.message
            }
            if attempt < attempts { try? await Task.sleep(for: retryDelay) }
        }
        if let fallbackStore {
            do {
                return .fallback(try fallbackStore.verdict(for: scan), reason: failure)
            } catch {
                return .unreachable("\(failure); the local store failed too: \(error)")
            }
        }
        return .unreachable(failure)
    }

    struct ServerProblem: Error {
        var message: String
    }

    func ask(_ scan: String) async -> Result<Answer, ServerProblem> {
        var request = HTTPClientRequest(url: server.appendingPathComponent("v1/lookup").absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        do {
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(LookupRequest(queries: [scan]))))
            let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout * 1e9)))
            let data = Data(buffer: try await response.body.collect(upTo: Self.maxAnswerBytes))
            let status = Int(response.status.code)
            switch status {
            case 200:
                guard let verdict = try JSONDecoder().decode(LookupAnswer.self, from: data).answers.first else {
                    return .failure(ServerProblem(message: "the server sent no answer"))
                }
                return .success(.verdict(verdict))
            case 400..<500:
                let message = (try? JSONDecoder().decode(ErrorBody.self, from: data))?.error.message ?? "HTTP \(status)"
                return .success(.refused(message))
            default:
                return .failure(ServerProblem(message: "the server answered HTTP \(status)"))
            }
        } catch {
            return .failure(ServerProblem(message: "server unreachable at \(server.absoluteString): \(describe(error))"))
        }
    }

    /// A failed try in words.
    func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout:
            return "no answer within \(timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)) s"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            return "the connection was closed before the answer ended"
        case let error as NIOConnectionError where error.connectionErrors.isEmpty:
            return "cannot find the server's host name"
        case let error as NIOConnectionError:
            return error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
                ? "connection refused" : error.connectionErrors.map { "\($0.error)" }.joined(separator: "; ")
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return "connection refused"
        case is DecodingError:
            return "the server's answer is not a verdict"
        default:
            return "\(error)"
        }
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String }
        var error: Detail
    }
}
