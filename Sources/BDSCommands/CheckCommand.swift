import ArgumentParser
import BDSCheckRun
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

    func validate() throws {
        if let problem = CheckRun.usageProblem(queries: queries, batch: batch) { throw ValidationError(problem) }
    }

    func run() throws {
        let online = try onlineOptions.resolved()
        let run = CheckRun(
            queries: queries, batch: batch, json: output.json, pretty: output.pretty, messages: language.messages,
            store: storeOptions.store, data: storeOptions.data)
        throw ExitCode(
            try run.run(open: { try openStore(store: $0, data: $1, connections: $2) }) { path in
                online.map { OnlineOptions.lookup($0, storePath: path) }.map { lookup in { lookup.outcomeWaiting(for: $0) } }
            })
    }
}

/// A plain `bdscheck CODE|NAME…` read by `PlainCheck`, before ArgumentParser.
public enum PlainCheckCommand {
    /// Runs a plain check and exits with its status; returns only when `arguments` (without the
    /// program's name) are not a plain check, for `BDSCheck.main()` to read them.
    public static func runIfPlain(_ arguments: [String]) {
        guard let plain = PlainCheck.read(arguments) else { return }
        do {
            exit(try plain.run.run(open: { try openStore(store: $0, data: $1, connections: $2) }))
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            BDSCheck.exit(withError: error)
        }
    }
}

/// Opens the store the options name, building the default one on first use; store problems
/// become a message on stderr and the internal-error exit status.
func openStore(_ options: StoreOptions) throws -> Store {
    try openStore(store: options.store, data: options.data)
}

/// Opens the store at `store` (or the default one for the data folder `data`), as `openStore(_:)`,
/// with `connections` read-only connections.
func openStore(store: String?, data: String?, connections: Int = 1) throws -> Store {
    let locator = StoreLocator(store: store, data: data)
    do {
        return try locator.openStoreBuildingDefault(connections: connections, logger: Logger(label: "bdscheck")) { message in
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
