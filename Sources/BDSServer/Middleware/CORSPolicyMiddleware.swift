import Hummingbird

/// Lets pages from the configured origins call the API. Requests from other origins get no CORS
/// headers, so browsers keep refusing them; requests without `Origin` pass untouched.
struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: Set<String>

    var allowsAll: Bool { allowed.contains("*") }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard let origin = request.headers[.origin], allowsAll || allowed.contains(origin) else {
            return try await next(request, context)
        }
        var headers: HTTPFields = [.accessControlAllowOrigin: allowsAll ? "*" : origin]
        if !allowsAll { headers[.vary] = "Origin" }
        if request.method == .options {
            headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            headers[.accessControlAllowHeaders] = "Content-Type, Authorization"
            headers[.accessControlMaxAge] = "600"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: headers)
        return response
    }
}
