import BDSCore
import Foundation

/// Streams one source's records through its definition's emits into the writer.
struct RecordImport {
    let definition: ImportDefinition
    let displayPath: String

    func run(reader: some RecordReader, hashing: HashingByteSource, writer: StoreWriter, progress: (Int64, Int64, Int) -> Void) throws -> BuildReport.SourceStats {
        let emits = try Self.namingDefinition(definition) { try definition.emits.map { emit in
            var fields: [String: BoundField] = [:]
            for (name, spec) in emit.fields {
                fields[name] = try BoundField(name: name, spec: spec, reader: reader, emitKey: emit.key)
            }
            var when: (column: Int, values: Set<String>)?
            if let condition = emit.when {
                do {
                    when = (try reader.column(named: condition.column), condition.values)
                } catch var error as ImportError {
                    error.field = emit.key + ".when.column"
                    throw error
                }
            }
            return BoundEmit(emit: emit, fields: fields, when: when)
        } }
        var stats = BuildReport.SourceStats(id: definition.source.id, location: definition.source.location)
        writer.report.sources.append(stats)
        try writer.registerSource(definition.source)
        var lastProgress = 0
        progress(0, reader.progress.total, 0)
        while try reader.next() {
            let context = StoreWriter.RowContext(sourceID: definition.source.id, file: displayPath, line: reader.recordLine)
            for bound in emits {
                do {
                    try apply(bound, reader: reader, writer: writer, context: context)
                } catch let error as ImportError where bound.emit.reportInvalid {
                    writer.report.invalid(error, source: definition.source.id)
                }
            }
            stats.records += 1
            if stats.records - lastProgress >= 65_536 {
                lastProgress = stats.records
                progress(reader.progress.read, reader.progress.total, stats.records)
            }
        }
        progress(reader.progress.read, reader.progress.total, stats.records)
        stats.bytes = hashing.byteCount
        stats.sha256 = hashing.finish()
        stats.inserted = writer.report.sources[writer.report.sources.count - 1].inserted
        stats.skipped = writer.report.sources[writer.report.sources.count - 1].skipped
        stats.invalid = writer.report.sources[writer.report.sources.count - 1].invalid
        writer.report.sources[writer.report.sources.count - 1] = stats
        try writer.finishSource(stats)
        return stats
    }

    /// Runs `body`, adding to a binding error which definition file asked for the missing field.
    static func namingDefinition<T>(_ definition: ImportDefinition, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ImportError {
            error.message += "; asked for by \((definition.path as NSString).lastPathComponent)"
            throw error
        }
    }

    struct BoundEmit {
        let emit: ImportDefinition.Emit
        let fields: [String: BoundField]
        let when: (column: Int, values: Set<String>)?
    }

    func apply(_ bound: BoundEmit, reader: some RecordReader, writer: StoreWriter, context: StoreWriter.RowContext) throws {
        let emit = bound.emit
        func value(_ name: String) throws -> String? { try bound.fields[name]?.string(reader) }
        func list(_ name: String) throws -> [String] { try bound.fields[name]?.list(reader) ?? [] }
        func fail(_ field: String, _ value: String?, _ message: String) -> ImportError {
            ImportError(file: context.file, line: context.line, field: bound.fields[field]?.spec.column ?? field, value: value, message: message)
        }
        func required(_ name: String) throws -> String {
            guard let v = try value(name) else { throw fail(name, "", "required by \(emit.key) (\(emit.target.rawValue)) but empty") }
            return v
        }
        func date(_ name: String) throws -> String? {
            guard let v = try value(name) else { return nil }
            try ImportDefinition.checkDate(v, file: context.file, line: context.line, field: bound.fields[name]?.spec.column ?? name)
            return v
        }
        if let when = bound.when {
            let v = reader.isEmpty(when.column)
                ? "" : try reader.string(when.column, fieldName: emit.when?.column).trimmingCharacters(in: .whitespacesAndNewlines)
            guard when.values.contains(v) else { return }
        }
        for name in emit.skipWhenEmpty where try value(name) == nil {
            writer.report.sources[writer.report.sources.count - 1].skipped += 1
            return
        }
        let source = definition.source
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
            try writer.entity(
                name: try required("name"), kind: kind, country: try value("country"), note: try value("note"),
                aliases: try list("aliases"), sourceURL: sourceURL, retrieved: retrieved, context: context
            )

        case .ownership:
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
            for ownedName in ownedNames {
                let owned = try writer.reference(ownedName, field: "owned", create: emit.createMissing, context: context)
                for ownerName in ownerNames {
                    let owner = try writer.reference(ownerName, field: "owner", create: emit.createMissing, context: context)
                    try writer.ownership(
                        owned: owned, owner: owner, percent: percent, note: try value("note"),
                        sourceURL: sourceURL, retrieved: retrieved, context: context
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
                brandID = try writer.reference(brand, field: "brand", create: emit.createMissing, context: context)
            }
            try writer.product(
                gtin: gtin, name: try value("name"), brand: brandID, sourceURL: sourceURL, retrieved: retrieved, context: context
            )

        case .listing:
            let categoryName = try required("category")
            guard let category = ListingCategory(rawValue: categoryName) else {
                throw fail("category", categoryName, "use one of: \(ListingCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let sourceURL else { throw fail("source_url", "", "a listing needs a source URL (in the row or the definition's [source] url)") }
            guard let retrieved else { throw fail("retrieved", "", "a listing needs the date its source was read") }
            var row = StoreWriter.ListingRow(
                campaign: try required("campaign"), category: category, reasons: try list("reasons"),
                sourceURL: sourceURL, retrieved: retrieved, startDate: try date("start_date"),
                endDate: try date("end_date"), endReason: try value("end_reason")
            )
            if bound.fields["target"] != nil {
                row.entityID = try writer.reference(try required("target"), field: "target", create: emit.createMissing, context: context)
            } else if bound.fields["target_gtin"] != nil {
                let code = try required("target_gtin")
                guard let g = try? GTIN(parsing: code, allowingDroppedLeadingZeros: true) else { throw fail("target_gtin", code, "not a valid barcode") }
                row.gtin = Int64(g.value)
            } else {
                let gcp = try required("target_gcp")
                guard gcp.count >= 6, gcp.count <= 12, gcp.allSatisfy(\.isASCIIDigit) else {
                    throw fail("target_gcp", gcp, "a GS1 company prefix has 6 to 12 digits")
                }
                row.gcp = gcp
            }
            try writer.listing(row, context: context)

        case .gs1Prefix:
            let start = try required("start"), end = try required("end")
            guard start.allSatisfy(\.isASCIIDigit), end.allSatisfy(\.isASCIIDigit), start.count == end.count, start <= end else {
                throw fail("start", "\(start)–\(end)", "a prefix range is two digit strings of the same length, start ≤ end")
            }
            try writer.gs1Prefix(start: start, end: end, usage: try required("usage"), context: context)

        case .gcpLength:
            let prefix = try required("prefix"), lengthText = try required("length")
            guard prefix.allSatisfy(\.isASCIIDigit), let length = Int(lengthText), (0...12).contains(length) else {
                throw fail("length", lengthText, "a company-prefix length is 0 to 12 for a digit prefix")
            }
            try writer.gcpLength(prefix: prefix, length: length, context: context)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
