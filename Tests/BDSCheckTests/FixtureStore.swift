import BDSImport
import BDSStore
import Foundation
import Logging
import Testing

/// The fixture project (importers + datasets) shipped as a test resource, and stores built from it.
enum FixtureStore {
    static var projectDirectory: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("project").path
    }

    /// A fresh temporary folder, removed by the caller when it no longer needs it.
    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "bdscheck-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Copies the fixture project to a temporary folder (so a test may edit it).
    static func copyProject() throws -> String {
        let dir = try temporaryDirectory()
        let target = dir + "/project"
        try FileManager.default.copyItem(atPath: projectDirectory, toPath: target)
        return target
    }

    /// Writes `importers/70-remote.toml`: listings fetched as CSV from `url` (the fixture's listing columns).
    static func writeRemoteListingDefinition(project: String, url: String) throws {
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

    static func build(project: String = projectDirectory, to path: String) throws -> BuildReport {
        let definitions = try ImportDefinition.loadAll(directory: project + "/importers")
        return try StoreBuilder(definitions: definitions, displayRoot: project, origin: "test", logger: Logger(label: "test"))
            .build(to: path)
    }

    /// One store built from the fixture project, shared by read-only tests.
    static let shared: Store = {
        do {
            let dir = try temporaryDirectory()
            _ = try build(to: dir + "/store.sqlite")
            return try Store(path: dir + "/store.sqlite")
        } catch {
            fatalError("fixture store failed to build: \(error)")
        }
    }()
}
