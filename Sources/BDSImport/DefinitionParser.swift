import BDSCore
import Foundation
import TOMLKit

extension ImportDefinition {
    /// Every `*.toml` definition in `directory`, in file-name order (the order they load in).
    public static func loadAll(directory: String) throws -> [ImportDefinition] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ImportError(file: directory, message: "cannot list importer definitions: \(error.localizedDescription)")
        }
        let definitions = try names.filter { $0.hasSuffix(".toml") }.sorted()
            .map { try ImportDefinition(contentsOf: (directory as NSString).appendingPathComponent($0)) }
        var seen: [String: String] = [:]
        for d in definitions {
            if let other = seen[d.source.id] {
                throw ImportError(file: d.path, field: "source.id", value: d.source.id, message: "also used by \(other)")
            }
            seen[d.source.id] = d.path
        }
        return definitions
    }

    public init(contentsOf path: String) throws {
        try self.init(toml: try TOMLPrecheck.text(ofFile: path, what: "the definition"), path: path)
    }

    /// Parses a definition; every problem names the file and the key.
    public init(toml text: String, path: String) throws {
        let root = try TOMLPrecheck.table(parsing: text, path: path)
        let p = TableReader(table: root, path: path, prefix: "")
        try p.allowOnly(["source", "format", "emit"])

        let s = try p.table("source")
        try s.allowOnly(["id", "name", "url", "licence", "retrieved", "file", "fetch", "fetch-query", "default"])
        let id = try s.string("id", required: true)!
        guard id.range(of: #"^[a-z0-9][a-z0-9._-]*$"#, options: .regularExpression) != nil else {
            throw ImportError(
                file: path, field: "source.id", value: id, message: "use lowercase letters, digits, '.', '_' and '-'")
        }
        let file = try s.string("file")
        let fetch = try s.string("fetch")
        let location: String
        switch (file, fetch) {
        case (let f?, nil):
            if s.table["fetch-query"] != nil {
                throw ImportError(file: path, field: "source.fetch-query", message: "only a `fetch` source has query parameters")
            }
            location = try Self.localPath(f, definition: path)
        case (nil, let u?):
            guard u.hasPrefix("https://") || u.hasPrefix("http://") else {
                throw ImportError(file: path, field: "source.fetch", value: u, message: "only http(s) URLs can be fetched")
            }
            location = try Self.withQuery(u, s, path: path)
        default:
            throw ImportError(
                file: path, field: "source", message: "give exactly one of `file` (a local path) or `fetch` (an http(s) URL)")
        }
        let retrieved = try s.string("retrieved")
        if let retrieved { try Self.checkDate(retrieved, file: path, field: "source.retrieved") }
        source = SourceInfo(
            id: id, name: try s.string("name", required: true)!, url: try s.string("url"),
            licence: try s.string("licence"), retrieved: retrieved, location: location,
            includedByDefault: try s.bool("default") ?? true
        )

        let f = try p.table("format")
        try f.allowOnly(["type", "delimiter", "quoting", "record"])
        let kindName = try f.string("type", required: true)!
        guard let kind = FormatSpec.Kind(rawValue: kindName) else {
            throw ImportError(
                file: path, field: "format.type", value: kindName,
                message: "unknown format; use one of: \(FormatSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let record = try f.string("record")
        switch kind {
        case .csv, .tsv:
            if record != nil {
                throw ImportError(
                    file: path, field: "format.record",
                    message: "only xml, json and jsonl sources have a record path; a \(kind.rawValue) record is a row")
            }
        case .xml, .json, .jsonl:
            for key in ["delimiter", "quoting"] where f.table[key] != nil {
                throw ImportError(file: path, field: "format." + key, message: "only csv and tsv sources have a \(key)")
            }
            if kind == .xml, record == nil {
                throw ImportError(
                    file: path, field: "format.record",
                    message: "required for xml: the element path of one record from the root, like \"GCPPrefixFormatList/entry\"")
            }
            if kind == .json, record == nil {
                throw ImportError(
                    file: path, field: "format.record",
                    message: "required for json: the key path of the records, like \"brands.*\"")
            }
            if let record {
                do {
                    if kind == .xml { _ = try XMLRecordPath(record) } else { _ = try JSONRecordPath(record) }
                } catch let error as RecordPathError {
                    throw ImportError(file: path, field: "format.record", value: record, message: error.message)
                }
            }
        }
        let delimiterText = try f.string("delimiter") ?? (kind == .tsv ? "\t" : ",")
        guard delimiterText.utf8.count == 1, let delimiter = delimiterText.utf8.first, delimiter != 0x22, delimiter != 0x0A else {
            throw ImportError(
                file: path, field: "format.delimiter", value: delimiterText,
                message: "must be one ASCII character other than a quote or newline")
        }
        let quotingName = try f.string("quoting") ?? (kind == .tsv ? "none" : "rfc4180")
        guard let quoting = DelimitedReader.Quoting(rawValue: quotingName) else {
            throw ImportError(file: path, field: "format.quoting", value: quotingName, message: "use rfc4180 or none")
        }
        format = FormatSpec(kind: kind, delimiter: delimiter, quoting: quoting, record: record)

        guard let emitArray = root["emit"]?.array, !emitArray.isEmpty else {
            throw ImportError(
                file: path, field: "emit", message: "add at least one [[emit]] table saying what each record produces")
        }
        var emits: [Emit] = []
        let lines = DefinitionLines(text)
        for (i, item) in emitArray.enumerated() {
            let key = "emit[\(i + 1)]"
            guard let table = item.table else {
                throw ImportError(file: path, field: key, message: "must be a table ([[emit]])")
            }
            var emit = try Self.parseEmit(TableReader(table: table, path: path, prefix: key + "."), key: key)
            emit.line = lines.emit(i)
            emit.whenLine = lines.key("when", inEmit: i, section: nil)
            for name in Array(emit.fields.keys) {
                emit.fields[name]?.line = lines.key(name, inEmit: i, section: "fields")
            }
            emits.append(emit)
        }
        self.emits = emits
        self.path = path
    }

    static func parseEmit(_ reader: TableReader, key: String) throws -> Emit {
        let e = reader
        try e.allowOnly(["into", "fields", "skip-when-empty", "create-missing", "when", "on-invalid", "link"])
        let targetName = try e.string("into", required: true)!
        guard let target = Target(rawValue: targetName) else {
            throw ImportError(
                file: e.path, field: key + ".into", value: targetName,
                message: "unknown target; use one of: \(Target.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let fieldsTable = try e.table("fields")
        let allowed = target.required + target.optional
        try fieldsTable.allowOnly(allowed)
        var fields: [String: FieldSpec] = [:]
        for name in allowed {
            guard let raw = fieldsTable.table[name] else { continue }
            fields[name] = try parseField(raw, path: e.path, key: "\(key).fields.\(name)")
        }
        for name in target.required
        where fields[name] == nil && !(target == .listing && (name == "source_url" || name == "retrieved")) {
            throw ImportError(file: e.path, field: "\(key).fields.\(name)", message: "required for \(target.rawValue)")
        }
        if target == .listing, [fields["target"], fields["target_gtin"], fields["target_gcp"]].compactMap({ $0 }).count != 1 {
            throw ImportError(
                file: e.path, field: "\(key).fields", message: "a listing needs exactly one of target, target_gtin, target_gcp")
        }
        if target == .alternative, fields["alternative"] == nil, fields["text"] == nil {
            throw ImportError(
                file: e.path, field: "\(key).fields",
                message: "an alternative needs `alternative` (names of companies or brands) or `text` (a suggestion in words)")
        }
        let skip = try e.stringArray("skip-when-empty") ?? []
        for name in skip where fields[name] == nil {
            throw ImportError(file: e.path, field: key + ".skip-when-empty", value: name, message: "not a field of this emit")
        }
        let createName = try e.string("create-missing")
        var create: CreateMissing?
        if let createName {
            guard let c = CreateMissing(rawValue: createName) else {
                throw ImportError(
                    file: e.path, field: key + ".create-missing", value: createName, message: "use company or brand")
            }
            create = c
        }
        var when: Condition?
        if let raw = e.table["when"] {
            when = try parseCondition(raw, path: e.path, key: key + ".when")
        }
        var emit = Emit(target: target, fields: fields, skipWhenEmpty: skip, createMissing: create, when: when, key: key)
        let linkName = try e.string("link") ?? "create"
        guard let link = LinkMode(rawValue: linkName) else {
            throw ImportError(
                file: e.path, field: key + ".link", value: linkName,
                message: "use create (the default), match-only or never-merge")
        }
        emit.link = link
        if link == .matchOnly, [.company, .brand, .entity].contains(target), fields["wikidata"] == nil {
            throw ImportError(
                file: e.path, field: key + ".link", value: linkName,
                message:
                    "a match-only company or brand emit adds names to the entity of a Wikidata item only: give its `wikidata` field"
            )
        }
        switch try e.string("on-invalid") ?? "fail" {
        case "fail": emit.reportInvalid = false
        case "report": emit.reportInvalid = true
        case let other:
            throw ImportError(file: e.path, field: key + ".on-invalid", value: other, message: "use fail (the default) or report")
        }
        return emit
    }

    static func parseField(_ raw: any TOMLValueConvertible, path: String, key: String) throws -> FieldSpec {
        if let column = raw.string {
            return FieldSpec(column: column)
        }
        if let array = raw.array {
            // Several ways to fill one field: all of them for a list field, the first non-empty otherwise.
            guard !array.isEmpty else {
                throw ImportError(file: path, field: key, message: "give at least one column or table in the list")
            }
            var specs: [FieldSpec] = []
            for (i, item) in array.enumerated() {
                guard item.array == nil else {
                    throw ImportError(file: path, field: "\(key)[\(i + 1)]", message: "a list inside a list is not a field")
                }
                specs.append(try parseField(item, path: path, key: "\(key)[\(i + 1)]"))
            }
            var first = specs.removeFirst()
            first.alternatives = specs
            return first
        }
        guard let table = raw.table else {
            throw ImportError(
                file: path, field: key,
                message: "give a column name, a table like { column = \"name\", transform = [\"trim\"] }, or a list of them")
        }
        let t = TableReader(table: table, path: path, prefix: key + ".")
        try t.allowOnly(["column", "value", "template", "default", "split", "transform", "map", "first"])
        let column = try t.string("column")
        let value = try t.string("value")
        let template = try t.string("template")
        guard [column, value, template].compactMap({ $0 }).count == 1 else {
            throw ImportError(file: path, field: key, message: "give exactly one of `column`, `value` or `template`")
        }
        var transforms: [Transform] = []
        for name in try t.stringArray("transform") ?? [] {
            guard let tr = Transform(rawValue: name) else {
                throw ImportError(
                    file: path, field: key + ".transform", value: name,
                    message: "unknown transform; use: \(Transform.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            transforms.append(tr)
        }
        var map: [String: String]?
        if let m = table["map"] {
            guard let mt = m.table else {
                throw ImportError(file: path, field: key + ".map", message: "must be a table of value = replacement")
            }
            var dict: [String: String] = [:]
            for k in mt.keys {
                guard let v = mt[k]?.string else {
                    throw ImportError(file: path, field: "\(key).map.\(k)", message: "must be a string")
                }
                dict[k] = v
            }
            map = dict
        }
        var spec = FieldSpec(
            column: column, value: value, template: template, defaultValue: try t.string("default"),
            split: try (table["split"]?.string).map { [$0] } ?? t.stringArray("split"), transforms: transforms, map: map
        )
        if let template {
            let names = spec.templateFields
            guard !names.isEmpty, !names.contains(where: \.isEmpty),
                template.filter({ $0 == "{" }).count == names.count, template.filter({ $0 == "}" }).count == names.count
            else {
                throw ImportError(
                    file: path, field: key + ".template", value: template,
                    message: "name each input field in braces, like \"https://example.org/brand/{id}\" (braces must pair up)")
            }
        }
        if let separators = spec.split, separators.isEmpty || separators.contains("") {
            throw ImportError(file: path, field: key + ".split", message: "give a separator, or a list of them, none empty")
        }
        spec.first = try t.bool("first") ?? false
        return spec
    }

    /// `when = …`: one comparison on a field, or `not`, `all`, `any` of conditions.
    static func parseCondition(_ raw: any TOMLValueConvertible, path: String, key: String) throws -> Condition {
        guard let table = raw.table else {
            throw ImportError(
                file: path, field: key, message: "give a table like { column = \"status\", equals = \"avoid\" }")
        }
        let w = TableReader(table: table, path: path, prefix: key + ".")
        let operators = ["equals", "in", "prefix", "matches", "empty", "present"]
        try w.allowOnly(["column", "not", "all", "any"] + operators)
        let combinators = ["not", "all", "any"].filter { table[$0] != nil }
        if let combinator = combinators.first {
            guard combinators.count == 1, table.keys.count == 1 else {
                throw ImportError(
                    file: path, field: key,
                    message: "`\(combinator)` stands alone: write { \(combinator) = … } and put comparisons inside it")
            }
            if combinator == "not" {
                return .not(try parseCondition(table["not"]!, path: path, key: key + ".not"))
            }
            guard let list = table[combinator]?.array, !list.isEmpty else {
                throw ImportError(
                    file: path, field: key + "." + combinator, message: "give a non-empty list of conditions: [{ … }, { … }]")
            }
            let inner = try list.enumerated().map {
                try parseCondition($0.element, path: path, key: "\(key).\(combinator)[\($0.offset + 1)]")
            }
            return combinator == "all" ? .all(inner) : .any(inner)
        }
        let column = try w.string("column", required: true)!
        let given = operators.filter { table[$0] != nil }
        guard given.count == 1 else {
            throw ImportError(
                file: path, field: key,
                message: "give exactly one of: \(operators.map { "`\($0)`" }.joined(separator: ", ")) (or combine conditions "
                    + "with `not`, `all`, `any`)")
        }
        switch given[0] {
        case "equals":
            return .equals(column: column, values: [try w.string("equals")!])
        case "in":
            guard let list = try w.stringArray("in"), !list.isEmpty else {
                throw ImportError(file: path, field: key + ".in", message: "give a non-empty list of values")
            }
            return .equals(column: column, values: Set(list))
        case "prefix":
            let prefixes = try (table["prefix"]?.string).map { [$0] } ?? w.stringArray("prefix") ?? []
            guard !prefixes.isEmpty, !prefixes.contains("") else {
                throw ImportError(file: path, field: key + ".prefix", message: "give a prefix, or a list of them, not empty")
            }
            return .prefix(column: column, prefixes: prefixes)
        case "matches":
            let pattern = try w.string("matches")!
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                throw ImportError(
                    file: path, field: key + ".matches", value: pattern, message: "not a valid regular expression")
            }
            return .matches(column: column, pattern: pattern)
        default:
            let name = given[0]
            guard try w.bool(name) == true else {
                throw ImportError(
                    file: path, field: key + "." + name,
                    message: "write \(name) = true; for the opposite, wrap the condition in { not = … }")
            }
            return name == "empty" ? .empty(column: column) : .present(column: column)
        }
    }

    /// `fetch` with `[source.fetch-query]` appended: each key and value percent-encoded (RFC 3986,
    /// only unreserved characters kept), in key order, so a maintainer writes a SPARQL query or an
    /// API's parameters as plain text instead of an encoded URL.
    static func withQuery(_ url: String, _ source: TableReader, path: String) throws -> String {
        guard let raw = source.table["fetch-query"] else { return url }
        guard !url.contains("#") else {
            throw ImportError(
                file: path, field: "source.fetch", value: url,
                message: "a URL with a #fragment cannot take [source.fetch-query]: the parameters would follow the fragment")
        }
        guard let table = raw.table else {
            throw ImportError(
                file: path, field: "source.fetch-query",
                message: "must be a table of parameters, like { query = \"SELECT …\", format = \"json\" }")
        }
        var pairs: [String] = []
        for key in table.keys.sorted() {
            guard let value = table[key]?.string else {
                throw ImportError(file: path, field: "source.fetch-query." + key, message: "must be a string")
            }
            pairs.append(percentEncoded(key) + "=" + percentEncoded(value))
        }
        guard !pairs.isEmpty else { return url }
        return url + (url.contains("?") ? "&" : "?") + pairs.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }

    /// A definition's `file`, made absolute. A relative path must stay inside the project folder
    /// (the folder holding `importers/`): `../../etc/passwd` is refused before anything is read.
    /// An absolute path is the maintainer's explicit choice (data kept outside the checkout) and is
    /// taken as written. A URL is refused: `fetch` is the key for http(s), and nothing else is read.
    static func localPath(_ f: String, definition path: String) throws -> String {
        if f.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) != nil {
            throw ImportError(
                file: path, field: "source.file", value: f,
                message: "a local path, not a URL: use `fetch` for an http(s) URL; other schemes are never read"
            )
        }
        guard f.utf8.first != UInt8(ascii: "/") else { return (f as NSString).standardizingPath }
        let directory = (LocalPath.absolute(path) as NSString).deletingLastPathComponent
        let project = (directory as NSString).deletingLastPathComponent
        // Resolved by hand: standardizingPath leaves a leading `..` of a relative path alone and
        // would let it climb past the root.
        var parts = directory.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let floor = project.split(separator: "/", omittingEmptySubsequences: true).count
        for part in f.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard parts.count > floor else {
                    throw ImportError(
                        file: path, field: "source.file", value: f,
                        message: "the path leads outside the project folder \(project); keep data files in the project "
                            + "(datasets/), or give an absolute path on purpose"
                    )
                }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return (("/" + parts.joined(separator: "/")) as NSString).standardizingPath
    }

    /// ISO dates, full or partial: "2025", "2025-12", "2025-12-08".
    static func checkDate(_ s: String, file: String, line: Int? = nil, field: String) throws {
        guard ISODate.isValid(s) else {
            throw ImportError(
                file: file, line: line, field: field, value: s, message: "not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        }
    }
}

/// Where keys are in a definition's text, for errors that point to a line. toml++ keeps no
/// positions for values, so the lines are found by reading the text the way TOML lays it out.
struct DefinitionLines {
    let lines: [Substring]
    let emitStarts: [Int]

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.lines = lines
        emitStarts = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("[[emit]]") }
    }

    /// The 1-based line of the `index`-th `[[emit]]`.
    func emit(_ index: Int) -> Int? { index < emitStarts.count ? emitStarts[index] + 1 : nil }

    /// The line where `name` is given in the `index`-th emit: `name = …` under `[emit.SECTION]`
    /// (or directly in the emit when `section` is nil), or a `[emit.SECTION.name]` table.
    func key(_ name: String, inEmit index: Int, section: String?) -> Int? {
        guard index < emitStarts.count else { return nil }
        let end = index + 1 < emitStarts.count ? emitStarts[index + 1] : lines.count
        let table = section.map { "[emit.\($0)]" }
        let subtable = "[emit.\(section.map { $0 + "." } ?? "")\(name)]"
        var inSection = section == nil
        for i in emitStarts[index]..<end {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                if line.hasPrefix(subtable) { return i + 1 }
                inSection = line.hasPrefix("[[emit]]") ? section == nil : table.map { line.hasPrefix($0) } ?? false
                continue
            }
            guard inSection, line.hasPrefix(name) else { continue }
            let rest = line.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
            if rest.first == "=" { return i + 1 }
        }
        return emitStarts[index] + 1
    }
}

/// Typed access to one TOML table with errors that name the file and the key.
struct TableReader {
    let table: TOMLTable
    let path: String
    let prefix: String

    func allowOnly(_ keys: [String]) throws {
        for k in table.keys where !keys.contains(k) {
            throw ImportError(
                file: path, field: prefix + k, message: "unknown key; expected one of: \(keys.joined(separator: ", "))")
        }
    }

    func table(_ key: String) throws -> TableReader {
        guard let t = table[key]?.table else {
            throw ImportError(file: path, field: prefix + key, message: "missing table [\(prefix + key)]")
        }
        return TableReader(table: t, path: path, prefix: prefix + key + ".")
    }

    func string(_ key: String, required: Bool = false) throws -> String? {
        guard let v = table[key] else {
            if required { throw ImportError(file: path, field: prefix + key, message: "required") }
            return nil
        }
        guard let s = v.string else { throw ImportError(file: path, field: prefix + key, message: "must be a string") }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = table[key] else { return nil }
        guard let b = v.bool else { throw ImportError(file: path, field: prefix + key, message: "must be true or false") }
        return b
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let v = table[key] else { return nil }
        guard let a = v.array else { throw ImportError(file: path, field: prefix + key, message: "must be a list of strings") }
        return try a.map {
            guard let s = $0.string else {
                throw ImportError(file: path, field: prefix + key, message: "must be a list of strings")
            }
            return s
        }
    }
}
