import Foundation

/// Local file paths as the tool shows and compares them.
public enum LocalPath {
    /// `path` made absolute against the current folder, with empty and `.` components dropped and
    /// each `..` taking away the component before it (`..` at the root stays at the root).
    ///
    /// By the text alone, without looking at the file system: NSString's `standardizingPath` read
    /// every folder on the way with `readlink`, a twentieth of a cold `bdscheck CODE`. The current
    /// folder is the kernel's (`getcwd`), which has no links in it; a `..` after a link in a path a
    /// person typed goes back to the folder the link is in, as in the shell.
    public static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var components: [Substring] = []
        for component in full.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// `path` as messages show it: relative to `root` when it lies inside it, else as given.
    public static func shown(_ path: String, relativeTo root: String?) -> String {
        guard let root else { return path }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
