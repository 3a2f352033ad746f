import BDSTestSupport
import Foundation
import Testing

/// A project whose good store is already in place: the live store, the previous one (`.prev`) and
/// a source fetched from 127.0.0.1 in the download cache. A hostile or broken input then goes
/// through the real `bdscheck refresh`, and `expectNothingLost` checks that the live store, the
/// previous store and the cache are byte for byte what they were, and that no scratch file is left.
final class GuardedProject {
    let project: String
    let root: String
    let store: String
    private(set) var before: [String: Data] = [:]

    static let remoteRow =
        "Plain Brand,Remote Campaign,consumer-boycott,Named by the remote fixture list,https://example.org/remote,2026-02-01"

    init() throws {
        project = try FixtureStore.copyProject()
        root = (project as NSString).deletingLastPathComponent
        store = root + "/store.sqlite"
        let served = root + "/served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        try ("target,campaign,category,reason,source_url,retrieved\n" + Self.remoteRow + "\n")
            .write(toFile: served + "/remote.csv", atomically: true, encoding: .utf8)
        do {
            let server = try LoopbackHTTPServer.files(in: served)
            try writeRemoteDefinition(url: server.url("remote.csv"))
            let first = try run(["refresh"])
            try #require(first.status == 0, "the first refresh failed: \(first.stderr)")
        }
        // The server is gone: this refresh builds from the cached copy, and the first store becomes `.prev`.
        let second = try run(["refresh"])
        try #require(second.status == 0, "the second refresh failed: \(second.stderr)")
        before = try snapshot()
        try #require(before["store.sqlite.prev"] != nil && before["sources/remote.data"] != nil, "\(before.keys.sorted())")
    }

    func writeRemoteDefinition(url: String) throws {
        try FixtureStore.writeRemoteListingDefinition(project: project, url: url)
    }

    /// Writes `importers/NAME` (a definition) or `datasets/NAME` (data).
    func write(_ relativePath: String, _ text: String) throws {
        try write(relativePath, Data(text.utf8))
    }

    func write(_ relativePath: String, _ data: Data) throws {
        try data.write(to: URL(fileURLWithPath: project + "/" + relativePath))
    }

    func edit(_ relativePath: String, replacing old: String, with new: String) throws {
        let path = project + "/" + relativePath
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try #require(text.contains(old), "\(relativePath) has no '\(old)'")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A definition reading `datasets/FILE` in FORMAT (a `[format]` body), emitting companies named by NAME.
    func addDefinition(_ name: String, file: String, format: String, nameField: String = "name") throws {
        try write(
            "importers/" + name,
            """
            [source]
            id = "\((name as NSString).deletingPathExtension)"
            name = "Hostile input"
            url = "https://example.org/hostile"
            retrieved = "2026-01-01"
            file = "\(file)"

            [format]
            \(format)

            [[emit]]
            into = "company"
            [emit.fields]
            name = "\(nameField)"
            """)
    }

    func run(_ args: [String], limit: TimeInterval = 300, measure: Bool = false) throws -> BoundedRun {
        try BoundedRun(args + ["--data", project, "--store", store], limit: limit, measure: measure)
    }

    /// Every file beside the store (the store, `.prev`, scratch files) and in the download cache.
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: root) where name.hasPrefix("store.sqlite") {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
        }
        for name in (try? fm.contentsOfDirectory(atPath: root + "/sources")) ?? [] {
            files["sources/" + name] = try Data(contentsOf: URL(fileURLWithPath: root + "/sources/" + name))
        }
        return files
    }

    /// A refresh that must fail: exit status 1, the "unchanged" notice, each of `parts` in the
    /// message, and nothing lost.
    @discardableResult
    func expectRefreshFails(
        _ extra: [String] = [], containing parts: [String], limit: TimeInterval = 300, measure: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> BoundedRun {
        let r = try run(["refresh"] + extra, limit: limit, measure: measure)
        #expect(r.status == 1, "refresh should fail: \(r.stdout) \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("refresh failed, the live store is unchanged: "), "\(r.stderr)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(r.stderr.contains(part), "missing «\(part)» in: \(r.stderr)", sourceLocation: sourceLocation)
        }
        try expectNothingLost(sourceLocation: sourceLocation)
        return r
    }

    /// The live store, `.prev` and the cache are as they were; no file was added; the store still answers.
    func expectNothingLost(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try snapshot()
        #expect(
            after.keys.sorted() == before.keys.sorted(), "files beside the store or in the cache changed",
            sourceLocation: sourceLocation)
        for (name, data) in before {
            #expect(after[name] == data, "\(name) changed", sourceLocation: sourceLocation)
        }
        expectStillAnswers(sourceLocation: sourceLocation)
    }

    /// The shipped fixture data and the cached remote source both answer.
    func expectStillAnswers(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((try? run(["sabra"]).status) == 10, "the fixture data no longer answers", sourceLocation: sourceLocation)
        #expect(
            (try? run(["Plain Brand"]).status) == 10, "the cached remote source no longer answers", sourceLocation: sourceLocation
        )
    }

    /// After an accepted input: the old live store became `.prev`, and the cache is untouched.
    func expectAcceptedKeepingHistory(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try snapshot()
        #expect(
            after["store.sqlite.prev"] == before["store.sqlite"], "the previous live store was not kept as .prev",
            sourceLocation: sourceLocation)
        for (name, data) in before where name.hasPrefix("sources/") {
            #expect(after[name] == data, "\(name) changed", sourceLocation: sourceLocation)
        }
        #expect(
            after.keys.filter { $0.contains(".building-") || $0.hasSuffix(".download") }.isEmpty, sourceLocation: sourceLocation)
        expectStillAnswers(sourceLocation: sourceLocation)
    }
}

/// Runs the `bdscheck` executable with output in files and a time limit (SIGKILL beyond it);
/// optionally reports the child's peak resident memory (its `VmHWM`, polled, so no wrapper process).
struct BoundedRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
    var timedOut: Bool
    /// Peak resident memory in MB, when measured.
    var peakMB: Double?

    init(_ arguments: [String], limit: TimeInterval, measure: Bool = false) throws {
        let dir = try FixtureStore.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "BDSCHECK_STORE")
        env.removeValue(forKey: "BDSCHECK_DATA")
        let started = Date()
        let pid = try Self.spawn(CLI.executable.path, arguments, environment: env, stdout: dir + "/out", stderr: dir + "/err")
        timedOut = false
        var waitStatus: Int32 = 0
        var usage = rusage()
        var highWaterKB = 0
        while true {
            // VmHWM, the child's own peak since its exec, polled while it runs: `wait4`'s ru_maxrss
            // also counts the pages shared with this (large) test process before the exec.
            if measure, let kb = Self.highWaterKB(pid) { highWaterKB = max(highWaterKB, kb) }
            let reaped = wait4(pid, &waitStatus, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
            if !timedOut, Date().timeIntervalSince(started) > limit {
                kill(pid, SIGKILL)
                timedOut = true
            }
            usleep(20_000)
        }
        seconds = Date().timeIntervalSince(started)
        // As Foundation's Process reports it: the exit code, or the signal that ended the child.
        let signal = waitStatus & 0x7F
        status = signal == 0 ? (waitStatus >> 8) & 0xFF : signal
        stdout = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
        stderr = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: dir + "/err"))) ?? Data(), as: UTF8.self)
        peakMB = measure ? Double(highWaterKB) / 1024 : nil
    }

    /// The `VmHWM` line of `/proc/PID/status`, in kB, while the process runs.
    static func highWaterKB(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// Starts `path` with standard input from /dev/null and its output in two files; returns its pid.
    static func spawn(
        _ path: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .ENOENT) }
        return pid
    }
}

@Suite("Hostile and broken inputs: a clear error, nothing lost, the live store unchanged", .tags(.endToEnd, .slow))
struct HostileInputTests {
    static let listingsHeader = "target,campaign,category,reason,start_date,end_date,end_reason,source_url,retrieved"
    static func listingRow(_ target: String, reason: String = "Named by the fixture campaign") -> String {
        "\(target),Fixture Campaign,consumer-boycott,\(reason),2024,,,https://example.org/fixture/list,2026-01-01"
    }

    // MARK: XML

    static let xmlFormat = "type = \"xml\"\nrecord = \"list/entry\""

    @Test(
        "XML: an external entity naming a local file is refused, and the file's content goes nowhere",
        arguments: [
            "file://SECRET", "SECRET", "file:///etc/passwd",
        ])
    func xmlExternalEntity(target: String) throws {
        let p = try GuardedProject()
        let secret = p.root + "/secret.txt"
        try "TOP-SECRET-7f3a".write(toFile: secret, atomically: true, encoding: .utf8)
        try p.addDefinition("80-hostile.toml", file: "../datasets/hostile.xml", format: Self.xmlFormat)
        try p.write(
            "datasets/hostile.xml",
            """
            <?xml version="1.0"?>
            <!DOCTYPE list [ <!ENTITY x SYSTEM "\(target.replacingOccurrences(of: "SECRET", with: secret))"> ]>
            <list><entry><name>&x;</name></entry></list>
            """)
        let r = try p.expectRefreshFails(containing: [
            "datasets/hostile.xml: the document declares a DTD (<!DOCTYPE …>); DTDs and entity declarations are refused"
        ])
        #expect(!(r.stdout + r.stderr).contains("TOP-SECRET"))
        #expect(!(r.stdout + r.stderr).contains("root:"))
    }

    @Test("XML: billion laughs stops with an error, in bounded memory")
    func xmlBillionLaughs() throws {
        let p = try GuardedProject()
        var entities = "<!ENTITY lol0 \"lol\">"
        for i in 1...9 {
            entities += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">"
        }
        try p.addDefinition("80-hostile.toml", file: "../datasets/hostile.xml", format: Self.xmlFormat)
        try p.write(
            "datasets/hostile.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE list [\(entities)]>\n<list><entry><name>&lol9;</name></entry></list>\n")
        // libxml2 stops the expansion while it reads the declarations, before the DTD reaches the importer.
        let r = try p.expectRefreshFails(containing: ["datasets/hostile.xml:"], measure: true)
        #expect(
            r.stderr.contains("not well-formed XML: Detected an entity reference loop")
                || r.stderr.contains("DTDs and entity declarations are refused"),
            "\(r.stderr)"
        )
        #expect(!r.stderr.contains("lollol"))
        #expect((r.peakMB ?? 0) < 300, "peak memory \(r.peakMB ?? -1) MB")
    }

    @Test(
        "XML: a DTD or external entity on a URL is never fetched",
        arguments: [
            "<!DOCTYPE list SYSTEM \"URL/evil.dtd\">",
            "<!DOCTYPE list PUBLIC \"-//Evil//DTD//EN\" \"URL/public.dtd\">",
            "<!DOCTYPE list [ <!ENTITY % ext SYSTEM \"URL/ext.dtd\"> %ext; ]>",
            "<!DOCTYPE list [ <!ENTITY x SYSTEM \"URL/entity\"> ]>",
        ])
    func xmlDTDFetch(doctype: String) throws {
        let p = try GuardedProject()
        let server = try LoopbackHTTPServer.misbehaving("record")
        try p.addDefinition("80-hostile.toml", file: "../datasets/hostile.xml", format: Self.xmlFormat)
        let declaration = doctype.replacingOccurrences(of: "URL", with: "http://127.0.0.1:\(server.port)")
        try p.write(
            "datasets/hostile.xml", "<?xml version=\"1.0\"?>\n\(declaration)\n<list><entry><name>A</name></entry></list>\n")
        try p.expectRefreshFails(containing: [
            "datasets/hostile.xml: the document declares a DTD", "DTDs and entity declarations are refused",
        ])
        #expect(server.requests.isEmpty, "the importer asked 127.0.0.1 for \(server.requests)")
    }

    // MARK: Bytes

    @Test("Invalid UTF-8 in a mapped field names the file, line, field and value")
    func invalidUTF8() throws {
        let p = try GuardedProject()
        var data = Data((Self.listingsHeader + "\n" + Self.listingRow("Strauss Group") + "\n").utf8)
        data.append(
            Data("PepsiCo,Fixture ".utf8) + Data([0xFF, 0xFE])
                + Data(" Campaign,pressure,r,2025,,,https://example.org/l,2026-01-01\n".utf8))
        try p.write("datasets/listings.csv", data)
        try p.expectRefreshFails(containing: [
            "datasets/listings.csv:3: field 'campaign' value 'Fixture \u{FFFD}\u{FFFD} Campaign': invalid UTF-8"
        ])
    }

    @Test("A NUL byte in a value is refused (it would silently cut the stored value)", arguments: ["csv", "json"])
    func nulBytes(format: String) throws {
        let p = try GuardedProject()
        if format == "csv" {
            try p.write(
                "datasets/companies.csv",
                try String(contentsOfFile: p.project + "/datasets/companies.csv", encoding: .utf8)
                    + "Nul\u{0}Corp,company,,,,https://example.org/x,2026-01-01\n")
            try p.expectRefreshFails(containing: [
                "datasets/companies.csv:", "field 'name' value 'Nul\\0Corp': the value holds a NUL byte",
            ])
        } else {
            try p.addDefinition(
                "80-hostile.toml", file: "../datasets/hostile.json", format: "type = \"json\"\nrecord = \"companies.*\"")
            try p.write(
                "datasets/hostile.json", "{\"companies\": [\n{\"name\": \"Fine Corp\"},\n{\"name\": \"Nul\\u0000Corp\"}]}\n")
            try p.expectRefreshFails(containing: [
                "datasets/hostile.json:3: field 'name' value 'Nul\\0Corp': the value holds a NUL byte"
            ])
        }
    }

    @Test("A 10 MB line: a 10 MB value is refused (values are at most 64 KiB); in bounded memory")
    func tenMegabyteValue() throws {
        let p = try GuardedProject()
        let big = String(repeating: "x", count: 10 << 20)
        try p.write(
            "datasets/listings.csv",
            Self.listingsHeader + "\n" + Self.listingRow("Strauss Group") + "\n"
                + Self.listingRow("PepsiCo") + "\n" + Self.listingRow("Strauss Group", reason: big) + "\n")
        let r = try p.expectRefreshFails(
            containing: [
                "datasets/listings.csv:4: field 'reason' value 'xxxxxxxx",
                "the value is 10485760 bytes long; a field's value may be at most 65536 bytes",
            ], measure: true)
        #expect((r.peakMB ?? 0) < 300, "peak memory \(r.peakMB ?? -1) MB")
    }

    @Test("A 10 MB line whose long field is not mapped is imported, in bounded memory")
    func tenMegabyteUnmappedColumn() throws {
        let p = try GuardedProject()
        // `note` is not mapped by the companies definition.
        try p.write(
            "datasets/companies.csv",
            try String(contentsOfFile: p.project + "/datasets/companies.csv", encoding: .utf8)
                + "Long Note Foods,company,,," + String(repeating: "n", count: 10 << 20) + ",https://example.org/x,2026-01-01\n")
        let r = try p.run(["refresh"], measure: true)
        #expect(r.status == 0, "\(r.stderr)")
        #expect((r.peakMB ?? 0) < 300, "peak memory \(r.peakMB ?? -1) MB")
        #expect(try p.run(["Long Note Foods"]).status == 0, "known, no listing")
        try p.expectAcceptedKeepingHistory()
    }

    @Test("A record over 64 MB is refused with its line, in bounded memory")
    func oversizedRecord() throws {
        let p = try GuardedProject()
        try p.write(
            "datasets/companies.csv",
            try String(contentsOfFile: p.project + "/datasets/companies.csv", encoding: .utf8)
                + "Huge Foods,company,,," + String(repeating: "n", count: 70 << 20) + ",https://example.org/x,2026-01-01\n")
        let lines = try String(contentsOfFile: p.project + "/datasets/companies.csv", encoding: .utf8).split(separator: "\n")
            .count
        let r = try p.expectRefreshFails(
            containing: ["datasets/companies.csv:\(lines): a record is longer than 64 MB"], measure: true)
        #expect((r.peakMB ?? 0) < 400, "peak memory \(r.peakMB ?? -1) MB")
    }

    @Test("XML: text that never ends inside one record is stopped at 64 MB")
    func xmlEndlessRecordText() throws {
        let p = try GuardedProject()
        try p.addDefinition("80-hostile.toml", file: "../datasets/hostile.xml", format: Self.xmlFormat)
        // Comments split the text into nodes below libxml2's own 10 MB text limit.
        var xml = Data("<list>\n<entry><name>".utf8)
        let chunk = Data((String(repeating: "a", count: 1 << 20) + "<!---->").utf8)
        for _ in 0..<70 { xml.append(chunk) }
        xml.append(Data("</name></entry></list>\n".utf8))
        try p.write("datasets/hostile.xml", xml)
        try p.expectRefreshFails(containing: ["datasets/hostile.xml:2: the record starting on this line holds more than 64 MB"])
    }

    @Test("A truncated or damaged gzip file is an error, never a silently shorter source", arguments: ["truncated", "damaged"])
    func brokenGzip(damage: String) throws {
        let p = try GuardedProject()
        var rows = [Self.listingsHeader]
        for i in 0..<2000 {
            rows.append(Self.listingRow(i % 2 == 0 ? "Strauss Group" : "PepsiCo", reason: "row \(i) \(i * 7919 % 10007)"))
        }
        let plain = p.root + "/listings.csv"
        try (rows.joined(separator: "\n") + "\n").write(toFile: plain, atomically: true, encoding: .utf8)
        let gzipped = p.project + "/datasets/listings.csv.gz"
        _ = FileManager.default.createFile(atPath: gzipped, contents: nil)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-c", "-n", plain]
        gzip.standardOutput = FileHandle(forWritingAtPath: gzipped)
        try gzip.run()
        gzip.waitUntilExit()
        try #require(gzip.terminationStatus == 0, "gzip failed")
        var data = try Data(contentsOf: URL(fileURLWithPath: p.project + "/datasets/listings.csv.gz"))
        try #require(data.count > 1000)
        if damage == "truncated" {
            data = data.prefix(data.count / 2)
        } else {
            for i in stride(from: data.count / 2, to: data.count / 2 + 64, by: 1) { data[i] ^= 0x5A }
        }
        try p.write("datasets/listings.csv.gz", data)
        try p.edit("importers/50-listings.toml", replacing: "listings.csv", with: "listings.csv.gz")
        try p.expectRefreshFails(containing: [
            damage == "truncated"
                ? "datasets/listings.csv.gz: the compressed file is truncated"
                : "datasets/listings.csv.gz: the compressed data is damaged"
        ])
    }

    // MARK: CSV structure

    @Test("A CSV with an unbalanced quote at line 3 of 100,000 names line 3, the field and the file", arguments: [false, true])
    func unbalancedQuote(laterQuote: Bool) throws {
        let p = try GuardedProject()
        var rows = [
            Self.listingsHeader, Self.listingRow("Strauss Group"),
            "PepsiCo,Fixture Campaign,pressure,\"Named as a pressure target,2025,,,https://example.org/l,2026-01-01",
        ]
        for i in 4...100_000 { rows.append(Self.listingRow("Strauss Group", reason: "row \(i)")) }
        if laterQuote {
            // A properly quoted field further down closes the runaway one: the record then has too many fields.
            rows[499] = Self.listingRow("PepsiCo", reason: "\"quoted, as it should be\"")
        }
        try p.write("datasets/listings.csv", rows.joined(separator: "\n") + "\n")
        if laterQuote {
            try p.expectRefreshFails(containing: [
                "datasets/listings.csv:3: this record has 10 fields; the header has 9",
                "it runs over lines 3–500: a quoted field may have an unbalanced \"",
            ])
        } else {
            try p.expectRefreshFails(containing: [
                "datasets/listings.csv:3: field 'reason' value '\"Named as a pressure target,2025",
                "a quoted field opened in the record starting on this line is never closed",
            ])
        }
    }

    @Test("A header that lacks a mapped column names the file, the column, the definition and the header")
    func missingMappedColumn() throws {
        let p = try GuardedProject()
        try p.edit("datasets/listings.csv", replacing: "category,reason", with: "kategorie,reason")
        try p.expectRefreshFails(containing: [
            "datasets/listings.csv:1: field 'emit[1].fields.category' value 'category': column not in the header",
            "kategorie", "asked for by 50-listings.toml, line ",
        ])
    }

    @Test(
        "Duplicate header names are refused before any row is read, mapped or not",
        arguments: [
            ("listings.csv", "retrieved", "campaign", "columns 2 and 10"),
            ("companies.csv", "retrieved", "note", "columns 5 and 8"),
        ])
    func duplicateHeader(file: String, last: String, duplicate: String, columns: String) throws {
        let p = try GuardedProject()
        let text = try String(contentsOfFile: p.project + "/datasets/" + file, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines[0].hasSuffix(last))
        lines[0] += "," + duplicate
        for i in 1..<lines.count where !lines[i].isEmpty { lines[i] += ",extra" }
        try p.write("datasets/" + file, lines.joined(separator: "\n"))
        try p.expectRefreshFails(containing: [
            "datasets/\(file):1: field '\(duplicate)': the header names this column twice (\(columns))"
        ])
    }

    @Test("A UTF-8 byte-order mark is skipped: the first column still matches, and the data loads")
    func byteOrderMark() throws {
        let p = try GuardedProject()
        let text = try String(contentsOfFile: p.project + "/datasets/listings.csv", encoding: .utf8)
        #expect(text.hasPrefix("target,"))
        let extra =
            "Plain Brand,Fixture Campaign,pressure,Added in the file with a byte-order mark,2025,,,https://example.org/l,2026-01-01\n"
        // With Windows line ends too, as spreadsheet exports write them.
        try p.write(
            "datasets/listings.csv",
            Data([0xEF, 0xBB, 0xBF]) + Data((text + extra).replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let r = try p.run(["refresh", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let sources = try #require((summary["report"] as? [String: Any])?["sources"] as? [[String: Any]])
        let listings = try #require(sources.first { $0["id"] as? String == "listings" })
        #expect((listings["inserted"] as? [String: Int])?["listing"] == 6)
        let sabra = try p.run(["--json", "sabra"])
        #expect(sabra.stdout.contains("Fixture Campaign"))
        #expect(!sabra.stdout.contains("\u{FEFF}"))
        try p.expectAcceptedKeepingHistory()
    }

    // MARK: Definitions

    @Test("An unknown format names the definition file, the key and the value")
    func unknownFormat() throws {
        let p = try GuardedProject()
        try p.edit("importers/50-listings.toml", replacing: "type = \"csv\"", with: "type = \"xlsx\"")
        try p.expectRefreshFails(containing: [
            "importers/50-listings.toml: field 'format.type' value 'xlsx': unknown format; use one of: csv, tsv, xml, json, jsonl"
        ])
    }

    @Test(
        "A file path that leaves the project is refused before anything is read",
        arguments: [
            "../../secret.csv", "../datasets/../../secret.csv", "./../../secret.csv",
            "../../../../../../../../../../../etc/passwd",
        ])
    func pathEscapesProject(path: String) throws {
        let p = try GuardedProject()
        // A readable, valid file just outside the project: it would import if the path were followed.
        try "name\nSecret Outside Corp\n".write(toFile: p.root + "/secret.csv", atomically: true, encoding: .utf8)
        try p.addDefinition("80-hostile.toml", file: path, format: "type = \"csv\"")
        try p.expectRefreshFails(containing: [
            "importers/80-hostile.toml: field 'source.file' value '\(path)': the path leads outside the project folder"
        ])
        #expect(try p.run(["Secret Outside Corp"]).status == 13, "unknown")
    }

    @Test(
        "A URL other than http(s) is refused where a source is named",
        arguments: [
            ("fetch", "file:///etc/passwd", "only http(s) URLs can be fetched"),
            ("fetch", "ftp://127.0.0.1/list.csv", "only http(s) URLs can be fetched"),
            ("file", "file:///etc/passwd", "a local path, not a URL"),
            ("file", "http://127.0.0.1:9/list.csv", "a local path, not a URL"),
        ])
    func nonHTTPURL(key: String, url: String, message: String) throws {
        let p = try GuardedProject()
        try p.addDefinition("80-hostile.toml", file: "../datasets/companies.csv", format: "type = \"csv\"")
        try p.edit("importers/80-hostile.toml", replacing: "file = \"../datasets/companies.csv\"", with: "\(key) = \"\(url)\"")
        let r = try p.expectRefreshFails(containing: [
            "importers/80-hostile.toml: field 'source.\(key)' value '\(url)': \(message)"
        ])
        #expect(!r.stderr.contains("root:"))
    }

    // MARK: HTTP

    @Test(
        "An HTTP source that answers 500 or redirects in a loop (or to file:) fails clearly",
        arguments: [
            ("500", "the server answered HTTP 500"),
            ("loop", "download failed: too many HTTP redirects"),
            ("to-file", "download failed: too many HTTP redirects, or a redirect to a URL that is not http(s)"),
        ])
    func httpFailure(mode: String, message: String) throws {
        let p = try GuardedProject()
        let server = try LoopbackHTTPServer.misbehaving(mode)
        try p.writeRemoteDefinition(url: server.url("remote.csv"))
        let r = try p.expectRefreshFails(["remote"], containing: [server.url("remote.csv") + ": " + message], limit: 120)
        #expect(!server.requests.isEmpty)
        #expect(server.requests.count <= 50, "\(server.requests.count) requests: redirects must be bounded")
        #expect(!r.stderr.contains("root:"))
    }

    @Test(
        "An HTTP source that stalls fails within the --timeout, and the live store stays",
        arguments: ["stall-head", "stall-body"])
    func httpStall(mode: String) throws {
        let p = try GuardedProject()
        let server = try LoopbackHTTPServer.misbehaving(mode)
        try p.writeRemoteDefinition(url: server.url("remote.csv"))
        let r = try p.expectRefreshFails(
            ["remote", "--timeout", "2"],
            containing: [
                server.url("remote.csv") + ": download failed: timed out: the server sent nothing for 2 s"
            ], limit: 120)
        #expect(!r.timedOut)
        // Generous: the default timeout (30 s) would overrun it.
        #expect(r.seconds < 25, "took \(r.seconds) s")
        #expect(!server.requests.isEmpty, "the server was never contacted")
    }

    @Test("--timeout must be a positive number of seconds")
    func timeoutValidation() throws {
        let p = try GuardedProject()
        let r = try p.run(["refresh", "--timeout", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--timeout"))
        try p.expectNothingLost()
    }
}
