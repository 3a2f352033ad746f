import BDSCore
import Foundation
import Testing

@Suite("Local paths made absolute by their text")
struct LocalPathTests {
    @Test(
        "empty and . components dropped, each .. takes the one before it, never above the root",
        arguments: [
            ("/a/b/c", "/a/b/c"),
            ("/a//b/./c/", "/a/b/c"),
            ("/a/b/../c", "/a/c"),
            ("/a/b/../../..", "/"),
            ("/../x", "/x"),
            ("/", "/"),
            ("/a/./../b/.", "/b"),
            ("/data/.bdscheck/store.sqlite", "/data/.bdscheck/store.sqlite"),
        ])
    func absolute(path: String, expected: String) {
        #expect(LocalPath.absolute(path) == expected)
    }

    @Test("a relative path is taken from the current folder")
    func relative() {
        let here = FileManager.default.currentDirectoryPath
        #expect(LocalPath.absolute("store.sqlite") == (here == "/" ? "" : here) + "/store.sqlite")
        #expect(LocalPath.absolute(".") == here)
        #expect(LocalPath.absolute("x/../y/./z") == (here == "/" ? "" : here) + "/y/z")
    }
}
