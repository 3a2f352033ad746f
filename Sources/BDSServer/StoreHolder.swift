public import BDSStore
import Crypto
public import Foundation
import Logging
import Synchronization

/// The store the server answers from, swapped whole on reload.
///
/// A request takes `current` once and keeps that instance to the end, so a reload never fails a
/// request in flight: the old store closes when its last request lets go of it.
public final class StoreHolder: Sendable {
    public let path: String
    let connections: Int
    /// Each opened store's budget for barcode answers already made (`AnswerCache`), in bytes.
    let answerCacheBytes: Int
    let state: Mutex<OpenedStore>
    let reloading = Mutex<Void>(())

    /// The default answer budget: 32 MB, about 10,000 answers.
    public static let defaultAnswerCacheBytes = 32 << 20

    public init(path: String, connections: Int, answerCacheBytes: Int = defaultAnswerCacheBytes) throws {
        self.path = path
        self.connections = connections
        self.answerCacheBytes = answerCacheBytes
        state = Mutex(
            OpenedStore(store: try Store(path: path, connections: connections), answerCacheBytes: answerCacheBytes))
    }

    /// Wraps a store that is already open (tests, or a store the caller built first).
    public init(store: Store, connections: Int, answerCacheBytes: Int = defaultAnswerCacheBytes) {
        path = store.path
        self.connections = connections
        self.answerCacheBytes = answerCacheBytes
        state = Mutex(OpenedStore(store: store, answerCacheBytes: answerCacheBytes))
    }

    public var current: OpenedStore { state.withLock { $0 } }

    /// Opens the file at `path` again (a refresh renames a new file over it) and answers from it from now on.
    /// On failure the store in use stays.
    @discardableResult
    public func reload() throws -> OpenedStore {
        try reloading.withLock { _ in
            let opened = OpenedStore(
                store: try Store(path: path, connections: connections), answerCacheBytes: answerCacheBytes)
            state.withLock { $0 = opened }
            return opened
        }
    }
}

/// One opened store, with when it was opened and (computed on first use) the SHA-256 of its file.
public final class OpenedStore: Sendable {
    public let store: Store
    public let openedAt: Date
    /// Opened with the store, so the checksum is of this store's file even after a refresh renames another over its path.
    let file: FileDescriptorBox?
    let cachedChecksum = Mutex<String?>(nil)
    /// Barcode answers already made from this store; a reload starts a new, empty one.
    let answers: AnswerCache

    init(store: Store, answerCacheBytes: Int) {
        self.store = store
        answers = AnswerCache(limitBytes: answerCacheBytes)
        // A server answers many searches: hold the fuzzy-name index in memory (see NameIndex). If it
        // cannot be built, searches use the store's FTS5 index as the CLI does.
        _ = try? store.prepareNameIndex()
        openedAt = Date()
        file = FileDescriptorBox(path: store.path)
    }

    /// Size of the opened file in bytes.
    public var fileBytes: Int64 {
        guard let file else { return 0 }
        var st = stat()
        return fstat(file.fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    /// Hex SHA-256 of the store file, read once in 1 MiB chunks.
    public func checksum() throws -> String {
        try cachedChecksum.withLock { cached in
            if let cached { return cached }
            guard let file else { throw StoreError.missing(path: store.path) }
            var hasher = SHA256()
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var offset: off_t = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress, $0.count, offset) }
                if n < 0 { throw StoreError.unreadable(path: store.path, reason: String(cString: strerror(errno))) }
                if n == 0 { break }
                hasher.update(data: buffer[0..<n])
                offset += off_t(n)
            }
            let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            cached = hex
            return hex
        }
    }
}

/// A read-only descriptor closed with its owner.
final class FileDescriptorBox: Sendable {
    let fd: Int32

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }
}
