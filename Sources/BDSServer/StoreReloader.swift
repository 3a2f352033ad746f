import BDSStore
public import Dispatch
import Foundation
public import Logging

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
                metadata: [
                    "trigger": "\(trigger)", "path": "\(holder.path)",
                    "built_at": "\((try? opened.store.meta("built_at")) ?? "-")",
                ]
            )
            // The previous store closes when its last request lets go (milliseconds); then give the
            // heap it used back to the system, or glibc keeps it and each reload adds to the RSS.
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { Self.releaseFreedMemory() }
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

    /// glibc's `malloc_trim(0)` (not exported to Swift, so looked up by name); nothing elsewhere.
    static func releaseFreedMemory() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
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
