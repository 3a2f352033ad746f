public import ArgumentParser
import BDSCheckRun
import BDSCore

/// `bdscheck`: checks barcodes and names against boycott lists linked to the BDS call, offline.
public struct BDSCheck: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bdscheck",
        abstract: "Say whether a product or brand is named by a boycott campaign linked to the Palestinian BDS call, and why.",
        discussion: """
            Reports what named sources say: which list, which category, why, since when, and the \
            ownership path from the product to the listed company. Works offline from a local store \
            built from the files in importers/ and datasets/.

            Exit status: 0 no listing found; 10 consumer boycott target; 11 other campaign listing \
            (grassroots boycott, pressure, divestment, UN database); 12 hint only; 13 unknown or cannot be \
            checked; 64 usage; 65 invalid input; 1 internal error.
            """,
        version: BDSCheckVersion.string,
        subcommands: [
            CheckCommand.self, SearchCommand.self, SourcesCommand.self, RefreshCommand.self, RollbackCommand.self,
            DefinitionsCommand.self, ReportsCommand.self,
            ServeCommand.self, KioskCommand.self, SnapshotCommand.self, PullCommand.self,
        ],
        defaultSubcommand: CheckCommand.self
    )

    public init() {}

    /// A command's name among the queries of the default command, which ArgumentParser reads when an
    /// option comes first (`bdscheck --data DIR refresh` is a check of the name "refresh", since the
    /// options belong to `check`): a usage problem naming the fix, instead of an answer about a name
    /// nobody meant to check. `bdscheck check refresh` still checks the name.
    public static func misplacedCommand(_ arguments: [String]) -> String? {
        guard arguments.first != "check", let check = (try? parseAsRoot(arguments)) as? CheckCommand,
            let name = check.queries.first(where: PlainCheck.subcommandNames.contains)
        else { return nil }
        return
            "`\(name)` is a command: give it first, before its options (`bdscheck \(name) --help` lists them); to check a name spelled so, use `bdscheck check \(name)`"
    }
}
