import BDSStore
import BDSTestSupport
import Foundation
import Testing

/// `bdscheck reports`: the maintainers' queue of shoppers' reports, which survives refreshes,
/// and its public record.
@Suite("bdscheck reports: list, show, resolve, export", .serialized, .tags(.endToEnd))
struct ReportsCLITests {
    let project: String
    let store: String

    init() throws {
        project = try FixtureStore.copyProject()
        store = (project as NSString).deletingLastPathComponent + "/store.sqlite"
    }

    func cli(_ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--data", project, "--store", store])
    }

    @Test(
        "reports taken in by the server stay through a refresh and a rollback, are resolved with a reason, and export without contacts"
    )
    func lifeCycle() throws {
        #expect(try cli(["refresh"]).status == 0)
        let reports = try ReportStore(path: ReportStore.path(besideStore: store))
        try reports.add(
            ReportStore.New(
                query: "Sabra", level: "listed-consumer-boycott", dataVersion: nil, message: "The owner changed in 2024.",
                contact: "shopper@example.org"))
        try reports.add(
            ReportStore.New(query: "7290011498382", level: "hint-only", dataVersion: "3", message: "spam", contact: nil))

        // A refresh builds and swaps a new store; a rollback swaps back. The reports database is neither.
        #expect(try cli(["refresh", "--force"]).status == 0)
        #expect(try cli(["rollback"]).status == 0)

        let open = try cli(["reports", "list"])
        #expect(open.status == 0)
        #expect(open.stdout.contains("#1 open"))
        #expect(open.stdout.contains("query “Sabra”"))
        #expect(open.stdout.contains("says      The owner changed in 2024."))
        #expect(open.stdout.contains("#2 open"))

        let resolved = try cli([
            "reports", "resolve", "1", "--decision", "corrected", "--reason", "Ownership updated from the 2024 filing.",
        ])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(resolved.stdout.contains("decided   corrected"))
        #expect(
            try cli(["reports", "resolve", "1", "--decision", "rejected", "--reason", "again"]).stderr.contains(
                "already resolved"))
        #expect(try cli(["reports", "resolve", "2", "--decision", "maybe", "--reason", "x"]).status == 64)
        #expect(try cli(["reports", "resolve", "2", "--decision", "invalid", "--reason", " "]).stderr.contains("reason"))
        #expect(try cli(["reports", "show", "9"]).stderr.contains("no report 9"))

        let listed = try cli(["reports", "list", "--status", "resolved", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let items = try #require(object["reports"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? Int } == [1])
        #expect(items.first?["decision"] as? String == "corrected")

        let export = try cli(["reports", "export"])
        let lines = export.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(!export.stdout.contains("shopper@example.org"), "contacts are not published")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["reason"] as? String == "Ownership updated from the 2024 filing.")
        #expect(first["status"] as? String == "resolved")
        #expect(try cli(["reports", "export", "--include-contacts"]).stdout.contains("shopper@example.org"))
    }
}
