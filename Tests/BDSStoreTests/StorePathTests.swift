import BDSCore
import BDSStore
import BDSTestSupport
import Foundation
import Testing

/// Stores are opened through an SQLite URI (`file:…?immutable=1`): characters that mean something
/// in a URI must still name the file.
@Suite("Store paths")
struct StorePathTests {
    @Test(
        "a store in a folder whose name has a space, %, ? and # opens and answers",
        arguments: ["a b", "100%", "what?", "no#1", "x%3fy"])
    func awkwardFolder(name: String) throws {
        let dir = try FixtureStore.temporaryDirectory() + "/" + name
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/store.sqlite"
        try FileManager.default.copyItem(atPath: FixtureStore.shared.path, toPath: path)
        let store = try Store(path: path, connections: 2)
        #expect(store.path == path)
        let v = try store.verdict(for: "sabra")
        #expect(v.verdict == .listedConsumerBoycott)
        // Not a different file that happens to exist: the folder's own store is what was opened.
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: StoreError.self) { try Store(path: path) }
    }
}
