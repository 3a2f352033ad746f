import Foundation

/// Temporary files named after the process that writes them (`NAME<PID>…`), so that what a killed
/// process left behind (SIGKILL, an out-of-memory kill, a power cut) can be found and removed by
/// the next one instead of piling up beside the store.
public enum StaleFiles {
    /// Removes every `directory/prefix<PID>…` entry whose process no longer exists.
    public static func remove(in directory: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count).prefix(while: \.isNumber)), pid != getpid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }
}
