import BDSImport
public import BDSStore
import Foundation
import Logging

/// A store built from the project's own shipped `importers/` and `datasets/` (not a fixture).
public enum ShippedStore {
    /// The repository's root folder.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    public static let shared: Store = {
        do {
            let definitions = try ImportDefinition.loadAll(directory: repository + "/importers").filter(
                \.source.includedByDefault)
            let path = try TemporaryDirectories.make() + "/shipped.sqlite"
            try StoreBuilder(definitions: definitions, displayRoot: repository, origin: "test", logger: Logger(label: "test"))
                .build(to: path)
            return try Store(path: path)
        } catch {
            fatalError("the shipped datasets do not build: \(error)")
        }
    }()
}
