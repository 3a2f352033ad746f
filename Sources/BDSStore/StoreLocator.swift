import BDSCore
public import Foundation
import Synchronization

/// Finds the data folder and the store, and tells whether the default store needs building from
/// the shipped datasets (missing, or older than them). Building it is the importers' job
/// (`StoreLocator.openStoreBuildingDefault` in BDSImport), so reading needs no importer code.
public struct StoreLocator: Sendable {
    /// The folder holding `importers/` (and usually `datasets/`), if one was given or found.
    ///
    /// With the store given (`--store`, `$BDSCHECK_STORE`) and no data folder, the folder is looked
    /// for only when asked (a refresh's definitions), not on every check: searching the current
    /// folder and the executable's upward was a tenth of a cold check's time.
    public var dataDirectory: String? {
        if let found = dataGiven ?? dataFound { return found }
        guard isExplicit else { return nil }
        return searchedLater.value { Self.findDataDirectory().map(Self.absolute) }
    }
    /// The store file to use.
    public var storePath: String
    /// True when the path was given (option or environment): such a store is never rebuilt implicitly.
    public var isExplicit: Bool
    /// `--data` or `$BDSCHECK_DATA`, absolute.
    let dataGiven: String?
    /// The folder found when the store's path depended on it.
    let dataFound: String?
    /// The folder found on first asking, when the store's path did not depend on it.
    let searchedLater = OnceValue<String?>()

    public init(store: String?, data: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        dataGiven = (data ?? environment["BDSCHECK_DATA"]).map(Self.absolute)
        if let explicit = store ?? environment["BDSCHECK_STORE"], !explicit.isEmpty {
            storePath = Self.absolute(explicit)
            isExplicit = true
            dataFound = nil
            return
        }
        isExplicit = false
        dataFound = dataGiven == nil ? Self.findDataDirectory().map(Self.absolute) : nil
        if let dataDirectory = dataGiven ?? dataFound {
            storePath = (dataDirectory as NSString).appendingPathComponent(".bdscheck/store.sqlite")
        } else {
            let base = environment["XDG_DATA_HOME"] ?? ((environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/share")
            storePath = base + "/bdscheck/store.sqlite"
        }
    }

    public var importersDirectory: String? {
        dataDirectory.map { ($0 as NSString).appendingPathComponent("importers") }
    }

    /// Opens the store, first calling `build` with the reason when it is the default store and it
    /// is missing or was built from local files that have changed since.
    /// The store has `connections` read-only connections (`Store.init`).
    public func openStore(connections: Int = 1, building build: (_ reason: String) throws -> Void) throws -> Store {
        guard !isExplicit else { return try Store(path: storePath, connections: connections) }
        let existing = try? Store(path: storePath, connections: connections)
        if let reason = try rebuildReason(existing) {
            try build(reason)
            return try Store(path: storePath, connections: connections)
        }
        return try existing ?? Store(path: storePath, connections: connections)
    }

    /// Why the default store needs building, or nil when it is current.
    public func rebuildReason(_ store: Store?) throws -> String? {
        guard FileManager.default.fileExists(atPath: storePath) else { return "no store yet" }
        guard let store else { return "the store could not be read" }
        guard try store.meta("origin") == "shipped-datasets" else { return nil }
        if try store.meta("name_key") != NameKey.version { return "it was built with another name normalisation" }
        let inputs = try store.inputFiles()
        for recorded in inputs {
            guard let now = InputFile.current(path: recorded.path) else { return "\(recorded.path) is gone" }
            if now.size != recorded.size || now.mtime != recorded.mtime { return "\(recorded.path) changed" }
        }
        if let importers = importersDirectory {
            let recorded = Set(inputs.map(\.path))
            let present = (try? FileManager.default.contentsOfDirectory(atPath: importers)) ?? []
            for name in present where name.hasSuffix(".toml") {
                let path = (importers as NSString).appendingPathComponent(name)
                if !recorded.contains(path) { return "\(path) is new" }
            }
        }
        return nil
    }

    /// The nearest folder, from the current one or the executable's upward, that holds `importers/*.toml`.
    public static func findDataDirectory() -> String? {
        var starts = [FileManager.default.currentDirectoryPath]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append((exe as NSString).deletingLastPathComponent)
        } else {
            starts.append(((CommandLine.arguments.first ?? "") as NSString).deletingLastPathComponent)
        }
        for start in starts where !start.isEmpty {
            var dir = absolute(start)
            while true {
                let importers = (dir as NSString).appendingPathComponent("importers")
                if let names = try? FileManager.default.contentsOfDirectory(atPath: importers),
                    names.contains(where: { $0.hasSuffix(".toml") })
                {
                    return dir
                }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir || parent.isEmpty { break }
                dir = parent
            }
        }
        return nil
    }

    /// `path` made absolute against the current folder, with `.` and `..` resolved.
    public static func absolute(_ path: String) -> String { LocalPath.absolute(path) }
}

/// A value worked out once, on first asking, and kept (safe to ask from any thread).
final class OnceValue<Value: Sendable>: Sendable {
    /// Empty until the value is made, then that one value.
    private let stored = Mutex<[Value]>([])

    func value(_ make: () -> Value) -> Value {
        stored.withLock { kept in
            if let first = kept.first { return first }
            let made = make()
            kept = [made]
            return made
        }
    }
}

/// Where the settings file is: `$BDSCHECK_CONFIG` when set (an empty value means none), else
/// `$XDG_CONFIG_HOME/bdscheck/config.toml`, else `~/.config/bdscheck/config.toml`.
///
/// The file holds settings a person wants on every run without typing them (the live lookup and
/// the contact it sends). Reading it is `Settings` (BDSImport); this is only its place, so that the
/// plain check can tell, with one `stat`, that there is a file to read and leave the run to the full
/// command line reader.
public enum SettingsFile {
    public static let variable = "BDSCHECK_CONFIG"

    /// The file's path from these environment variables (`BDSCHECK_CONFIG`, `XDG_CONFIG_HOME`,
    /// `HOME`), whether or not it exists; nil when none applies.
    public static func path(environment: [String: String]) -> String? {
        if let explicit = environment[variable] { return explicit.isEmpty ? nil : explicit }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/bdscheck/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/bdscheck/config.toml" }
        return nil
    }

    /// The file to read: the one `BDSCHECK_CONFIG` names, whether or not it is there (a missing
    /// one is an error for the reader to report, not "no settings"), else the default path when a
    /// file is there.
    public static func toRead(environment: [String: String]) -> String? {
        guard let path = path(environment: environment) else { return nil }
        if let explicit = environment[variable], !explicit.isEmpty { return path }
        var info = stat()
        return stat(path, &info) == 0 ? path : nil
    }
}
