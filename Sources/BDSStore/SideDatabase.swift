import Foundation
import GRDB

/// The writable databases kept beside the read-only store (shoppers' reports, the live cache):
/// opened in WAL mode, with their folder made and their own migrations run.
enum SideDatabase {
    /// The file `name` in the folder of the store at `storePath`.
    static func path(_ name: String, besideStore storePath: String) -> String {
        (storePath as NSString).deletingLastPathComponent + "/" + name
    }

    static func open(path: String, label: String, migrations: (inout DatabaseMigrator) -> Void) throws -> DatabasePool {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var config = Configuration()
        config.label = label
        config.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: config)
        var migrator = DatabaseMigrator()
        migrations(&migrator)
        try migrator.migrate(pool)
        return pool
    }
}
