public import BDSCore
import BDSStore
import Foundation

/// The plain check — `bdscheck CODE|NAME…` with `--json`, `--pretty`, `--batch`, `--lang`,
/// `--store` and `--data` — read without ArgumentParser.
///
/// Why: a cold `bdscheck CODE` is start-up, not lookup. Measured on a 1 M-product store
/// (docs/PERFORMANCE.md, "The check path"), ArgumentParser's parse of the command tree — eleven
/// subcommands' property wrappers, reflected through `Mirror` and the runtime's conformance
/// lookups — was the largest cost left once the binary stopped loading libcurl. This reader
/// accepts only argument lists whose meaning is certain and returns nil for anything else (a
/// subcommand's name anywhere, `check` aside, an unknown or repeated option, `--`, `--online`,
/// `--help`, `--version`, a usage error, a settings file to read), which then goes to ArgumentParser as before, so
/// errors, help and every other command keep ArgumentParser's behaviour.
/// `PlainCheckTests` holds the two readers to the same result. The lean executable,
/// `bdscheck-lean`, reads its arguments with it alone and hands anything it returns nil for to the
/// full one.
public enum PlainCheck {
    /// What ArgumentParser would have made of a plain check's arguments.
    public struct Arguments: Equatable, Sendable {
        public var queries: [String] = []
        public var batch = false
        public var json = false
        public var pretty = false
        public var lang: String?
        public var store: String?
        public var data: String?

        public init(
            queries: [String] = [], batch: Bool = false, json: Bool = false, pretty: Bool = false, lang: String? = nil,
            store: String? = nil, data: String? = nil
        ) {
            self.queries = queries
            self.batch = batch
            self.json = json
            self.pretty = pretty
            self.lang = lang
            self.store = store
            self.data = data
        }

        /// The run these arguments ask for (no live lookup: `--online` is never read here).
        public var run: CheckRun {
            CheckRun(
                queries: queries, batch: batch, json: json, pretty: pretty, messages: PlainCheck.messages(lang: lang),
                store: store, data: data)
        }
    }

    /// The root command's subcommands, and ArgumentParser's own `help`: an argument list naming
    /// one is never read here. `PlainCheckTests` checks this list against `BDSCheck`'s.
    public static let subcommandNames = [
        "check", "search", "sources", "refresh", "rollback", "definitions", "reports", "serve", "kiosk", "snapshot",
        "pull", "help",
    ]

    /// Reads `arguments` (without the program's name) as a plain check, or returns nil.
    public static func read(_ arguments: [String]) -> Arguments? {
        var args = arguments[...]
        if args.first == "check" { args = args.dropFirst() }
        var result = Arguments()
        var seen: [String] = []
        var i = args.startIndex
        while i < args.endIndex {
            let arg = args[i]
            i += 1
            guard arg.hasPrefix("-") else {
                if subcommandNames.contains(arg) { return nil }
                result.queries.append(arg)
                continue
            }
            var name = arg
            var inlineValue: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            }
            // A repeated option or flag is left to ArgumentParser's own rules.
            guard !seen.contains(name) else { return nil }
            seen.append(name)
            switch name {
            case "--json", "--pretty", "--batch":
                guard inlineValue == nil else { return nil }
                if name == "--json" { result.json = true }
                if name == "--pretty" { result.pretty = true }
                if name == "--batch" { result.batch = true }
            case "--lang", "--store", "--data":
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    // ArgumentParser does not take a value that looks like an option.
                    guard i < args.endIndex, !args[i].hasPrefix("-") else { return nil }
                    value = args[i]
                    i += 1
                }
                if name == "--lang" { result.lang = value }
                if name == "--store" { result.store = value }
                if name == "--data" { result.data = value }
            default:
                return nil
            }
        }
        // The usage errors `CheckCommand.validate` and `LanguageOptions.validate` report.
        if let lang = result.lang, Messages.forLanguage(lang) == nil { return nil }
        if CheckRun.usageProblem(queries: result.queries, batch: result.batch) != nil { return nil }
        // A settings file may turn the live lookup on: the full reader reads it.
        if SettingsFile.toRead(environment: environment([SettingsFile.variable, "XDG_CONFIG_HOME", "HOME"])) != nil {
            return nil
        }
        return result
    }

    /// Whether a query is only spaces and tabs (Unicode category Zs and U+0009: Foundation's
    /// `.whitespaces`, without building a `CharacterSet` on every start).
    public static func isBlank(_ query: String) -> Bool {
        query.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// The messages for `--lang` (nil when not given), else the locale variables, else English.
    public static func messages(lang: String?) -> Messages {
        if let lang, let m = Messages.forLanguage(lang) { return m }
        if let code = Language.fromEnvironment(environment(["LC_ALL", "LC_MESSAGES", "LANG"])),
            let m = Messages.forLanguage(code)
        {
            return m
        }
        return .english
    }

    /// The variables `names` that are set, read one by one with `getenv` (the whole environment as
    /// a dictionary, `ProcessInfo.environment`, costs more than a check's argument reading).
    public static func environment(_ names: [String]) -> [String: String] {
        var found: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { found[name] = String(cString: value) }
        }
        return found
    }
}
