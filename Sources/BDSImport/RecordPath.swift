/// A malformed record or field path in a definition; the caller adds the file and key.
struct RecordPathError: Error {
    let message: String
}

/// `[format] record` for XML: element names from the root, `/`-separated; `*` matches any name.
struct XMLRecordPath {
    /// One name per level; nil for `*`.
    let steps: [String?]

    init(_ text: String) throws {
        let body = text.hasPrefix("/") ? String(text.dropFirst()) : text
        let parts = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !body.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
            throw RecordPathError(
                message: "give element names from the root separated by '/', like \"GCPPrefixFormatList/entry\"")
        }
        for p in parts where p != "*" && !XMLFieldPath.isName(p) {
            throw RecordPathError(message: "'\(p)' is not an element name (use a name or *)")
        }
        steps = parts.map { $0 == "*" ? nil : $0 }
    }
}

/// A field name in an XML definition, relative to the record element: `name`, `owner/@id`, `@prefix`,
/// `.` (the record's own text) or `../@source` (an attribute of an enclosing element).
struct XMLFieldPath {
    /// Levels above the record (`../` repeated).
    let up: Int
    /// Child elements from the record (or the enclosing element); nil for `*`.
    let elements: [String?]
    /// A final `@attribute`; nil means the element's text.
    let attribute: String?

    init(_ text: String) throws {
        let (up, rest) = parentSteps(text)
        var parts = rest == "." ? [] : rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var attribute: String?
        if let last = parts.last, last.hasPrefix("@") {
            attribute = String(last.dropFirst())
            parts.removeLast()
            guard Self.isName(attribute!) else { throw RecordPathError(message: "'\(last)' is not an attribute name") }
        }
        for p in parts where p != "*" && !Self.isName(p) {
            throw RecordPathError(
                message: "'\(p)' is not an element name; use names, *, a final @attribute, or . for the record's text")
        }
        if up > 0 && (!parts.isEmpty || attribute == nil) {
            throw RecordPathError(
                message:
                    "only an attribute of an enclosing element can be read (like ../@source): its child elements may come after the record"
            )
        }
        self.up = up
        elements = parts.map { $0 == "*" ? nil : $0 }
        self.attribute = attribute
    }

    /// An XML name without a prefix check (namespace prefixes are accepted and matched literally for attributes).
    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !s.isEmpty else { return false }
        if first.properties.numericType != nil || first == "-" || first == "." { return false }
        return s.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || $0.properties.numericType != nil || "_-.:".unicodeScalars.contains($0)
        }
    }
}

/// `[format] record` for JSON: keys from the top, `.`-separated; `*` walks every element of an array or
/// every value of an object. Empty (JSONL only): each line's value is the record.
struct JSONRecordPath {
    /// One key per level; nil for `*`.
    let steps: [String?]

    init(_ text: String) throws {
        guard !text.isEmpty else {
            steps = []
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("@") && !$0.contains("[") }) else {
            throw RecordPathError(
                message:
                    "give keys separated by '.', with * for every element or value, like \"brands.*\" or \"brands.*.owners.*\"")
        }
        steps = parts.map { $0 == "*" ? nil : $0 }
    }
}

/// A field name in a JSON definition, relative to the record: `name`, `owner.id`, `owners[].id`,
/// `sources[0]` (one element), `@key` (the key or index the record was found under), `.` (the record
/// itself) and `../name` (a key of the enclosing object).
struct JSONFieldPath {
    struct Step {
        var key: String
        /// `key[N]`: only that element of the array.
        var index: Int?
    }

    let up: Int
    let keys: [Step]
    let isKey: Bool

    init(_ text: String) throws {
        let (up, rest) = parentSteps(text)
        if rest == "@key" {
            self.up = up
            keys = []
            isKey = true
            return
        }
        isKey = false
        self.up = up
        if rest == "." || rest.isEmpty && up == 0 {
            keys = []
            return
        }
        var keys: [Step] = []
        for part in rest.split(separator: ".", omittingEmptySubsequences: false) {
            var key = part
            var index: Int?
            if part.hasSuffix("]"), let open = part.lastIndex(of: "[") {
                let inside = part[part.index(after: open)..<part.index(before: part.endIndex)]
                if !inside.isEmpty {
                    guard let n = Int(inside), n >= 0 else {
                        throw RecordPathError(message: "'\(part)': an index is a number from 0")
                    }
                    index = n
                }
                key = part[..<open]
            }
            guard !key.isEmpty, !key.contains("["), !key.contains("]"), !key.hasPrefix("@") else {
                throw RecordPathError(
                    message:
                        "use keys separated by '.', [] after a key whose value is an array ([0] for its first element), @key, . or ../ in front"
                )
            }
            keys.append(Step(key: String(key), index: index))
        }
        self.keys = keys
    }
}

/// Leading `../` steps of a field path: how many, and the path after them.
func parentSteps(_ text: String) -> (up: Int, rest: Substring) {
    var rest = Substring(text)
    var up = 0
    while rest.hasPrefix("../") {
        up += 1
        rest = rest.dropFirst(3)
    }
    return (up, rest)
}
