import Foundation

/// Choosing the language of an answer: from a code a person gives, the POSIX locale variables, or
/// an HTTP `Accept-Language` header. Only the primary subtag counts (`ar-EG` is `ar`); a language
/// without a catalogue is passed over, and English is the last resort.
public enum Language {
    /// The lower-cased primary subtag of a language tag or POSIX locale: `ar` for `ar-EG`,
    /// `ur_PK.UTF-8` and `AR`; nil for `C`, `POSIX`, `*` and anything that is not 2–3 letters.
    public static func primarySubtag(_ tag: String) -> String? {
        let head = tag.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." || $0 == "@" }).first ?? ""
        let code = head.lowercased()
        guard isPlausibleCode(code), code != "c" else { return nil }
        return code
    }

    /// Two or three ASCII letters: a language code, and so a safe file name.
    public static func isPlausibleCode(_ code: String) -> Bool {
        (2...3).contains(code.utf8.count) && code.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }

    /// The language the POSIX locale variables ask for: `LC_ALL`, else `LC_MESSAGES`, else `LANG`
    /// (the first one set and not empty decides, as in setlocale); nil for C/POSIX or none set.
    public static func fromEnvironment(_ environment: [String: String]) -> String? {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty { return primarySubtag(value) }
        }
        return nil
    }

    /// The languages of an `Accept-Language` header, most wanted first (by q, then by order);
    /// ranges with q=0 are left out.
    public static func fromAcceptLanguage(_ header: String) -> [String] {
        var ranked: [(code: String, q: Double, order: Int)] = []
        for (order, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, let code = primarySubtag(tag) else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            if q > 0 { ranked.append((code, q, order)) }
        }
        return ranked.sorted { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }.map(\.code)
    }
}
