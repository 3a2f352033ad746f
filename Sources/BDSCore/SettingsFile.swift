import Foundation

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
