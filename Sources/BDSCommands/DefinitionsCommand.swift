import ArgumentParser
import BDSCheckRun
import BDSCore
import BDSImport
import BDSStore
import Foundation

/// `bdscheck definitions`: tools for the importer definitions in importers/.
struct DefinitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "definitions",
        abstract: "Check importer definitions against their data before a refresh.",
        subcommands: [DefinitionsCheckCommand.self]
    )
}

/// `bdscheck definitions check [FILE…]`: parses definitions and reads the first records of each
/// source as a build would, reporting what does not fit. Builds nothing, fetches nothing.
struct DefinitionsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse definitions and read each source's first records, reporting keys, paths and values that do not fit.",
        discussion: """
            Checks every definition in importers/, or the FILEs named. A source is read from its \
            local file, from --file ID=PATH, or from the copy a refresh keeps; a source that was never \
            fetched is only parsed. Exit status 0 when everything fits, 1 when a definition or its data \
            has a problem a build would stop at.
            """
    )

    @Argument(help: ArgumentHelp("Definition files (default: every importers/*.toml).", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read ID's data from a local file (repeatable).", valueName: "id=path"))
    var file: [String] = []

    @Option(name: .long, help: "How many records of each source to read.")
    var sample = 1000

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard sample > 0 else { throw ValidationError("--sample is a number of records above 0") }
        for f in file where !f.contains("=") { throw ValidationError("--file takes id=path, not '\(f)'") }
    }

    func run() throws {
        let locator = StoreLocator(store: storeOptions.store, data: storeOptions.data)
        var paths = files.map(StoreLocator.absolute)
        if paths.isEmpty {
            guard let importers = locator.importersDirectory else {
                printError("no importers/ folder found: pass --data DIR or name the definition files")
                throw ExitCode(ExitStatus.internalError)
            }
            paths = ((try? FileManager.default.contentsOfDirectory(atPath: importers)) ?? [])
                .filter { $0.hasSuffix(".toml") }.sorted().map { importers + "/" + $0 }
        }
        var overrides: [String: String] = [:]
        for f in file {
            let parts = f.split(separator: "=", maxSplits: 1).map(String.init)
            overrides[parts[0]] = StoreLocator.absolute(parts[1])
        }
        // The copies `bdscheck refresh` keeps of fetched and --file sources, beside the store.
        let cache = SourceFetcher.cacheDirectory(besideStore: locator.storePath)
        let check = DefinitionCheck(sample: sample)
        var failed = false
        var ids: [String: String] = [:]
        for path in paths {
            let shown = LocalPath.shown(path, relativeTo: locator.dataDirectory)
            let definition: ImportDefinition
            do {
                definition = try ImportDefinition(contentsOf: path)
            } catch {
                print("\(shown): cannot be read")
                print("  problem: \(error)")
                failed = true
                continue
            }
            let id = definition.source.id
            if let other = ids[id] {
                print("\(shown): source id '\(id)' is also used by \(other)")
                failed = true
            }
            ids[id] = shown
            let format = definition.format.kind.rawValue
            let location = definition.source.location
            // The file a refresh would read: --file, else a kept copy (it stands in for the
            // definition's file or URL until `refresh --drop`), else the definition's own file.
            let kept = SourceFetcher.cachedPath(in: cache, for: id)
            let data: String?
            if let o = overrides[id] {
                data = o
            } else if FileManager.default.fileExists(atPath: kept) {
                data = kept
            } else if location.hasPrefix("http://") || location.hasPrefix("https://") {
                data = nil
            } else {
                data = location
            }
            guard let data else {
                print("\(shown) (\(id), \(format)): definition parsed; not fetched yet, so no records read")
                print("  (`bdscheck refresh \(id)` fetches it; `--file \(id)=PATH` checks a local copy)")
                continue
            }
            guard FileManager.default.fileExists(atPath: data) else {
                print(
                    "\(shown) (\(id), \(format)): definition parsed; its data \(LocalPath.shown(data, relativeTo: locator.dataDirectory)) does not exist"
                )
                failed = true
                continue
            }
            let dataShown = LocalPath.shown(data, relativeTo: locator.dataDirectory)
            let outcome = check.run(definition, path: data, displayPath: dataShown)
            let read =
                !outcome.complete
                ? "the first \(outcome.records) records"
                : outcome.records == 1 ? "its 1 record" : "all \(outcome.records) records"
            if outcome.problems.isEmpty, outcome.complete, outcome.records == 0 {
                print("\(shown) (\(id), \(format)): \(dataShown) has no records yet; the definition parsed")
            } else if outcome.problems.isEmpty {
                print("\(shown) (\(id), \(format)): fits \(read) of \(dataShown)")
            } else {
                failed = true
                let place =
                    outcome.records == 0 ? "before any record of \(dataShown) was read" : "in \(read) of \(dataShown)"
                print("\(shown) (\(id), \(format)): \(outcome.problems.count) problem(s) \(place)")
                for p in outcome.problems { print("  problem: \(p)") }
            }
            if outcome.valueProblemsCount > 0 {
                let reported = definition.emits.contains { $0.reportInvalid }
                print(
                    "  \(outcome.valueProblemsCount) value(s) refused"
                        + (reported
                            ? " (emits with on-invalid = \"report\" set such records aside)" : " (a build stops at the first)"))
                for p in outcome.valueProblems { print("  value: \(p)") }
                if !reported { failed = true }
            }
        }
        if failed { throw ExitCode(ExitStatus.internalError) }
    }
}
