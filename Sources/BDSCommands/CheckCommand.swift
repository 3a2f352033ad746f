import ArgumentParser
import BDSCore
import BDSImport
import BDSStore
import BDSWire
import Foundation
import Logging

/// `bdscheck [check] QUERY...`: the verdict for each barcode or name.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check barcodes or names (the default command: `bdscheck 7290011498382`, `bdscheck sabra`).",
        discussion: """
            A barcode is read in any form a scanner or phone sends: digits (in any script, with spaces \
            and dashes), a GS1 element string such as (01)00040822011143(17)271231, or a GS1 Digital \
            Link such as https://id.gs1.org/01/00040822011143; anything else is a name. \
            With --batch, or with no query and standard input not a terminal, queries are read from \
            standard input, one per line, and each answer is written as one JSON object per line, in \
            order, one for every line (a blank line gets an invalid answer).
            """
    )

    @Argument(help: ArgumentHelp("Barcodes or names. Quote names with spaces: \"Hewlett Packard\".", valueName: "query"))
    var queries: [String] = []

    @Flag(name: .long, help: "Read queries from standard input, one per line; write one JSON object per line.")
    var batch = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var onlineOptions: OnlineOptions

    /// With no query at all and standard input a pipe or file, queries come from standard input.
    var readsStandardInput: Bool { batch || (queries.isEmpty && isatty(STDIN_FILENO) == 0) }

    func validate() throws {
        if batch && !queries.isEmpty {
            throw ValidationError("give queries as arguments or with --batch on standard input, not both")
        }
        if !readsStandardInput && queries.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("give a barcode or a name to check, e.g. `bdscheck 7290011498382` or `bdscheck sabra`")
        }
    }

    func run() throws {
        try CheckRun(
            queries: queries, batch: batch, json: output.json, pretty: output.pretty, messages: language.messages,
            store: storeOptions.store, data: storeOptions.data, online: onlineOptions
        ).run()
    }

}

/// One run of the check, however its arguments were read: by ArgumentParser (`CheckCommand`) or by
/// the plain-check reader (`QuickCheck`), so both give the same answers and exit statuses.
struct CheckRun {
    var queries: [String]
    var batch: Bool
    var json: Bool
    var pretty: Bool
    var messages: Messages
    /// `--store` and `--data`.
    var store: String?
    var data: String?
    var online: OnlineOptions?

    /// With no query at all and standard input a pipe or file, queries come from standard input.
    var readsStandardInput: Bool { batch || (queries.isEmpty && isatty(STDIN_FILENO) == 0) }

    /// Answers every query; ends by throwing the exit status as an `ExitCode`.
    func run() throws {
        let store = try openStore(store: self.store, data: data)
        let live = online?.lookup(storePath: store.path)
        if readsStandardInput {
            try runBatch(store, live: live)
            return
        }
        var levels: [VerdictLevel] = []
        let queriesToRun = queries.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        for (i, query) in queriesToRun.enumerated() {
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
        throw ExitCode(ExitStatus.code(for: levels))
    }

    /// The store's answer, or, with `--online` and a product code the store does not know, the
    /// answer with what the live source said.
    static func verdict(for query: String, store: Store, live: LiveLookup?) throws -> Verdict {
        let verdict = try store.verdict(for: query)
        guard let live, let gtin = Store.wantsLiveLookup(verdict) else { return verdict }
        return try store.verdict(for: query, offline: verdict, live: live.outcomeWaiting(for: gtin))
    }

    func runBatch(_ store: Store, live: LiveLookup?) throws {
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
        throw ExitCode(levels.isEmpty ? ExitStatus.usage : ExitStatus.code(for: levels))
    }
}

/// Opens the store the options name, building the default one on first use; store problems
/// become a message on stderr and the internal-error exit status.
func openStore(_ options: StoreOptions) throws -> Store {
    try openStore(store: options.store, data: options.data)
}

/// Opens the store at `store` (or the default one for the data folder `data`), as `openStore(_:)`.
func openStore(store: String?, data: String?) throws -> Store {
    let locator = StoreLocator(store: store, data: data)
    do {
        return try locator.openStoreBuildingDefault(logger: Logger(label: "bdscheck")) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
    } catch {
        printError("\(error)")
        throw ExitCode(ExitStatus.internalError)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("bdscheck: " + message + "\n").utf8))
}
