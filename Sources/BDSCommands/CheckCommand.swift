import ArgumentParser
import BDSCore
import BDSWire
import BDSImport
import BDSStore
import Foundation
import Logging

/// `bdscheck [check] QUERY...`: the verdict for each barcode or name.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check barcodes or names (the default command: `bdscheck 7290011498382`, `bdscheck sabra`).",
        discussion: """
            A query of digits (spaces and dashes allowed) is a barcode; anything else is a name. \
            With --batch, queries are read from standard input, one per line, and each answer is \
            written as one JSON object per line, in order.
            """
    )

    @Argument(help: ArgumentHelp("Barcodes or names. Quote names with spaces: \"Hewlett Packard\".", valueName: "query"))
    var queries: [String] = []

    @Flag(name: .long, help: "Read queries from standard input, one per line; write one JSON object per line.")
    var batch = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if batch && !queries.isEmpty {
            throw ValidationError("give queries as arguments or with --batch on standard input, not both")
        }
        if !batch && queries.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("give a barcode or a name to check, e.g. `bdscheck 7290011498382` or `bdscheck sabra`")
        }
    }

    func run() throws {
        let store = try openStore(storeOptions)
        if batch {
            try runBatch(store)
            return
        }
        var levels: [VerdictLevel] = []
        let queriesToRun = queries.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        for (i, query) in queriesToRun.enumerated() {
            let verdict = try store.verdict(for: query)
            levels.append(verdict.verdict)
            if output.json {
                print(try JSONOutput.string(verdict, pretty: output.pretty))
            } else {
                if i > 0 { print("") }
                print(VerdictText.render(verdict, style: .forTerminal()))
            }
        }
        throw ExitCode(ExitStatus.code(for: levels))
    }

    func runBatch(_ store: Store) throws {
        var levels: [VerdictLevel] = []
        while let line = readLine(strippingNewline: true) {
            let query = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !query.isEmpty else { continue }
            let verdict = try store.verdict(for: query)
            levels.append(verdict.verdict)
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
    let locator = StoreLocator(store: options.store, data: options.data)
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
