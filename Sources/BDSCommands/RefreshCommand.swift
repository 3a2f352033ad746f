import ArgumentParser
import BDSCheckRun
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
            Without SOURCE, rebuilds from every default source and every source with a copy kept \
            in the cache (the `sources/` folder beside the store). Naming a source includes it \
            even when its definition says `default = false`, and fetches it again (a conditional \
            GET when the server supports it). A local file given with --file is copied into the \
            cache and used by every later refresh, named or not, in place of the definition's \
            `file` or `fetch`, until --drop removes it. The new store is built beside the live \
            one, checked, compared with it, and swapped in with one rename; the previous one is \
            kept for `bdscheck rollback`.
            """
    )

    @Argument(help: ArgumentHelp("Source ids (the `id` in each definition's [source]).", valueName: "source"))
    var sources: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Import ID from a copy of a local file, kept in the cache and used by later refreshes until --drop ID (repeatable).",
            valueName: "id=path"))
    var file: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "When the data of the --file copy was read (2026, 2026-07 or 2026-07-17), kept with the copy; with several --file, id=date for each (repeatable).",
            valueName: "date"))
    var retrieved: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Stop using the kept copy of ID: delete it once the new store is in, build ID from its definition if it is a default source or is named, else leave it out; the drop guard accepts what ID loses (repeatable).",
            valueName: "id"))
    var drop: [String] = []

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
        let files = try localFiles()
        _ = try retrievedDates(files: files)
        for id in drop where files[id] != nil {
            throw ValidationError(
                "--drop \(id) and --file \(id)=… contradict each other: --drop stops using the kept copy of \(id), "
                    + "--file keeps a new one; give one of them")
        }
    }

    /// `--file ID=PATH`, by source id, with each path made absolute.
    func localFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        for f in file {
            let parts = f.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--file takes id=path, not '\(f)'")
            }
            guard files[parts[0]] == nil else { throw ValidationError("--file \(parts[0])=… is given twice") }
            files[parts[0]] = StoreLocator.absolute(parts[1])
        }
        return files
    }

    /// `--retrieved`, by source id: a bare DATE dates the one `--file`; with several, each is ID=DATE.
    func retrievedDates(files: [String: String]) throws -> [String: String] {
        var dates: [String: String] = [:]
        for r in retrieved {
            let id: String
            let date: String
            if let eq = r.firstIndex(of: "=") {
                (id, date) = (String(r[..<eq]), String(r[r.index(after: eq)...]))
            } else if files.count == 1, retrieved.count == 1, let only = files.keys.first {
                (id, date) = (only, r)
            } else {
                throw ValidationError(
                    files.isEmpty
                        ? "--retrieved dates a local copy: give the copy with --file ID=PATH"
                        : files.count > 1
                            ? "with several --file, give --retrieved ID=DATE for each local copy it dates, not a bare '\(r)'"
                            : "give --retrieved once: a bare DATE dates the one --file")
            }
            guard ISODate.isValid(date) else {
                throw ValidationError("--retrieved: '\(date)' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
            }
            guard files[id] != nil else {
                throw ValidationError(
                    "--retrieved \(r): there is no --file \(id)=PATH; --retrieved dates a local copy given with --file")
            }
            guard dates[id] == nil else { throw ValidationError("--retrieved gives \(id) a date twice") }
            dates[id] = date
        }
        return dates
    }

    struct Summary: Encodable {
        var store: String
        var seconds: Double
        var fetched: [String: String]
        var report: BuildReport
        var diff: StoreDiff?
        var dryRun = false
        /// Sources dropped on purpose with `--drop`, in definition order.
        var dropped: [DroppedSource] = []
        /// When the refresh ended (ISO 8601).
        var finishedAt = ISO8601DateFormatter().string(from: Date())
        /// The `built_at` and `build_id` of the store it swapped in (absent for a dry run); by the
        /// id, `sources` tells whether this report describes the store in place.
        var builtAt: String?
        var buildID: String?

        /// A source the maintainer dropped on purpose (`--drop ID`).
        struct DroppedSource: Encodable {
            var id: String
            /// What the deleted kept copy was (in a dry run: would be): the URL it was downloaded
            /// from, or the local file it was copied from; absent when no copy was kept.
            var keptCopyOf: String?
            /// True when the source was built again from its definition (a default or named source),
            /// false when it was left out of the store.
            var rebuilt: Bool
        }
    }

    func run() async throws {
        let locator = StoreLocator(store: storeOptions.store, data: storeOptions.data)
        guard let importers = locator.importersDirectory else {
            printError("no importers/ folder found: pass --data DIR (the folder holding importers/ and datasets/)")
            throw ExitCode(ExitStatus.internalError)
        }
        let fetcher = SourceFetcher(
            cacheDirectory: SourceFetcher.cacheDirectory(besideStore: locator.storePath), idleTimeout: timeout,
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

    /// Fetches or copies, builds and swaps, then keeps the new copies and deletes the dropped ones;
    /// the caller shuts the fetcher down.
    func refresh(locator: StoreLocator, importers: String, fetcher: SourceFetcher) async throws {
        // Staged downloads and local copies: committed after the swap, discarded on failure or a dry run.
        var downloads: [SourceFetcher.Fetched] = []
        var swapped = false
        do {
            let all = try ImportDefinition.loadAll(directory: importers)
            let known = Set(all.map(\.source.id))
            let knownList = known.sorted().joined(separator: ", ")
            for id in sources where !known.contains(id) {
                throw ValidationError("no source '\(id)'; known: \(knownList)")
            }
            let files = try localFiles()
            let dates = try retrievedDates(files: files)
            for id in files.keys.sorted() where !known.contains(id) {
                throw ValidationError("no source '\(id)' for --file; known: \(knownList)")
            }
            let dropping = Set(drop)
            for id in dropping.sorted() {
                guard let definition = all.first(where: { $0.source.id == id }) else {
                    throw ValidationError("no source '\(id)' for --drop; known: \(knownList)")
                }
                if fetcher.keptCopy(id) == nil && definition.source.includedByDefault {
                    throw ValidationError(
                        "--drop \(id): nothing to drop: no copy of \(id) is kept in \(fetcher.cacheDirectory), and as a "
                            + "default source it is built from its definition on every refresh")
                }
            }

            var chosen: [ImportDefinition] = []
            var fetched: [String: String] = [:]
            var origins: [String: SourceOrigin] = [:]
            var displayNames: [String: String] = [:]
            var dropped: [Summary.DroppedSource] = []
            for var definition in all {
                let source = definition.source
                let id = source.id
                let named = sources.contains(id)
                let isRemote = source.location.hasPrefix("http://") || source.location.hasPrefix("https://")
                let kept = fetcher.keptCopy(id)
                if dropping.contains(id) {
                    dropped.append(
                        .init(
                            id: id, keptCopyOf: kept.map { $0.meta.copiedFrom ?? $0.meta.url ?? $0.path },
                            rebuilt: source.includedByDefault || named))
                }
                // A kept local copy stands in for the definition's file or URL until it is dropped;
                // a kept download is used by refreshes that do not name its source.
                let keptLocal = kept.flatMap { $0.meta.origin == .localFile && !dropping.contains(id) ? $0 : nil }
                let keptDownload = kept.flatMap { $0.meta.origin == .fetched && isRemote && !dropping.contains(id) ? $0 : nil }
                guard source.includedByDefault || named || files[id] != nil || keptLocal != nil || keptDownload != nil
                else { continue }
                if let path = files[id] {
                    note("copying \(id) from \(path) into \(fetcher.cacheDirectory)…")
                    let staged = try fetcher.stageLocalCopy(id: id, from: path, retrieved: dates[id])
                    downloads.append(staged)
                    definition.source.location = staged.path
                    definition.source.retrieved = dates[id] ?? source.retrieved
                    origins[id] = staged.meta.sourceOrigin(url: path)
                    displayNames[id] = path  // the staged copy holds the same bytes, under a name that will not last
                    fetched[id] = "local file \(path)"
                } else if let keptLocal {
                    definition.source.location = keptLocal.path
                    definition.source.retrieved = keptLocal.meta.retrieved ?? source.retrieved
                    origins[id] = keptLocal.meta.sourceOrigin(url: source.location)
                    fetched[id] = "kept copy of local file \(keptLocal.meta.copiedFrom ?? keptLocal.path)"
                } else if isRemote {
                    let meta: KeptCopy.Meta
                    if let keptDownload, !named {
                        definition.source.location = keptDownload.path
                        meta = keptDownload.meta
                        fetched[id] = "cached copy"
                    } else {
                        note("fetching \(id) from \(source.location)…")
                        // After --drop, the kept download is not asked about: a 304 would keep it.
                        let result = try await fetcher.fetch(id: id, url: source.location, conditional: !dropping.contains(id))
                        downloads.append(result)
                        definition.source.location = result.path
                        meta = result.meta
                        fetched[id] = result.outcome.rawValue
                    }
                    // A download is dated by the day it was made when its definition gives no date.
                    definition.source.retrieved = source.retrieved ?? meta.fetchedAt.flatMap(ISODate.day(ofTimestamp:))
                    origins[id] = meta.sourceOrigin(url: source.location)
                    displayNames[id] = source.location
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
            builder.sourceOrigins = origins
            builder.displayNames = displayNames
            builder.progress = ProgressDisplay.make()
            builder.beforeSwap = { newStore, liveStore in
                guard let liveStore else { return }
                let diff = try StoreDiff.compute(new: newStore, old: liveStore)
                diffBox.set(diff)
                // What a source dropped on purpose loses is what the maintainer asked for.
                let drops = diff.excessiveDrops(maxShare: maxDrop).filter { !dropping.contains($0.source) }
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
                downloads = []
            } else {
                report = try builder.build(to: locator.storePath)
                swapped = true
                for d in downloads { try fetcher.commit(d) }
                // A dropped source fetched again has its new download kept in place of the old copy.
                let replaced = Set(downloads.map(\.sourceID))
                for id in dropping.sorted() where !replaced.contains(id) { try fetcher.removeKeptCopy(id) }
            }
            let built = dryRun ? nil : try? Store(path: locator.storePath)
            let summary = Summary(
                store: locator.storePath, seconds: Date().timeIntervalSince(started), fetched: fetched,
                report: report, diff: diffBox.value, dryRun: dryRun, dropped: dropped,
                builtAt: try built?.meta("built_at"), buildID: try built?.meta("build_id")
            )
            if !dryRun {
                // The last refresh's report, beside the store, for `sources` and for maintainers.
                try? JSONOutput.string(summary, pretty: true).write(
                    toFile: StoreSummary.reportPath(forStore: locator.storePath), atomically: true, encoding: .utf8)
            }
            if output.json {
                print(try JSONOutput.string(summary, pretty: output.pretty))
            } else {
                printText(summary)
            }
        } catch {
            // No download or local copy of a failed refresh is kept (a committed one is already in place).
            for d in downloads { fetcher.discard(d) }
            if error is ValidationError { throw error }
            if swapped {
                printError(
                    "the new store is in place, but the kept copies in \(fetcher.cacheDirectory) were not all updated: \(error)")
            } else {
                printError("refresh failed, the live store is unchanged: \(error)")
            }
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
