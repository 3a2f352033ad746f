public import BDSCore
import Foundation
import GRDB
import GRDBSQLite

/// A maintained identity rule that cannot be applied: an error in the rule file, which stops the
/// build even where an emit sets bad records aside (`on-invalid = "report"`).
public struct IdentityRuleError: Error, CustomStringConvertible, Sendable {
    public let error: ImportError

    init(_ error: ImportError) { self.error = error }

    public var description: String { error.description }
}

/// Writes typed records into a store under construction, resolving names to entities as it goes.
///
/// The only code that writes the schema: importers hand it `EntityInput`, `OwnershipInput`,
/// `ProductInput`, `ListingInput` and the GS1 rows, never SQL. Entities are identified by their
/// normalised names: a second source that names the same company ("Airbnb" and "Airbnb Inc.")
/// adds to one entity rather than creating a twin.
public final class StoreWriter {
    let db: Database
    public internal(set) var report: BuildReport
    private var byNorm: [String: Int64] = [:]
    private var byCompact: [String: Int64] = [:]
    private var names: [Int64: String] = [:]
    /// Names exactly as written → entity, so that a name repeated on millions of rows (a brand in
    /// a product export) is normalised once.
    private var byRawName: [String: Int64] = [:]
    /// Ownership edges already written, with the claim the store follows for each, so repeated rows
    /// cost a dictionary lookup instead of an insert, and contradictions are seen as they arrive.
    private var edges: [OwnershipKey: EdgeClaim] = [:]
    /// Each entity's direct owners, ended or not, with the source that said so (a record naming a
    /// former owner is still about the same entity).
    private var ownersOf: [Int64: [(owner: Int64, source: String)]] = [:]
    /// Each entity's direct owners through links that have not ended, for cycles and shares.
    private var activeOwnersOf: [Int64: [Int64]] = [:]
    /// Separate entities made for a name whose record names an owner the entity on record does not
    /// have, by source, name and owner (see `reference(_:field:create:ownedBy:context:)`).
    private var namesakes: [NamesakeKey: Int64] = [:]
    /// `reference(_:field:create:ownedBy:context:)` answers that later rows cannot change, by the
    /// source and the names exactly as written.
    private var settledReferences: [NamesakeKey: Int64] = [:]

    /// Identity rules (`same-as`, `not-same`) by the source they are about and the key or normalised
    /// name they match; `ruledSources` lets rows of other sources skip the lookups.
    private var rules: [Rule] = []
    private var sameAsRules: [RuleKey: Int] = [:]
    private var notSameRules: [RuleKey: [Int]] = [:]
    private var ruledSources: Set<String> = []
    /// Entities a source keeps to itself (a `never-merge` emit's names, records a `not-same` rule
    /// keeps apart), by source and normalised name, so its later rows find them again.
    private var sourceLocal: [RuleKey: Int64] = [:]
    private var sourcesWithLocal: Set<String> = []
    /// The source that created each entity, for `never-merge`.
    private var creatorOf: [Int64: String] = [:]
    /// Entities by Wikidata item, and each entity's item.
    private var byWikidata: [String: Int64] = [:]
    private var wikidataOf: [Int64: String] = [:]

    struct RuleKey: Hashable {
        let source: String
        let key: String
    }

    struct Rule {
        let input: IdentityRuleInput
        let file: String
        let line: Int
        var used = 0
    }

    /// The GS1 prefix ranges loaded so far, to tell product codes from in-store and book codes.
    private var prefixRanges: [GS1PrefixRange] = []
    private var prefixTable: GS1PrefixTable?

    struct NamesakeKey: Hashable {
        let source: String
        let name: String
        let owner: String
    }

    struct OwnershipKey: Hashable {
        let owned: Int64
        let owner: Int64
    }

    /// One source's claim about an ownership edge.
    struct EdgeClaim {
        var percent: Double?
        var startDate: String?
        var endDate: String?
        var source: String
        var sourceURL: String?
        var retrieved: String?
        /// Load order, so that a contradiction names the claim that came last.
        var order: Int
    }

    /// Where each source's data came from, by source id, recorded in its `source` row by `beginSource`
    /// (set by the builder before the load; a source missing here is recorded without an origin).
    public var sourceOrigins: [String: SourceOrigin] = [:]

    init(db: Database, report: BuildReport) {
        self.db = db
        self.report = report
    }

    /// Where a row came from, for errors and for the columns every row carries.
    public struct RowContext: Sendable {
        public let sourceID: String
        public let file: String
        public let line: Int

        public init(sourceID: String, file: String, line: Int) {
            self.sourceID = sourceID
            self.file = file
            self.line = line
        }
    }

    /// Starts a source: its row in `source`, and its counts in the report from here on.
    public func beginSource(_ s: SourceInput) throws {
        report.sources.append(BuildReport.SourceStats(id: s.id, location: s.location))
        let origin = sourceOrigins[s.id]
        try db.cachedStatement(
            sql: """
                INSERT INTO source (
                    id, name, url, licence, retrieved, imported_at,
                    origin, origin_location, etag, last_modified, obtained_at
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            s.id, s.name, s.url, s.licence, s.retrieved, ISO8601DateFormatter().string(from: Date()),
            origin?.kind.rawValue, origin?.location, origin?.etag, origin?.lastModified, origin?.obtainedAt,
        ])
    }

    /// Ends the current source with what was read of it, and returns its counts.
    @discardableResult
    public func finishSource(records: Int, bytes: Int64, sha256: String) throws -> BuildReport.SourceStats {
        guard !report.sources.isEmpty else { throw StoreError.unreadable(path: "build", reason: "no source was begun") }
        let i = report.sources.count - 1
        report.sources[i].records = records
        report.sources[i].bytes = bytes
        report.sources[i].sha256 = sha256
        let stats = report.sources[i]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let inserted = String(decoding: try encoder.encode(stats.inserted), as: UTF8.self)
        try db.cachedStatement(
            sql: """
                UPDATE source SET sha256 = ?, bytes = ?, records = ?, inserted = ?, invalid = ?, skipped = ?,
                    non_product_codes = ?
                WHERE id = ?
                """
        ).execute(arguments: [
            stats.sha256, stats.bytes, stats.records, inserted, stats.invalid, stats.skipped, stats.nonProductCodes, stats.id,
        ])
        return stats
    }

    /// Counts an emit skipped for the current source (a `skip-when-empty` field was empty).
    public func noteSkipped() {
        guard !report.sources.isEmpty else { return }
        report.sources[report.sources.count - 1].skipped += 1
    }

    /// Sets a record aside for the current source, with the reason.
    public func noteInvalid(_ error: ImportError) {
        guard let id = report.sources.last?.id else { return }
        report.invalid(error, source: id)
    }

    // MARK: - Entities

    public func resolve(_ name: String) -> Int64? {
        if let id = byRawName[name] { return id }
        let key = NameKey(name)
        guard let id = byNorm[key.normalized] ?? byCompact[key.compact] else { return nil }
        byRawName[name] = id
        return id
    }

    /// Returns the entity named `e.name`, creating it or adding the aliases to the existing one.
    @discardableResult
    public func entity(_ e: EntityInput, link: LinkMode = .create, context: RowContext) throws -> Int64 {
        try entity(
            name: e.name, kind: e.kind, country: e.country, note: e.note, aliases: e.aliases,
            sourceURL: e.sourceURL, retrieved: e.retrieved, key: e.key, wikidata: e.wikidata, link: link, context: context
        )
    }

    func entity(
        name: String, kind: EntityKind, country: String?, note: String?, aliases: [String],
        sourceURL: String?, retrieved: String?, key recordKey: String? = nil, wikidata: String? = nil,
        link: LinkMode = .create, context: RowContext
    ) throws -> Int64 {
        let key = NameKey(name)
        guard !key.isEmpty else {
            throw ImportError(
                file: context.file, line: context.line, field: "name", value: name,
                message: "a name needs at least one letter or digit")
        }
        let local = RuleKey(source: context.sourceID, key: key.normalized)
        let id: Int64
        var joinsByName = true
        if let target = try sameAsTarget(name, key: recordKey, context: context) {
            id = target
            try addAlias(name, to: id, context: context)
        } else if let wikidata, let known = byWikidata[wikidata] {
            // The same Wikidata item is the same entity, whatever the names.
            id = known
            if names[known].map({ NameKey($0).normalized }) != key.normalized {
                report.note(
                    .wikidataMerge,
                    "\(context.file):\(context.line): '\(name)' is taken as '\(names[known] ?? "?")': both are Wikidata item \(wikidata)"
                )
            }
            try addAlias(name, to: id, context: context)
        } else if let own = sourcesWithLocal.contains(context.sourceID) ? sourceLocal[local] : nil {
            id = own
            joinsByName = false
        } else if let existing = byNorm[key.normalized] ?? byCompact[key.compact] {
            if let apart = try keptApart(name, key: recordKey, from: existing, wikidata: wikidata, link: link, context: context) {
                id = try separate(name, kind: kind, note: apart, local: local, context: context)
                joinsByName = false
            } else {
                id = existing
                if names[existing] != name {
                    report.note(
                        .sameEntity,
                        "\(context.file):\(context.line): '\(name)' is taken as the same entity as '\(names[existing] ?? "?")' (same normalised name)"
                    )
                }
                try addAlias(name, to: id, context: context)
            }
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO entity (name, kind, country, note, source_id, source_url, retrieved) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [name, kind.rawValue, country, note, context.sourceID, sourceURL, retrieved])
            id = db.lastInsertedRowID
            names[id] = name
            creatorOf[id] = context.sourceID
            bump("entity")
            if link == .neverMerge {
                // Its own source finds it again; no other source's name joins it.
                keepLocal(id, local)
                joinsByName = false
            } else {
                try addAlias(name, to: id, context: context)
            }
        }
        if joinsByName {
            for alias in aliases {
                try addAlias(alias, to: id, context: context)
            }
        }
        if let recordKey { try recordEntityKey(id, scheme: context.sourceID, key: recordKey, context: context) }
        if let wikidata, wikidataOf[id] == nil { try setWikidataItem(wikidata, of: id, context: context) }
        return id
    }

    /// Records that entity `id` is Wikidata item `item` (checked first).
    private func setWikidataItem(_ item: String, of id: Int64, context: RowContext) throws {
        try Self.checkWikidataItem(item, context: context)
        byWikidata[item] = id
        wikidataOf[id] = item
        try recordEntityKey(id, scheme: "wikidata", key: item, context: context)
    }

    /// The entity loaded with this Wikidata item, if any.
    public func entity(wikidataItem item: String) -> Int64? { byWikidata[item] }

    /// A `match-only` record's names, added as aliases to the entity loaded with its Wikidata item
    /// (nil when no entity has it: nothing is created, and nothing joins by name). An alias that
    /// already names another entity is not added (a note), as for every alias.
    ///
    /// A name that is the bare word of an entity named with a bracket ("Yellow" for "Yellow (Paz
    /// convenience stores)") is not added either: the bracket is there because that word is a
    /// common one or another company's name (datasets/README.md, "Name matching"), and an alias
    /// would make the bare word an exact match again. A note names it.
    public func addNames(_ e: EntityInput, toWikidataItem item: String, context: RowContext) throws -> Int64? {
        guard let id = byWikidata[item] else { return nil }
        let bare = names[id].flatMap(Self.bareName).map { NameKey($0) }
        for alias in [e.name] + e.aliases {
            if let bare, case let key = NameKey(alias), key.normalized == bare.normalized || key.compact == bare.compact {
                report.note(
                    .wikidataMerge,
                    "\(context.file):\(context.line): '\(alias)' is the bare name that '\(names[id] ?? "?")' is bracketed against; not added"
                )
                continue
            }
            if try addAlias(alias, to: id, context: context) { bump("alias") }
        }
        return id
    }

    /// "Yellow" for "Yellow (Paz convenience stores)"; nil for a name without a closing bracket.
    static func bareName(_ name: String) -> String? {
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "(") else { return nil }
        let bare = name[..<open].trimmingCharacters(in: .whitespaces)
        return bare.isEmpty ? nil : bare
    }

    /// A `wikidata-item` row: the entity of that name (or alias), loaded before, is this Wikidata
    /// item. An item given to two entities, or two items to one, stops the build at the row.
    public func wikidataItem(entity name: String, item: String, context: RowContext) throws {
        try Self.checkWikidataItem(item, context: context)
        guard let id = resolve(name) else {
            throw ImportError(
                file: context.file, line: context.line, field: "entity", value: name,
                message: "no company or brand of that name was loaded before this row (definitions load in file-name order)")
        }
        if let other = byWikidata[item], other != id {
            throw ImportError(
                file: context.file, line: context.line, field: "wikidata", value: item,
                message: "already the Wikidata item of '\(names[other] ?? "?")'")
        }
        if let theirs = wikidataOf[id], theirs != item {
            throw ImportError(
                file: context.file, line: context.line, field: "wikidata", value: item,
                message: "'\(names[id] ?? "?")' is already Wikidata item \(theirs)")
        }
        guard wikidataOf[id] == nil else { return }
        try setWikidataItem(item, of: id, context: context)
        bump("wikidata-item")
    }

    static func checkWikidataItem(_ item: String, context: RowContext) throws {
        guard item.first == "Q", item.count > 1, item.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ImportError(
                file: context.file, line: context.line, field: "wikidata", value: item,
                message: "a Wikidata item is Q followed by digits")
        }
    }

    private func recordEntityKey(_ id: Int64, scheme: String, key: String, context: RowContext) throws {
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO entity_key (entity_id, scheme, key, source_id) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [id, scheme, key, context.sourceID])
    }

    private func keepLocal(_ id: Int64, _ local: RuleKey) {
        sourceLocal[local] = id
        sourcesWithLocal.insert(local.source)
    }

    /// A separate entity of the current source for a record that must not join `existing`, found
    /// again by the source's later rows of that name.
    private func separate(_ name: String, kind: EntityKind, note: String, local: RuleKey, context: RowContext) throws -> Int64 {
        let id = try insertApart(name, kind: kind, note: note, context: context)
        keepLocal(id, local)
        return id
    }

    /// An entity kept apart from one of the same name (a namesake, a `not-same` record, a
    /// `never-merge` name meeting another source's): no alias, so a typed name never finds it, and a
    /// note saying which entity it is not.
    private func insertApart(_ name: String, kind: EntityKind, note: String, context: RowContext) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO entity (name, kind, country, note, source_id, source_url, retrieved) VALUES (?, ?, NULL, ?, ?, NULL, NULL)
                """
        ).execute(arguments: [name, kind.rawValue, note, context.sourceID])
        let id = db.lastInsertedRowID
        names[id] = name
        creatorOf[id] = context.sourceID
        bump("entity")
        return id
    }

    // MARK: - Identity rules

    /// Records a `same-as` or `not-same` rule; rules apply to the sources loaded after them.
    public func identityRule(_ r: IdentityRuleInput, context: RowContext) throws {
        let index = rules.count
        let keys = Set([r.key, NameKey(r.key).normalized])
        switch r.kind {
        case .sameAs:
            for k in keys {
                let ruleKey = RuleKey(source: r.source, key: k)
                if let other = sameAsRules[ruleKey], NameKey(rules[other].input.entity) != NameKey(r.entity) {
                    throw ImportError(
                        file: context.file, line: context.line, field: "entity", value: r.entity,
                        message:
                            "\(r.source) '\(r.key)' is already ruled the same as '\(rules[other].input.entity)' (\(rules[other].file):\(rules[other].line))"
                    )
                }
                sameAsRules[ruleKey] = index
            }
        case .notSame:
            for k in keys { notSameRules[RuleKey(source: r.source, key: k), default: []].append(index) }
        }
        rules.append(Rule(input: r, file: context.file, line: context.line))
        ruledSources.insert(r.source)
        bump(r.kind.rawValue)
    }

    /// The entity a `same-as` rule says the record is, matched by the record's key, else its name.
    private func sameAsTarget(_ name: String, key recordKey: String?, context: RowContext) throws -> Int64? {
        guard ruledSources.contains(context.sourceID) else { return nil }
        let byKey = recordKey.flatMap { sameAsRules[RuleKey(source: context.sourceID, key: $0)] }
        guard let i = byKey ?? sameAsRules[RuleKey(source: context.sourceID, key: NameKey(name).normalized)] else {
            return nil
        }
        let rule = rules[i]
        guard let target = resolve(rule.input.entity) else {
            // The rule is wrong, not the record: the build stops even where records may be set aside.
            throw IdentityRuleError(
                ImportError(
                    file: rule.file, line: rule.line, field: "entity", value: rule.input.entity,
                    message:
                        "this same-as rule names no company or brand loaded before \(context.file):\(context.line), where it applies"
                ))
        }
        if rule.used == 0 {
            report.note(
                .sameAs,
                "\(context.file):\(context.line): '\(recordKey ?? name)' is taken as '\(names[target] ?? rule.input.entity)': \(rule.input.reason) (\(rule.file):\(rule.line))"
            )
        }
        rules[i].used += 1
        return target
    }

    /// Why a record named like `existing` must stay apart from it, or nil when it may join: a
    /// `not-same` rule, different Wikidata items, or a `never-merge` emit meeting another source's entity.
    private func keptApart(
        _ name: String, key recordKey: String?, from existing: Int64, wikidata: String?, link: LinkMode, context: RowContext
    ) throws -> String? {
        let shown = names[existing] ?? name
        if ruledSources.contains(context.sourceID) {
            let candidates =
                (recordKey.flatMap { notSameRules[RuleKey(source: context.sourceID, key: $0)] } ?? [])
                + (notSameRules[RuleKey(source: context.sourceID, key: NameKey(name).normalized)] ?? [])
            for i in candidates where resolve(rules[i].input.entity) == existing {
                rules[i].used += 1
                report.note(
                    .notSame,
                    "\(context.file):\(context.line): '\(name)' is kept apart from '\(shown)': \(rules[i].input.reason) (\(rules[i].file):\(rules[i].line))"
                )
                let cited = rules[i].input.sourceURL.map { " (\($0))" } ?? ""
                return "Not the same as “\(shown)”: \(rules[i].input.reason)\(cited)"
            }
        }
        if let wikidata, let theirs = wikidataOf[existing], theirs != wikidata {
            report.note(
                .wikidataMerge,
                "\(context.file):\(context.line): '\(name)' (\(wikidata)) is kept apart from '\(shown)' (\(theirs)): different Wikidata items"
            )
            return "Not the same as “\(shown)”: a different Wikidata item (\(wikidata), not \(theirs))"
        }
        if link == .neverMerge, creatorOf[existing] != context.sourceID {
            report.note(
                .neverMerge,
                "\(context.file):\(context.line): '\(name)' is kept apart from '\(shown)' of another source (link = never-merge)")
            return "Kept apart from “\(shown)”: this source's names never join another source's entity by name alone"
        }
        return nil
    }

    /// What a reference means when rules, a `never-merge` emit or the source's own kept-apart
    /// entities decide it; nil when the plain name lookup decides.
    private func ruledReference(
        _ name: String, field: String, create: EntityKind?, link: LinkMode, context: RowContext
    ) throws -> Int64? {
        let source = context.sourceID
        guard link == .neverMerge || ruledSources.contains(source) || sourcesWithLocal.contains(source) else { return nil }
        if let target = try sameAsTarget(name, key: nil, context: context) { return target }
        let norm = NameKey(name)
        guard !norm.isEmpty else { return nil }
        let local = RuleKey(source: source, key: norm.normalized)
        if let own = sourceLocal[local] { return own }
        guard let existing = resolve(name) else {
            guard link == .neverMerge, let create else { return nil }
            return try entity(
                name: name, kind: create, country: nil, note: nil, aliases: [], sourceURL: nil, retrieved: nil, link: link,
                context: context)
        }
        guard let apart = try keptApart(name, key: nil, from: existing, wikidata: nil, link: link, context: context) else {
            return existing
        }
        guard let create else {
            throw ImportError(
                file: context.file, line: context.line, field: field, value: name,
                message: "\(apart); no other company or brand of that name was loaded before this row")
        }
        return try separate(name, kind: create, note: apart, local: local, context: context)
    }

    /// Notes the rules whose source was loaded but matched no record of it (a changed key, a typo).
    func noteUnusedRules() {
        let loaded = Set(report.sources.map(\.id))
        for rule in rules where rule.used == 0 && loaded.contains(rule.input.source) {
            report.note(
                .identityRuleUnused,
                "\(rule.file):\(rule.line): the \(rule.input.kind.rawValue) rule for \(rule.input.source) '\(rule.input.key)' matched no record of that source",
                wholeBuild: true)
        }
    }

    /// True when the alias was added (not empty, and not a name of this or another entity already).
    @discardableResult
    private func addAlias(_ alias: String, to id: Int64, context: RowContext) throws -> Bool {
        let key = NameKey(alias)
        guard !key.isEmpty else { return false }
        if let other = byNorm[key.normalized] ?? byCompact[key.compact] {
            if other != id {
                report.note(
                    .aliasClash,
                    "\(context.file):\(context.line): alias '\(alias)' of '\(names[id] ?? "?")' already names '\(names[other] ?? "?")'; not added"
                )
            }
            return false
        }
        try db.cachedStatement(sql: "INSERT INTO alias (entity_id, name, norm, compact, source_id) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [id, alias, key.normalized, key.compact, context.sourceID])
        byNorm[key.normalized] = id
        byCompact[key.compact] = id
        return true
    }

    /// The entity a reference names; unknown names are created as `create` when given, else an error.
    public func reference(
        _ name: String, field: String, create: EntityKind?, link: LinkMode = .create, context: RowContext
    ) throws -> Int64 {
        if let ruled = try ruledReference(name, field: field, create: create, link: link, context: context) { return ruled }
        if let id = resolve(name) { return id }
        guard let create else {
            throw ImportError(
                file: context.file, line: context.line, field: field, value: name,
                message: "no company or brand of that name was loaded before this row (definitions load in file-name order)"
            )
        }
        return try entity(
            name: name, kind: create, country: nil, note: nil, aliases: [],
            sourceURL: nil, retrieved: nil, context: context
        )
    }

    /// The entity a weaker source's record means by `name`, given the owner the same record names.
    ///
    /// The name joins the entity on record only when nothing contradicts it: the entity has no
    /// owners yet, or `ownerName` is the entity itself or one of its owners (transitively). Otherwise
    /// the record is about a namesake ("Simply" by Healthy Food Brands is not the Coca-Cola juice
    /// "Simply"): a separate entity of this source, with no alias (a typed name never finds it, a
    /// product links to it) and a note naming the entity it is not.
    public func reference(
        _ name: String, field: String, create: EntityKind?, ownedBy ownerName: String, context: RowContext
    ) throws -> Int64 {
        // A product export repeats the same brand and owner on many rows: decisions that cannot
        // change (owners are only ever added) are remembered by the names as written.
        let written = NamesakeKey(source: context.sourceID, name: name, owner: ownerName)
        if let known = settledReferences[written] { return known }
        if let ruled = try ruledReference(name, field: field, create: create, link: .matchOnly, context: context) {
            settledReferences[written] = ruled
            return ruled
        }
        let key = NamesakeKey(source: context.sourceID, name: NameKey(name).normalized, owner: NameKey(ownerName).normalized)
        if let known = namesakes[key] {
            settledReferences[written] = known
            return known
        }
        guard let existing = resolve(name) else { return try reference(name, field: field, create: create, context: context) }
        let recorded = ancestors(of: existing)
        guard !recorded.isEmpty else { return existing }
        if NamesakeRule.joins(entity: existing, recordedOwners: recorded, namesOwner: true, claimedOwner: resolve(ownerName)) {
            settledReferences[written] = existing
            return existing
        }
        let direct = (ownersOf[existing] ?? []).compactMap { names[$0.owner] }
        let shownName = names[existing] ?? name
        let note = NamesakeRule.note(notEntity: shownName, ownedBy: direct, claimant: "this source", claimedOwner: ownerName)
        let id = try insertApart(name, kind: create ?? .brand, note: note, context: context)
        namesakes[key] = id
        settledReferences[written] = id
        report.namesakes += 1
        if report.namesakes <= 20 {
            report.note(
                .namesake,
                "\(context.file):\(context.line): '\(name)' owned by '\(ownerName)' is kept apart from '\(shownName)' (owned by \(direct.joined(separator: ", "))): same name, different owner"
            )
        }
        return id
    }

    /// Every owner above `id`, transitively (cycle-safe).
    func ancestors(of id: Int64) -> Set<Int64> {
        var seen = Set<Int64>()
        var queue = [id]
        while let next = queue.popLast() {
            for edge in ownersOf[next] ?? [] where seen.insert(edge.owner).inserted { queue.append(edge.owner) }
        }
        seen.remove(id)
        return seen
    }

    // MARK: - Other rows

    /// Records an ownership edge. With `addingToOthers` false (a `match-only` emit), an edge that
    /// would give a second owner to an entity another source already gives owners is not written
    /// but counted and reported: a product export's brand owner never overrides curated ownership.
    public func ownership(_ o: OwnershipInput, addingToOthers: Bool = true, context: RowContext) throws {
        if !addingToOthers, let existing = ownersOf[o.owned], !existing.isEmpty,
            !existing.contains(where: { $0.owner == o.owner }), existing.contains(where: { $0.source != context.sourceID })
        {
            report.ownershipConflicts += 1
            if report.ownershipConflicts <= 20 {
                report.note(
                    .ownershipNotAdded,
                    "\(context.file):\(context.line): ownership '\(names[o.owned] ?? "?")' → '\(names[o.owner] ?? "?")' not added: another source gives '\(names[o.owned] ?? "?")' its owners"
                )
            }
            return
        }
        try ownership(
            owned: o.owned, owner: o.owner, percent: o.percent, note: o.note, sourceURL: o.sourceURL,
            retrieved: o.retrieved, startDate: o.startDate, endDate: o.endDate, context: context
        )
    }

    func ownership(
        owned: Int64, owner: Int64, percent: Double?, note: String?, sourceURL: String?, retrieved: String?,
        startDate: String? = nil, endDate: String? = nil, context: RowContext
    ) throws {
        // "Coca-Cola" owned by "The Coca-Cola Company": both names are one entity already.
        guard owned != owner else { return }
        let key = OwnershipKey(owned: owned, owner: owner)
        let claim = EdgeClaim(
            percent: percent, startDate: startDate, endDate: endDate, source: context.sourceID, sourceURL: sourceURL,
            retrieved: retrieved, order: edges.count)
        if let recorded = edges[key] {
            try repeated(key, recorded: recorded, claim: claim, note: note, context: context)
            return
        }
        if endDate == nil, let path = activePath(from: owner, to: owned) {
            // The new owner is already owned, through active links, by what it would own: a cycle.
            // The store keeps the links it has and records this one as the claim it does not follow.
            let first = path.first.flatMap { edges[$0] }
            try conflict(
                .cycle, owned: owned, claim: claim, claimText: edgeText(key, claim),
                against: path.map { edgeText($0, edges[$0]) }.joined(separator: "; "),
                againstSource: first?.source ?? context.sourceID, againstSourceURL: first?.sourceURL, context: context)
            return
        }
        if endDate == nil, let percent {
            // Shares on record come first (definitions load in file-name order, curated data before
            // community and product exports): a later share that would take the total over 100 % is
            // recorded as the claim not followed.
            let held = (activeOwnersOf[owned] ?? []).compactMap { o -> (OwnershipKey, EdgeClaim)? in
                let k = OwnershipKey(owned: owned, owner: o)
                return edges[k].flatMap { $0.percent == nil ? nil : (k, $0) }
            }
            let total = held.reduce(0.0) { $0 + ($1.1.percent ?? 0) }
            if total + percent > 100.0001 {
                try conflict(
                    .sharesOver100, owned: owned, claim: claim, claimText: edgeText(key, claim),
                    against:
                        "shares that already add up to \(LinkPath.format(percent: total)) %: "
                        + held.map { "\(edgeText($0.0, $0.1))" }.joined(separator: "; "),
                    againstSource: held.first?.1.source ?? context.sourceID, againstSourceURL: held.first?.1.sourceURL,
                    context: context)
                return
            }
        }
        edges[key] = claim
        ownersOf[owned, default: []].append((owner, context.sourceID))
        if endDate == nil { activeOwnersOf[owned, default: []].append(owner) }
        try db.cachedStatement(
            sql: """
                INSERT INTO ownership (owned_id, owner_id, percent, note, source_id, source_url, retrieved, start_date, end_date)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """
        ).execute(arguments: [owned, owner, percent, note, context.sourceID, sourceURL, retrieved, startDate, endDate])
        bump("ownership")
    }

    /// A second claim about an edge already recorded. An end date wins over a claim without one,
    /// whichever came first: the store follows the ended claim and records the other as a
    /// contradiction, with both sources (docs/IDENTITY.md). Otherwise the first claim is kept.
    private func repeated(_ key: OwnershipKey, recorded: EdgeClaim, claim: EdgeClaim, note: String?, context: RowContext) throws {
        switch (recorded.endDate, claim.endDate) {
        case (.some(let end), nil):
            try conflict(
                .endedReasserted, owned: key.owned, claim: claim, claimText: edgeText(key, claim),
                against: "ended on \(end): \(edgeText(key, recorded))", againstSource: recorded.source,
                againstSourceURL: recorded.sourceURL, context: context)
        case (nil, .some(let end)):
            // The claim on record did not know of the end: this source's dated end is followed.
            try conflict(
                .endedReasserted, owned: key.owned, claim: recorded, claimText: edgeText(key, recorded),
                against: "ended on \(end): \(edgeText(key, claim))", againstSource: claim.source,
                againstSourceURL: claim.sourceURL, context: context)
            try db.cachedStatement(
                sql: """
                    UPDATE ownership SET percent = ?, note = ?, source_id = ?, source_url = ?, retrieved = ?,
                        start_date = ?, end_date = ?
                    WHERE owned_id = ? AND owner_id = ?
                    """
            ).execute(arguments: [
                claim.percent, note, claim.source, claim.sourceURL, claim.retrieved, claim.startDate ?? recorded.startDate,
                claim.endDate, key.owned, key.owner,
            ])
            edges[key] = claim
            activeOwnersOf[key.owned]?.removeAll { $0 == key.owner }
        default:
            // The same edge again is silent: a product export repeats a brand's owner on every one
            // of its products, and this runs once per such row.
            if recorded.percent != claim.percent {
                report.note(
                    .ownershipPercentConflict,
                    "\(context.file):\(context.line): ownership '\(names[key.owned] ?? "?")' → '\(names[key.owner] ?? "?")' is already recorded with another percentage; kept the first"
                )
            }
        }
    }

    /// The active links from `start` up to `target`, if `target` is among `start`'s owners (BFS).
    private func activePath(from start: Int64, to target: Int64) -> [OwnershipKey]? {
        var cameFrom: [Int64: Int64] = [:]
        var queue = [start]
        var index = 0
        while index < queue.count {
            let next = queue[index]
            index += 1
            for owner in activeOwnersOf[next] ?? [] where owner != start && cameFrom[owner] == nil {
                cameFrom[owner] = next
                if owner == target {
                    var path: [OwnershipKey] = []
                    var at = target
                    while let below = cameFrom[at] {
                        path.append(OwnershipKey(owned: below, owner: at))
                        at = below
                    }
                    return path.reversed()
                }
                queue.append(owner)
            }
        }
        return nil
    }

    /// "Sabra → owned by Strauss Group (50 %, 2008 – 2024-12-03)".
    private func edgeText(_ key: OwnershipKey, _ claim: EdgeClaim?) -> String {
        let link = OwnershipLink(
            owned: EntityRef(id: key.owned, name: names[key.owned] ?? "?", kind: .company),
            owner: EntityRef(id: key.owner, name: names[key.owner] ?? "?", kind: .company), percent: claim?.percent,
            sourceURL: nil, retrieved: nil, startDate: claim?.startDate, endDate: claim?.endDate)
        return link.text()
    }

    /// Records a contradiction in the store and in the report, under the source whose claim is not followed.
    private func conflict(
        _ kind: OwnershipContradiction.Kind, owned: Int64, claim: EdgeClaim, claimText: String, against: String,
        againstSource: String, againstSourceURL: String?, context: RowContext?
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO ownership_conflict (owned_id, kind, claim, source_id, source_url, retrieved, against,
                    against_source_id, against_source_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            owned, kind.rawValue, claimText, claim.source, claim.sourceURL, claim.retrieved, against, againstSource,
            againstSourceURL,
        ])
        let place = context.map { "\($0.file):\($0.line): " } ?? ""
        report.contradictions.append(
            BuildReport.Contradiction(
                source: claim.source, kind: kind,
                message: "\(place)\(claim.source) says \(claimText); \(againstSource) has \(against)"))
    }

    /// Records an alternative a source suggests for an entity (once per entity, suggestion and source).
    public func alternative(_ a: AlternativeInput, context: RowContext) throws {
        let (alternativeID, text): (Int64?, String?)
        switch a.suggestion {
        case .entity(let id):
            guard id != a.entity else { return }  // a brand is not its own alternative
            (alternativeID, text) = (id, nil)
        case .text(let t): (alternativeID, text) = (nil, t)
        }
        let exists =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM alternative WHERE entity_id = ? AND alternative_id IS ? AND text IS ?
                        AND source_id = ?)
                        """), arguments: [a.entity, alternativeID, text, context.sourceID]) ?? false
        guard !exists else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO alternative (entity_id, alternative_id, text, region, category, source_id, source_url, retrieved)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            a.entity, alternativeID, text, a.region, a.category, context.sourceID, a.sourceURL, a.retrieved,
        ])
        bump("alternative")
    }

    /// Inserts a product, binding through SQLite's C API: on a multi-million-row export this is the
    /// hottest insert, and GRDB's `StatementArguments` measured about 3× slower here (MEASURED notes).
    ///
    /// A restricted-circulation (in-store), book, magazine, coupon or refund code is counted in the
    /// report and not stored: a lookup never reads such a code's product, so storing it would hide it.
    public func product(_ p: ProductInput, context: RowContext) throws {
        let (gtin, name, brand, sourceURL, retrieved) = (p.gtin, p.name, p.brand, p.sourceURL, p.retrieved)
        if !prefixRanges.isEmpty {
            let table = prefixTable ?? GS1PrefixTable(ranges: prefixRanges)
            prefixTable = table
            if !table.allocation(for: gtin).isProductLookupAllowed {
                if !report.sources.isEmpty { report.sources[report.sources.count - 1].nonProductCodes += 1 }
                return
            }
        }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO product (gtin, name, brand_id, source_id, source_url, retrieved) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """)
        let h = statement.sqliteStatement
        sqlite3_reset(h)
        sqlite3_bind_int64(h, 1, Int64(gtin.value))
        Self.bind(h, 2, name)
        if let brand { sqlite3_bind_int64(h, 3, brand) } else { sqlite3_bind_null(h, 3) }
        Self.bind(h, 4, context.sourceID)
        Self.bind(h, 5, sourceURL)
        Self.bind(h, 6, retrieved)
        let rc = sqlite3_step(h)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        if sqlite3_changes(db.sqliteConnection) == 0 {
            report.note(
                .productDuplicate,
                "\(context.file):\(context.line): product \(gtin.canonical) is already recorded; kept the first")
        } else {
            bump("product")
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    @inline(__always)
    private static func bind(_ h: OpaquePointer?, _ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(h, index)
            return
        }
        value.withUTF8 { buffer in
            guard let base = buffer.baseAddress else {
                _ = sqlite3_bind_text(h, index, "", 0, transient)
                return
            }
            _ = sqlite3_bind_text(
                h, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buffer.count), transient)
        }
    }

    public func listing(_ l: ListingInput, context: RowContext) throws {
        var entityID: Int64?, gtin: Int64?, gcp: String?
        switch l.target {
        case .entity(let id): entityID = id
        case .product(let g): gtin = Int64(g.value)
        case .companyPrefix(let p): gcp = p
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO listing (entity_id, gtin, gcp, campaign, category, reasons, source_id, source_url, retrieved,
                                     start_date, end_date, end_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            entityID, gtin, gcp, l.campaign, l.category.rawValue, ListingReasons.encode(l.reasons),
            context.sourceID, l.sourceURL, l.retrieved, l.startDate, l.endDate, l.endReason,
        ])
        bump("listing")
    }

    public func gs1Prefix(start: String, end: String, usage: String, context: RowContext) throws {
        try db.cachedStatement(sql: #"INSERT INTO gs1_prefix (start, "end", usage, source_id) VALUES (?, ?, ?, ?)"#)
            .execute(arguments: [start, end, usage, context.sourceID])
        prefixRanges.append(GS1PrefixRange(start: start, end: end, usage: usage))
        prefixTable = nil
        bump("gs1-prefix")
    }

    public func gcpLength(prefix: String, length: Int, context: RowContext) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO gcp_length (prefix, length, source_id) VALUES (?, ?, ?)
                ON CONFLICT(prefix) DO UPDATE SET length = excluded.length
                """
        ).execute(arguments: [prefix, length, context.sourceID])
        bump("gcp-length")
    }

    /// Adds the short names `ShortName` derives from every entity's name, where no entity already
    /// bears that name. A short name two entities derive is stored for both and is only ever a
    /// suggestion (see `Store.facts(forName:)`).
    func deriveShortNames() throws {
        var derived: [String: [(id: Int64, formal: String, strong: Bool)]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, name FROM entity ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row[0], name: String = row[1]
            for short in ShortName.deriveWithStrength(from: name) {
                // Stored as a query of it would be normalised: a short name ending in a legal form
                // ("Shahar Co" from "Shahar Co. – Civil Engineering …") is met by "Shahar".
                let norm = NameKey(short.name).normalized
                guard !norm.isEmpty else { continue }
                if derived[norm]?.contains(where: { $0.id == id }) == true { continue }
                derived[norm, default: []].append((id, name, short.strong))
            }
        }
        var added = 0, shared = 0
        for (short, owners) in derived.sorted(by: { $0.key < $1.key }) {
            let key = NameKey(precomputed: short)
            guard byNorm[short] == nil, byCompact[key.compact] == nil else { continue }  // a real name wins
            if owners.count > 1 { shared += 1 }
            let shown = short.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
            for owner in owners {
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO alias (entity_id, name, norm, compact, derived_from, derived_strong)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [owner.id, shown, short, key.compact, owner.formal, owner.strong])
                added += db.changesCount
            }
        }
        report.derivedShortNames = added
        if shared > 0 {
            report.note(
                .sharedShortNames,
                "\(shared) short names are derived from more than one entity's name; they only give suggestions",
                wholeBuild: true)
        }
    }

    private func bump(_ target: String) {
        guard !report.sources.isEmpty else { return }
        report.sources[report.sources.count - 1].inserted[target, default: 0] += 1
    }
}
