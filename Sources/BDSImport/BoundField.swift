import BDSCore
import Foundation

/// A field spec bound to column positions in one input, ready to read values from records.
///
/// A field may be given several ways (a list in the definition): a list field takes the values of
/// all of them, a single-value field the first that is not empty.
struct BoundField {
    let name: String
    let spec: ImportDefinition.FieldSpec
    let parts: [Part]
    /// Whether the target field takes several values (`ImportDefinition.listFields`).
    let isList: Bool

    /// One way of filling the field: a column, a constant, or a template over columns.
    struct Part {
        let spec: ImportDefinition.FieldSpec
        let column: Int?
        /// For a template: each `{name}` and the column it reads.
        let templateColumns: [(name: String, column: Int)]
    }

    /// Binds `spec` to the reader's columns; a mapped column the input lacks is an error before any
    /// record is read (the caller adds which definition asks for it).
    init(name: String, spec: ImportDefinition.FieldSpec, reader: some RecordReader) throws {
        self.name = name
        self.spec = spec
        isList = ImportDefinition.listFields.contains(name)
        var parts: [Part] = []
        for part in [spec] + spec.alternatives {
            parts.append(
                Part(
                    spec: part, column: try part.column.map { try reader.column(named: $0) },
                    templateColumns: try part.templateFields.map { ($0, try reader.column(named: $0)) }
                ))
        }
        self.parts = parts
    }

    /// The input fields this field reads, with their columns: for the check that every path a
    /// definition names matches something in the input.
    var readColumns: [(path: String, column: Int)] {
        parts.flatMap { part in
            (part.column.map { [(part.spec.column!, $0)] } ?? []) + part.templateColumns.map { ($0.name, $0.column) }
        }
    }

    /// Whether `skip-when-empty` skips the record for this field. A list field is empty when none of
    /// its inputs has a value (no default either), read without splitting or transforming, since the
    /// emit reads the list itself next; a single-value field, when its value is empty.
    func skips(_ reader: some RecordReader) throws -> Bool {
        guard isList else { return try string(reader) == nil }
        for part in parts where part.spec.defaultValue == nil {
            if let column = part.column {
                if !reader.isEmpty(column) { return false }
            } else if part.spec.template != nil {
                if part.templateColumns.allSatisfy({ !reader.isEmpty($0.column) }) { return false }
            } else if !(part.spec.value ?? "").isEmpty {
                return false
            }
        }
        return parts.allSatisfy { $0.spec.defaultValue == nil }
    }

    /// The value for the current record after default, transforms and map; nil when empty.
    func string(_ reader: some RecordReader) throws -> String? {
        for part in parts {
            if let v = try string(part, reader) { return v }
        }
        return nil
    }

    func string(_ part: Part, _ reader: some RecordReader) throws -> String? {
        let spec = part.spec
        var raw: String
        if let column = part.column {
            if reader.isEmpty(column) {
                guard let d = spec.defaultValue else { return nil }
                raw = d
            } else {
                raw = try checked(reader.string(column, fieldName: spec.column), spec: spec, reader: reader)
            }
        } else if spec.template != nil {
            guard let t = try filled(part, reader) ?? spec.defaultValue else { return nil }
            raw = t
        } else {
            raw = spec.value ?? ""
        }
        if spec.split == nil {
            raw = try apply(raw, spec: spec, reader: reader)
        }
        return raw.isEmpty ? nil : raw
    }

    /// A template with every `{field}` replaced; nil when one of the fields is empty.
    func filled(_ part: Part, _ reader: some RecordReader) throws -> String? {
        guard var out = part.spec.template else { return nil }
        for (name, column) in part.templateColumns {
            guard !reader.isEmpty(column) else { return nil }
            let v = try checked(reader.string(column, fieldName: name), spec: part.spec, reader: reader)
            out = out.replacingOccurrences(of: "{\(name)}", with: Self.trimmed(Substring(v)))
        }
        return out
    }

    /// The value split into a list (each item transformed and mapped); a value without `split` is one item.
    /// The values of every way the field is given, in order, each value once.
    func list(_ reader: some RecordReader) throws -> [String] {
        if parts.count == 1 { return Self.unique(try list(parts[0], reader)) }
        var out: [String] = []
        for part in parts { out += try list(part, reader) }
        return Self.unique(out)
    }

    /// `values` without repeats, in order ("(g) (g)" in the UN table gives one reason).
    static func unique(_ values: [String]) -> [String] {
        guard values.count > 1 else { return values }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    func list(_ part: Part, _ reader: some RecordReader) throws -> [String] {
        let spec = part.spec
        let items: [String]
        if let column = part.column {
            let raw = try reader.values(column, fieldName: spec.column).map { try checked($0, spec: spec, reader: reader) }
            if raw.isEmpty {
                guard let d = spec.defaultValue else { return [] }
                items = [d]
            } else {
                items = raw
            }
        } else if spec.template != nil {
            guard let t = try filled(part, reader) ?? spec.defaultValue else { return [] }
            items = [t]
        } else {
            items = [spec.value ?? ""]
        }
        var out: [String] = []
        for item in items {
            if let separators = spec.split {
                for piece in Self.split(item, on: separators) where !piece.isEmpty {
                    let v = try apply(piece, spec: spec, reader: reader)
                    if !v.isEmpty { out.append(v) }
                }
            } else {
                let v = try apply(Self.trimmed(Substring(item)), spec: spec, reader: reader)
                if !v.isEmpty { out.append(v) }
            }
            if spec.first && !out.isEmpty { break }
        }
        return spec.first ? Array(out.prefix(1)) : out
    }

    /// The longest value a record may give one field (64 KiB). Longer values (a runaway quote, a
    /// binary blob) are errors rather than names or reasons that slow every search down.
    static let maxValueBytes = 64 << 10

    /// `value` if it can be stored: at most `maxValueBytes`, and without NUL bytes (SQLite and C
    /// strings would cut the value at the first NUL, silently).
    func checked(_ value: String, spec: ImportDefinition.FieldSpec, reader: some RecordReader) throws -> String {
        var value = value
        let count = value.utf8.count
        if count > Self.maxValueBytes {
            throw ImportError(
                file: reader.file, line: reader.recordLine, field: spec.column ?? name, value: String(value.prefix(40)) + "…",
                message: "the value is \(count) bytes long; a field's value may be at most \(Self.maxValueBytes) bytes (64 KiB)"
            )
        }
        let hasNUL = value.withUTF8 { $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil }
        if hasNUL {
            throw ImportError(
                file: reader.file, line: reader.recordLine, field: spec.column ?? name,
                value: value.replacingOccurrences(of: "\0", with: "\\0"),
                message: "the value holds a NUL byte (shown as \\0): binary data, or a damaged file"
            )
        }
        return value
    }

    func apply(_ value: String, spec: ImportDefinition.FieldSpec, reader: some RecordReader) throws -> String {
        var v = value
        for t in spec.transforms {
            switch t {
            case .trim: v = Self.trimmed(Substring(v))
            case .lower: v = v.lowercased()
            case .upper: v = v.uppercased()
            case .squeeze: v = v.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            case .stripFootnotes: v = Self.stripFootnotes(v)
            case .date, .isoDate:
                guard let d = Self.isoDate(v) else {
                    throw ImportError(
                        file: reader.file, line: reader.recordLine, field: spec.column ?? name, value: v,
                        message:
                            "not a date this importer understands (use YYYY-MM-DD, YYYY-MM, YYYY, \"17 July 2026\", "
                            + "\"July 17, 2026\" or \"July 2026\")"
                    )
                }
                v = d
            case .firstURL: v = Self.firstURL(v) ?? ""
            }
        }
        if let map = spec.map {
            guard let mapped = map[v] else {
                throw ImportError(
                    file: reader.file, line: reader.recordLine, field: spec.column ?? name, value: v,
                    message: "not one of the values the definition maps: \(map.keys.sorted().joined(separator: ", "))"
                )
            }
            v = mapped
        }
        return v
    }

    /// Pieces of `value` between separators, trimmed. Plain Swift rather than Foundation's
    /// `components(separatedBy:)`: this runs for list cells on every row of large exports.
    static func split(_ value: String, on separators: [String]) -> [String] {
        if separators.count == 1 {
            return value.split(separator: separators[0], omittingEmptySubsequences: false).map(trimmed)
        }
        var pieces = [Substring(value)]
        for separator in separators {
            pieces = pieces.flatMap { $0.split(separator: separator, omittingEmptySubsequences: false) }
        }
        return pieces.map(trimmed)
    }

    static func trimmed(_ s: Substring) -> String {
        var t = s
        while let f = t.first, f.isWhitespace { t.removeFirst() }
        while let l = t.last, l.isWhitespace { t.removeLast() }
        return String(t)
    }

    /// "Bank Hapoalim Ltd.a" → "Bank Hapoalim Ltd."; "Airbnb Inc.12" → "Airbnb Inc."; "Ashtrom Ltd. a" →
    /// "Ashtrom Ltd.". After a space only one letter or up to two digits count as a footnote, so a
    /// name ending in a word ("S.A. de") keeps it.
    static func stripFootnotes(_ s: String) -> String {
        s.replacingOccurrences(of: #"\.(?:([a-z]{1,2}|\d{1,2})| ([a-z]|\d{1,2}))$"#, with: ".", options: .regularExpression)
    }

    static let months = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    /// The month named by a full English name or its first three letters ("Sept" too).
    static func month(_ word: Substring) -> Int? {
        let w = word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard w.count >= 3 else { return nil }
        if let i = months.firstIndex(of: w) { return i + 1 }
        if w == "sept" { return 9 }
        guard w.count == 3 else { return nil }
        return months.firstIndex { $0.hasPrefix(w) }.map { $0 + 1 }
    }

    /// A day of the month, with or without an English ordinal ending ("17", "17th", "1st").
    static func day(_ word: Substring) -> Int? {
        var digits = word
        for suffix in ["st", "nd", "rd", "th"] where digits.lowercased().hasSuffix(suffix) {
            digits = digits.dropLast(2)
            break
        }
        guard (1...2).contains(digits.count), let d = Int(digits), (1...31).contains(d) else { return nil }
        return d
    }

    static func isoDate(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if ISODate.isValid(t) { return t }
        // Written forms: "17 July 2026", "17-Jul-2026", "July 17, 2026", "17th July 2026", "July 2026".
        let words = t.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" })
        func year(_ w: Substring) -> Int? { w.count == 4 ? Int(w) : nil }
        switch words.count {
        case 3:
            if let d = day(words[0]), let m = month(words[1]), let y = year(words[2]) {
                return String(format: "%04d-%02d-%02d", y, m, d)
            }
            if let m = month(words[0]), let d = day(words[1]), let y = year(words[2]) {
                return String(format: "%04d-%02d-%02d", y, m, d)
            }
        case 2:
            if let m = month(words[0]), let y = year(words[1]) { return String(format: "%04d-%02d", y, m) }
        default: break
        }
        return nil
    }

    /// The first http(s) URL in a text: a Markdown link (`[text](URL)`) or footnote (`[^1]: URL`),
    /// an HTML `href`, or a bare URL. Punctuation that ends a sentence is not part of it.
    static func firstURL(_ text: String) -> String? {
        let starts = [text.range(of: "https://"), text.range(of: "http://")].compactMap { $0?.lowerBound }
        guard let from = starts.min() else { return nil }
        var url = text[from...].prefix { !$0.isWhitespace && !"<>\"'`)]|".contains($0) }
        while let last = url.last, ".,;:!?*_".contains(last) { url = url.dropLast() }
        return url.count > "https://".count ? String(url) : nil
    }
}
