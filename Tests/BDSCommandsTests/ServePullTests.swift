import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("bdscheck serve --pull: a running server pulls, installs and answers from each newer snapshot", .tags(.endToEnd, .slow))
struct ServePullTests {
    /// A loopback port that was free a moment ago (bound, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The `dataVersion` the server's /readyz reports, nil while it does not answer.
    static func readyVersion(port: Int) async -> Int? {
        guard let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["dataVersion"] as? Int
    }

    static func waitFor(version: Int, port: Int, seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await readyVersion(port: port) == version { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    @Test("Starts on snapshot 1 with no store of its own, then moves to snapshot 2 within a pull interval")
    func pullsAndReloads() async throws {
        let directory = try FixtureStore.temporaryDirectory()
        let published = directory + "/published"
        for arguments in [
            ["snapshot", "keygen", "--public-key", directory + "/k.pub", "--secret-key", directory + "/k.key"],
            ["snapshot", "create", "--key", directory + "/k.key", "--out", published, "--store", FixtureStore.sharedStorePath],
        ] {
            let r = try CLI.run(arguments)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let files = SnapshotFileServer(directory: published)
        try await files.application().test(.live) { client in
            let port = try Self.freePort()
            let server = Process()
            server.executableURL = CLI.executable
            server.arguments = [
                "serve", "--port", "\(port)", "--store", directory + "/kiosk/store.sqlite",
                "--pull", "http://127.0.0.1:\(client.port!)/snapshot/", "--every", "2s", "--trust", directory + "/k.pub",
            ]
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            defer {
                kill(server.processIdentifier, SIGTERM)
                server.waitUntilExit()
            }
            #expect(try await Self.waitFor(version: 1, port: port, seconds: 60))
            let r = try CLI.run([
                "snapshot", "create", "--key", directory + "/k.key", "--out", published, "--store", FixtureStore.sharedStorePath,
            ])
            #expect(r.status == 0, "\(r.stderr)")
            // One interval (2 s) plus the download, the checks and the reload, with room for a loaded machine.
            #expect(try await Self.waitFor(version: 2, port: port, seconds: 20))
            #expect(FileManager.default.fileExists(atPath: directory + "/kiosk/store.sqlite.prev"))
        }
    }
}
