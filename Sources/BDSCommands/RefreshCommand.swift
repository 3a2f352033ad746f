import ArgumentParser
import BDSCore
import BDSImport
import BDSStore
import BDSWire
import Foundation
import Logging

/// `bdscheck refresh [SOURCE...]`: fetches sources and rebuilds the store, all or nothing.
struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch sources and rebuild the store from importers/*.toml. A failure leaves the live store untouched.",
        discussion: """
            Without SOURCE, rebuilds from every default source (and every fetched source kept in \
            the cache). Naming a source fetches it again (a conditional GET when the server \
            supports it) and includes it even when its definition says `default = false`. \
            The new store is built beside the live one, checked, compared with it, and swapped in \
            with one rename; the previous one is kept for `bdscheck rollback`.
            """
    )

    @Argument(help: ArgumentHelp("Source ids (the `id` in each definition's [source]).", valueName: "source"))
    var sources: [String] = []

    @Option(
        name: .long, help: ArgumentHelp("Import ID from a local file instead of fetching it (repeatable).", valueName: "id=path"))
    var file: [String] = []

    @Option(name: .long, help: "Stop when a source would lose more than this share of its rows of any kind (0 to 1).")
    var maxDrop = 0.2

    @Flag(name: .long, help: "Swap the new store in even when a source loses more rows than --max-drop allows.")
    var force = false

    @Flag(name: .long, help: "Build, check and compare with the live store, print the full report, and swap nothing in.")
    var dryRun = false

    @Flag(name: .long, help: "List every set-aside record and every note in the text report, not only counts and the first few.")
    var verbose = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds a download may wait for the server to connect, answer or send more bytes.", valueName: "seconds"))
    var timeout: Double = 30

    @OptionGroup var output: OutputOptions
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard (0...1).contains(maxDrop) else { throw ValidationError("--max-drop is a share between 0 and 1") }
        guard timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout is a number of seconds above 0 (at most a day)")
        }
        for f in file where !f.contains("=") { throw ValidationError("--file takes id=path, not '\(f)'") }
    }

    struct Summary: Encodable {
        var store: String
        var seconds: Double
        var fetched: [String: String]
        var report: BuildReport
        var diff: StoreDiff?
        var dryRun = false
    }

    func run() async throws {
        let locator = StoreLocator(store: storeOptions.store, data: storeOptions.data)
        guard let importers = locator.importersDirectory else {
            printError("no importers/ folder found: pass --data DIR (the folder holding importers/ and datasets/)")
            throw ExitCode(ExitStatus.internalError)
        }
        let fetcher = SourceFetcher(
            cacheDirectory: (locator.storePath as NSString).deletingLastPathComponent + "/sources", idleTimeout: timeout,
            logger: Logger(label: "bdscheck.fetch")
        )
        do {
            try await refresh(locator: locator, importers: importers, fetcher: fetcher)
        } catch {
            await fetcher.shutdown()
            throw error
        }
        await fetcher.shutdown()
    }

    /// Fetches, builds and swaps; the caller shuts the fetcher down.
    func refresh(locator: StoreLocator, importers: String, fetcher: SourceFetcher) async throws {
        var downloads: [SourceFetcher.Fetched] = []
        do {
            let all = try ImportDefinition.loadAll(directory: importers)
            let known = Set(all.map(\.source.id))
            for id in sources where !known.contains(id) {
                throw ValidationError("no source '\(id)'; known: \(known.sorted().joined(separator: ", "))")
            }
            var overrides: [String: String] = [:]
            for f in file {
                let parts = f.split(separator: "=", maxSplits: 1).map(String.init)
                guard known.contains(parts[0]) else { throw ValidationError("no source '\(parts[0])' for --file") }
                overrides[parts[0]] = StoreLocator.absolute(parts[1])
            }
            var chosen: [ImportDefinition] = []
            var fetched: [String: String] = [:]
            for var definition in all {
                let id = definition.source.id
                let named = sources.contains(id) || overrides[id] != nil
                let isRemote = definition.source.location.hasPrefix("http://") || definition.source.location.hasPrefix("https://")
                let cached = isRemote ? fetcher.cached(id) : nil
                guard definition.source.includedByDefault || named || cached != nil else { continue }
                if let path = overrides[id] {
                    definition.source.location = path
                    fetched[id] = "local file \(path)"
                } else if isRemote {
                    if named || cached == nil {
                        note("fetching \(id) from \(definition.source.location)…")
                        let result = try await fetcher.fetch(id: id, url: definition.source.location)
                        downloads.append(result)
                        definition.source.location = result.path
                        fetched[id] = result.outcome.rawValue
                    } else if let cached {
                        definition.source.location = cached
                        fetched[id] = "cached copy"
                    }
                }
                chosen.append(definition)
            }

            let diffBox = DiffBox()
            let (maxDrop, force) = (self.maxDrop, self.force)
            var builder = StoreBuilder(
                definitions: chosen, displayRoot: locator.dataDirectory,
                origin: chosen.contains { fetched[$0.source.id] != nil } ? "refresh" : "shipped-datasets",
                logger: Logger(label: "bdscheck.refresh")
            )
            builder.extraInputs = all.map(\.path)
            builder.progress = ProgressDisplay.make()
            builder.beforeSwap = { newStore, liveStore in
                guard let liveStore else { return }
                let diff = try StoreDiff.compute(new: newStore, old: liveStore)
                diffBox.set(diff)
                let drops = diff.excessiveDrops(maxShare: maxDrop)
                if !drops.isEmpty && !force {
                    let list = drops.map(\.description).joined(separator: "; ")
                    throw ImportError(
                        file: liveStore,
                        message: "the new data drops more than \(Int(maxDrop * 100)) % of a source's rows (\(list)); "
                            + "check the source, or pass --force to accept it"
                    )
                }
            }
            let started = Date()
            let report: BuildReport
            if dryRun {
                report = try builder.dryRun(beside: locator.storePath)
                for d in downloads { fetcher.discard(d) }
            } else {
                report = try builder.build(to: locator.storePath)
                for d in downloads { try fetcher.commit(d) }
            }
            let summary = Summary(
                store: locator.storePath, seconds: Date().timeIntervalSince(started), fetched: fetched,
                report: report, diff: diffBox.value, dryRun: dryRun
            )
            if !dryRun {
                // The last refresh's report, beside the store, for `sources` and for maintainers.
                try? JSONOutput.string(summary, pretty: true).write(
                    toFile: locator.storePath + ".report.json", atomically: true, encoding: .utf8)
            }
            if output.json {
                print(try JSONOutput.string(summary, pretty: output.pretty))
            } else {
                printText(summary)
            }
        } catch let error as ImportError {
            for d in downloads { fetcher.discard(d) }
            printError("refresh failed, the live store is unchanged: \(error)")
            throw ExitCode(ExitStatus.internalError)
        } catch let error where !(error is ValidationError) {
            // Anything else (a disk error, a database error) fails the same way: no download is kept.
            for d in downloads { fetcher.discard(d) }
            printError("refresh failed, the live store is unchanged: \(error)")
            throw ExitCode(ExitStatus.internalError)
        }
    }

    func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Carries the diff out of the builder's swap hook.
final class DiffBox: @unchecked Sendable {
    private let lock = NSLock()
    private var diff: StoreDiff?

    func set(_ d: StoreDiff) { lock.withLock { diff = d } }
    var value: StoreDiff? { lock.withLock { diff } }
}

/// `bdscheck rollback`: puts the previous store back.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put the store from before the last refresh back in place (the current one becomes the previous)."
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let locator = StoreLocator(store: storeOptions.store, data: storeOptions.data)
        do {
            try StoreRollback.rollBack(storeAt: locator.storePath)
            print("Rolled back \(locator.storePath) to the previous store; run `bdscheck rollback` again to undo.")
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.internalError)
        }
    }
}
