import BDSCore
public import BDSStore
import Crypto
public import Foundation
import Hummingbird
import Logging
import NIOCore
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

/// Barcode answers already made from one opened store, by language and code as asked, up to a byte
/// budget (`serve --answer-cache-mb`).
///
/// Why: a shop scans the same products again and again, and a barcode answer is the same bytes
/// every time for one store (it holds nothing that depends on the hour: the data's date is the
/// store's). An answer from here skips the lookup, the wording and the JSON writer
/// (docs/PERFORMANCE.md, "The server"). The cache belongs to its `OpenedStore`: a reload opens a new
/// store with an empty cache, so no answer outlives the data it came from. When the budget is
/// spent, the oldest answers go first. An answer is kept only when its key is asked for a second
/// time while still remembered by a small table of recent keys' hashes: codes seen once (a
/// workload of first-seen codes) then cost a hash and one table slot, not an insert and an
/// eviction each, which cut such a workload's throughput by a third in the first version.
final class AnswerCache: Sendable {
    struct Answer: Sendable {
        let body: ByteBuffer
        let status: HTTPResponse.Status
        let level: VerdictLevel
    }

    /// The budget in bytes (answers, keys and a fixed overhead each); 0 keeps nothing.
    let limitBytes: Int
    private let shards: [LockedShard]
    private let totalBytes = Atomic<Int>(0)
    private let totalEntries = Atomic<Int>(0)
    private let hitCount = Atomic<Int>(0)
    private let missCount = Atomic<Int>(0)
    /// What an entry costs beyond its key and body: the dictionary slot, the order slot, the buffer's header.
    static let entryOverhead = 96

    init(limitBytes: Int, shardCount: Int = 16) {
        self.limitBytes = max(0, limitBytes)
        shards = (0..<shardCount).map { _ in LockedShard() }
    }

    var bytes: Int { totalBytes.load(ordering: .relaxed) }
    var entries: Int { totalEntries.load(ordering: .relaxed) }
    var hits: Int { hitCount.load(ordering: .relaxed) }
    var misses: Int { missCount.load(ordering: .relaxed) }

    /// The key of an answer: its language and the code exactly as asked (another form of the same
    /// product is answered with that form in it).
    struct Key: Hashable, Sendable {
        let language: String
        let code: String

        var cost: Int { language.utf8.count + code.utf8.count }
    }

    static func key(language: String, code: String) -> Key { Key(language: language, code: code) }

    func answer(for key: Key) -> Answer? {
        guard limitBytes > 0 else { return nil }
        let found = shard(Self.hash(key)).mutex.withLock { $0.entries[key] }
        if found == nil {
            missCount.add(1, ordering: .relaxed)
        } else {
            hitCount.add(1, ordering: .relaxed)
        }
        return found
    }

    func keep(_ answer: Answer, for key: Key) {
        guard limitBytes > 0 else { return }
        let cost = answer.body.readableBytes + key.cost + Self.entryOverhead
        let shardLimit = limitBytes / shards.count
        guard cost <= shardLimit else { return }
        let hash = Self.hash(key)
        let (addedBytes, addedEntries) = shard(hash).mutex.withLock { shard in
            shard.keep(answer, for: key, hash: hash, cost: cost, limit: shardLimit)
        }
        totalBytes.add(addedBytes, ordering: .relaxed)
        totalEntries.add(addedEntries, ordering: .relaxed)
    }

    /// The one hash of a key that picks its shard and its slot among the keys seen once.
    static func hash(_ key: Key) -> Int {
        var hasher = Hasher()
        hasher.combine(key)
        return hasher.finalize()
    }

    private func shard(_ hash: Int) -> LockedShard {
        shards[Int(UInt(bitPattern: hash) % UInt(shards.count))]
    }

    final class LockedShard: Sendable {
        let mutex = Mutex(Shard())
    }

    /// One shard: its answers, and their keys oldest first.
    struct Shard {
        var entries: [Key: Answer] = [:]
        var order: [Key] = []
        var head = 0
        var bytes = 0
        /// The hashes of keys asked for once and not kept, one slot per hash's low bits.
        var seen = [Int](repeating: 0, count: 4096)

        /// Keeps `answer` if its key was asked for before, then drops the oldest until the shard is
        /// within `limit`; returns the change in bytes and entries.
        mutating func keep(_ answer: Answer, for key: Key, hash: Int, cost: Int, limit: Int) -> (Int, Int) {
            let slot = Int(UInt(bitPattern: hash) >> 4) & (seen.count - 1)
            guard seen[slot] == hash else {
                seen[slot] = hash
                return (0, 0)
            }
            guard entries[key] == nil else { return (0, 0) }
            entries[key] = answer
            order.append(key)
            bytes += cost
            var bytesDelta = cost
            var entriesDelta = 1
            while bytes > limit, head < order.count {
                let oldest = order[head]
                head += 1
                if let dropped = entries.removeValue(forKey: oldest) {
                    let freed = dropped.body.readableBytes + oldest.cost + AnswerCache.entryOverhead
                    bytes -= freed
                    bytesDelta -= freed
                    entriesDelta -= 1
                }
            }
            // The dropped keys' slots are reclaimed once they are half of the order.
            if head > 1024 && head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            }
            return (bytesDelta, entriesDelta)
        }
    }
}
