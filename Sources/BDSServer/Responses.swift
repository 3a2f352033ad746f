import BDSCore
import BDSWire
import Foundation
public import Hummingbird
import Logging
import Synchronization

/// A request the API refuses, with the words a client needs to fix it. The one bridge from our
/// errors to HTTP: the body is `{"error": {"status": 400, "message": "…"}}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var status: Int
            var message: String
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.encoded(Body(error: .init(status: status.code, message: message)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON responses in the one wire format `bdscheck --json` speaks too (BDSWire).
///
/// Two paths, chosen at compile time: answers (verdicts, search results) through the hand-written
/// writer, which gives the same bytes as JSONEncoder at a fraction of the cost (see JSONWriter);
/// operational replies (health, sources, reload, errors) through JSONEncoder. A type served by the
/// second path is remembered in `encodedTypes`, so a test can tell an answer type that missed the
/// fast writer.
enum JSONBody {
    /// `varies`: the answer's words follow `Accept-Language`, so caches must key on it.
    static func answer(_ value: some JSONWritable, status: HTTPResponse.Status = .ok, varies: Bool = false) -> Response {
        answer(ByteBuffer(bytes: JSONWriter.encode(value)), status: status, varies: varies)
    }

    /// An answer already written by the fast writer (`AnswerCache` keeps these bytes).
    static func answer(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, varies: Bool = false) -> Response {
        var r = Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        if varies { r.headers[.vary] = "Accept-Language" }
        return r
    }

    static func encoded<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        encodedTypes.withLock { _ = $0.insert(String(describing: T.self)) }
        return response(bytes: Array(try JSONOutput.encoder(pretty: false).encode(value)), status: status)
    }

    /// The type names `encoded` has served in this process.
    static let encodedTypes = Mutex<Set<String>>([])

    private static func response(bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

/// Turns every error into a JSON error body, and logs at error level the ones that are not
/// `HTTPResponseError`s (Hummingbird would log those only at debug and answer an empty 500).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? Self.defaultMessage(error.status, request), headers: error.headers)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error(
                "request failed",
                metadata: [
                    "error": "\(String(reflecting: error))", "method": "\(request.method)",
                    "path": "\(request.uri.path)", "route": "\(context.endpointPath ?? "-")",
                ]
            )
            throw APIError(.internalServerError, "internal error; the server log has the details")
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "no such endpoint: \(request.method) \(request.uri.path) (see /openapi.yaml)"
        default: status.reasonPhrase
        }
    }
}
