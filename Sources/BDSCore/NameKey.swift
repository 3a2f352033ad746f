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

    /// Changes whenever normalisation changes, so that a store built with another one is rebuilt
    /// (its stored `norm` columns would no longer meet what queries normalise to).
    public static let version = "2"

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
            if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
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
                flush()
                words.append("and")
            case UInt8(ascii: "+"):
                flush()
                words.append("plus")
            default:
                flush()
            }
        }
        flush()
        return words
    }

    static func unicodeWords(_ name: String) -> [String] {
        let folded = foldScripts(name).folding(
            options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "&":
                flush()
                words.append("and")
            case "+":
                flush()
                words.append("plus")
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

    /// Folds the spelling variants of the scripts shoppers write that case and diacritic folding
    /// leave apart, so that a name typed with or without them meets the stored alias:
    /// - Arabic, Persian, Urdu: harakat, the superscript alef and tatweel dropped; أ إ آ ٱ → ا;
    ///   ى ی ئ ے → ي; ة ہ ۃ → ه; ک → ك; ؤ → و; zero-width non-joiners dropped.
    /// - Hebrew: niqqud and cantillation dropped; final letters ך ם ן ף ץ → כ מ נ פ צ; geresh and
    ///   gershayim dropped like apostrophes.
    /// - Turkish: dotless ı → i (İ already folds to i).
    /// Arabic-Indic and Persian digits become ASCII digits.
    static func foldScripts(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x064B...0x065F, 0x0670, 0x0640, 0x06D6...0x06ED:  // harakat, superscript alef, tatweel, Quranic marks
                continue
            case 0x0591...0x05C7 where v != 0x05BE && v != 0x05C0 && v != 0x05C3 && v != 0x05C6:  // niqqud, cantillation
                continue
            case 0x05F3, 0x05F4, 0x200C, 0x200D, 0x200E, 0x200F:  // geresh, gershayim, ZWNJ, ZWJ, LRM, RLM
                continue
            case 0x0623, 0x0625, 0x0622, 0x0671: out.append("\u{0627}")  // alef forms → alef
            case 0x0649, 0x06CC, 0x0626, 0x06D2, 0x06D3: out.append("\u{064A}")  // ى ی ئ ے → ي
            case 0x0629, 0x06C1, 0x06C3, 0x06BE: out.append("\u{0647}")  // ة ہ ۃ ھ → ه
            case 0x06A9: out.append("\u{0643}")  // Persian keheh → kaf
            case 0x0624: out.append("\u{0648}")  // ؤ → و
            case 0x05DA: out.append("\u{05DB}")  // final kaf
            case 0x05DD: out.append("\u{05DE}")  // final mem
            case 0x05DF: out.append("\u{05E0}")  // final nun
            case 0x05E3: out.append("\u{05E4}")  // final pe
            case 0x05E5: out.append("\u{05E6}")  // final tsadi
            case 0x0131: out.append("i")  // Turkish dotless i
            case 0x0660...0x0669: out.append(Unicode.Scalar(v - 0x0660 + 0x30)!)
            case 0x06F0...0x06F9: out.append(Unicode.Scalar(v - 0x06F0 + 0x30)!)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
