import BDSCore
import BDSServer
import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

@Suite("The data in use is visible: snapshot version and age on /readyz, /metrics, every answer and the kiosk page")
struct DataStalenessTests {
    /// A store published as snapshot 7 (stamped as a puller would install it).
    static func snapshotStore() throws -> String {
        let directory = try FixtureStore.temporaryDirectory()
        let manifest = try SnapshotPublisher.create(
            store: FixtureStore.sharedStorePath, outDirectory: directory, key: .generate(), dataVersion: 7,
            now: Date(timeIntervalSinceNow: -3 * 86400)
        )
        return directory + "/" + manifest.store.file
    }

    @Test("With --max-data-age below the data's age: stale on /readyz (still ready), the version everywhere")
    func stale() async throws {
        let server = try TestServer(
            storePath: try Self.snapshotStore(), configuration: ServerConfiguration(port: 0, maxDataAgeSeconds: 86400))
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(HealthAnswer.self, from: Data(buffer: response.body))
                #expect(answer.status == "ready")
                #expect(answer.dataVersion == 7)
                #expect(answer.stale == true)
                #expect((answer.dataAgeSeconds ?? 0) >= 3 * 86400)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("\nbdscheck_data_version 7\n"))
            }
            try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get) { response in
                let verdict = try JSONDecoder().decode(Verdict.self, from: Data(buffer: response.body))
                #expect(verdict.data?.version == 7)
            }
            try await client.execute(uri: "/", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains(#"name="bdscheck-max-data-age-seconds" content="86400""#))
                #expect(!page.contains("__MAX_DATA_AGE_SECONDS__"))
            }
        }
    }

    @Test("Without a limit nothing is stale; a store built locally has a date and no version")
    func notStale() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                let answer = try JSONDecoder().decode(HealthAnswer.self, from: Data(buffer: response.body))
                #expect(answer.stale == nil)
                #expect(answer.dataVersion == nil)
                #expect(answer.dataDate != nil)
            }
        }
    }
}
