import BDSCore

/// What a build loaded, per source, and what it noticed without failing.
public struct BuildReport: Sendable, Codable {
    public struct SourceStats: Sendable, Codable {
        public var id: String
        public var location: String
        public var records = 0
        public var bytes: Int64 = 0
        public var sha256 = ""
        /// Rows inserted per target ("company", "listing", …).
        public var inserted: [String: Int] = [:]
        /// Emits skipped because a `skip-when-empty` field was empty.
        public var skipped = 0
        /// Records an `on-invalid = "report"` emit could not use (counted here, listed in `invalidRecords`).
        public var invalid = 0
        /// Product rows whose code identifies no product (in-store, book, magazine, coupon, refund):
        /// counted, not stored, since no lookup would ever read them.
        public var nonProductCodes = 0

        public init(id: String, location: String) {
            self.id = id
            self.location = location
        }
    }

    public var sources: [SourceStats] = []
    /// Things a maintainer should look at: merged names, alias clashes, duplicate rows.
    public var warnings: [String] = []
    /// Warnings past this many are counted, not kept.
    public var warningsDropped = 0
    /// The first invalid records that `on-invalid = "report"` emits set aside, with the reason.
    public var invalidRecords: [String] = []
    public var seconds = 0.0
    /// Short names derived from formal names (see `ShortName`).
    public var derivedShortNames = 0
    /// Names a `match-only` source's record kept apart from an entity of the same name, because it
    /// names another owner (docs/IDENTITY.md).
    public var namesakes = 0
    /// Ownership rows of `match-only` sources not added, because another source gives the entity its owners.
    public var ownershipConflicts = 0

    public init() {}

    public mutating func invalid(_ error: ImportError, source: String) {
        if let i = sources.lastIndex(where: { $0.id == source }) { sources[i].invalid += 1 }
        if invalidRecords.count < 200 { invalidRecords.append(error.description) }
    }

    public mutating func warn(_ message: String) {
        if warnings.count < 200 { warnings.append(message) } else { warningsDropped += 1 }
    }
}
