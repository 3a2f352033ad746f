import BDSServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

@Suite("openapi.yaml describes the server exactly")
struct OpenAPIConformanceTests {
    /// One request, the server it goes to, and the spec path it exercises.
    struct Exercise: Sendable, CustomStringConvertible {
        /// `snapshot`: a pulled snapshot (data version 7, three days old) served with a one-day `--max-data-age`.
        /// `refreshed`: a store with its refresh report beside it.
        enum Target: Sendable { case main, withoutToken, brokenStore, snapshot, refreshed }
        var method: HTTPRequest.Method
        var template: String
        var uri: String
        var target: Target = .main
        var headers: HTTPFields = [:]
        var body: String?

        var description: String { "\(method) \(uri)" }
    }

    static let bearer: HTTPFields = [.authorization: "Bearer \(ServerFixture.adminToken)"]
    static let exercises: [Exercise] = [
        Exercise(method: .get, template: "/v1/barcodes/{code}", uri: "/v1/barcodes/0040822011143"),
        Exercise(method: .get, template: "/v1/barcodes/{code}", uri: "/v1/barcodes/7290000000015"),
        Exercise(method: .get, template: "/v1/barcodes/{code}", uri: "/v1/barcodes/4000000000020"),
        Exercise(method: .get, template: "/v1/barcodes/{code}", uri: "/v1/barcodes/0040822011144"),
        Exercise(method: .get, template: "/v1/barcodes/{code}", uri: "/v1/barcodes/" + String(repeating: "9", count: 201)),
        Exercise(method: .get, template: "/v1/search", uri: "/v1/search?q=sabr"),
        Exercise(method: .get, template: "/v1/search", uri: "/v1/search?q=sabra&limit=0"),
        Exercise(
            method: .post, template: "/v1/lookup", uri: "/v1/lookup",
            body: #"{"queries":["sabra","hyperx","0040822011143","Fitness","12345"]}"#),
        Exercise(method: .post, template: "/v1/lookup", uri: "/v1/lookup", body: #"{"queries":[]}"#),
        Exercise(method: .post, template: "/v1/lookup", uri: "/v1/lookup", body: String(repeating: " ", count: 70_000)),
        Exercise(method: .get, template: "/v1/sources", uri: "/v1/sources"),
        Exercise(method: .get, template: "/v1/sources", uri: "/v1/sources", target: .refreshed),
        Exercise(method: .post, template: "/v1/admin/reload", uri: "/v1/admin/reload", headers: bearer),
        Exercise(method: .post, template: "/v1/admin/reload", uri: "/v1/admin/reload"),
        Exercise(method: .post, template: "/v1/admin/reload", uri: "/v1/admin/reload", target: .withoutToken, headers: bearer),
        Exercise(method: .post, template: "/v1/admin/reload", uri: "/v1/admin/reload", target: .brokenStore, headers: bearer),
        Exercise(method: .get, template: "/healthz", uri: "/healthz"),
        Exercise(method: .get, template: "/readyz", uri: "/readyz", target: .snapshot),
        Exercise(method: .get, template: "/v1/barcodes/{code}", uri: "/v1/barcodes/0040822011143", target: .snapshot),
        Exercise(method: .get, template: "/readyz", uri: "/readyz"),
        Exercise(method: .get, template: "/metrics", uri: "/metrics"),
        Exercise(method: .get, template: "/openapi.yaml", uri: "/openapi.yaml"),
        Exercise(method: .get, template: "/", uri: "/"),
        Exercise(method: .get, template: "/kiosk.css", uri: "/kiosk.css"),
        Exercise(method: .get, template: "/kiosk.js", uri: "/kiosk.js"),
        Exercise(method: .get, template: "/kiosk-sw.js", uri: "/kiosk-sw.js"),
        Exercise(method: .get, template: "/kiosk-words.js", uri: "/kiosk-words.js"),
        Exercise(method: .get, template: "/", uri: "/?lang=ar"),
        Exercise(method: .get, template: "/v1/barcodes/{code}", uri: "/v1/barcodes/0040822011143?lang=ur"),
        Exercise(
            method: .post, template: "/v1/lookup", uri: "/v1/lookup?lang=ar",
            body: #"{"queries":["sabra","0040822011144","9780306406157"]}"#),
        Exercise(
            method: .post, template: "/v1/reports", uri: "/v1/reports",
            body: #"{"query": "Sabra", "level": "listed-consumer-boycott", "message": "The owner changed."}"#),
        Exercise(method: .post, template: "/v1/reports", uri: "/v1/reports", body: #"{"query": "Sabra"}"#),
        Exercise(
            method: .post, template: "/v1/reports", uri: "/v1/reports",
            body: #"{"query": "x", "message": "\#(String(repeating: "m", count: 17_000))"}"#),
        Exercise(method: .get, template: "/v1/reports", uri: "/v1/reports", headers: bearer),
        Exercise(method: .get, template: "/v1/reports", uri: "/v1/reports?status=open", headers: bearer),
        Exercise(method: .get, template: "/v1/reports", uri: "/v1/reports?status=x", headers: bearer),
        Exercise(method: .get, template: "/v1/reports", uri: "/v1/reports"),
        Exercise(method: .get, template: "/v1/reports", uri: "/v1/reports", target: .withoutToken),
        Exercise(method: .get, template: "/v1/qr", uri: "/v1/qr?text=https%3A%2F%2Fexample.org%2F%3Fq%3DSabra"),
        Exercise(method: .get, template: "/v1/qr", uri: "/v1/qr?text="),
        Exercise(method: .get, template: "/report", uri: "/report?q=Sabra&level=listed-consumer-boycott"),
        Exercise(method: .get, template: "/report.js", uri: "/report.js"),
    ]
    /// Documented answers these tests cannot provoke without breaking the store under a running
    /// server, or that need more than a handful of requests (ReportEndpointTests provokes the 429).
    static let notExercised: Set<String> = [
        "GET /readyz 503", "POST /v1/reports 429", "POST /v1/reports 503", "GET /v1/reports 503",
    ]

    let spec: [String: Any]
    let paths: [String: [String: Any]]

    init() throws {
        spec = try #require(try YAMLSubset.parse(try ServerResources.bundled().openAPIDocument) as? [String: Any])
        paths = try #require(spec["paths"] as? [String: [String: Any]])
    }

    var validator: SchemaValidator {
        SchemaValidator(schemas: ((spec["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:])
    }

    @Test("Every route in the spec exists in the router and every route in the router is in the spec")
    func routesMatch() throws {
        #expect(spec["openapi"] as? String == "3.1.0")
        let server = try TestServer()
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let served = Set(server.router.routes.map { "\($0.method) \($0.path)" })
        #expect(documented == served)
    }

    @Test("Every documented schema is one this test can check")
    func schemasUseKnownKeywords() throws {
        let schemas = try #require((spec["components"] as? [String: Any])?["schemas"] as? [String: Any])
        func check(_ value: Any, at path: String) {
            guard let object = value as? [String: Any] else {
                (value as? [Any])?.enumerated().forEach { check($1, at: "\(path)[\($0)]") }
                return
            }
            for (key, member) in object {
                #expect(SchemaValidator.known.contains(key), "\(path): \(key)")
                if key == "properties", let properties = member as? [String: Any] {
                    for (name, schema) in properties { check(schema, at: "\(path).\(name)") }
                } else if ["items", "additionalProperties", "oneOf"].contains(key) {
                    check(member, at: "\(path).\(key)")
                }
            }
        }
        for (name, schema) in schemas { check(schema, at: name) }
    }

    @Test("Each answer's status and content type are documented, and its JSON body matches the schema")
    func responsesMatchSchemas() async throws {
        let main = try TestServer(configuration: ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken))
        let withoutToken = try TestServer()
        let brokenPath = try ServerFixture.temporaryDirectory() + "/store.sqlite"
        try ServerFixture.buildStore(to: brokenPath)
        let broken = try TestServer(
            storePath: brokenPath, configuration: ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken))
        try Data("not a store".utf8).write(to: URL(fileURLWithPath: brokenPath), options: .atomic)
        let snapshot = try TestServer(
            storePath: try DataStalenessTests.snapshotStore(),
            configuration: ServerConfiguration(port: 0, maxDataAgeSeconds: 86400)
        )

        let refreshed = try TestServer(storePath: try ServerFixture.storeWithRefreshReport())

        var seen: Set<String> = []
        for exercise in Self.exercises {
            let server =
                switch exercise.target {
                case .main: main
                case .withoutToken: withoutToken
                case .brokenStore: broken
                case .snapshot: snapshot
                case .refreshed: refreshed
                }
            let operation = try #require(
                paths[exercise.template]?[exercise.method.rawValue.lowercased()] as? [String: Any], "\(exercise)")
            let responses = try #require(operation["responses"] as? [String: Any])
            let response = try await server.application.test(.router) { client in
                try await client.execute(
                    uri: exercise.uri, method: exercise.method, headers: exercise.headers,
                    body: exercise.body.map { ByteBuffer(string: $0) }
                )
            }
            let status = String(response.status.code)
            seen.insert("\(exercise.method) \(exercise.template) \(status)")
            guard let documented = responses[status] as? [String: Any] else {
                Issue.record("\(exercise): status \(status) is not documented")
                continue
            }
            let mediaType = String(response.headers[.contentType]?.split(separator: ";").first ?? "")
            guard let content = (documented["content"] as? [String: Any])?[mediaType] as? [String: Any] else {
                Issue.record("\(exercise): content type \(mediaType) is not documented for \(status)")
                continue
            }
            guard mediaType == "application/json" else { continue }
            let schema = try #require(content["schema"] as? [String: Any])
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
            let problems = validator.validate(body, against: schema)
            #expect(problems.isEmpty, "\(exercise) → \(status): \(problems.joined(separator: "; "))")
        }

        var documented: Set<String> = []
        for (path, operations) in paths {
            for (method, operation) in operations {
                for status in ((operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]).keys {
                    documented.insert("\(method.uppercased()) \(path) \(status)")
                }
            }
        }
        #expect(
            documented.subtracting(seen).subtracting(Self.notExercised).isEmpty,
            "documented but never seen: \(documented.subtracting(seen).subtracting(Self.notExercised).sorted())")
    }
}
