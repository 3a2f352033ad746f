import BDSCore
import BDSStore
import BDSWire
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
    public var timeout: TimeInterval

    public init(server: URL, fallbackStore: Store? = nil, attempts: Int = 2, retryDelay: Duration = .milliseconds(500), timeout: TimeInterval = 3) {
        self.server = server
        self.fallbackStore = fallbackStore
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
        self.timeout = timeout
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
        var request = URLRequest(url: server.appendingPathComponent("v1/lookup"), timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        do {
            request.httpBody = try JSONEncoder().encode(LookupRequest(queries: [scan]))
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
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
            return .failure(ServerProblem(message: "server unreachable at \(server.absoluteString): \(error.localizedDescription)"))
        }
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String }
        var error: Detail
    }
}
