/// Reads GS1 Digital Link URIs (the GS1 Digital Link standard, section 4): on any domain and after any
/// path prefix, `/01/{gtin}` then the key qualifiers `/22/{cpv}`, `/10/{lot}`, `/21/{serial}` (or
/// `/235/{tpx}`), then data attributes as query parameters named by their AI (`?17=271231&3103=000500`).
///
/// The standard's short names for the GTIN and its qualifiers (`gtin`, `cpv`, `lot`, `ser`) are read in the
/// path; it defines none for data attributes, so other query parameters (`linkType`, tracking
/// parameters) are ignored.
enum GS1DigitalLink {
    /// The reading of `uri`, or nil when it is not a Digital Link with a GTIN (then it is not a code).
    static func read(_ uri: Substring) -> CodeReading? {
        guard let afterScheme = afterScheme(uri) else { return nil }
        let withoutFragment = afterScheme.prefix(while: { $0 != "#" })
        let pathStart = withoutFragment.firstIndex(of: "/") ?? withoutFragment.endIndex
        let authority = withoutFragment[..<pathStart]
        guard !authority.isEmpty, !authority.contains(where: { $0.isWhitespace }) else { return nil }
        let pathAndQuery = withoutFragment[pathStart...]
        let path = pathAndQuery.prefix(while: { $0 != "?" })
        let query = pathAndQuery[path.endIndex...].dropFirst()
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let keyIndex = segments.firstIndex(where: { $0 == "01" || $0 == "gtin" }),
              keyIndex + 1 < segments.count else { return nil }

        var elements: [GS1Element] = []
        func fail(_ message: String) -> CodeReading {
            CodeReading(form: .digitalLink, gtin: nil, elements: elements, problem: message)
        }
        func add(_ ai: GS1ApplicationIdentifier, _ encoded: Substring) -> String? {
            guard let value = percentDecoded(encoded) else { return "the value of AI (\(ai.ai)) has a broken %-escape" }
            if let problem = ai.problem(with: Substring(value)) { return problem }
            let date = ai.content == .date ? GS1Date(Substring(value))?.iso : nil
            elements.append(GS1Element(ai: ai.ai, title: ai.label, value: value, date: date))
            return nil
        }
        let gtinAI = GS1ApplicationIdentifier.named("01")!
        let gtinValue = segments[keyIndex + 1]
        // The standard writes the GTIN with 14 digits; shorter GTINs are read as if padded with zeros.
        let padded = [8, 12, 13].contains(gtinValue.count) ? String(repeating: "0", count: 14 - gtinValue.count) + gtinValue : String(gtinValue)
        if let problem = add(gtinAI, Substring(padded)) { return fail(problem) }

        var rest = segments[(keyIndex + 2)...]
        var lastQualifierRank = 0
        while let key = rest.first {
            guard rest.count >= 2 else { return fail("the path ends with \u{201C}\(key)\u{201D} and no value after it") }
            guard let found = qualifier(key), found.rank > lastQualifierRank else {
                return fail("\u{201C}/\(key)/\u{201D} is not a key qualifier of a GTIN (22, 10, 21 or 235, in that order)")
            }
            lastQualifierRank = found.rank
            if let problem = add(found.ai, rest[rest.startIndex + 1]) { return fail(problem) }
            rest = rest.dropFirst(2)
        }
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = pair[0]
            guard key.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            guard let ai = GS1ApplicationIdentifier.named(String(key)) else {
                return fail("query parameter \(key) is not a GS1 Application Identifier this reader knows")
            }
            guard elements.allSatisfy({ $0.ai != ai.ai }) else { return fail("AI (\(ai.ai)) is given twice") }
            if let problem = add(ai, pair.count > 1 ? pair[1] : "") { return fail(problem) }
        }
        var reading = CodeReading(form: .digitalLink, gtin: padded, elements: elements)
        reading.describe(symbologyName: nil)
        return reading
    }

    /// What follows `scheme://` (the caller has checked the scheme).
    private static func afterScheme(_ uri: Substring) -> Substring? {
        let utf8 = uri.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex, utf8[index] != UInt8(ascii: ":") { index = utf8.index(after: index) }
        let rest = uri[index...]
        guard rest.utf8.starts(with: "://".utf8) else { return nil }
        return rest.dropFirst(3)
    }

    /// The key qualifiers of a GTIN, numbered in the order the path must give them.
    private static func qualifier(_ key: Substring) -> (ai: GS1ApplicationIdentifier, rank: Int)? {
        let ai: String, rank: Int
        switch key {
        case "22", "cpv": (ai, rank) = ("22", 1)
        case "10", "lot": (ai, rank) = ("10", 2)
        case "21", "ser": (ai, rank) = ("21", 3)
        case "235": (ai, rank) = ("235", 3)
        default: return nil
        }
        return GS1ApplicationIdentifier.named(ai).map { (ai: $0, rank: rank) }
    }

    /// `value` with %-escapes decoded as UTF-8; nil if an escape is broken.
    static func percentDecoded(_ value: Substring) -> String? {
        guard value.contains("%") else { return String(value) }
        var bytes: [UInt8] = []
        var utf8 = value.utf8[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard utf8.count >= 2, let high = hexValue(utf8.first!), let low = hexValue(utf8.dropFirst().first!) else {
                return nil
            }
            bytes.append(high << 4 | low)
            utf8 = utf8.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
