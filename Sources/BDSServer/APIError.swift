import BDSCore
import Foundation
import Hummingbird

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
        var response = try JSONBody.response(Body(error: .init(status: status.code, message: message)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON responses through the encoder `bdscheck --json` uses, so both speak one model.
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        // Answers (verdicts, search results) go through the hand-written writer, which gives the same
        // bytes as JSONEncoder at a fraction of the cost (see JSONWriter); the rest through JSONEncoder.
        let data: [UInt8]
        if let writable = value as? any JSONWritable {
            data = JSONWriter.encode(writable)
        } else {
            data = Array(try JSONOutput.encoder(pretty: false).encode(value))
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
