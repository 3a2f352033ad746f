import Foundation
import Synchronization

/// Temporary folders for tests, all removed when the test process exits (some hold stores of tens of MB).
public enum TemporaryDirectories {
    private static let made = Mutex<[String]>([])
    private static let cleanup: Void = {
        atexit {
            for dir in TemporaryDirectories.made.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: dir) }
        }
    }()

    /// A new, empty folder under the system's temporary folder.
    public static func make() throws -> String {
        _ = cleanup
        let dir = NSTemporaryDirectory() + "bdscheck-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        made.withLock { $0.append(dir) }
        return dir
    }
}
