import BDSStore
import Foundation

/// Scratch folders of a refresh's downloads, named after the process (see `StaleFiles`).
enum ScratchFiles {
    /// A folder of this process's own inside `directory` for downloads in progress, removed by
    /// `remove()`, or by the next refresh when this one was killed mid-download.
    struct DownloadDirectory {
        static let prefix = ".download-tmp-"
        let path: String

        init(in directory: String) throws {
            StaleFiles.remove(in: directory, prefix: Self.prefix)
            path = (directory as NSString).appendingPathComponent("\(Self.prefix)\(getpid())")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
