/// An import problem, with what a maintainer needs to find and fix it: file, line, field and value.
public struct ImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// 1-based line where the record starts (or where the definition key is), when known.
    public var line: Int?
    public var field: String?
    public var value: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, value: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ":"
        if let field { s += " field '\(field)'" }
        if let value {
            let shown = value.count > 80 ? String(value.prefix(77)) + "…" : value
            s += " value '\(shown)'"
        }
        if field != nil || value != nil { s += ":" }
        return s + " " + message
    }
}
