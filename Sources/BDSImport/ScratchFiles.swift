import Foundation

/// Temporary files named after the process that writes them (`NAME<PID>…`), so that what a killed
/// process left behind (SIGKILL, an out-of-memory kill, a power cut) can be found and removed by
/// the next one instead of piling up beside the store.
enum ScratchFiles {
    /// Removes every `directory/prefix<PID>…` entry whose process no longer exists.
    static func removeStale(in directory: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count).prefix(while: \.isNumber)), pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }

    /// Points `$TMPDIR` at a folder of this process's own inside `directory` until `restore()`, so that
    /// URLSession's download in progress (`UUID.tmp`, which Foundation on Linux puts in `$TMPDIR`)
    /// lands there, and the next refresh removes it when this one was killed mid-download.
    struct DownloadDirectory {
        static let prefix = ".download-tmp-"
        let path: String
        let previous: String?

        init(in directory: String) throws {
            removeStale(in: directory, prefix: Self.prefix)
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
