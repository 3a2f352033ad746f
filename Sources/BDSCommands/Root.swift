public import ArgumentParser

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
        version: "0.1.0",
        subcommands: [
            CheckCommand.self, SearchCommand.self, SourcesCommand.self, RefreshCommand.self, RollbackCommand.self,
            DefinitionsCommand.self, ReportsCommand.self,
            ServeCommand.self, KioskCommand.self, SnapshotCommand.self, PullCommand.self,
        ],
        defaultSubcommand: CheckCommand.self
    )

    public init() {}
}
