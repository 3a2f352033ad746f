public import BDSCore
public import BDSStore
import BDSWire
import Foundation

/// One run of the check — `bdscheck CODE|NAME…`, or `--batch` — however its arguments were read
/// and whichever executable runs it: the full `bdscheck` (its `check` command, or `PlainCheck`
/// before ArgumentParser) and the lean `bdscheck-lean`, so every one gives the same answers and
/// exit statuses.
public struct CheckRun: Sendable {
    public var queries: [String]
    public var batch: Bool
    public var json: Bool
    public var pretty: Bool
    public var messages: Messages
    /// `--store` and `--data`.
    public var store: String?
    public var data: String?

    /// With `--online`: what the live source says of a product code the store does not hold.
    public typealias LiveSource = (GTIN) -> LiveLookupOutcome

    public init(
        queries: [String], batch: Bool, json: Bool, pretty: Bool, messages: Messages, store: String?, data: String?
    ) {
        self.queries = queries
        self.batch = batch
        self.json = json
        self.pretty = pretty
        self.messages = messages
        self.store = store
        self.data = data
    }

    /// With no query at all and standard input a pipe or file, queries come from standard input.
    public var readsStandardInput: Bool { Self.readsStandardInput(queries: queries, batch: batch) }

    static func readsStandardInput(queries: [String], batch: Bool) -> Bool {
        batch || (queries.isEmpty && isatty(STDIN_FILENO) == 0)
    }

    /// What is wrong with these queries and `--batch` as a command line, if anything: the usage
    /// error of both argument readers.
    public static func usageProblem(queries: [String], batch: Bool) -> String? {
        if batch && !queries.isEmpty {
            return "give queries as arguments or with --batch on standard input, not both"
        }
        if !readsStandardInput(queries: queries, batch: batch) && queries.allSatisfy(PlainCheck.isBlank) {
            return "give a barcode or a name to check, e.g. `bdscheck 7290011498382` or `bdscheck sabra`"
        }
        return nil
    }

    /// Answers every query with the store `open` gives for `--store` and `--data` (with that many
    /// connections) and the live source `live` gives for that store's path (`--online`); returns
    /// the exit status (`ExitStatus`).
    public func run(
        open: (_ store: String?, _ data: String?, _ connections: Int) throws -> Store,
        live makeLive: (_ storePath: String) -> LiveSource? = { _ in nil }
    ) throws -> Int32 {
        // A batch answers its lines on several threads, each with a connection of its own.
        let store = try open(self.store, data, readsStandardInput ? Self.batchThreads : 1)
        let live = makeLive(store.path)
        if readsStandardInput { return try runBatch(store, live: live) }
        var levels: [VerdictLevel] = []
        for (i, query) in queries.filter({ !PlainCheck.isBlank($0) }).enumerated() {
            var verdict = try Self.verdict(for: query, store: store, live: live)
            levels.append(verdict.verdict)
            if json {
                verdict.localized = verdict.localized(in: messages)
                print(try JSONOutput.string(verdict, pretty: pretty))
            } else {
                if i > 0 { print("") }
                print(VerdictText.render(verdict, style: .forTerminal(messages: messages)))
            }
        }
        return ExitStatus.code(for: levels)
    }

    /// The store's answer, or, with `--online` and a product code the store does not know, the
    /// answer with what the live source said.
    static func verdict(for query: String, store: Store, live: LiveSource?) throws -> Verdict {
        let verdict = try store.verdict(for: query)
        guard let live, let gtin = Store.wantsLiveLookup(verdict) else { return verdict }
        return try store.verdict(for: query, offline: verdict, live: live(gtin))
    }

    /// How many lines a batch answers at once, at most, and how many threads answer them.
    static let batchBlock = 512
    public static var batchThreads: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    func runBatch(_ store: Store, live: LiveSource?) throws -> Int32 {
        var levels: [VerdictLevel] = []
        // One answer for every line, blank lines included, so answers can be paired with input lines;
        // a blank line's (invalid) answer does not count towards the exit status.
        var lines = InputLines(descriptor: STDIN_FILENO)
        var output = OutputBlock(descriptor: STDOUT_FILENO)
        // A live lookup waits on the network: those batches run one line at a time, each answer
        // written as soon as it is made.
        let threads = live == nil ? min(Self.batchThreads, store.connectionCount) : 1
        let blockLimit = live == nil ? Self.batchBlock : 1
        do {
            while let first = lines.next() {
                // The lines already read, up to a block: a slow writer gets each answer as its line comes.
                var block = [first]
                while block.count < blockLimit, lines.hasBufferedLine, let line = lines.next() { block.append(line) }
                // In order; at the first line that fails, the answers before it still go out.
                for result in answers(block, store: store, live: live, threads: threads) {
                    let answer = try result.get()
                    if let level = answer.level { levels.append(level) }
                    try output.append(answer.json)
                }
                // Before waiting for more input, everything answered so far goes out.
                if !lines.hasBufferedLine { try output.flush() }
            }
        } catch {
            try? output.flush()
            throw error
        }
        try output.flush()
        return levels.isEmpty ? ExitStatus.usage : ExitStatus.code(for: levels)
    }

    /// One batch line's answer: its JSON line, and its level when the line was not blank.
    struct BatchAnswer {
        var json: [UInt8]
        var level: VerdictLevel?
    }

    func answer(_ line: String, store: Store, live: LiveSource?) throws -> BatchAnswer {
        var verdict = try Self.verdict(for: line, store: store, live: live)
        verdict.localized = verdict.localized(in: messages)
        var json = JSONWriter.encode(verdict)
        json.append(UInt8(ascii: "\n"))
        return BatchAnswer(json: json, level: CodeReading.queryText(line).isEmpty ? nil : verdict.verdict)
    }

    /// The answers to `block`, in order, made by `threads` threads (the store hands its connections
    /// out in turn, one per lookup, and has as many as there are threads).
    ///
    /// Why threads: a batch line costs about twice what sqlite3 spends on the same SELECT (the
    /// verdict, its wording and its JSON), so one thread cannot keep up with one sqlite3 process;
    /// the lines are independent and the store is read-only (docs/PERFORMANCE.md, "The batch").
    func answers(_ block: [String], store: Store, live: LiveSource?, threads: Int) -> [Result<BatchAnswer, any Error>] {
        guard threads > 1, block.count >= 2 * threads else {
            return block.map { line in Result { try answer(line, store: store, live: live) } }
        }
        let results = UnsafeMutableBufferPointer<Result<BatchAnswer, any Error>>.allocate(capacity: block.count)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        let run = self  // a Sendable copy for the threads
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for i in stride(from: thread, to: block.count, by: threads) {
                (slots.baseAddress! + i).initialize(to: Result { try run.answer(block[i], store: store, live: nil) })
            }
        }
        defer { _ = results.deinitialize() }
        return Array(results)
    }
}

/// The documented exit statuses, stable for shell scripts.
///
/// | status | meaning |
/// |---|---|
/// | 0 | no listing found (the product or name is known) |
/// | 10 | listed as a consumer boycott target |
/// | 11 | listed, in another category only (divestment, pressure, organic, UN database, other) |
/// | 12 | hint only (a barcode issued by GS1 Israel; no listing) |
/// | 13 | unknown (nothing is known about the query) |
/// | 14 | owns listed brands or companies (nothing lists the query itself or its owners) |
/// | 64 | usage error (no query, bad option) |
/// | 65 | invalid input (a barcode with a wrong check digit, …) |
/// | 1 | internal error (store missing, unreadable or failed to build) |
///
/// With several queries the status is the most severe one: invalid, then listed, listed in
/// another category, owns listed, hint, unknown, no listing.
public enum ExitStatus {
    public static let usage: Int32 = 64
    public static let internalError: Int32 = 1

    public static func code(for level: VerdictLevel) -> Int32 {
        switch level {
        case .noListingFound: 0
        case .listedConsumerBoycott: 10
        case .listedOther: 11
        case .hintOnly: 12
        case .unknown: 13
        case .ownsListed: 14
        case .invalid: 65
        }
    }

    public static func code(for levels: [VerdictLevel]) -> Int32 {
        code(for: levels.max() ?? .unknown)
    }
}
