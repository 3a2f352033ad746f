import BDSTestSupport
import Foundation
import Testing

/// `bdscheck-lean`, the plain check alone (installed as `bdscheck`, with the full executable beside
/// it as `bdscheck-full`), against the full `bdscheck`: the same answers, statuses and errors,
/// whichever of the two is run.
@Suite("The lean executable", .serialized, .tags(.endToEnd))
struct LeanExecutableTests {
    let project: String
    let store: String
    let lean = CLI.buildFolder.appendingPathComponent("bdscheck-lean")

    init() throws {
        project = try FixtureStore.copyProject()
        store = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        let r = try CLI.run(["refresh", "--data", project, "--store", store])
        #expect(r.status == 0, "refresh failed: \(r.stderr)")
    }

    @Test(
        "It answers as the full executable does, and hands over what it does not answer itself",
        arguments: [
            ["sabra"], ["7290011498382"], ["SodaStream", "Plain Brand"], ["--json", "sabra"], ["--json", "--pretty", "Fitness"],
            ["--lang", "ar", "sabra"], ["--lang=fr", "--json", "7290011498387"], ["check", "Strauss Group"],
            ["(01)07290011498382"], ["7290011498387"],
            // Handed over: another command, help, a usage error, an unknown option.
            ["search", "sabra"], ["--help"], ["--version"], ["--lang", "xx", "sabra"], ["--frobnicate", "sabra"], ["   "],
        ])
    func sameAsFull(arguments: [String]) throws {
        let args = arguments + ["--data", project, "--store", store]
        let full = try CLI.run(args)
        let leanRun = try CLI.run(args, executable: lean)
        #expect(leanRun.status == full.status, "\(arguments): \(leanRun.stderr)")
        #expect(leanRun.stdout == full.stdout, "\(arguments)")
        #expect(leanRun.stderr == full.stderr, "\(arguments)")
        #expect(!full.stdout.isEmpty || !full.stderr.isEmpty)
    }

    @Test("`--version` alone is answered by the lean executable itself, in the full one's words")
    func versionAlone() throws {
        let full = try CLI.run(["--version"])
        let leanRun = try CLI.run(["--version"], executable: lean)
        #expect(full.status == 0 && leanRun.status == 0)
        #expect(leanRun.stdout == full.stdout && !full.stdout.isEmpty)
        #expect(leanRun.stderr == full.stderr)
    }

    @Test("--batch gives the same lines and status")
    func batch() throws {
        let input = "sabra\n7290011498382\n\n7290011498387\n"
        let args = ["--batch", "--data", project, "--store", store]
        let full = try CLI.run(args, stdin: input)
        let leanRun = try CLI.run(args, stdin: input, executable: lean)
        #expect(leanRun.status == full.status)
        #expect(leanRun.stdout == full.stdout)
        #expect(full.stdout.split(separator: "\n").count == 4)
    }

    @Test(
        "--batch answers each line as it comes, before the next one is written",
        arguments: ["bdscheck", "bdscheck-lean"])
    func batchAnswersAsLinesCome(executable: String) throws {
        let process = Process()
        process.executableURL = CLI.buildFolder.appendingPathComponent(executable)
        process.arguments = ["--batch", "--data", project, "--store", store]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        /// The next answer line, or nil when none comes within 20 s.
        func answer() -> String? {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var line = Data()
            let reader = output.fileHandleForReading
            DispatchQueue.global().async {
                while !line.contains(UInt8(ascii: "\n")) {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    line.append(chunk)
                }
                done.signal()
            }
            guard done.wait(timeout: .now() + 20) == .success else { return nil }
            return String(decoding: line, as: UTF8.self)
        }
        for (query, status) in [
            ("sabra", "\"verdict\":\"listed-consumer-boycott\""), ("7290011498382", "\"verdict\":\"hint-only\""),
        ] {
            input.fileHandleForWriting.write(Data((query + "\n").utf8))
            let line = try #require(answer(), "no answer to \(query) while the input stays open")
            #expect(line.contains(status), "\(line)")
        }
    }

    @Test(
        "--batch into a full disk fails with the reason, not with a status that says all was answered",
        arguments: ["bdscheck", "bdscheck-lean"])
    func batchWriteFailure(executable: String) throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let process = Process()
        process.executableURL = CLI.buildFolder.appendingPathComponent(executable)
        process.arguments = ["--batch", "--data", project, "--store", store]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data("sabra\n7290011498382\n".utf8))
        try input.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("cannot write the answers to standard output"), "\(message)")
    }

    @Test("The default store is built on first use by the full executable, then read by the lean one alone")
    func defaultStoreHandedOver() throws {
        let data = try FixtureStore.copyProject()
        let first = try CLI.run(["sabra", "--data", data], executable: lean)
        #expect(first.status == 10, "\(first.stderr)")
        #expect(first.stderr.contains("Building the store from"))
        #expect(FileManager.default.fileExists(atPath: data + "/.bdscheck/store.sqlite"))

        // Alone in a folder (no full executable beside it), it still answers a check on that store…
        let alone = try FixtureStore.temporaryDirectory()
        let copy = alone + "/bdscheck"
        try FileManager.default.copyItem(atPath: lean.path, toPath: copy)
        for bundle in try FileManager.default.contentsOfDirectory(atPath: CLI.buildFolder.path)
        where bundle.hasSuffix(".resources") {
            try FileManager.default.copyItem(
                atPath: CLI.buildFolder.appendingPathComponent(bundle).path, toPath: alone + "/" + bundle)
        }
        let second = try CLI.run(["sabra", "--data", data], executable: URL(fileURLWithPath: copy))
        #expect(second.status == 10, "\(second.stderr)")
        #expect(second.stdout == first.stdout)
        #expect(second.stderr.isEmpty)
        // …and says plainly what is missing for anything else.
        let other = try CLI.run(["search", "sabra", "--data", data], executable: URL(fileURLWithPath: copy))
        #expect(other.status == 1)
        #expect(other.stderr.contains("needs the full bdscheck executable, expected beside this one as bdscheck-full"))
    }
}
