import Foundation

/// The normalised form of a company or brand name, used for exact matching.
///
/// Two names meet when they differ only in case, diacritics, punctuation, "&" versus
/// "and", "+" versus "plus", a leading "The" or a trailing legal form ("Inc.", "Ltd.",
/// "S.A.", "GmbH", …). `compact` additionally drops the spaces, so "Coca Cola" and
/// "CocaCola" meet too. Anything looser is fuzzy matching and is scored, never exact.
public struct NameKey: Hashable, Sendable, CustomStringConvertible {
    /// Lowercased words separated by single spaces.
    public let normalized: String
    /// `normalized` without spaces.
    public var compact: String {
        // Scalar by scalar rather than `replacingOccurrences`: that goes through NSString and was
        // most of a fuzzy search's time (every candidate is scored through here).
        guard normalized.utf8.contains(UInt8(ascii: " ")) else { return normalized }
        var scalars = String.UnicodeScalarView()
        for scalar in normalized.unicodeScalars where scalar != " " { scalars.append(scalar) }
        return String(scalars)
    }
    public var description: String { normalized }

    public init(_ name: String) {
        normalized = NameKey.normalize(name)
    }

    /// Wraps a string that is already normalised (read back from the store).
    public init(precomputed normalized: String) {
        self.normalized = normalized
    }

    public var isEmpty: Bool { normalized.isEmpty }
    public var words: [Substring] { normalized.split(separator: " ") }

    /// Legal forms dropped from the end of a name. Multi-word forms are matched on words
    /// after punctuation is gone ("S.A." is then "s a").
    static let legalForms: [[String]] = [
        ["inc"], ["incorporated"], ["ltd"], ["limited"], ["llc"], ["plc"], ["corp"],
        ["corporation"], ["co"], ["company"], ["gmbh"], ["ag"], ["sa"], ["s", "a"],
        ["nv"], ["n", "v"], ["bv"], ["b", "v"], ["spa"], ["s", "p", "a"], ["srl"],
        ["ab"], ["oy"], ["pty"], ["lp"], ["l", "p"], ["sas"], ["se"], ["kg"],
    ]

    static func normalize(_ name: String) -> String {
        var words = name.utf8.allSatisfy({ $0 < 0x80 }) ? asciiWords(name) : unicodeWords(name)
        if words.count > 1, words.first == "the" { words.removeFirst() }
        // Drop trailing legal forms ("Foo Holdings Co. Ltd." → "foo holdings"), keeping at least one word.
        var changed = true
        while changed {
            changed = false
            for form in legalForms where words.count > form.count && Array(words.suffix(form.count)) == form {
                words.removeLast(form.count)
                changed = true
                break
            }
        }
        return words.joined(separator: " ")
    }

    /// The same splitting as `unicodeWords`, on bytes: most names are ASCII, and Foundation's
    /// folding costs microseconds per name, which adds up over millions of product rows.
    static func asciiWords(_ name: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)); current.removeAll(keepingCapacity: true) }
        }
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                current.append(b)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(b + 32)
            case UInt8(ascii: "'"), UInt8(ascii: "`"):
                continue
            case UInt8(ascii: "&"):
                flush(); words.append("and")
            case UInt8(ascii: "+"):
                flush(); words.append("plus")
            default:
                flush()
            }
        }
        flush()
        return words
    }

    static func unicodeWords(_ name: String) -> [String] {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { words.append(current); current = "" }
        }
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "&":
                flush(); words.append("and")
            case "+":
                flush(); words.append("plus")
            case "'", "\u{2019}", "\u{2018}", "`", "\u{00B4}":
                continue  // McDonald's → mcdonalds
            default:
                if CharacterSet.alphanumerics.contains(scalar) {
                    current.unicodeScalars.append(scalar)
                } else {
                    flush()
                }
            }
        }
        flush()
        return words
    }
}
