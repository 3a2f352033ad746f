import ArgumentParser
import BDSCore
import BDSImport
import Foundation
import Logging

/// `bdscheck refresh`: rebuilds the store from the importer definitions, all or nothing.
struct RefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Rebuild the store from importers/*.toml. A failed build leaves the live store untouched."
    )

    @OptionGroup var output: OutputOptions
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let locator = StoreLocator(store: storeOptions.store, data: storeOptions.data)
        guard let importers = locator.importersDirectory else {
            printError("no importers/ folder found: pass --data DIR (the folder holding importers/ and datasets/)")
            throw ExitCode(ExitStatus.internalError)
        }
        do {
            let definitions = try ImportDefinition.loadAll(directory: importers).filter(\.source.includedByDefault)
            let builder = StoreBuilder(
                definitions: definitions, displayRoot: locator.dataDirectory,
                origin: locator.isExplicit ? "refresh" : "shipped-datasets", logger: Logger(label: "bdscheck.refresh")
            )
            let report = try builder.build(to: locator.storePath)
            if output.json {
                print(try JSONOutput.string(report, pretty: true))
                return
            }
            for s in report.sources {
                let inserted = s.inserted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                print("\(s.id): \(s.records) records → \(inserted.isEmpty ? "nothing" : inserted)\(s.skipped > 0 ? " (\(s.skipped) skipped)" : "")")
            }
            for w in report.warnings { print("note: \(w)") }
            if report.warningsDropped > 0 { print("note: … and \(report.warningsDropped) more") }
            print(String(format: "Built %@ in %.2f s.", locator.storePath, report.seconds))
        } catch let error as ImportError {
            printError("refresh failed, the live store is unchanged: \(error)")
            throw ExitCode(ExitStatus.internalError)
        }
    }
}
