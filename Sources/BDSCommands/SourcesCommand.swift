import ArgumentParser
import BDSCore
import BDSStore
import BDSWire
import Foundation

/// `bdscheck sources`: what data is loaded, from where, and how fresh it is.
struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Show the loaded sources: where each came from, when it was read, and what it holds."
    )

    @OptionGroup(title: "Output") var output: SourcesOutputOptions
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try openStore(storeOptions)
        let summary = try store.summary()
        if output.json {
            print(try JSONOutput.string(summary, pretty: output.pretty))
            return
        }
        print("Store     \(summary.path)")
        print("Built     \(summary.builtAt ?? "?") (\(summary.origin ?? "?"))")
        print("Holds     \(summary.counts.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", "))")
        if let last = summary.lastRefresh { printLastRefresh(last) }
        print("")
        for s in summary.sources {
            print("\(s.id): \(s.name)")
            if let origin = s.origin { print("  from      \(Self.describe(origin, source: s.id))") }
            if let url = s.url { print("  source    \(url)") }
            if let r = s.retrieved { print("  read      \(r)") }
            if let l = s.licence { print("  licence   \(l)") }
            print("  records   \(s.records)\(s.bytes.map { " · \($0) bytes" } ?? "")")
            if let sha = s.sha256 { print("  sha256    \(sha)") }
            if let inserted = s.inserted {
                let rows = inserted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                print("  made      \(rows.isEmpty ? "no rows" : rows)")
            }
            if let invalid = s.invalid {
                print(
                    "  set aside \(invalid) invalid · \(s.skipped ?? 0) skipped (skip-when-empty) · "
                        + "\(s.nonProductCodes ?? 0) non-product codes (not stored)")
            }
            print("  imported  \(s.importedAt)")
        }
    }

    /// One line on where a source's data came from.
    static func describe(_ origin: SourceOrigin, source id: String) -> String {
        switch origin.kind {
        case .definition:
            return "\(origin.location) (the definition's file)"
        case .fetched:
            var facts = origin.obtainedAt.map { ["downloaded \($0)"] } ?? []
            if let etag = origin.etag { facts.append("ETag \(etag)") }
            if let lm = origin.lastModified { facts.append("Last-Modified \(lm)") }
            return origin.location + (facts.isEmpty ? "" : " (\(facts.joined(separator: "; ")))")
        case .localFile:
            let copied = origin.obtainedAt.map { "copied \($0); " } ?? ""
            return "local file \(origin.location) (\(copied)kept in the cache until `bdscheck refresh --drop \(id)`)"
        }
    }

    func printLastRefresh(_ last: StoreSummary.LastRefresh) {
        let perSource = last.sources.map { "\($0.id) \($0.records)\($0.invalid > 0 ? " (\($0.invalid) set aside)" : "")" }
        var line = "Refreshed \(last.finishedAt ?? "?")\(last.dryRun ? " (dry run: nothing was swapped in)" : ""): "
        line += perSource.isEmpty ? "no sources" : "records " + perSource.joined(separator: ", ")
        if !last.dropped.isEmpty { line += "; dropped on purpose: " + last.dropped.joined(separator: ", ") }
        print(line)
        if last.describesThisStore == false {
            print("          (that refresh built another store than the one in place: a rollback, a pull or another build since)")
        }
    }
}
