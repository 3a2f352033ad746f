import BDSCore
import BDSServer
import BDSStore
import BDSTestSupport
import BDSWire
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// A loopback port nothing listens on (bound, then released).
func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Runs the built `bdscheck` executable with `stdin`.
func runExecutable(_ arguments: [String], stdin: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let r = try CLI.run(arguments, stdin: stdin)
    return (r.status, r.stdout, r.stderr)
}

@Suite("A live server on 127.0.0.1, and the kiosk client against it", .tags(.endToEnd))
struct LiveServerTests {
    @Test("Over a real socket: a barcode, a batch, the page")
    func live() async throws {
        let server = try TestServer()
        try await server.application.test(.live) { client in
            #expect(client.port != nil)
            try await client.execute(uri: "/v1/barcodes/0040822011143", method: .get) { response in
                #expect(response.status == .ok)
                let verdict = try decode(Verdict.self, response)
                #expect(verdict.verdict == .listedConsumerBoycott)
            }
            try await client.execute(uri: "/v1/lookup", method: .post, body: ByteBuffer(string: #"{"queries":["sabr"]}"#)) {
                response in
                let answer = try JSONDecoder().decode(LookupAnswer.self, from: Data(buffer: response.body))
                #expect(answer.answers.first?.candidates.first?.entity.name == "Sabra")
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body).contains("Scan a product"))
            }
        }
    }

    @Test("The kiosk client answers from the server, and passes on the server's refusal")
    func kioskClient() async throws {
        let server = try TestServer()
        try await server.application.test(.live) { client in
            let kiosk = KioskClient(server: URL(string: "http://127.0.0.1:\(try #require(client.port))")!)
            guard case .verdict(let listed) = await kiosk.answer("0040822011143") else {
                Issue.record("expected a verdict from the server")
                return
            }
            #expect(listed.verdict == .listedConsumerBoycott)
            guard case .verdict(let invalid) = await kiosk.answer("0040822011144") else {
                Issue.record("expected a verdict from the server")
                return
            }
            #expect(invalid.problem?.correctedCode == "0040822011143")
            guard case .refused(let message) = await kiosk.answer(String(repeating: "x", count: 300)) else {
                Issue.record("expected the server to refuse an overlong query")
                return
            }
            #expect(message.contains("at most 200"))
        }
    }

    @Test("With the server down the kiosk client says so, or answers from the fallback store")
    func kioskClientServerDown() async throws {
        let url = URL(string: "http://127.0.0.1:\(try closedLoopbackPort())")!
        let alone = KioskClient(server: url, attempts: 2, retryDelay: .milliseconds(10), timeout: 2)
        guard case .unreachable(let reason) = await alone.answer("0040822011143") else {
            Issue.record("expected unreachable")
            return
        }
        #expect(reason.contains("server unreachable"))
        let store = try Store(path: ServerFixture.sharedStorePath)
        let withFallback = KioskClient(server: url, fallbackStore: store, attempts: 1, timeout: 2)
        guard case .fallback(let verdict, _) = await withFallback.answer("sabra") else {
            Issue.record("expected an answer from the fallback store")
            return
        }
        #expect(verdict.verdict == .listedConsumerBoycott)
    }

    @Test("`bdscheck kiosk` prints a framed answer per scan and keeps going when the server is down")
    func kioskCommand() async throws {
        // The server is a child `bdscheck serve`, not one in this process: this test blocks its
        // thread while the kiosk child runs, and on 2 cores an in-process server could be starved
        // of threads by the other tests blocking theirs.
        let serve = try ServeProcess(arguments: ["--store", ServerFixture.sharedStorePath])
        let result = try withExtendedLifetime(serve) {
            try runExecutable(["kiosk", "--server", "http://127.0.0.1:\(serve.port)"], stdin: "0040822011143\n\nPlain Brand\n")
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("✖  CONSUMER BOYCOTT TARGET"))
        #expect(result.stdout.contains("✓  NO LISTING FOUND"))
        #expect(result.stdout.contains("linked by: Sabra → 50 % owned by Strauss Group"))
        #expect(result.stdout.contains("source: https://example.org/fixture/list (read 2026-01-01)"))
        let down = "http://127.0.0.1:\(try closedLoopbackPort())"
        let unreachable = try runExecutable(["kiosk", "--server", down, "--timeout", "2"], stdin: "0040822011143\nsabra\n")
        #expect(unreachable.status == 0)
        #expect(unreachable.stdout.components(separatedBy: "SERVER UNREACHABLE").count == 3, "both scans answered")
        let fallback = try runExecutable(
            ["kiosk", "--server", down, "--fallback-store", ServerFixture.sharedStorePath, "--timeout", "2"], stdin: "sabra\n"
        )
        #expect(fallback.stdout.contains("CONSUMER BOYCOTT TARGET"))
        #expect(fallback.stdout.contains("answered from the local store"))
    }
}
