import BDSCore
import BDSServer
import BDSStore
import BDSWire
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
}

/// The message of a JSON error body, checking that the body's status is the response's.
func errorMessage(_ response: TestResponse) throws -> String {
    struct Body: Decodable {
        struct Detail: Decodable {
            var status: Int
            var message: String
        }
        var error: Detail
    }
    let body = try decode(Body.self, response)
    #expect(body.error.status == response.status.code)
    return body.error.message
}

@Suite("Lookup endpoints through the router")
struct LookupEndpointTests {
    let server: TestServer

    init() throws {
        server = try TestServer()
    }

    @Test(
        "A barcode's answer is byte for byte what `bdscheck --json` encodes",
        arguments: [
            ("0040822011143", VerdictLevel.listedConsumerBoycott),
            ("7290000000015", .hintOnly),
            ("4000000000013", .noListingFound),
            ("4000000000020", .unknown),
        ])
    func barcode(code: String, level: VerdictLevel) async throws {
        // As `bdscheck --json` prints it: with the English words of `localized`.
        var answer = try server.holder.current.store.verdict(forBarcode: code)
        answer.localized = answer.localized(in: .english)
        let expected = try JSONOutput.encoder(pretty: false).encode(answer)
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/\(code)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(Data(buffer: response.body) == expected)
                let verdict = try decode(Verdict.self, response)
                #expect(verdict.verdict == level)
            }
        }
    }

    @Test("A wrong check digit is a 400 whose verdict gives the expected digit and the corrected code")
    func wrongCheckDigit() async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/0040822011144", method: .get) { response in
                #expect(response.status == .badRequest)
                let verdict = try decode(Verdict.self, response)
                #expect(verdict.verdict == .invalid)
                #expect(verdict.problem?.expectedCheckDigit == 3)
                #expect(verdict.problem?.correctedCode == "0040822011143")
            }
            try await client.execute(uri: "/v1/barcodes/12ab", method: .get) { response in
                #expect(response.status == .badRequest)
                let verdict = try decode(Verdict.self, response)
                #expect(verdict.problem != nil)
            }
        }
    }

    @Test("A barcode over the length limit is refused with the limit in the message")
    func barcodeTooLong() async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/" + String(repeating: "1", count: 201), method: .get) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.contains("at most 200"))
            }
        }
    }

    @Test("Search returns scored candidates, best first, within the limit")
    func search() async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/search?q=sabr&limit=3", method: .get) { response in
                #expect(response.status == .ok)
                let answer = try decode(SearchAnswer.self, response)
                #expect(answer.query == "sabr")
                #expect(answer.candidates.first?.entity.name == "Sabra")
                #expect(answer.candidates.count <= 3)
                #expect(answer.candidates.map(\.score) == answer.candidates.map(\.score).sorted(by: >))
            }
        }
    }

    @Test(
        "Search refuses a missing, empty or overlong query and a bad limit",
        arguments: [
            ("/v1/search", "give a name"),
            ("/v1/search?q=%20%20", "give a name"),
            ("/v1/search?q=" + String(repeating: "a", count: 201), "at most 200"),
            ("/v1/search?q=sabra&limit=0", "limit must be"),
            ("/v1/search?q=sabra&limit=51", "limit must be"),
            ("/v1/search?q=sabra&limit=ten", "limit must be"),
        ])
    func searchErrors(uri: String, expected: String) async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.contains(expected))
            }
        }
    }

    @Test("A batch is answered in order, barcodes and names alike, invalid codes included")
    func lookup() async throws {
        let queries = ["sabra", "0040822011143", "Fitness", "0040822011144", "Plain Brand"]
        try await server.application.test(.router) { client in
            let body = ByteBuffer(data: try JSONEncoder().encode(LookupRequest(queries: queries)))
            try await client.execute(uri: "/v1/lookup", method: .post, headers: [.contentType: "application/json"], body: body) {
                response in
                #expect(response.status == .ok)
                let answers = try decode(LookupAnswer.self, response).answers
                #expect(answers.map(\.query) == queries)
                #expect(
                    answers.map(\.verdict) == [
                        .listedConsumerBoycott, .listedConsumerBoycott, .unknown, .invalid, .noListingFound,
                    ])
            }
        }
    }

    @Test(
        "A batch is refused when it is not the documented JSON, empty, too large or has an empty query",
        arguments: [
            ("", HTTPResponse.Status.badRequest, "must be JSON"),
            ("[1, 2]", .badRequest, "must be JSON"),
            (#"{"queries": "sabra"}"#, .badRequest, "must be JSON"),
            (#"{"queries": []}"#, .badRequest, "queries is empty"),
            (#"{"queries": ["sabra", " "]}"#, .badRequest, "query 2 is empty"),
            (#"{"queries": ["\#(String(repeating: "x", count: 201))"]}"#, .badRequest, "query 1 is 201 characters"),
            (#"{"queries": [\#(Array(repeating: "\"sabra\"", count: 101).joined(separator: ","))]}"#, .badRequest, "at most 100"),
            (#"{"queries": ["\#(String(repeating: "x", count: 70_000))"]}"#, .contentTooLarge, "larger than 65536 bytes"),
        ])
    func lookupErrors(body: String, status: HTTPResponse.Status, expected: String) async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/lookup", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == status)
                let message = try errorMessage(response)
                #expect(message.contains(expected))
            }
        }
    }

    @Test("Sources lists every source with its date, the counts, the build time and the file's checksum")
    func sources() async throws {
        let summary = try server.holder.current.store.summary()
        let fileHash = try Self.shellSHA256(ServerFixture.sharedStorePath)
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/sources", method: .get) { response in
                #expect(response.status == .ok)
                let answer = try decode(SourcesAnswer.self, response)
                #expect(answer.sources.map(\.id) == summary.sources.map(\.id))
                #expect(!answer.sources.isEmpty)
                #expect(answer.counts["products"] == 3)
                #expect(answer.builtAt == summary.builtAt)
                #expect(answer.sha256 == fileHash)
                #expect(answer.bytes > 0)
                let companies = answer.sources.first { $0.id == "companies" }
                #expect(companies?.origin?.kind == .definition)
                #expect(companies?.inserted?["entity"] == 12)
                #expect(answer.lastRefresh == nil)
            }
        }
    }

    @Test("Sources carries the last refresh's report in short when one is kept beside the store")
    func sourcesWithRefreshReport() async throws {
        let refreshed = try TestServer(storePath: try ServerFixture.storeWithRefreshReport())
        try await refreshed.application.test(.router) { client in
            try await client.execute(uri: "/v1/sources", method: .get) { response in
                let last = try #require(try decode(SourcesAnswer.self, response).lastRefresh)
                #expect(last.describesThisStore == true)
                #expect(last.dropped == ["export"])
                #expect(last.sources.map(\.id) == ["companies", "products"])
                #expect(last.sources.last?.invalid == 1)
            }
        }
    }

    static func shellSHA256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
