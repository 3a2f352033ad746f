/// What a query is, as a scanner, a phone or a person sends it: a barcode reading or a name.
///
/// Every entry point (command line, `--batch`, HTTP, kiosk) goes through this one reader, so a code is read
/// the same way wherever it comes from. A barcode reading is plain digits (in any script, with spaces,
/// dashes and invisible marks), a GS1 element string (`(01)…(17)…`, bare, or with GS separators) or a
/// GS1 Digital Link URI on any domain, each optionally after a symbology identifier (`]E0`, `]d2`, …).
/// Anything else is a name.
public enum ScannedInput: Sendable, Hashable {
    case name(String)
    case code(CodeReading)

    public init(_ raw: String) {
        if let digits = Self.plainASCIIDigits(raw) {
            if digits.utf8.count >= 16, Self.startsLikeElementString(digits) {
                self = Self.read(raw)  // dashes may belong to a lot or serial
            } else {
                self = .code(CodeReading.digits(digits))
            }
            return
        }
        self = Self.read(raw)
    }

    /// The digits of input made only of ASCII digits, spaces, dashes and line ends (the usual case, read fast).
    private static func plainASCIIDigits(_ raw: String) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"), 0x09...0x0D: continue
            default: return nil
            }
        }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }

    private static func read(_ raw: String) -> ScannedInput {
        var text = Substring(raw)
        while let first = text.unicodeScalars.first, isEdgeNoise(first) { text.unicodeScalars.removeFirst() }
        while let last = text.unicodeScalars.last, isEdgeNoise(last) { text.unicodeScalars.removeLast() }
        let name = ScannedInput.name(String(text))
        var symbology: Symbology?
        if let found = Symbology(prefixOf: text) {
            symbology = found
            text = text.dropFirst(3)
        }
        let lowered = text.prefix(8).lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            guard var reading = GS1DigitalLink.read(text) else { return symbology == nil ? name : .code(.unreadable(symbology)) }
            reading.symbology = symbology?.identifier
            reading.describe(symbologyName: symbology?.name)
            return .code(reading)
        }
        // Digits of any script become ASCII; spaces and invisible marks go. Dashes go too, except in a
        // GS1 element string, where they may be part of a lot or serial.
        var mapped = String.UnicodeScalarView()
        var dashless = String.UnicodeScalarView()
        var digitsOnly = true
        var hasSeparator = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                // ASCII is most of what scanners send: no Unicode property lookups for it.
                switch scalar {
                case "0"..."9":
                    mapped.append(scalar)
                    dashless.append(scalar)
                case " ", "\t", "\n", "\r":
                    break
                case "-":
                    mapped.append(scalar)
                default:
                    if scalar == groupSeparator { hasSeparator = true } else { digitsOnly = false }
                    mapped.append(scalar)
                    dashless.append(scalar)
                }
            } else if let digit = asciiDigit(scalar) {
                mapped.append(digit)
                dashless.append(digit)
            } else if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format {
                continue
            } else if isDash(scalar) {
                mapped.append(scalar)
            } else {
                if scalar == groupSeparator { hasSeparator = true } else { digitsOnly = false }
                mapped.append(scalar)
                dashless.append(scalar)
            }
        }
        let cleaned = String(mapped)
        let gs1Data = symbology?.carriesGS1Data ?? false
        let parenthesised = Self.startsWithParenthesisedAI(cleaned)
        if parenthesised || gs1Data || hasSeparator || Self.startsLikeElementString(cleaned) {
            var reading = GS1ElementString.read(cleaned)
            reading.symbology = symbology?.identifier
            reading.describe(symbologyName: symbology?.name)
            return .code(reading)
        }
        let digits = String(dashless)
        guard digitsOnly, !digits.isEmpty else { return symbology == nil ? name : .code(.unreadable(symbology)) }
        var reading = CodeReading.digits(digits)
        reading.symbology = symbology?.identifier
        reading.describe(symbologyName: symbology?.name)
        return .code(reading)
    }

    /// AI (01) or (02) and 14 digits, at least: a bare element string.
    private static func startsLikeElementString(_ text: String) -> Bool {
        let utf8 = Array(text.utf8.prefix(16))
        guard utf8.count == 16, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "1") || utf8[1] == UInt8(ascii: "2")
        else { return false }
        return utf8[2..<16].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// "(" and 2 to 4 digits and ")": the human-readable form of an element string.
    private static func startsWithParenthesisedAI(_ text: String) -> Bool {
        let utf8 = Array(text.utf8.prefix(6))
        guard utf8.first == UInt8(ascii: "("), let close = utf8.firstIndex(of: UInt8(ascii: ")")), (3...5).contains(close)
        else { return false }
        return utf8[1..<close].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static let groupSeparator: Unicode.Scalar = "\u{1D}"

    /// Whitespace, control and invisible formatting characters that scanners and pasting add at either end
    /// (CR, LF, NUL, a trailing GS, a left-to-right mark, a byte-order mark, no-break spaces).
    private static func isEdgeNoise(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value <= 0x20 || scalar.value == 0x7F }
        let properties = scalar.properties
        return properties.isWhitespace || properties.generalCategory == .control || properties.generalCategory == .format
    }

    private static func isDash(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .dashPunctuation || scalar == "\u{2212}"
    }

    /// The ASCII form of a decimal digit of any script (Arabic-Indic, Persian, full-width, …).
    private static func asciiDigit(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        if scalar.isASCII { return ("0"..."9").contains(scalar) ? scalar : nil }
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
              let digit = UInt8(exactly: value) else { return nil }
        return Unicode.Scalar(UInt8(ascii: "0") + digit)
    }
}

/// A symbology identifier (ISO/IEC 15424) that a scanner puts before the data: `]E0` for EAN/UPC,
/// `]d2` for a GS1 DataMatrix, … (GS1 General Specifications, 5.1.2).
struct Symbology: Sendable {
    let identifier: String
    let name: String
    /// Whether the data is GS1 element strings (GS1-128, DataBar, GS1 DataMatrix, GS1 QR Code, GS1 DotCode).
    let carriesGS1Data: Bool

    init?(prefixOf text: Substring) {
        let code = Array(text.utf8.prefix(3))
        guard code.count == 3, code[0] == UInt8(ascii: "]") else { return nil }
        let id = String(decoding: code, as: UTF8.self)
        let known: (name: String, gs1: Bool)
        switch id {
        case "]E0": known = ("EAN/UPC", false)
        case "]E1", "]E2", "]E3": known = ("EAN/UPC with add-on", false)
        case "]E4": known = ("EAN-8", false)
        case "]I1": known = ("ITF-14", false)
        case "]C1": known = ("GS1-128", true)
        case "]e0", "]e1", "]e2": known = ("GS1 DataBar", true)
        case "]d2": known = ("GS1 DataMatrix", true)
        case "]Q3": known = ("GS1 QR Code", true)
        case "]J1": known = ("GS1 DotCode", true)
        case "]d1": known = ("Data Matrix", false)
        case "]Q1": known = ("QR Code", false)
        default: return nil
        }
        identifier = id
        name = known.name
        carriesGS1Data = known.gs1
    }
}

/// How a barcode query was read: its form, the GTIN it carries, and what else the code says.
public struct CodeReading: Codable, Sendable, Hashable {
    public enum Form: String, Codable, Sendable {
        case digits
        case elementString = "gs1-element-string"
        case digitalLink = "gs1-digital-link"
    }

    public var form: Form
    /// The symbology identifier the scanner sent, e.g. `]Q3`.
    public var symbology: String?
    /// The digits read as the GTIN (plain digits, or the value of AI 01 or 02); nil if the code has none.
    public var gtin: String?
    /// Every GS1 element the code carries, the GTIN's included, in the order read.
    public var elements: [GS1Element]
    /// Why the code could not be read, when it could not.
    public var problem: String?
    /// What was assumed in reading it, e.g. the number system and check digit of a 6-digit UPC-E.
    public var note: String?
    /// For a person: "GS1 Digital Link → GTIN 00040822011143, lot ABC, expiry 2027-12-31".
    public var text: String

    public init(form: Form, gtin: String?, elements: [GS1Element] = [], problem: String? = nil) {
        self.form = form
        self.gtin = gtin
        self.elements = elements
        self.problem = problem
        text = ""
        describe(symbologyName: nil)
    }

    /// Plain digits; 6 digits are the UPC-E a scanner sends without number system and check digit, so
    /// number system 0 and the computed check digit are added, and the note says so.
    static func digits(_ digits: String) -> CodeReading {
        guard digits.utf8.count == 6, let payload = UInt64("0" + digits + "0") else { return CodeReading(form: .digits, gtin: digits) }
        let check = GTIN.checkDigit(ofNumber: GTIN.expandUPCE(payload) / 10)
        var reading = CodeReading(form: .digits, gtin: "0" + digits + String(check))
        reading.note = "6 digits read as a UPC-E without its number system (0) and check digit (\(check))"
        reading.describe(symbologyName: nil)
        return reading
    }

    static func unreadable(_ symbology: Symbology?) -> CodeReading {
        var reading = CodeReading(form: .digits, gtin: nil, problem: "the scanned data is neither digits nor a GS1 code")
        reading.symbology = symbology?.identifier
        reading.describe(symbologyName: symbology?.name)
        return reading
    }

    mutating func describe(symbologyName: String?) {
        var head = switch form {
        case .digits: "digits"
        case .elementString: "GS1 element string"
        case .digitalLink: "GS1 Digital Link"
        }
        if let symbology, let symbologyName { head = "\(symbologyName) (\(symbology)), \(head)" }
        if let problem {
            text = "\(head): \(problem)"
            return
        }
        var parts: [String] = []
        if let gtin { parts.append(form == .digits ? gtin : "GTIN \(gtin)") }
        if let note { parts.append(note) }
        for element in elements where !(element.ai == "01" || element.ai == "02") || element.value != gtin {
            parts.append("\(element.title) \(element.date ?? element.value)")
        }
        if gtin == nil { parts.append("no GTIN (AI 01 or 02): not a product code") }
        text = "\(head) → " + parts.joined(separator: ", ")
    }
}

/// One GS1 element (an Application Identifier and its value) read from a code.
public struct GS1Element: Codable, Sendable, Hashable {
    /// The Application Identifier, e.g. "17".
    public var ai: String
    /// What it is, in words: "expiry".
    public var title: String
    /// The value as encoded, e.g. "271231".
    public var value: String
    /// The value as an ISO date, for date AIs: "2027-12-31".
    public var date: String?

    public init(ai: String, title: String, value: String, date: String? = nil) {
        self.ai = ai
        self.title = title
        self.value = value
        self.date = date
    }
}

/// Reads GS1 element strings: `(01)00040822011143(17)271231(10)LOT`, or the same without parentheses,
/// variable-length fields ended by GS (FNC1) or the end of the data (GS1 General Specifications, 7.8).
enum GS1ElementString {
    static func read(_ text: String) -> CodeReading {
        var elements: [GS1Element] = []
        func fail(_ message: String) -> CodeReading {
            CodeReading(form: .elementString, gtin: nil, elements: elements, problem: message)
        }
        var rest = Substring(text)
        let parenthesised = rest.hasPrefix("(")
        while !rest.isEmpty {
            if rest.unicodeScalars.first == ScannedInput.groupSeparator { rest = rest.dropFirst(); continue }
            let ai: GS1ApplicationIdentifier
            let value: Substring
            if parenthesised {
                guard rest.hasPrefix("("), let close = rest.firstIndex(of: ")") else {
                    return fail("expected an AI in parentheses at \u{201C}\(rest.prefix(8))\u{201D}")
                }
                let number = rest[rest.index(after: rest.startIndex)..<close]
                guard let found = GS1ApplicationIdentifier.named(String(number)) else {
                    return fail("(\(number)) is not a GS1 Application Identifier this reader knows")
                }
                ai = found
                let body = rest[rest.index(after: close)...]
                let end = body.firstIndex(where: { $0 == "(" || $0.unicodeScalars.first == ScannedInput.groupSeparator })
                    ?? body.endIndex
                value = body[..<end]
                rest = body[end...]
            } else {
                guard let found = GS1ApplicationIdentifier.matching(start: rest.utf8) else {
                    return fail("\u{201C}\(rest.prefix(4))\u{201D} does not start with a GS1 Application Identifier this reader knows")
                }
                ai = found
                let body = rest.dropFirst(found.ai.count)
                if let fixed = found.fixedLength {
                    guard body.count >= fixed else { return fail(found.problem(with: body) ?? "AI (\(found.ai)) is cut short") }
                    value = body.prefix(fixed)
                } else {
                    value = body.prefix(while: { $0.unicodeScalars.first != ScannedInput.groupSeparator })
                }
                rest = body[value.endIndex...]
            }
            if let problem = ai.problem(with: value) { return fail(problem) }
            let date = ai.content == .date ? GS1Date(value)?.iso : nil
            elements.append(GS1Element(ai: ai.ai, title: ai.label, value: String(value), date: date))
        }
        if elements.isEmpty { return fail("no GS1 element found") }
        return CodeReading(form: .elementString, gtin: gtin(of: elements), elements: elements)
    }

    /// The GTIN of AI 01, else of AI 02.
    static func gtin(of elements: [GS1Element]) -> String? {
        elements.first(where: { $0.ai == "01" })?.value ?? elements.first(where: { $0.ai == "02" })?.value
    }
}

extension CodeReading {
    /// The GTIN a reading carries, or what is wrong with the code.
    public enum GTINOutcome: Sendable {
        case success(GTIN)
        case failure(InputProblem)
    }

    /// The GTIN the reading carries, or what is wrong with the code for a person.
    public func readGTIN() -> GTINOutcome {
        guard problem == nil, let gtin else { return .failure(InputProblem(message: text)) }
        do throws(GTINError) {
            // ]E4 says the symbol was an EAN-8, so its 8 digits are not read as a UPC-E.
            if symbology == "]E4" { return .success(try GTIN(parsingEAN8: gtin)) }
            return .success(try GTIN(parsing: gtin))
        } catch {
            return .failure(InputProblem(error))
        }
    }

    /// A query as it is shown back: without the spaces, line ends and control characters around it.
    public static func queryText(_ raw: String) -> String {
        func isNoise(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
        }
        var text = Substring(raw)
        while let first = text.unicodeScalars.first, isNoise(first) { text.unicodeScalars.removeFirst() }
        while let last = text.unicodeScalars.last, isNoise(last) { text.unicodeScalars.removeLast() }
        return text.utf8.count == raw.utf8.count ? raw : String(text)
    }
}
