import BDSCore
public import BDSStore
import Foundation

/// A source's copy kept in the cache folder beside the store (`sources/ID.data`), with what its
/// meta file (`sources/ID.json`) says about it: downloaded from a URL, or copied from a local file
/// given with `refresh --file`.
///
/// A kept copy stays in use by every later refresh until the maintainer removes it on purpose
/// (`refresh --drop ID`); a download is replaced by the next download of its source.
public struct KeptCopy: Sendable {
    public var sourceID: String
    /// The copy itself.
    public var path: String
    public var meta: Meta

    public struct Meta: Codable, Sendable {
        public enum Origin: String, Codable, Sendable {
            case fetched
            case localFile = "local-file"
        }

        public var origin: Origin
        /// The URL downloaded.
        public var url: String?
        public var etag: String?
        public var lastModified: String?
        /// When it was downloaded (ISO 8601).
        public var fetchedAt: String?
        /// The absolute path of the local file it was copied from.
        public var copiedFrom: String?
        /// When it was copied (ISO 8601).
        public var copiedAt: String?
        /// The date the maintainer gave with `refresh --retrieved`: when the local copy's data was read.
        public var retrieved: String?

        public init(
            origin: Origin, url: String? = nil, etag: String? = nil, lastModified: String? = nil, fetchedAt: String? = nil,
            copiedFrom: String? = nil, copiedAt: String? = nil, retrieved: String? = nil
        ) {
            self.origin = origin
            self.url = url
            self.etag = etag
            self.lastModified = lastModified
            self.fetchedAt = fetchedAt
            self.copiedFrom = copiedFrom
            self.copiedAt = copiedAt
            self.retrieved = retrieved
        }

        enum CodingKeys: String, CodingKey {
            case origin, url, etag, lastModified, fetchedAt, copiedFrom, copiedAt, retrieved
        }

        /// A meta file written before local copies were kept has no `origin`: it describes a download.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            origin = try c.decodeIfPresent(Origin.self, forKey: .origin) ?? .fetched
            url = try c.decodeIfPresent(String.self, forKey: .url)
            etag = try c.decodeIfPresent(String.self, forKey: .etag)
            lastModified = try c.decodeIfPresent(String.self, forKey: .lastModified)
            fetchedAt = try c.decodeIfPresent(String.self, forKey: .fetchedAt)
            copiedFrom = try c.decodeIfPresent(String.self, forKey: .copiedFrom)
            copiedAt = try c.decodeIfPresent(String.self, forKey: .copiedAt)
            retrieved = try c.decodeIfPresent(String.self, forKey: .retrieved)
        }

        /// Where the data came from, as the store records it.
        public func sourceOrigin(url fallback: String) -> SourceOrigin {
            switch origin {
            case .fetched:
                SourceOrigin(
                    kind: .fetched, location: url ?? fallback, etag: etag, lastModified: lastModified, obtainedAt: fetchedAt)
            case .localFile:
                SourceOrigin(kind: .localFile, location: copiedFrom ?? "?", obtainedAt: copiedAt)
            }
        }
    }
}

extension SourceFetcher {
    /// The copy of a source kept in the cache, if any. A copy whose meta file is missing or unreadable
    /// is taken for a download whose details are lost.
    public func keptCopy(_ id: String) -> KeptCopy? {
        guard let path = cached(id) else { return nil }
        return KeptCopy(sourceID: id, path: path, meta: loadMeta(id) ?? KeptCopy.Meta(origin: .fetched))
    }

    /// Copies the local file at `path` (absolute) into the cache as the staged `ID.download`, for the
    /// build to read; `commit` makes it the kept copy, `discard` removes it.
    ///
    /// A copy, never a link: the build reads the staged bytes, so the checksum the store records is
    /// that of the copy that is kept, whatever happens to the original afterwards.
    public func stageLocalCopy(id: String, from path: String, retrieved: String?) throws -> Fetched {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ImportError(file: path, message: "no such file (given with --file \(id)=…)")
        }
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let scratch = try ScratchFiles.DownloadDirectory(in: cacheDirectory)
        defer { scratch.remove() }
        let partial = scratch.path + "/\(id).part"
        do {
            try FileManager.default.copyItem(atPath: path, toPath: partial)
        } catch {
            throw ImportError(file: path, message: "cannot copy it into \(cacheDirectory): \(error.localizedDescription)")
        }
        let destination = downloadPath(for: id)
        guard rename(partial, destination) == 0 else {
            throw ImportError(file: path, message: "cannot keep the copy: \(String(cString: strerror(errno)))")
        }
        let meta = KeptCopy.Meta(
            origin: .localFile, copiedFrom: path, copiedAt: ISO8601DateFormatter().string(from: Date()), retrieved: retrieved)
        return Fetched(sourceID: id, url: path, path: destination, outcome: .copied, meta: meta)
    }

    /// Deletes the kept copy of a source and its meta file (`refresh --drop`, after the swap).
    public func removeKeptCopy(_ id: String) throws {
        for path in [cachedPath(for: id), metaPath(for: id)] where unlink(path) != 0 && errno != ENOENT {
            throw ImportError(file: path, message: "cannot delete the kept copy: \(String(cString: strerror(errno)))")
        }
    }
}
