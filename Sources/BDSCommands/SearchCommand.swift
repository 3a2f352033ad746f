import ArgumentParser
import BDSCheckRun
import BDSCore
import BDSStore
import BDSWire
import Foundation

/// `bdscheck search NAME`: ranked candidates with scores. Suggestions, never verdicts.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "List the known companies and brands whose names resemble NAME, with scores."
    )

    @Argument(help: ArgumentHelp("The name to look for.", valueName: "name"))
    var name: [String] = []

    @Option(
        name: .long,
        help:
            "How many candidates at most, from \(SearchLimit.range.lowerBound) to \(SearchLimit.range.upperBound) (the range of `limit` in GET /v1/search)."
    )
    var limit = SearchLimit.defaultValue

    @OptionGroup var output: OutputOptions
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard !name.joined().trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("give a name to search for")
        }
        guard SearchLimit.range.contains(limit) else {
            throw ValidationError(
                "--limit must be a whole number from \(SearchLimit.range.lowerBound) to \(SearchLimit.range.upperBound), not \(limit)"
            )
        }
    }

    struct Answer: Encodable {
        var query: String
        var candidates: [Candidate]
    }

    func run() throws {
        let store = try openStore(storeOptions)
        let query = name.joined(separator: " ")
        let candidates = try store.search(query, limit: limit)
        if output.json {
            print(try JSONOutput.string(Answer(query: query, candidates: candidates), pretty: output.pretty))
        } else if candidates.isEmpty {
            print("No known company or brand resembles \"\(query)\".")
        } else {
            for c in candidates {
                let kind = c.entity.kind.rawValue
                let shown = c.matchedName == c.entity.name ? c.entity.name : "\(c.matchedName) → \(c.entity.name)"
                print("\(String(format: "%5.1f", c.score * 100)) %  \(shown) (\(kind))")
            }
        }
        throw ExitCode(candidates.isEmpty ? ExitStatus.code(for: .unknown) : 0)
    }
}
