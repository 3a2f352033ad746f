import BDSCore
import Foundation

/// Puts the previous store (`PATH.prev`) back in place, keeping the current one as the new `.prev`.
///
/// Each step is a rename or a hard link, so a reader opening PATH at any moment finds a whole store.
public enum StoreRollback {
    public static func rollBack(storeAt path: String) throws {
        let previous = path + ".prev"
        guard FileManager.default.fileExists(atPath: previous) else {
            throw ImportError(file: previous, message: "no previous store to roll back to")
        }
        _ = try Store(path: previous)  // refuses an unreadable or unfinished store
        let current = path + ".rollback-\(getpid())"
        unlink(current)
        let hadCurrent = FileManager.default.fileExists(atPath: path)
        if hadCurrent, link(path, current) != 0 {
            throw ImportError(file: path, message: "cannot keep the current store: \(String(cString: strerror(errno)))")
        }
        guard rename(previous, path) == 0 else {
            unlink(current)
            throw ImportError(file: path, message: "cannot put the previous store back: \(String(cString: strerror(errno)))")
        }
        if hadCurrent, rename(current, previous) != 0 {
            throw ImportError(
                file: previous, message: "rolled back, but could not keep the replaced store: \(String(cString: strerror(errno)))"
            )
        }
    }
}
