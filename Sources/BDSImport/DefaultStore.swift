public import BDSStore
import Foundation
public import Logging

extension StoreLocator {
    /// Opens the store, building the default one from the shipped definitions first when it is
    /// missing or older than its datasets: the one way the check path calls into importer code.
    public func openStoreBuildingDefault(connections: Int = 1, logger: Logger, announce: (String) -> Void) throws -> Store {
        try openStore(connections: connections) { reason in
            guard let importers = importersDirectory else { throw StoreError.missing(path: storePath) }
            announce("Building the store from \(importers) (\(reason))…")
            let started = Date()
            let all = try ImportDefinition.loadAll(directory: importers)
            var builder = StoreBuilder(
                definitions: all.filter(\.source.includedByDefault), displayRoot: dataDirectory,
                origin: "shipped-datasets", logger: logger
            )
            builder.extraInputs = all.map(\.path)
            try builder.build(to: storePath)
            announce(String(format: "Built %@ in %.2f s.", storePath, Date().timeIntervalSince(started)))
        }
    }
}
