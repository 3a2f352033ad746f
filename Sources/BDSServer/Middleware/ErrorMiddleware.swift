import Hummingbird
import Logging

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
