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
        print("")
        for s in summary.sources {
            print("\(s.id): \(s.name)")
            if let url = s.url { print("  source    \(url)") }
            if let r = s.retrieved { print("  read      \(r)") }
            if let l = s.licence { print("  licence   \(l)") }
            print(
                "  records   \(s.records)\(s.bytes.map { " · \($0) bytes" } ?? "")\(s.sha256.map { " · sha256 \($0.prefix(16))…" } ?? "")"
            )
            print("  imported  \(s.importedAt)")
        }
    }
}
