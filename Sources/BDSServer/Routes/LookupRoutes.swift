import BDSCore
import BDSStore
import BDSWire
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat

/// The lookup endpoints. Store lookups are synchronous and take microseconds, so they run right in
/// the handler: a hop to another executor would cost more than the lookup.
struct LookupRoutes<Context: RequestContext>: Sendable {
    let holder: StoreHolder
    let metrics: ServerMetrics
    let limits: Limits
    /// `serve --lang`: the language of answers that ask for none (nil: English).
    var defaultLanguage: String? = nil
    /// `serve --online`: a barcode the store holds no product for is asked about live.
    var live: (@Sendable (GTIN) async -> LiveLookupOutcome)? = nil

    func add(to router: Router<Context>) {
        if live != nil {
            router.get("/v1/barcodes/:code") { request, context in try await barcodeOnline(request, context) }
        } else {
            router.get("/v1/barcodes/:code") { request, context in try barcode(request, context) }
        }
        router.get("/v1/search") { request, _ in try search(request) }
        router.post("/v1/lookup") { request, context in try await lookup(request, context) }
        router.get("/v1/sources") { _, _ in try sources() }
    }

    func barcode(_ request: Request, _ context: Context) throws -> Response {
        let raw = try context.parameters.require("code")
        // Foundation's percent decoding goes through CoreFoundation (a few % of a lookup under load);
        // scanned codes never carry escapes.
        let code = raw.utf8.contains(UInt8(ascii: "%")) ? raw.removingPercentEncoding ?? raw : raw
        try checkLength(code, what: "barcode")
        let opened = holder.current
        let messages = AnswerLanguage.forAnswer(request, defaultLanguage: defaultLanguage)
        let key = AnswerCache.key(language: messages.code, code: code)
        if let kept = opened.answers.answer(for: key) {
            metrics.recordVerdict(kept.level)
            return JSONBody.answer(kept.body, status: kept.status, varies: true)
        }
        var verdict = try opened.store.verdict(forBarcode: code)
        verdict.localized = verdict.localized(in: messages)
        metrics.recordVerdict(verdict.verdict)
        let status: HTTPResponse.Status = verdict.verdict == .invalid ? .badRequest : .ok
        let body = ByteBuffer(bytes: JSONWriter.encode(verdict))
        opened.answers.keep(AnswerCache.Answer(body: body, status: status, level: verdict.verdict), for: key)
        return JSONBody.answer(body, status: status, varies: true)
    }

    /// The same answer, asking the live source first when the store holds no product for the code.
    func barcodeOnline(_ request: Request, _ context: Context) async throws -> Response {
        let raw = try context.parameters.require("code")
        let code = raw.utf8.contains(UInt8(ascii: "%")) ? raw.removingPercentEncoding ?? raw : raw
        try checkLength(code, what: "barcode")
        let store = holder.current.store
        var verdict = try store.verdict(forBarcode: code)
        if let live, let gtin = Store.wantsLiveLookup(verdict) {
            verdict = try store.verdict(for: code, offline: verdict, live: await live(gtin))
        }
        verdict.localized = verdict.localized(in: AnswerLanguage.forAnswer(request, defaultLanguage: defaultLanguage))
        metrics.recordVerdict(verdict.verdict)
        return JSONBody.answer(verdict, status: verdict.verdict == .invalid ? .badRequest : .ok, varies: true)
    }

    func search(_ request: Request) throws -> Response {
        let parameters = request.uri.queryParameters
        guard let q = parameters.get("q").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }), !q.isEmpty else {
            throw APIError(.badRequest, "give a name to search for: /v1/search?q=NAME")
        }
        try checkLength(q, what: "query")
        var limit = 10
        if let given = parameters.get("limit") {
            guard let n = Int(given), (1...limits.maxSearchLimit).contains(n) else {
                throw APIError(.badRequest, "limit must be a whole number from 1 to \(limits.maxSearchLimit), not \(given)")
            }
            limit = n
        }
        let candidates = try holder.current.store.search(q, limit: limit)
        return JSONBody.answer(SearchAnswer(query: q, candidates: candidates))
    }

    func lookup(_ request: Request, _ context: Context) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limits.maxBodyBytes {
            throw tooLarge()
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limits.maxBodyBytes)
        } catch {
            throw tooLarge()
        }
        let batch: LookupRequest
        do {
            batch = try JSONDecoder().decode(LookupRequest.self, from: Data(buffer: body))
        } catch {
            throw APIError(.badRequest, #"the body must be JSON like {"queries": ["7290011498382", "sabra"]}"#)
        }
        guard !batch.queries.isEmpty else { throw APIError(.badRequest, "queries is empty: give at least one barcode or name") }
        guard batch.queries.count <= limits.maxBatch else {
            throw APIError(.badRequest, "\(batch.queries.count) queries in one request; at most \(limits.maxBatch) are allowed")
        }
        for (i, query) in batch.queries.enumerated() {
            if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw APIError(.badRequest, "query \(i + 1) is empty")
            }
            try checkLength(query, what: "query \(i + 1)")
        }
        let store = holder.current.store
        let messages = AnswerLanguage.forAnswer(request, defaultLanguage: defaultLanguage)
        let answers = try batch.queries.map { query in
            var verdict = try store.verdict(for: query)
            verdict.localized = verdict.localized(in: messages)
            return verdict
        }
        for answer in answers { metrics.recordVerdict(answer.verdict) }
        return JSONBody.answer(LookupAnswer(answers: answers), varies: true)
    }

    func sources() throws -> Response {
        let opened = holder.current
        let summary = try opened.store.summary()
        return try JSONBody.encoded(
            SourcesAnswer(
                path: summary.path, builtAt: summary.builtAt, origin: summary.origin, counts: summary.counts,
                sources: summary.sources, lastRefresh: summary.lastRefresh, sha256: try opened.checksum(),
                bytes: opened.fileBytes,
                openedAt: ISO8601DateFormatter().string(from: opened.openedAt)
            )
        )
    }

    func checkLength(_ text: String, what: String) throws {
        guard text.count <= limits.maxQueryLength else {
            throw APIError(
                .badRequest, "the \(what) is \(text.count) characters long; at most \(limits.maxQueryLength) are allowed")
        }
    }

    func tooLarge() -> APIError {
        APIError(
            .contentTooLarge,
            "the request body is larger than \(limits.maxBodyBytes) bytes; send at most \(limits.maxBatch) queries")
    }
}
