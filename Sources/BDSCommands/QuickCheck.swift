import ArgumentParser
import BDSCore
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
/// `--help`, `--version`, a usage error), which then goes to ArgumentParser as before, so
/// errors, help and every other command keep ArgumentParser's behaviour.
/// `QuickCheckTests` holds the two readers to the same result.
public enum QuickCheck {
    /// What ArgumentParser would have made of a plain check's arguments.
    struct Arguments: Equatable {
        var queries: [String] = []
        var batch = false
        var json = false
        var pretty = false
        var lang: String?
        var store: String?
        var data: String?
    }

    /// The root command's subcommands, and ArgumentParser's own `help`: an argument list naming
    /// one is never read here. `QuickCheckTests` checks this list against `BDSCheck`'s.
    static let subcommandNames: Set<String> = [
        "check", "search", "sources", "refresh", "rollback", "definitions", "reports", "serve", "kiosk", "snapshot",
        "pull", "help",
    ]

    /// Reads `arguments` (without the program's name) as a plain check, or returns nil.
    static func read(_ arguments: [String]) -> Arguments? {
        var args = arguments[...]
        if args.first == "check" { args = args.dropFirst() }
        var result = Arguments()
        var seen: Set<String> = []
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
            guard seen.insert(name).inserted else { return nil }
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
        if result.batch && !result.queries.isEmpty { return nil }
        let readsStandardInput = result.batch || (result.queries.isEmpty && isatty(STDIN_FILENO) == 0)
        if !readsStandardInput && result.queries.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return nil
        }
        return result
    }

    /// Runs a plain check and exits with its status; returns only when `arguments` are not a plain
    /// check, for `BDSCheck.main()` to read them.
    public static func runIfPlain(_ arguments: [String]) {
        guard let a = read(arguments) else { return }
        let run = CheckRun(
            queries: a.queries, batch: a.batch, json: a.json, pretty: a.pretty,
            messages: LanguageOptions.messages(lang: a.lang), store: a.store, data: a.data, online: nil)
        do {
            try run.run()
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            BDSCheck.exit(withError: error)
        }
    }
}
