import BDSCore
import BDSStore
import Foundation

/// Streams one source's records through its definition's emits into the writer.
struct RecordImport {
    let definition: ImportDefinition
    let displayPath: String

    func run(
        reader: some RecordReader, hashing: HashingByteSource, writer: StoreWriter, progress: (Int64, Int64, Int) -> Void
    ) throws -> BuildReport.SourceStats {
        let emits = try Self.bind(definition, reader: reader)
        var presence = FieldPresence(definition: definition, emits: emits, reader: reader)
        let source = definition.source
        try writer.beginSource(
            SourceInput(
                id: source.id, name: source.name, url: source.url, licence: source.licence, retrieved: source.retrieved,
                location: source.location
            ))
        var records = 0
        var lastProgress = 0
        progress(0, reader.progress.total, 0)
        while try reader.next() {
            let context = StoreWriter.RowContext(sourceID: definition.source.id, file: displayPath, line: reader.recordLine)
            for bound in emits {
                do {
                    try apply(bound, reader: reader, writer: writer, context: context)
                } catch let error as ImportError where bound.emit.reportInvalid {
                    writer.noteInvalid(error)
                }
            }
            presence.note(reader)
            records += 1
            if records - lastProgress >= 65_536 {
                lastProgress = records
                progress(reader.progress.read, reader.progress.total, records)
            }
        }
        progress(reader.progress.read, reader.progress.total, records)
        try presence.check(records: records, reader: reader, dataFile: displayPath)
        return try writer.finishSource(records: records, bytes: hashing.byteCount, sha256: hashing.finish())
    }

    /// Binds every emit's fields and condition to the reader's columns. A column the input lacks is
    /// an error that also says which definition asks for it, and on which line.
    static func bind(_ definition: ImportDefinition, reader: some RecordReader) throws -> [BoundEmit] {
        let name = (definition.path as NSString).lastPathComponent
        func asking(_ key: String, line: Int?, _ body: () throws -> Void) throws {
            do {
                try body()
            } catch var error as ImportError {
                error.field = key
                error.message += "; asked for by \(name)" + (line.map { ", line \($0)" } ?? "")
                throw error
            }
        }
        return try definition.emits.map { emit in
            var fields: [String: BoundField] = [:]
            for (field, spec) in emit.fields {
                try asking("\(emit.key).fields.\(field)", line: spec.line) {
                    fields[field] = try BoundField(name: field, spec: spec, reader: reader)
                }
            }
            var when: BoundCondition?
            if let condition = emit.when {
                try asking(emit.key + ".when", line: emit.whenLine) { when = try BoundCondition(condition, reader: reader) }
            }
            return BoundEmit(emit: emit, fields: fields, when: when)
        }
    }

    struct BoundEmit {
        let emit: ImportDefinition.Emit
        let fields: [String: BoundField]
        let when: BoundCondition?
    }

    func apply(_ bound: BoundEmit, reader: some RecordReader, writer: StoreWriter, context: StoreWriter.RowContext) throws {
        let emit = bound.emit
        func value(_ name: String) throws -> String? { try bound.fields[name]?.string(reader) }
        func list(_ name: String) throws -> [String] { try bound.fields[name]?.list(reader) ?? [] }
        func fail(_ field: String, _ value: String?, _ message: String) -> ImportError {
            ImportError(
                file: context.file, line: context.line, field: bound.fields[field]?.spec.column ?? field, value: value,
                message: message)
        }
        func required(_ name: String) throws -> String {
            guard let v = try value(name) else {
                var message = "required by \(emit.key) (\(emit.target.rawValue)) but empty"
                if let field = bound.fields[name], !field.readColumns.isEmpty,
                    !field.readColumns.contains(where: { reader.isPresent($0.column) })
                {
                    let paths = field.readColumns.map(\.path).joined(separator: ", ")
                    message += "; \(paths) is not in this record"
                    if let shape = reader.shape(around: field.readColumns[0].column) { message += ", which has \(shape)" }
                }
                throw fail(name, "", message)
            }
            return v
        }
        func date(_ name: String) throws -> String? {
            guard let v = try value(name) else { return nil }
            try ImportDefinition.checkDate(
                v, file: context.file, line: context.line, field: bound.fields[name]?.spec.column ?? name)
            return v
        }
        if let when = bound.when, try !when.holds(reader) { return }
        for name in emit.skipWhenEmpty where try bound.fields[name]?.skips(reader) ?? true {
            writer.noteSkipped()
            return
        }
        let source = definition.source
        let createAs: EntityKind? = emit.createMissing.map { $0 == .brand ? .brand : .company }
        let matchOnly = emit.link == .matchOnly
        let sourceURL = try value("source_url") ?? source.url
        let retrieved = try date("retrieved") ?? source.retrieved

        switch emit.target {
        case .company, .brand, .entity:
            let kind: EntityKind
            if emit.target == .entity {
                let k = try required("kind")
                guard let parsed = EntityKind(rawValue: k) else { throw fail("kind", k, "use company or brand") }
                kind = parsed
            } else {
                kind = emit.target == .brand ? .brand : .company
            }
            if matchOnly {
                // Names for an entity already loaded, found by its Wikidata item only: a record
                // whose item no entity has is skipped (counted), never created or joined by name.
                guard let item = try value("wikidata"), writer.entity(wikidataItem: item) != nil else {
                    writer.noteSkipped()
                    return
                }
                let input = EntityInput(name: try required("name"), kind: kind, aliases: try list("aliases"))
                _ = try writer.addNames(input, toWikidataItem: item, context: context)
                return
            }
            try writer.entity(
                EntityInput(
                    name: try required("name"), kind: kind, country: try value("country"), note: try value("note"),
                    aliases: try list("aliases"), sourceURL: sourceURL, retrieved: retrieved, key: try value("key"),
                    wikidata: try value("wikidata")
                ),
                link: emit.link, context: context
            )

        case .ownership:
            // An end given by its Wikidata item is the entity loaded with that item, never one
            // found by name; the name is only what the source calls it. An item that is empty or
            // that no entity has fails the row, or skips it (counted) in a match-only emit. Checked
            // first, so that a record about an entity the data does not hold is skipped whatever
            // else is wrong with it.
            var itemEnds: [String: Int64] = [:]
            for field in ["owned_wikidata", "owner_wikidata"] where bound.fields[field] != nil {
                let item = try value(field)
                guard let item, let id = writer.entity(wikidataItem: item) else {
                    guard matchOnly else {
                        throw fail(
                            field, item ?? "",
                            item == nil
                                ? "empty: this end is given by its Wikidata item"
                                : "no company or brand loaded before this row is that Wikidata item")
                    }
                    writer.noteSkipped()
                    return
                }
                itemEnds[field] = id
            }
            let ownedNames = try list("owned")
            let ownerNames = try list("owner")
            guard !ownedNames.isEmpty else { throw fail("owned", "", "required but empty") }
            guard !ownerNames.isEmpty else { throw fail("owner", "", "required but empty") }
            var percent: Double?
            if let p = try value("percent") {
                guard let d = Double(p.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)),
                    d > 0, d <= 100
                else { throw fail("percent", p, "a percentage is a number above 0 and at most 100") }
                percent = d
            }
            let (startDate, endDate) = (try date("start_date"), try date("end_date"))
            // Compared to the precision both give: "2024-12" does not end before "2024-12-03".
            if let startDate, let endDate, endDate.prefix(startDate.count) < startDate.prefix(endDate.count) {
                throw fail("end_date", endDate, "the ownership ends before it starts (\(startDate))")
            }
            for ownedName in ownedNames {
                for ownerName in ownerNames {
                    let owner =
                        try itemEnds["owner_wikidata"]
                        ?? writer.reference(ownerName, field: "owner", create: createAs, link: emit.link, context: context)
                    let owned: Int64
                    if let id = itemEnds["owned_wikidata"] {
                        owned = id
                    } else if matchOnly {
                        owned = try writer.reference(
                            ownedName, field: "owned", create: createAs, ownedBy: ownerName, context: context)
                    } else {
                        owned = try writer.reference(
                            ownedName, field: "owned", create: createAs, link: emit.link, context: context)
                    }
                    try writer.ownership(
                        OwnershipInput(
                            owned: owned, owner: owner, percent: percent, note: try value("note"),
                            sourceURL: sourceURL, retrieved: retrieved, startDate: startDate, endDate: endDate
                        ),
                        addingToOthers: !matchOnly, context: context
                    )
                }
            }

        case .product:
            let code = try required("gtin")
            let gtin: GTIN
            do {
                gtin = try GTIN(parsing: code, allowingDroppedLeadingZeros: true)
            } catch {
                throw fail("gtin", code, "not a valid barcode: \(error)")
            }
            var brandID: Int64?
            if let brand = try list("brand").first {
                if matchOnly, let owner = try value("brand_owner") {
                    brandID = try writer.reference(brand, field: "brand", create: createAs, ownedBy: owner, context: context)
                } else {
                    brandID = try writer.reference(brand, field: "brand", create: createAs, link: emit.link, context: context)
                }
            }
            try writer.product(
                ProductInput(gtin: gtin, name: try value("name"), brand: brandID, sourceURL: sourceURL, retrieved: retrieved),
                context: context
            )

        case .listing:
            let categoryName = try required("category")
            guard let category = ListingCategory(rawValue: categoryName) else {
                throw fail(
                    "category", categoryName, "use one of: \(ListingCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let sourceURL else {
                throw fail("source_url", "", "a listing needs a source URL (in the row or the definition's [source] url)")
            }
            guard let retrieved else {
                throw fail(
                    "retrieved", "",
                    "a listing needs the date its source was read: in the row, as the definition's [source] retrieved, "
                        + "or given with `bdscheck refresh --file ID=PATH --retrieved DATE`")
            }
            let target: ListingInput.Target
            if bound.fields["target"] != nil {
                target = .entity(
                    try writer.reference(
                        try required("target"), field: "target", create: createAs, link: emit.link, context: context))
            } else if bound.fields["target_gtin"] != nil {
                let code = try required("target_gtin")
                guard let g = try? GTIN(parsing: code, allowingDroppedLeadingZeros: true) else {
                    throw fail("target_gtin", code, "not a valid barcode")
                }
                target = .product(g)
            } else {
                let gcp = try required("target_gcp")
                guard gcp.count >= 6, gcp.count <= 12, gcp.allSatisfy(\.isASCIIDigit) else {
                    throw fail("target_gcp", gcp, "a GS1 company prefix has 6 to 12 digits")
                }
                target = .companyPrefix(gcp)
            }
            try writer.listing(
                ListingInput(
                    target: target, campaign: try required("campaign"), category: category, reasons: try list("reasons"),
                    sourceURL: sourceURL, retrieved: retrieved, startDate: try date("start_date"),
                    endDate: try date("end_date"), endReason: try value("end_reason")
                ),
                context: context
            )

        case .gs1Prefix:
            let start = try required("start"), end = try required("end")
            guard start.allSatisfy(\.isASCIIDigit), end.allSatisfy(\.isASCIIDigit), start.count == end.count, start <= end else {
                throw fail("start", "\(start)–\(end)", "a prefix range is two digit strings of the same length, start ≤ end")
            }
            try writer.gs1Prefix(start: start, end: end, usage: try required("usage"), context: context)

        case .alternative:
            let entity = try writer.reference(try required("for"), field: "for", create: createAs, context: context)
            let (region, category) = (try value("region"), try value("category"))
            var suggestions: [AlternativeInput.Suggestion] = []
            for name in try list("alternative") {
                // Suggestions name entities loaded before; an unknown name is an error (or set aside).
                suggestions.append(.entity(try writer.reference(name, field: "alternative", create: nil, context: context)))
            }
            if let text = try value("text") { suggestions.append(.text(text)) }
            for suggestion in suggestions {
                try writer.alternative(
                    AlternativeInput(
                        entity: entity, suggestion: suggestion, region: region, category: category, sourceURL: sourceURL,
                        retrieved: retrieved),
                    context: context)
            }

        case .sameAs, .notSame:
            try writer.identityRule(
                IdentityRuleInput(
                    kind: emit.target == .sameAs ? .sameAs : .notSame, source: try required("source"), key: try required("key"),
                    entity: try required("entity"), reason: try required("reason"), sourceURL: sourceURL, retrieved: retrieved),
                context: context)

        case .wikidataItem:
            try writer.wikidataItem(entity: try required("entity"), item: try required("wikidata"), context: context)

        case .gcpLength:
            let prefix = try required("prefix"), lengthText = try required("length")
            guard prefix.allSatisfy(\.isASCIIDigit), let length = Int(lengthText), (0...12).contains(length) else {
                throw fail("length", lengthText, "a company-prefix length is 0 to 12 for a digit prefix")
            }
            try writer.gcpLength(prefix: prefix, length: length, context: context)
        }
    }
}

/// A `when` condition bound to the reader's columns.
indirect enum BoundCondition {
    case equals(Int, String, Set<String>)
    case prefix(Int, String, [String])
    case matches(Int, String, NSRegularExpression)
    case empty(Int)
    case present(Int, String)
    case not(BoundCondition)
    case all([BoundCondition])
    case any([BoundCondition])

    init(_ condition: ImportDefinition.Condition, reader: some RecordReader) throws {
        switch condition {
        case .equals(let c, let values): self = .equals(try reader.column(named: c), c, values)
        case .prefix(let c, let prefixes): self = .prefix(try reader.column(named: c), c, prefixes)
        case .matches(let c, let pattern):
            // Checked when the definition was read.
            self = .matches(try reader.column(named: c), c, try NSRegularExpression(pattern: pattern))
        case .empty(let c): self = .empty(try reader.column(named: c))
        case .present(let c): self = .present(try reader.column(named: c), c)
        case .not(let inner): self = .not(try BoundCondition(inner, reader: reader))
        case .all(let list): self = .all(try list.map { try BoundCondition($0, reader: reader) })
        case .any(let list): self = .any(try list.map { try BoundCondition($0, reader: reader) })
        }
    }

    /// The columns the condition reads, with their paths.
    var columns: [(path: String, column: Int)] {
        switch self {
        case .equals(let c, let p, _), .prefix(let c, let p, _), .matches(let c, let p, _), .present(let c, let p): [(p, c)]
        case .empty: []  // "empty" also holds for a path that is never there: not a typo to report
        case .not(let inner): inner.columns
        case .all(let list), .any(let list): list.flatMap(\.columns)
        }
    }

    func holds(_ reader: some RecordReader) throws -> Bool {
        func value(_ column: Int, _ path: String) throws -> String {
            reader.isEmpty(column)
                ? "" : try reader.string(column, fieldName: path).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        switch self {
        case .equals(let c, let p, let values): return values.contains(try value(c, p))
        case .prefix(let c, let p, let prefixes):
            let v = try value(c, p)
            return prefixes.contains { v.hasPrefix($0) }
        case .matches(let c, let p, let regex):
            let v = try value(c, p)
            return regex.firstMatch(in: v, range: NSRange(v.startIndex..., in: v)) != nil
        case .empty(let c): return reader.isEmpty(c)
        case .present(let c, _): return !reader.isEmpty(c)
        case .not(let inner): return try !inner.holds(reader)
        case .all(let list): return try list.allSatisfy { try $0.holds(reader) }
        case .any(let list): return try list.contains { try $0.holds(reader) }
        }
    }
}

/// Which of the paths a definition names occur in the input. A JSON key or XML path that matches
/// nothing would otherwise give empty values without a word (a typo such as `ownership_percent`
/// for the file's `percent`); a CSV column is checked against the header before any row is read.
///
/// Only paths not seen yet are looked at, so once each path has occurred the check costs nothing.
struct FieldPresence {
    struct Watched {
        let path: String
        let column: Int
        let field: String
        let line: Int?
    }

    let definition: ImportDefinition
    var unseen: [Watched] = []
    /// What the first record holds, per watched column, for the message.
    var firstShapes: [Int: String] = [:]

    init(definition: ImportDefinition, emits: [RecordImport.BoundEmit], reader: some RecordReader) {
        self.definition = definition
        guard definition.format.kind != .csv && definition.format.kind != .tsv else { return }
        var seen = Set<Int>()
        for bound in emits {
            for name in bound.fields.keys.sorted() {
                let field = bound.fields[name]!
                for (path, column) in field.readColumns where seen.insert(column).inserted {
                    unseen.append(
                        Watched(
                            path: path, column: column, field: "\(bound.emit.key).fields.\(name)", line: field.spec.line))
                }
            }
            for (path, column) in bound.when?.columns ?? [] where seen.insert(column).inserted {
                unseen.append(Watched(path: path, column: column, field: "\(bound.emit.key).when", line: bound.emit.whenLine))
            }
        }
    }

    /// Looks at the current record.
    mutating func note(_ reader: some RecordReader) {
        guard !unseen.isEmpty else { return }
        if firstShapes.isEmpty {
            for w in unseen { firstShapes[w.column] = reader.shape(around: w.column) ?? "" }
        }
        unseen.removeAll { reader.isPresent($0.column) }
    }

    /// Fails when a path matched nothing in the `records` read (none read: the record path itself);
    /// `sampled` says they were only the first records of the file.
    func check(records: Int, reader: some RecordReader, dataFile: String, sampled: Bool = false) throws {
        let folder = ((definition.path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let definitionFile =
            folder == "importers" ? "importers/" + (definition.path as NSString).lastPathComponent : definition.path
        if records == 0, let record = definition.format.record {
            throw ImportError(
                file: definitionFile, field: "format.record", value: record,
                message: "the record path matches nothing in \(dataFile): no record was read")
        }
        guard let w = unseen.first, records > 0 else { return }
        let shape = firstShapes[w.column].flatMap { $0.isEmpty ? nil : $0 }
        throw ImportError(
            file: definitionFile, line: w.line, field: w.field, value: w.path,
            message: "the path matches nothing in "
                + (sampled
                    ? "the first \(records) records" : records == 1 ? "the record" : "any of the \(records) records")
                + " of \(dataFile)" + (shape.map { "; the first record has \($0)" } ?? "")
                + (unseen.count > 1 ? " (nor do: \(unseen.dropFirst().map(\.path).joined(separator: ", ")))" : "")
        )
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
