public import ArgumentParser
public import BDSCore
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

/// The language of the words of an answer.
public struct LanguageOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The language of the answer's words: en, ar, fr, id, ms, tr, ur (default: from $LC_ALL, $LC_MESSAGES or $LANG, else English). A message a language lacks is in English; JSON keeps its fields in English and adds `localized`.",
            valueName: "code"
        )
    )
    public var lang: String?

    public init() {}

    public func validate() throws {
        if let lang, Messages.forLanguage(lang) == nil {
            let known = MessageCatalogue.bundledCodes().joined(separator: ", ")
            throw ValidationError("--lang \(lang): no messages in that language; there are \(known)")
        }
    }

    /// The messages asked for: --lang, else the locale variables, else English.
    public var messages: Messages {
        if let lang, let m = Messages.forLanguage(lang) { return m }
        if let code = Language.fromEnvironment(ProcessInfo.processInfo.environment), let m = Messages.forLanguage(code) {
            return m
        }
        return .english
    }
}
