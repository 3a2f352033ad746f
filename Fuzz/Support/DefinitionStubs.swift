// For the definition target only: the one StoreLocator helper the definition parser uses, copied
// so that the target need not compile StoreLocator.swift and with it the store (BDSStore, GRDB, Logging).

import Foundation

enum StoreLocator {
    /// `path` made absolute against the current folder, with `.` and `..` resolved.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }
}
