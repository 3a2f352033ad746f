import ArgumentParser
import BDSCheckRun
import BDSCore
import BDSStore
import BDSWire
import Foundation

/// `bdscheck reports`: the queue of "this answer is wrong" reports that `bdscheck serve` takes in,
/// for maintainers to work through, and the public record of what they decided.
struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Work through shoppers' reports of wrong answers, kept beside the store (reports.sqlite).",
        subcommands: [List.self, Show.self, Resolve.self, Export.self]
    )

    static func open(_ options: StoreOptions) throws -> ReportStore {
        let locator = StoreLocator(store: options.store, data: options.data)
        do {
            return try ReportStore(path: ReportStore.path(besideStore: locator.storePath))
        } catch {
            printError("cannot open the reports database: \(error)")
            throw ExitCode(ExitStatus.internalError)
        }
    }

    static func text(_ r: ReportStore.Report) -> String {
        var lines = ["#\(r.id) \(r.status) · \(r.createdAt) · query “\(r.query)”"]
        if let level = r.level { lines.append("  answer    \(level)\(r.dataVersion.map { " (data \($0))" } ?? "")") }
        lines.append("  says      \(r.message.replacingOccurrences(of: "\n", with: "\n            "))")
        if let contact = r.contact { lines.append("  contact   \(contact)") }
        if let decision = r.decision {
            lines.append("  decided   \(decision.rawValue) on \(r.resolvedAt ?? "?"): \(r.reason ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reports, oldest first.")

        @Option(help: "open, resolved or all.")
        var status = "open"

        @Flag(help: "Print JSON: {\"reports\": [...]}.")
        var json = false

        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            guard ["open", "resolved", "all"].contains(status) else { throw ValidationError("--status is open, resolved or all") }
        }

        struct Listed: Encodable { var reports: [ReportStore.Report] }

        func run() throws {
            let reports = try ReportsCommand.open(storeOptions).list(status: status == "all" ? nil : status)
            if json {
                print(try JSONOutput.string(Listed(reports: reports), pretty: false))
                return
            }
            if reports.isEmpty { print("No \(status == "all" ? "" : status + " ")reports.") }
            for r in reports { print(ReportsCommand.text(r)) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one report.")

        @Argument(help: "The report's number.")
        var id: Int64

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            do {
                print(ReportsCommand.text(try ReportsCommand.open(storeOptions).report(id: id)))
            } catch let error as ReportStore.ReportError {
                printError("\(error)")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the decision on a report and its reason (published by `reports export`).")

        @Argument(help: "The report's number.")
        var id: Int64

        @Option(help: "corrected, rejected, duplicate or invalid.", transform: Resolve.decision)
        var decision: ReportStore.Decision

        static func decision(_ text: String) throws -> ReportStore.Decision {
            guard let d = ReportStore.Decision(rawValue: text) else {
                throw ValidationError(
                    "use one of: \(ReportStore.Decision.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return d
        }

        @Option(help: "Why, in words a reader of the public record understands.")
        var reason: String

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            do {
                let r = try ReportsCommand.open(storeOptions).resolve(id: id, decision: decision, reason: reason)
                print(ReportsCommand.text(r))
            } catch let error as ReportStore.ReportError {
                printError("\(error)")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every report and its decision as JSON lines, for a campaign to publish (contacts left out).")

        @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
        var out: String?

        @Flag(help: "Include the contacts shoppers gave (not for publishing).")
        var includeContacts = false

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let lines = try ReportsCommand.open(storeOptions).exportJSONLines(includeContacts: includeContacts)
            if let out {
                try lines.write(toFile: out, atomically: true, encoding: .utf8)
            } else {
                print(lines, terminator: "")
            }
        }
    }
}
