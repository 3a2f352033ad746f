/// What a typed or scanned query is: a barcode to validate, or a name to match.
public enum QueryInput: Sendable, Hashable {
    case barcode(String)
    case name(String)

    /// Digits, with spaces and dashes allowed, are a barcode; anything else is a name. Both are trimmed.
    public init(_ raw: String) {
        let trimmed = raw.trimmingSpaces()
        self = Self.looksLikeBarcode(trimmed) ? .barcode(trimmed) : .name(trimmed)
    }

    static func looksLikeBarcode(_ s: String) -> Bool {
        var digits = 0
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: " "), UInt8(ascii: "-"): continue
            default: return false
            }
        }
        return digits > 0
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines (Unicode's definition).
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
