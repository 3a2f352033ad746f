import BDSCore
import BDSStore
import Foundation
import TOMLKit

/// The settings file (`SettingsFile` says where): what a person wants on every run without typing
/// it. Today the live lookup:
///
/// ```toml
/// [online]
/// enabled = true                       # as --online, for checks and for serve
/// contact = "shop@example.org"         # as --online-contact
/// api = "https://world.openfoodfacts.org"   # as --online-api
/// ```
///
/// Options on the command line win over the file, and `--offline` turns the lookup off for one
/// run. An unknown key, a value of the wrong type or a file that is not TOML is an error naming the
/// file and the key, never silently ignored.
public struct Settings: Sendable, Equatable {
    public var online = false
    public var onlineContact: String?
    public var onlineAPI: String?

    public init(online: Bool = false, onlineContact: String? = nil, onlineAPI: String? = nil) {
        self.online = online
        self.onlineContact = onlineContact
        self.onlineAPI = onlineAPI
    }

    /// The settings in the file the environment points to, or the defaults when there is none.
    public static func load(environment: [String: String]? = nil) throws -> Settings {
        guard let path = SettingsFile.toRead(environment: environment ?? ProcessInfo.processInfo.environment) else {
            return Settings()
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImportError(file: path, message: "\(SettingsFile.variable) names a settings file that does not exist")
        }
        return try load(path: path)
    }

    public static func load(path: String) throws -> Settings {
        let root = try TOMLPrecheck.table(parsing: try TOMLPrecheck.text(ofFile: path, what: "the settings file"), path: path)
        let top = TableReader(table: root, path: path, prefix: "")
        try top.allowOnly(["online"])
        var settings = Settings()
        if root["online"] != nil {
            let online = try top.table("online")
            try online.allowOnly(["enabled", "contact", "api"])
            settings.online = try online.bool("enabled") ?? false
            settings.onlineContact = try online.string("contact")
            if let api = try online.string("api") {
                guard api.hasPrefix("https://") || api.hasPrefix("http://") else {
                    throw ImportError(file: path, field: "online.api", value: api, message: "an http(s) URL")
                }
                settings.onlineAPI = api
            }
        }
        return settings
    }
}
