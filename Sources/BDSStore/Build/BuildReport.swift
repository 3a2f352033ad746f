public import BDSCore

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
        /// Records an `on-invalid = "report"` emit could not use (counted here, each listed in `setAside`).
        public var invalid = 0
        /// Every record set aside, with where it is and why.
        public var setAside: [SetAside] = []
        /// Product rows whose code identifies no product (in-store, book, magazine, coupon, refund):
        /// counted, not stored, since no lookup would ever read them.
        public var nonProductCodes = 0

        public init(id: String, location: String) {
            self.id = id
            self.location = location
        }
    }

    /// A record an `on-invalid = "report"` emit set aside: the file, the line where the record
    /// starts, the field and value, and the reason.
    public struct SetAside: Sendable, Codable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var field: String?
        public var value: String?
        public var reason: String

        public init(_ error: ImportError) {
            file = error.file
            line = error.line
            field = error.field
            value = error.value
            reason = error.message
        }

        public var description: String {
            ImportError(file: file, line: line, field: field, value: value, message: reason).description
        }
    }

    /// Kinds of note, each a thing a maintainer may want to look at that did not stop the build.
    public enum NoteKind: String, Sendable, Codable, CaseIterable {
        case sameEntity = "same-entity"
        case aliasClash = "alias-clash"
        case namesake
        case ownershipNotAdded = "ownership-not-added"
        case ownershipPercentConflict = "ownership-percent-conflict"
        case productDuplicate = "product-duplicate"
        case sharedShortNames = "shared-short-names"
        case sameAs = "same-as"
        case notSame = "not-same"
        case neverMerge = "never-merge"
        case wikidataMerge = "wikidata"
        case identityRuleUnused = "identity-rule-unused"

        /// What a count of notes of this kind means, for one line of the text report.
        public var summary: String {
            switch self {
            case .sameEntity: "names taken as the same entity as an existing one (same normalised name)"
            case .aliasClash: "aliases not added because they already name another entity"
            case .namesake: "names kept apart from an entity of the same name that has another owner"
            case .ownershipNotAdded: "ownership rows not added because another source gives the entity its owners"
            case .ownershipPercentConflict: "ownership links already recorded with another percentage (the first kept)"
            case .productDuplicate: "products already recorded (the first kept)"
            case .sharedShortNames: "short names derived from more than one entity (suggestions only)"
            case .sameAs: "records taken as an entity by a same-as rule"
            case .notSame: "records kept apart from an entity of the same name by a not-same rule"
            case .neverMerge: "names kept apart from another source's entity of the same name (link = never-merge)"
            case .wikidataMerge: "records joined or kept apart by their Wikidata item"
            case .identityRuleUnused: "identity rules no record of their source matched"
            }
        }
    }

    public struct Note: Sendable, Codable, Equatable {
        public var kind: NoteKind
        /// The source being read when it was noticed (nil for the build as a whole).
        public var source: String?
        public var message: String
    }

    /// A contradiction between sources about ownership, under the source whose claim the store
    /// does not follow (see `OwnershipContradiction`; the store keeps each one for the answers).
    public struct Contradiction: Sendable, Codable, Equatable {
        public var source: String
        public var kind: OwnershipContradiction.Kind
        public var message: String
    }

    public var sources: [SourceStats] = []
    /// Every ownership contradiction found, in the order found.
    public var contradictions: [Contradiction] = []
    /// Things a maintainer may want to look at: merged names, alias clashes, duplicate rows (at most
    /// `maxNotes`; `notesDropped` counts the rest).
    public var notes: [Note] = []
    public var notesDropped = 0
    public static let maxNotes = 100_000
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
        guard let i = sources.lastIndex(where: { $0.id == source }) else { return }
        sources[i].invalid += 1
        sources[i].setAside.append(SetAside(error))
    }

    /// Keeps a note, for the source being read unless `wholeBuild` says it is about the build as a whole.
    public mutating func note(_ kind: NoteKind, _ message: String, wholeBuild: Bool = false) {
        guard notes.count < Self.maxNotes else {
            notesDropped += 1
            return
        }
        notes.append(Note(kind: kind, source: wholeBuild ? nil : sources.last?.id, message: message))
    }

    /// Notes counted per source and kind, in the order first met.
    public var noteCounts: [(source: String?, kind: NoteKind, count: Int)] {
        struct Key: Hashable {
            let source: String?
            let kind: NoteKind
        }
        var order: [Key] = []
        var counts: [Key: Int] = [:]
        for n in notes {
            let key = Key(source: n.source, kind: n.kind)
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.map { (source: $0.source, kind: $0.kind, count: counts[$0]!) }
    }
}
