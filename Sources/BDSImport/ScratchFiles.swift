import BDSStore
import Foundation

/// Scratch folders of a refresh's downloads, named after the process (see `StaleFiles`).
enum ScratchFiles {
    /// Points `$TMPDIR` at a folder of this process's own inside `directory` until `restore()`, so that
    /// URLSession's download in progress (`UUID.tmp`, which Foundation on Linux puts in `$TMPDIR`)
    /// lands there, and the next refresh removes it when this one was killed mid-download.
    struct DownloadDirectory {
        static let prefix = ".download-tmp-"
        let path: String
        let previous: String?

        init(in directory: String) throws {
            StaleFiles.remove(in: directory, prefix: Self.prefix)
            path = (directory as NSString).appendingPathComponent("\(Self.prefix)\(getpid())")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            previous = getenv("TMPDIR").map { String(cString: $0) }
            setenv("TMPDIR", path, 1)
        }

        func restore() {
            if let previous { setenv("TMPDIR", previous, 1) } else { unsetenv("TMPDIR") }
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
