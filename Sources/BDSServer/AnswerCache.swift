import BDSCore
import Hummingbird
import NIOCore
import Synchronization

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
