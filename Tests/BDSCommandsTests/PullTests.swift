import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Serves a publishing folder on 127.0.0.1 from inside the test process, with ETags, and can break
/// off store files half way (the connection closes after half the promised bytes).
final class SnapshotFileServer: Sendable {
    let directory: String
    let breakOff = Mutex(false)
    let notModifiedAnswers = Atomic<Int>(0)
    /// Served once in place of the signature: a publication landing between the two reads.
    let signatureOnce = Mutex<Data?>(nil)

    init(directory: String) { self.directory = directory }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.get("/snapshot/{name}") { [self] request, context -> Response in
            let name = try context.parameters.require("name")
            guard !name.hasPrefix("."), let data = FileManager.default.contents(atPath: directory + "/" + name) else {
                return Response(status: .notFound)
            }
            let etag = "\"\(try SnapshotFile.digest(of: directory + "/" + name).sha256.prefix(16))\""
            if request.headers[.ifNoneMatch] == etag {
                notModifiedAnswers.add(1, ordering: .relaxed)
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            if name == SnapshotManifest.signatureFileName,
                let stale = signatureOnce.withLock({ once in
                    defer { once = nil }
                    return once
                })
            {
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: stale)))
            }
            if name.hasPrefix("store-"), breakOff.withLock({ $0 }) {
                let half = ByteBuffer(bytes: data.prefix(data.count / 2))
                return Response(
                    status: .ok, headers: [.contentLength: "\(data.count)"],
                    body: ResponseBody { writer in
                        try await writer.write(half)
                        throw CancellationError()
                    }
                )
            }
            return Response(status: .ok, headers: [.eTag: etag], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite("bdscheck pull over HTTP from an in-process server on 127.0.0.1", .tags(.endToEnd))
struct PullTests {
    let directory: String
    let live: String
    let published: String

    init() throws {
        directory = try FixtureStore.temporaryDirectory()
        live = directory + "/live.sqlite"
        published = directory + "/published"
        try FixtureStore.build(to: live)
    }

    /// Runs the executable on a thread of its own: waiting for it must not hold one of the few
    /// threads the in-process server's handlers need.
    func run(_ arguments: [String]) async throws -> CLI.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try CLI.run(arguments) }) }.start()
        }
    }

    func keys(_ name: String) async throws -> (public: String, secret: String) {
        let pair = (directory + "/\(name).pub", directory + "/\(name).key")
        let r = try await run(["snapshot", "keygen", "--public-key", pair.0, "--secret-key", pair.1])
        #expect(r.status == 0, "\(r.stderr)")
        return pair
    }

    func publish(key: String) async throws {
        let r = try await run(["snapshot", "create", "--key", key, "--out", published, "--store", FixtureStore.sharedStorePath])
        #expect(r.status == 0, "\(r.stderr)")
    }

    func liveHash() throws -> String { try SnapshotFile.digest(of: live).sha256 }

    @Test("Installs a newer snapshot, answers 304 next time, and shows the version in answers")
    func good() async throws {
        let key = try await keys("campaign")
        try await publish(key: key.secret)
        let server = SnapshotFileServer(directory: published)
        try await server.application().test(.live) { client in
            let url = "http://127.0.0.1:\(client.port!)/snapshot/"
            let first = try await run(["pull", url, "--trust", key.public, "--store", live])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("Installed data version 1"))
            let second = try await run(["pull", url, "--trust", key.public, "--store", live])
            #expect(second.stdout.contains("Not modified"), "\(second.stdout) \(second.stderr)")
            #expect(server.notModifiedAnswers.load(ordering: .relaxed) == 1)
            let check = try await run(["--json", "sabra", "--store", live])
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
            let data = try #require(answer["data"] as? [String: Any], "\(check.stdout)")
            #expect(data["version"] as? Int == 1)
            let text = try await run(["sabra", "--store", live])
            #expect(text.stdout.contains("Data      version 1 of "), "\(text.stdout)")
        }
    }

    @Test("Refuses a wrong key, an unsigned manifest and an interrupted download; the store in use is unchanged")
    func refusals() async throws {
        let trusted = try await keys("campaign")
        let other = try await keys("other")
        let before = try liveHash()
        let server = SnapshotFileServer(directory: published)
        try await server.application().test(.live) { client in
            let url = "http://127.0.0.1:\(client.port!)/snapshot/"
            try await publish(key: other.secret)
            let wrong = try await run(["pull", url, "--trust", trusted.public, "--store", live])
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("not trusted"), "\(wrong.stderr)")
            #expect(try liveHash() == before)

            try FileManager.default.removeItem(atPath: published + "/" + SnapshotManifest.signatureFileName)
            let unsigned = try await run(["pull", url, "--trust", other.public, "--store", live])
            #expect(unsigned.status == 1)
            #expect(unsigned.stderr.contains("no signature"), "\(unsigned.stderr)")
            #expect(try liveHash() == before)

            try await publish(key: trusted.secret)
            server.breakOff.withLock { $0 = true }
            let broken = try await run(["pull", url, "--trust", trusted.public, "--store", live])
            #expect(broken.status == 1)
            #expect(broken.stderr.contains("download failed"), "\(broken.stderr)")
            #expect(try liveHash() == before)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".download-") }
            #expect(leftovers.isEmpty)

            server.breakOff.withLock { $0 = false }  // the next pull completes
            let retried = try await run(["pull", url, "--trust", trusted.public, "--store", live])
            #expect(retried.status == 0, "\(retried.stderr)")
        }
    }

    @Test(
        "serve --pull needs --trust and a duration with a unit (30s, 5m, 1h, 1d)",
        arguments: [
            ["serve", "--pull", "http://127.0.0.1:9/snapshot/"],
            ["serve", "--pull", "http://127.0.0.1:9/snapshot/", "--trust", "k.pub", "--every", "5x"],
            ["serve", "--pull", "http://127.0.0.1:9/snapshot/", "--trust", "k.pub", "--every", "0s"],
            ["serve", "--max-data-age", "-3d"],
            ["pull", "http://127.0.0.1:9/snapshot/"],
        ])
    func usage(arguments: [String]) async throws {
        let r = try await run(arguments + ["--store", live])
        #expect(r.status == 64, "\(r.stdout) \(r.stderr)")
    }

    @Test("A manifest and a signature read across a publication: read again once, then installed")
    func acrossPublication() async throws {
        let key = try await keys("campaign")
        try await publish(key: key.secret)
        let first = try Data(contentsOf: URL(fileURLWithPath: published + "/" + SnapshotManifest.signatureFileName))
        try await publish(key: key.secret)
        let server = SnapshotFileServer(directory: published)
        server.signatureOnce.withLock { $0 = first }
        try await server.application().test(.live) { client in
            let r = try await run(["pull", "http://127.0.0.1:\(client.port!)/snapshot/", "--trust", key.public, "--store", live])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Installed data version 2"), "\(r.stdout)")
        }
    }

    static let minisign = ["/usr/bin/minisign", "/usr/local/bin/minisign"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(
        "minisign -V verifies a bdscheck signature, and bdscheck trusts what minisign signs with a bdscheck key",
        .enabled(if: minisign != nil, "minisign is not installed here (apt-get install minisign; .ci/run installs it)")
    )
    func minisignAgrees() async throws {
        let key = try await keys("campaign")
        try await publish(key: key.secret)
        let manifest = published + "/" + SnapshotManifest.fileName
        let verified = try Self.runTool(Self.minisign!, ["-Vm", manifest, "-p", key.public])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("bdscheck data version 1"), "\(verified.output)")

        let other = directory + "/other.txt"
        try "signed by minisign itself\n".write(toFile: other, atomically: true, encoding: .utf8)
        let signed = try Self.runTool(Self.minisign!, ["-S", "-s", key.secret, "-m", other, "-t", "from minisign"])
        #expect(signed.status == 0, "\(signed.output)")
        let signature = try MinisignSignature(text: String(contentsOfFile: other + ".minisig", encoding: .utf8))
        try signature.verify(
            Array(Data(contentsOf: URL(fileURLWithPath: other))),
            trusting: [MinisignPublicKey(text: String(contentsOfFile: key.public, encoding: .utf8))])
    }

    static func runTool(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
