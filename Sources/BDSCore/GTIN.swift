import Foundation

/// A validated Global Trade Item Number (EAN-8, UPC-E, UPC-A, EAN-13 or GTIN-14), stored as its GTIN-14 number.
///
/// Equality, hashing and ordering use `value` only: `036000291452`, `0036000291452` and
/// `00036000291452` are the same item and compare equal although their `format` differs.
public struct GTIN: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The form a code was typed or stored in.
    public enum Format: String, Sendable, Codable {
        case ean8 = "EAN-8", upcE = "UPC-E", upcA = "UPC-A", ean13 = "EAN-13", gtin14 = "GTIN-14"
    }

    /// The GTIN-14 as a number, the storage key: EAN-8 `12345670` → 12345670, UPC-A `036000291452` → 36000291452.
    public let value: UInt64
    /// What the input was recognised as.
    public let format: Format
    /// The typed UPC-E digits as a number (they start with 0 or 1, so 8 digits fit); 0 unless `format == .upcE`.
    private let upcEDigits: UInt32

    private init(value: UInt64, format: Format, upcEDigits: UInt32 = 0) {
        self.value = value
        self.format = format
        self.upcEDigits = upcEDigits
    }

    /// Parses a code as typed, pasted or scanned.
    ///
    /// Spaces, dashes, other whitespace and invisible formatting marks (such as the left-to-right mark
    /// pasted from right-to-left text) are ignored wherever they are. Decimal digits of other scripts
    /// (Arabic-Indic, fullwidth, …) count as digits.
    ///
    /// A GTIN has 8, 12, 13 or 14 digits (GS1 General Specifications, 3.3.2); 9 to 11 digits are refused,
    /// since a digit may be missing, unless `allowingDroppedLeadingZeros` (for data files whose codes went
    /// through a spreadsheet) reads them as a UPC-A whose leading zeros were dropped. 8 digits starting with
    /// 0 that are a valid UPC-E are read as UPC-E (UPC-E exists only for number system 0, 2.1.3.3); other
    /// 8-digit codes are EAN-8.
    public init(parsing input: String, allowingDroppedLeadingZeros: Bool = false) throws(GTINError) {
        let (number, count) = try Self.scan(input)
        self = try Self.recognise(number, digitCount: count, allowingDroppedLeadingZeros: allowingDroppedLeadingZeros)
    }

    /// Parses a code that must be a UPC-E (8 digits, number system 0 or 1), checking its check digit as UPC-E.
    public init(parsingUPCE input: String) throws(GTINError) {
        let (number, count) = try Self.scan(input)
        guard count > 0 else { throw .empty }
        guard count == 8 else { throw .invalidUPCE("a UPC-E code has 8 digits; this has \(count)") }
        let numberSystem = number / 10_000_000
        guard numberSystem <= 1 else {
            throw .invalidUPCE("a UPC-E code starts with 0 or 1, not \(numberSystem)")
        }
        let expanded = Self.expandUPCE(number)
        let found = UInt8(number % 10)
        let expected = Self.checkDigit(ofNumber: expanded / 10)
        guard expected == found else {
            let corrected = Self.digits(number - UInt64(found) + UInt64(expected), width: 8)
            throw .wrongCheckDigit(expected: expected, found: found, corrected: corrected)
        }
        self.init(value: expanded, format: .upcE, upcEDigits: UInt32(number))
    }

    /// Parses a code that must be an EAN-8, as a scanner's `]E4` symbology identifier says.
    public init(parsingEAN8 input: String) throws(GTINError) {
        let (number, count) = try Self.scan(input)
        guard count == 8 else { throw .wrongLength(count) }
        try Self.validateCheckDigit(number, digitCount: 8)
        self.init(value: number, format: .ean8)
    }

    /// Restores a GTIN from its storage key; nil if the number has more than 14 digits or a wrong check digit.
    ///
    /// The format is derived from the number of significant digits, so a stored UPC-E comes back as `.upcA`
    /// and a stored zero-led EAN-13 as `.upcA`.
    public init?(storageKey: UInt64) {
        guard storageKey < 100_000_000_000_000, Self.hasValidCheckDigit(storageKey) else { return nil }
        let format: Format = switch storageKey {
        case ..<100_000_000: .ean8
        case ..<1_000_000_000_000: .upcA
        case ..<10_000_000_000_000: .ean13
        default: .gtin14
        }
        self.init(value: storageKey, format: format)
    }

    /// The 14-digit form, zero-padded.
    public var gtin14: String { Self.digits(value, width: 14) }

    /// The 13-digit form, or nil for a GTIN-14 whose packaging indicator is not 0.
    public var gtin13: String? { value < 10_000_000_000_000 ? Self.digits(value, width: 13) : nil }

    /// The usual printed form: 8 digits for EAN-8, 12 for UPC-A and expanded UPC-E, 13 for EAN-13, 14 for GTIN-14.
    public var canonical: String { Self.digits(value, width: format.printedWidth) }

    /// The 8 UPC-E digits as typed, when `format == .upcE`.
    public var upcE: String? { format == .upcE ? Self.digits(UInt64(upcEDigits), width: 8) : nil }

    /// The GTIN-14 packaging indicator (its first digit); 0 for anything shorter than a GTIN-14.
    public var indicator: UInt8 { UInt8(value / 10_000_000_000_000) }

    public var description: String { canonical }

    public static func == (lhs: GTIN, rhs: GTIN) -> Bool { lhs.value == rhs.value }
    public static func < (lhs: GTIN, rhs: GTIN) -> Bool { lhs.value < rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// The GS1 check digit for data digits (each 0...9, without the check digit).
    ///
    /// Weights 3, 1, 3, 1, … apply from the rightmost data digit leftwards; `400638133393` gives 1.
    public static func checkDigit(for dataDigits: some Collection<UInt8>) -> UInt8 {
        var weight = dataDigits.count % 2 == 1 ? 3 : 1
        var sum = 0
        for digit in dataDigits {
            sum += Int(digit) * weight
            weight = 4 - weight
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// The check digit for data digits given as a number; leading zeros do not change it.
    static func checkDigit(ofNumber data: UInt64) -> UInt8 {
        var rest = data
        var weight: UInt64 = 3
        var sum: UInt64 = 0
        while rest > 0 {
            sum += rest % 10 * weight
            rest /= 10
            weight = 4 - weight
        }
        return UInt8((10 - sum % 10) % 10)
    }

    static func hasValidCheckDigit(_ number: UInt64) -> Bool {
        checkDigit(ofNumber: number / 10) == UInt8(number % 10)
    }

    /// The UPC-A number an 8-digit UPC-E number stands for, keeping its number system and check digit.
    ///
    /// Only the middle six digits are rearranged, so the result's check digit may not be valid.
    static func expandUPCE(_ upcE: UInt64) -> UInt64 {
        let numberSystem = upcE / 10_000_000
        let d1 = upcE / 1_000_000 % 10, d2 = upcE / 100_000 % 10, d3 = upcE / 10_000 % 10
        let d4 = upcE / 1_000 % 10, d5 = upcE / 100 % 10, d6 = upcE / 10 % 10
        let head = d1 * 1_000_000_000 + d2 * 100_000_000
        let middle: UInt64 = switch d6 {
        case 0...2: head + d6 * 10_000_000 + d3 * 100 + d4 * 10 + d5                    // d1 d2 d6 0000 d3 d4 d5
        case 3: head + d3 * 10_000_000 + d4 * 10 + d5                                    // d1 d2 d3 00000 d4 d5
        case 4: head + d3 * 10_000_000 + d4 * 1_000_000 + d5                             // d1 d2 d3 d4 00000 d5
        default: head + d3 * 10_000_000 + d4 * 1_000_000 + d5 * 100_000 + d6             // d1 d2 d3 d4 d5 0000 d6
        }
        return (numberSystem * 10_000_000_000 + middle) * 10 + upcE % 10
    }

    /// Zero-padded decimal digits of `number`, exactly `width` of them.
    static func digits(_ number: UInt64, width: Int) -> String {
        String(unsafeUninitializedCapacity: width) { buffer in
            var rest = number
            for index in (0..<width).reversed() {
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return width
        }
    }

    private static let maxDigits = 14

    /// The input's digits as a number (the first 14 of them) and how many digits there were.
    private static func scan(_ input: String) throws(GTINError) -> (number: UInt64, count: Int) {
        var number: UInt64 = 0
        var count = 0
        for byte in input.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if count < maxDigits { number = number * 10 + UInt64(byte - UInt8(ascii: "0")) }
                count += 1
            case UInt8(ascii: " "), UInt8(ascii: "-"), 0x09...0x0D:
                continue
            default:
                return try scanCharacters(input)
            }
        }
        return (number, count)
    }

    /// The slow path of `scan` for input with non-ASCII or invalid characters: works on whole characters
    /// so that an error names the character and its position as the user sees them.
    private static func scanCharacters(_ input: String) throws(GTINError) -> (number: UInt64, count: Int) {
        var number: UInt64 = 0
        var count = 0
        var position = 0
        for character in input {
            position += 1
            if let digit = decimalDigit(character) {
                if count < maxDigits { number = number * 10 + UInt64(digit) }
                count += 1
            } else if !isIgnorable(character) {
                throw .invalidCharacter(character, position: position)
            }
        }
        return (number, count)
    }

    private static func decimalDigit(_ character: Character) -> UInt8? {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first,
              scalar.properties.numericType == .decimal,
              let value = scalar.properties.numericValue else { return nil }
        return UInt8(exactly: value)
    }

    private static func isIgnorable(_ character: Character) -> Bool {
        if character.isWhitespace { return true }
        return character.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .dashPunctuation, .format: true
            default: scalar == "\u{2212}"  // minus sign
            }
        }
    }

    private static func recognise(
        _ number: UInt64, digitCount count: Int, allowingDroppedLeadingZeros: Bool
    ) throws(GTINError) -> GTIN {
        switch count {
        case 0:
            throw .empty
        case 8:
            if number < 10_000_000 {
                let expanded = expandUPCE(number)
                if hasValidCheckDigit(expanded) {
                    return GTIN(value: expanded, format: .upcE, upcEDigits: UInt32(number))
                }
                // An EAN-8 starting with 0 is an in-store number, so the UPC-E reading is the one to suggest.
                if checkDigit(ofNumber: number / 10) != UInt8(number % 10) {
                    let found = UInt8(number % 10)
                    let expected = checkDigit(ofNumber: expanded / 10)
                    let corrected = digits(number - UInt64(found) + UInt64(expected), width: 8)
                    throw .wrongCheckDigit(expected: expected, found: found, corrected: corrected)
                }
            }
            try validateCheckDigit(number, digitCount: 8)
            return GTIN(value: number, format: .ean8)
        case 9...11 where !allowingDroppedLeadingZeros:
            throw .wrongLength(count)
        case 9...14:
            try validateCheckDigit(number, digitCount: count)
            let format: Format = switch count {
            case 13: .ean13
            case 14: .gtin14
            default: .upcA
            }
            return GTIN(value: number, format: format)
        default:
            throw .wrongLength(count)
        }
    }

    private static func validateCheckDigit(_ number: UInt64, digitCount: Int) throws(GTINError) {
        let found = UInt8(number % 10)
        let expected = checkDigit(ofNumber: number / 10)
        guard expected != found else { return }
        let corrected = digits(number - UInt64(found) + UInt64(expected), width: digitCount)
        throw .wrongCheckDigit(expected: expected, found: found, corrected: corrected)
    }
}

extension GTIN.Format {
    /// Digits in the usual printed form; UPC-E prints as its 12-digit UPC-A expansion.
    fileprivate var printedWidth: Int {
        switch self {
        case .ean8: 8
        case .upcE, .upcA: 12
        case .ean13: 13
        case .gtin14: 14
        }
    }
}

/// Why a typed code is not a valid GTIN.
public enum GTINError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    /// `position` is 1-based, counting characters of the input as typed (leading spaces included).
    case invalidCharacter(Character, position: Int)
    /// The number of digits, when it is below 8 or above 14.
    case wrongLength(Int)
    /// `corrected` is the input's digits (as many as were typed) with the right check digit.
    case wrongCheckDigit(expected: UInt8, found: UInt8, corrected: String)
    case invalidUPCE(String)

    public var description: String {
        switch self {
        case .empty:
            "no digits entered: type the number printed under the barcode"
        case let .invalidCharacter(character, position):
            "a barcode has only digits; \(Self.shown(character)) at position \(position) is not one"
        case let .wrongLength(count):
            Self.lengthAdvice(count)
        case let .wrongCheckDigit(expected, found, corrected):
            Self.checkDigitAdvice(expected: expected, found: found, corrected: corrected)
        case let .invalidUPCE(reason):
            "not a valid UPC-E code: \(reason)"
        }
    }

    private static func lengthAdvice(_ count: Int) -> String {
        let base = "a barcode (GTIN) has 8, 12, 13 or 14 digits; this has \(count)"
        switch count {
        case 6: return base + ": it may be a UPC-E printed without its number system and check digit; type all 8 digits"
        case 7: return base + ": it may be a UPC-E without its number system or check digit, or a digit is missing"
        case 9...11: return base + ": a digit may be missing; type every digit under the barcode, leading zeros included"
        default: return base
        }
    }

    /// What to say about a wrong check digit: a fix is offered as the likely intent only when it identifies a
    /// product and no swap of two neighbouring digits would also make the code valid.
    private static func checkDigitAdvice(expected: UInt8, found: UInt8, corrected: String) -> String {
        let wrong = "check digit should be \(expected), not \(found)"
        guard GTINError.correctionIdentifiesProduct(corrected) else {
            return "\(wrong); the code would then be \(corrected), an in-store (restricted-circulation) number, "
                + "not a product: check the code"
        }
        var typed = Array(corrected.utf8)
        typed[typed.count - 1] = UInt8(ascii: "0") + found
        let upcE = typed.count == 8 && typed[0] == UInt8(ascii: "0")
        let named = upcE ? "the UPC-E \(corrected)" : corrected
        var advice: String
        if GTINError.swapOfNeighboursIsValid(typed) {
            advice = "check the code: two neighbouring digits may be swapped or one mistyped; "
                + "one possibility is that the \(wrong) (\(named))"
        } else {
            advice = "\(wrong): probably a mistyped code (did you mean \(named)?)"
        }
        if upcE {
            let data = typed.dropLast().map { $0 - UInt8(ascii: "0") }
            let ean8 = String(decoding: typed.dropLast(), as: UTF8.self) + String(GTIN.checkDigit(for: data))
            advice += "; read as an EAN-8 it would be \(ean8), an in-store number"
        }
        return advice
    }

    /// Whether `corrected` (a suggested fix) names a product rather than an in-store (restricted-circulation)
    /// number: EAN-8s starting 0 or 2 and GTIN-13s starting 02, 04 or 2 are in-store numbers; an 8-digit fix
    /// starting 0 is offered as a UPC-E, which is a product.
    public static func correctionIdentifiesProduct(_ corrected: String) -> Bool {
        let digits = Array(corrected.utf8)
        if digits.count == 8 { return digits[0] != UInt8(ascii: "2") }
        let gtin13 = digits.count < 13 ? [UInt8(ascii: "0")] + digits : Array(digits.suffix(13))
        guard gtin13.count >= 2 else { return false }
        if gtin13[0] == UInt8(ascii: "2") { return false }
        return !(gtin13[0] == UInt8(ascii: "0") && (gtin13[1] == UInt8(ascii: "2") || gtin13[1] == UInt8(ascii: "4")))
    }

    /// Whether swapping some two neighbouring, different digits of `typed` (ASCII digits) gives a valid check digit.
    static func swapOfNeighboursIsValid(_ typed: [UInt8]) -> Bool {
        var digits = typed.map { $0 - UInt8(ascii: "0") }
        let upcE = digits.count == 8 && digits[0] == 0
        for i in 0..<(digits.count - 1) where digits[i] != digits[i + 1] {
            digits.swapAt(i, i + 1)
            let number = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1) }
            let valid = upcE ? GTIN.hasValidCheckDigit(GTIN.expandUPCE(number)) : GTIN.hasValidCheckDigit(number)
            digits.swapAt(i, i + 1)
            if valid { return true }
        }
        return false
    }

    /// The character in quotes, or its code points when it would not be visible.
    private static func shown(_ character: Character) -> String {
        let visible = character.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator: false
            default: true
            }
        }
        if visible { return "\u{201C}\(character)\u{201D}" }
        return character.unicodeScalars
            .map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
            .joined(separator: " ")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
