import ArgumentParser
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
    @Flag(name: .long, help: "Print JSON (one object per query; see docs/JSON.md).")
    public var json = false

    public init() {}
}
