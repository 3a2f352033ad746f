import BDSCore
import BDSServer
import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Synchronization
import Testing

@Suite("Reloading the store after a refresh", .serialized)
struct ReloadTests {
    let project: String
    let storePath: String

    init() throws {
        project = try ServerFixture.copyProject()
        storePath = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        try ServerFixture.buildStore(project: project, to: storePath)
    }

    /// Adds a product with a barcode the first build does not know, and rebuilds the store in place.
    func refreshWithNewProduct() throws {
        let products = project + "/datasets/products.csv"
        let handle = try #require(FileHandle(forWritingAtPath: products))
        handle.seekToEndOfFile()
        handle.write(Data("4000000000020,Fixture Rolls,Plain Brand,https://example.org/fixture/p4,2026-02-01\n".utf8))
        try handle.close()
        try ServerFixture.buildStore(project: project, to: storePath)
    }

    var configuration: ServerConfiguration { ServerConfiguration(port: 0, adminToken: ServerFixture.adminToken) }

    func verdict(_ client: some TestClientProtocol, _ code: String) async throws -> VerdictLevel {
        try await client.execute(uri: "/v1/barcodes/\(code)", method: .get) { response in
            try JSONDecoder().decode(Verdict.self, from: Data(buffer: response.body)).verdict
        }
    }

    @Test("With no token configured the admin endpoint is disabled (404)")
    func disabled() async throws {
        let server = try TestServer(storePath: storePath)
        try await server.application.test(.router) { client in
            try await client.execute(
                uri: "/v1/admin/reload", method: .post, headers: [.authorization: "Bearer \(ServerFixture.adminToken)"]
            ) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("disabled"))
            }
        }
    }

    @Test(
        "A missing or wrong token is a 401 that names the scheme",
        arguments: [nil, "Bearer wrong-token-0123456789", "Basic abc", ServerFixture.adminToken])
    func unauthorized(header: String?) async throws {
        let server = try TestServer(storePath: storePath, configuration: configuration)
        let headers: HTTPFields = header.map { [.authorization: $0] } ?? [:]
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/admin/reload", method: .post, headers: headers) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
        }
    }

    @Test("The admin endpoint picks up a refreshed store; the store a request started with keeps answering")
    func reloadByEndpoint() async throws {
        let server = try TestServer(storePath: storePath, configuration: configuration)
        try await server.application.test(.router) { client in
            #expect(try await verdict(client, "4000000000020") == .unknown)
            let inFlight = server.holder.current
            try refreshWithNewProduct()
            #expect(try await verdict(client, "4000000000020") == .unknown, "no reload yet")
            try await client.execute(
                uri: "/v1/admin/reload", method: .post, headers: [.authorization: "Bearer \(ServerFixture.adminToken)"]
            ) { response in
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(ReloadAnswer.self, from: Data(buffer: response.body))
                #expect(answer.reloaded)
                #expect(answer.path == storePath)
            }
            #expect(try await verdict(client, "4000000000020") == .noListingFound)
            #expect(try inFlight.store.verdict(forBarcode: "4000000000020").verdict == .unknown)
            #expect(try inFlight.store.verdict(forBarcode: "0040822011143").verdict == .listedConsumerBoycott)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"bdscheck_store_reloads_total{result="success"} 1"#))
            }
        }
    }

    @Test("A reload that cannot open the new file fails with a 500 and the previous store keeps answering")
    func failedReload() async throws {
        let server = try TestServer(storePath: storePath, configuration: configuration)
        let junk = storePath + ".junk"
        try Data("not a store".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(rename(junk, storePath) == 0)
        try await server.application.test(.router) { client in
            try await client.execute(
                uri: "/v1/admin/reload", method: .post, headers: [.authorization: "Bearer \(ServerFixture.adminToken)"]
            ) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).contains("still answering from the previous store"))
            }
            let level = try await verdict(client, "0040822011143")
            #expect(level == .listedConsumerBoycott)
        }
        #expect(server.log.records.withLock { $0 }.contains { $0.level == .error && $0.message.contains("reload failed") })
    }

    @Test("SIGHUP reloads the store")
    func reloadOnHangup() async throws {
        let server = try TestServer(storePath: storePath)
        let source = server.reloader.reloadOnHangup()
        defer { source.cancel() }
        try refreshWithNewProduct()
        kill(getpid(), SIGHUP)
        for _ in 0..<100 where try server.holder.current.store.verdict(forBarcode: "4000000000020").verdict == .unknown {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try server.holder.current.store.verdict(forBarcode: "4000000000020").verdict == .noListingFound)
    }
}
