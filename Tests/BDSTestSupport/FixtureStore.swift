import BDSImport
public import BDSStore
import Foundation
import Logging

/// The one fixture project (importers + datasets) every test target shares, and stores built from it.
public enum FixtureStore {
    public static var projectDirectory: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("project").path
    }

    /// A fresh temporary folder, removed when the test process exits.
    public static func temporaryDirectory() throws -> String {
        try TemporaryDirectories.make()
    }

    /// Copies the fixture project to a temporary folder (so a test may edit it).
    public static func copyProject() throws -> String {
        let target = try temporaryDirectory() + "/project"
        try FileManager.default.copyItem(atPath: projectDirectory, toPath: target)
        return target
    }

    /// Writes `importers/70-remote.toml`: listings fetched as CSV from `url` (the fixture's listing columns).
    public static func writeRemoteListingDefinition(project: String, url: String) throws {
        try """
        [source]
        id = "remote"
        name = "Remote fixture list"
        fetch = "\(url)"

        [format]
        type = "csv"

        [[emit]]
        into = "listing"
        [emit.fields]
        target = "target"
        campaign = "campaign"
        category = "category"
        reasons = "reason"
        source_url = "source_url"
        retrieved = "retrieved"
        """.write(toFile: project + "/importers/70-remote.toml", atomically: true, encoding: .utf8)
    }

    /// Writes `importers/FILE`: a product source (gtin, name, brand, source_url, and `retrieved` when
    /// `dated`) read from `location`, a `file = …` or `fetch = …` line; `default = false` unless
    /// `byDefault`.
    public static func writeProductDefinition(
        project: String, file: String, id: String, name: String, location: String, byDefault: Bool = true,
        dated: Bool = true
    ) throws {
        try """
        [source]
        id = "\(id)"
        name = "\(name)"
        \(location)
        \(byDefault ? "" : "default = false")

        [format]
        type = "csv"

        [[emit]]
        into = "product"
        [emit.fields]
        gtin = "gtin"
        name = "name"
        brand = "brand"
        source_url = "source_url"
        \(dated ? "retrieved = \"retrieved\"" : "")
        """.write(toFile: project + "/importers/" + file, atomically: true, encoding: .utf8)
    }

    @discardableResult
    public static func build(project: String = projectDirectory, to path: String) throws -> BuildReport {
        let definitions = try ImportDefinition.loadAll(directory: project + "/importers")
        return try StoreBuilder(definitions: definitions, displayRoot: project, origin: "test", logger: Logger(label: "test"))
            .build(to: path)
    }

    /// Writes `files` (paths relative to the project: `importers/10-x.toml`, `x.csv`) into a new
    /// project folder (or `project`), builds `store.sqlite` in it and opens it.
    public static func build(
        files: [String: String], project given: String? = nil
    ) throws -> (report: BuildReport, store: Store) {
        let project = try given ?? temporaryDirectory()
        for (path, text) in files {
            let full = project + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        let path = project + "/store.sqlite"
        let report = try build(project: project, to: path)
        return (report, try Store(path: path))
    }

    /// A curated source for identity tests, in the community dataset's shape: `curated.csv` with
    /// `name,kind,owner,listed,qid` (owner, listed and qid may be empty), each listed name on an
    /// example consumer-boycott campaign.
    public static let curatedDefinition = """
        [source]
        id = "curated"
        name = "Curated brands"
        url = "https://example.org/curated"
        retrieved = "2026-11-01"
        file = "../curated.csv"
        [format]
        type = "csv"
        [[emit]]
        into = "entity"
        [emit.fields]
        name = "name"
        kind = "kind"
        wikidata = "qid"
        [[emit]]
        into = "ownership"
        skip-when-empty = ["owner"]
        [emit.fields]
        owned = "name"
        owner = "owner"
        [[emit]]
        into = "listing"
        skip-when-empty = ["target"]
        [emit.fields]
        target = "listed"
        campaign = { value = "Example campaign" }
        category = { value = "consumer-boycott" }
        reasons = { value = "Named by the example campaign" }
        """

    /// The path of one store built from the fixture project, shared by tests that only read.
    public static let sharedStorePath: String = {
        do {
            let path = try temporaryDirectory() + "/store.sqlite"
            try build(to: path)
            return path
        } catch {
            fatalError("fixture store failed to build: \(error)")
        }
    }()

    /// One store opened on `sharedStorePath`.
    public static let shared: Store = {
        do {
            return try Store(path: sharedStorePath)
        } catch {
            fatalError("fixture store failed to open: \(error)")
        }
    }()
}
