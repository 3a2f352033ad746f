public import ArgumentParser
import Foundation

/// Where the store is and where the importer definitions are.
public struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store file (default: $BDSCHECK_STORE, else .bdscheck/store.sqlite in the data folder).",
            valueName: "path"
        )
    )
    public var store: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The folder holding importers/ and datasets/ (default: $BDSCHECK_DATA, else found from the current folder or the executable).",
            valueName: "dir"
        )
    )
    public var data: String?

    public init() {}
}

/// Output format shared by the commands that answer queries.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON: one object per query, each on one line (see docs/JSON.md).")
    public var json = false

    @Flag(name: .long, help: "With --json, indent the JSON for reading.")
    public var pretty = false

    public init() {}
}

/// The output options of `bdscheck sources`, whose JSON is one summary rather than an answer per query.
public struct SourcesOutputOptions: ParsableArguments {
    @Flag(
        name: .long,
        help:
            "Print the summary as one JSON object: the store's path, build time and origin, row counts, each source with where its data came from, its URL, date, licence, records, SHA-256 and rows made, and the last refresh in short."
    )
    public var json = false

    @Flag(name: .long, help: "With --json, indent the JSON for reading.")
    public var pretty = false

    public init() {}
}
