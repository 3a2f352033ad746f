public import ArgumentParser
import BDSCheckRun
public import BDSCore
import BDSImport
import BDSStore
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

/// `--online`: look up, once, a barcode the data does not know in the Open Food Facts API. The
/// settings file's `[online]` table (`Settings`) gives the defaults; options win over it.
struct OnlineOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Look up a barcode the data holds no product for in the Open Food Facts API (sends that barcode only; off by default).",
            discussion:
                "Answers, \"not found\" included, are kept in live-cache.sqlite beside the store; no answer within 2 s gives the offline answer, labelled. `enabled = true` under [online] in the settings file ($BDSCHECK_CONFIG, else $XDG_CONFIG_HOME/bdscheck/config.toml, else ~/.config/bdscheck/config.toml) turns it on for every run."
        ))
    var online = false

    @Flag(name: .long, help: "No live lookup for this run, even when the settings file turns it on.")
    var offline = false

    @Option(
        name: .customLong("online-api"),
        help: ArgumentHelp(
            "The Open Food Facts API --online asks (default: the settings file's, else \(LiveLookup.defaultAPI)).",
            valueName: "url"))
    var onlineAPI: String?

    @Option(
        name: .customLong("online-contact"),
        help: ArgumentHelp(
            "How the API's operators can reach you (an e-mail address), sent in the User-Agent as its usage policy asks.",
            valueName: "contact"))
    var onlineContact: String?

    func validate() throws {
        if online && offline { throw ValidationError("--online and --offline contradict each other: give one") }
    }

    /// Where and how to look up, when `--online` is given or the settings file turns the lookup on
    /// (and `--offline` is not given); nil for none. A settings file that cannot be read is a usage
    /// error naming the file and key.
    func resolved() throws -> (api: String, contact: String?)? {
        guard !offline else { return nil }
        let settings: Settings
        do {
            settings = try Settings.load()
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.usage)
        }
        guard online || settings.online else { return nil }
        return (onlineAPI ?? settings.onlineAPI ?? LiveLookup.defaultAPI, onlineContact ?? settings.onlineContact)
    }

    static func lookup(_ resolved: (api: String, contact: String?), storePath: String) -> LiveLookup {
        LiveLookup(
            api: resolved.api, contact: resolved.contact, cache: try? LiveCache(path: LiveCache.defaultPath(forStore: storePath)))
    }
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
    public var messages: Messages { PlainCheck.messages(lang: lang) }

}
