public import BDSCore
public import BDSStore
import BDSWire
import Foundation

/// One run of the check — `bdscheck CODE|NAME…`, or `--batch` — however its arguments were read
/// and whichever executable runs it: the full `bdscheck` (its `check` command, or `PlainCheck`
/// before ArgumentParser) and the lean `bdscheck-lean`, so every one gives the same answers and
/// exit statuses.
public struct CheckRun {
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
    public var readsStandardInput: Bool { batch || (queries.isEmpty && isatty(STDIN_FILENO) == 0) }

    /// Answers every query with the store `open` gives for `--store` and `--data`, and the live
    /// source `live` gives for that store's path (`--online`); returns the exit status
    /// (`ExitStatus`).
    public func run(
        open: (_ store: String?, _ data: String?) throws -> Store,
        live makeLive: (_ storePath: String) -> LiveSource? = { _ in nil }
    ) throws -> Int32 {
        let store = try open(self.store, data)
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

    func runBatch(_ store: Store, live: LiveSource?) throws -> Int32 {
        var levels: [VerdictLevel] = []
        // One answer for every line, blank lines included, so answers can be paired with input lines;
        // a blank line's (invalid) answer does not count towards the exit status.
        while let line = readLine(strippingNewline: true) {
            var verdict = try Self.verdict(for: line, store: store, live: live)
            verdict.localized = verdict.localized(in: messages)
            if !CodeReading.queryText(line).isEmpty { levels.append(verdict.verdict) }
            // Written straight to the descriptor, so a reader on a pipe gets each answer as it is made.
            var line = JSONWriter.encode(verdict)
            line.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(Data(line))
        }
        return levels.isEmpty ? ExitStatus.usage : ExitStatus.code(for: levels)
    }
}
