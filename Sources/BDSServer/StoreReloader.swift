import Dispatch
import Foundation
import Logging

/// Re-opens the store on request (admin endpoint) or on SIGHUP, and says how it went in the log and metrics.
public final class StoreReloader: Sendable {
    let holder: StoreHolder
    let metrics: ServerMetrics
    let logger: Logger

    public init(holder: StoreHolder, metrics: ServerMetrics, logger: Logger) {
        self.holder = holder
        self.metrics = metrics
        self.logger = logger
    }

    @discardableResult
    public func reload(trigger: String) throws -> OpenedStore {
        do {
            let opened = try holder.reload()
            metrics.recordReload(succeeded: true)
            logger.notice(
                "store reloaded",
                metadata: ["trigger": "\(trigger)", "path": "\(holder.path)", "built_at": "\((try? opened.store.meta("built_at")) ?? "-")"]
            )
            return opened
        } catch {
            metrics.recordReload(succeeded: false)
            logger.error(
                "store reload failed; still answering from the previous store",
                metadata: ["trigger": "\(trigger)", "path": "\(holder.path)", "error": "\(error)"]
            )
            throw error
        }
    }

    /// Reloads on every SIGHUP until the returned source is cancelled.
    public func reloadOnHangup() -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { [self] in _ = try? reload(trigger: "SIGHUP") }
        source.resume()
        return source
    }
}
