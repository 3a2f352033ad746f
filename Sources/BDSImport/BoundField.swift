import BDSCore
import Foundation

/// A field spec bound to a column position in one input, ready to read values from records.
struct BoundField {
    let name: String
    let spec: ImportDefinition.FieldSpec
    let column: Int?

    /// Binds `spec` to the reader's columns; a mapped column the input lacks is an error before any record is read.
    init(name: String, spec: ImportDefinition.FieldSpec, reader: some RecordReader, emitKey: String) throws {
        self.name = name
        self.spec = spec
        if let c = spec.column {
            do {
                column = try reader.column(named: c)
            } catch var error as ImportError {
                error.field = "\(emitKey).fields.\(name)"
                throw error
            }
        } else {
            column = nil
        }
    }

    /// The value for the current record after default, transforms and map; nil when empty.
    func string(_ reader: some RecordReader) throws -> String? {
        var raw: String
        if let column {
            if reader.isEmpty(column) {
                guard let d = spec.defaultValue else { return nil }
                raw = d
            } else {
                raw = try checked(reader.string(column, fieldName: spec.column), reader: reader)
            }
        } else {
            raw = spec.value ?? ""
        }
        if spec.split == nil {
            raw = try apply(raw, reader: reader)
        }
        return raw.isEmpty ? nil : raw
    }

    /// The value split into a list (each item transformed and mapped); a value without `split` is one item.
    func list(_ reader: some RecordReader) throws -> [String] {
        let items: [String]
        if let column, spec.value == nil {
            let raw = try reader.values(column, fieldName: spec.column).map { try checked($0, reader: reader) }
            if raw.isEmpty {
                guard let d = spec.defaultValue else { return [] }
                items = [d]
            } else {
                items = raw
            }
        } else {
            items = [spec.value ?? ""]
        }
        var out: [String] = []
        for item in items {
            if let sep = spec.split {
                for piece in Self.split(item, on: sep) {
                    let v = try apply(piece, reader: reader)
                    if !v.isEmpty { out.append(v) }
                }
            } else {
                let v = try apply(Self.trimmed(Substring(item)), reader: reader)
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
    func checked(_ value: String, reader: some RecordReader) throws -> String {
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

    func apply(_ value: String, reader: some RecordReader) throws -> String {
        var v = value
        for t in spec.transforms {
            switch t {
            case .trim: v = Self.trimmed(Substring(v))
            case .lower: v = v.lowercased()
            case .upper: v = v.uppercased()
            case .squeeze: v = v.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            case .stripFootnotes: v = Self.stripFootnotes(v)
            case .isoDate:
                guard let d = Self.isoDate(v) else {
                    throw ImportError(
                        file: reader.file, line: reader.recordLine, field: spec.column ?? name, value: v,
                        message: "not a date this importer understands (use YYYY-MM-DD, YYYY-MM, YYYY or \"8 December 2025\")"
                    )
                }
                v = d
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
    static func split(_ value: String, on separator: String) -> [String] {
        value.split(separator: separator, omittingEmptySubsequences: false).map(trimmed)
    }

    static func trimmed(_ s: Substring) -> String {
        var t = s
        while let f = t.first, f.isWhitespace { t.removeFirst() }
        while let l = t.last, l.isWhitespace { t.removeLast() }
        return String(t)
    }

    /// "Bank Hapoalim Ltd.a" → "Bank Hapoalim Ltd."; "Airbnb Inc.12" → "Airbnb Inc.".
    static func stripFootnotes(_ s: String) -> String {
        s.replacingOccurrences(of: #"\.([a-z]{1,2}|\d{1,2})$"#, with: ".", options: .regularExpression)
    }

    static let months = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    static func isoDate(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.range(of: #"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"#, options: .regularExpression) != nil {
            return t
        }
        let parts = t.split(separator: " ")
        guard parts.count == 3, let day = Int(parts[0]), (1...31).contains(day),
            let m = months.firstIndex(of: parts[1].lowercased()), let year = Int(parts[2]), parts[2].count == 4
        else { return nil }
        return String(format: "%04d-%02d-%02d", year, m + 1, day)
    }
}
