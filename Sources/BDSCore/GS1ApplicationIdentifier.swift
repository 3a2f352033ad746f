import Foundation

/// One GS1 Application Identifier (AI) and the shape of its data, after the GS1 General Specifications, 3.2.
///
/// Only the AIs a shopper's code is likely to carry are listed (identification, dates, lots, serials,
/// measures, amounts, locations and the common 7xxx/8xxx ones); any other AI is refused by name, so a
/// code is never half read.
public struct GS1ApplicationIdentifier: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        /// Digits only.
        case numeric
        /// GS1 AI encodable character set 82.
        case alphanumeric
        /// YYMMDD; DD may be 00 when only the month is known.
        case date
    }

    public let ai: String
    /// What the value is, in words: "lot", "expiry".
    public let label: String
    public let content: Content
    /// The exact data length, or nil for a variable-length field.
    public let fixedLength: Int?
    public let maxLength: Int

    init(_ ai: String, _ label: String, _ content: Content, fixed: Int? = nil, max: Int? = nil) {
        self.ai = ai
        self.label = label
        self.content = content
        fixedLength = fixed
        maxLength = fixed ?? max ?? 0
    }

    /// The AI that `text` starts with (AIs are 2 to 4 digits and no AI is a prefix of another).
    public static func matching(start text: Substring.UTF8View) -> GS1ApplicationIdentifier? {
        var key = ""
        for byte in text.prefix(4) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            key.unicodeScalars.append(Unicode.Scalar(byte))
            if key.count >= 2, let found = table[key] { return found }
        }
        return nil
    }

    /// The AI with exactly this number, if listed.
    public static func named(_ ai: String) -> GS1ApplicationIdentifier? { table[ai] }

    static let table: [String: GS1ApplicationIdentifier] = {
        var list: [GS1ApplicationIdentifier] = [
            .init("00", "SSCC", .numeric, fixed: 18),
            .init("01", "GTIN", .numeric, fixed: 14),
            .init("02", "GTIN of contained items", .numeric, fixed: 14),
            .init("10", "lot", .alphanumeric, max: 20),
            .init("11", "production date", .date, fixed: 6),
            .init("12", "due date", .date, fixed: 6),
            .init("13", "packaging date", .date, fixed: 6),
            .init("15", "best before", .date, fixed: 6),
            .init("16", "sell by", .date, fixed: 6),
            .init("17", "expiry", .date, fixed: 6),
            .init("20", "variant", .numeric, fixed: 2),
            .init("21", "serial", .alphanumeric, max: 20),
            .init("22", "consumer product variant", .alphanumeric, max: 20),
            .init("235", "third-party serial", .alphanumeric, max: 28),
            .init("240", "additional product id", .alphanumeric, max: 30),
            .init("241", "customer part number", .alphanumeric, max: 30),
            .init("242", "made-to-order variant", .numeric, max: 6),
            .init("243", "packaging component", .alphanumeric, max: 20),
            .init("250", "secondary serial", .alphanumeric, max: 30),
            .init("251", "reference to source entity", .alphanumeric, max: 30),
            .init("253", "GDTI", .alphanumeric, max: 30),
            .init("254", "GLN extension", .alphanumeric, max: 20),
            .init("255", "GCN", .numeric, max: 25),
            .init("30", "count", .numeric, max: 8),
            .init("37", "count of trade items", .numeric, max: 8),
            .init("400", "order number", .alphanumeric, max: 30),
            .init("401", "GINC", .alphanumeric, max: 30),
            .init("402", "GSIN", .numeric, fixed: 17),
            .init("403", "routing code", .alphanumeric, max: 30),
            .init("420", "ship-to postal code", .alphanumeric, max: 20),
            .init("421", "ship-to postal code with country", .alphanumeric, max: 12),
            .init("422", "country of origin", .numeric, fixed: 3),
            .init("423", "country of initial processing", .numeric, max: 15),
            .init("424", "country of processing", .numeric, fixed: 3),
            .init("425", "country of disassembly", .numeric, max: 15),
            .init("426", "country of full processing", .numeric, fixed: 3),
            .init("427", "country subdivision of origin", .alphanumeric, max: 3),
            .init("7001", "NATO stock number", .numeric, fixed: 13),
            .init("7002", "meat cut", .alphanumeric, max: 30),
            .init("7003", "expiry date and time", .numeric, fixed: 10),
            .init("7004", "active potency", .numeric, max: 4),
            .init("7005", "catch area", .alphanumeric, max: 12),
            .init("7006", "first freeze date", .date, fixed: 6),
            .init("7007", "harvest date", .numeric, max: 12),
            .init("7008", "species for fishery", .alphanumeric, max: 3),
            .init("7009", "fishing gear type", .alphanumeric, max: 10),
            .init("7010", "production method", .alphanumeric, max: 2),
            .init("7020", "refurbishment lot", .alphanumeric, max: 20),
            .init("7021", "functional status", .alphanumeric, max: 20),
            .init("7022", "revision status", .alphanumeric, max: 20),
            .init("7023", "GIAI of an assembly", .alphanumeric, max: 30),
            .init("7240", "protocol id", .alphanumeric, max: 20),
            .init("8001", "roll products", .numeric, fixed: 14),
            .init("8002", "cellular mobile telephone id", .alphanumeric, max: 20),
            .init("8003", "GRAI", .alphanumeric, max: 30),
            .init("8004", "GIAI", .alphanumeric, max: 30),
            .init("8005", "price per unit", .numeric, fixed: 6),
            .init("8006", "ITIP", .numeric, fixed: 18),
            .init("8007", "IBAN", .alphanumeric, max: 34),
            .init("8008", "production date and time", .numeric, max: 12),
            .init("8009", "optically readable sensor indicator", .alphanumeric, max: 50),
            .init("8010", "component/part id", .alphanumeric, max: 30),
            .init("8011", "component/part serial", .numeric, max: 12),
            .init("8012", "software version", .alphanumeric, max: 20),
            .init("8013", "global model number", .alphanumeric, max: 25),
            .init("8017", "GSRN of a provider", .numeric, fixed: 18),
            .init("8018", "GSRN of a recipient", .numeric, fixed: 18),
            .init("8019", "service relation instance", .numeric, max: 10),
            .init("8020", "payment slip reference", .alphanumeric, max: 25),
            .init("8026", "ITIP of contained items", .numeric, fixed: 18),
            .init("8200", "extended packaging URL", .alphanumeric, max: 70),
            .init("90", "internal (agreed between partners)", .alphanumeric, max: 30),
        ]
        for n in 410...417 { list.append(.init(String(n), "GLN", .numeric, fixed: 13)) }
        for n in 91...99 { list.append(.init(String(n), "internal (company)", .alphanumeric, max: 90)) }
        // Measures: the fourth digit is the number of decimals (0 to 5), the data six digits.
        let measures: [(ClosedRange<Int>, String)] = [
            (310...310, "net weight (kg)"), (311...314, "dimension (metric)"), (315...316, "net volume (metric)"),
            (320...320, "net weight (lb)"), (321...329, "dimension or volume (imperial)"),
            (330...330, "gross weight (kg)"), (331...337, "logistic measure (metric)"),
            (340...349, "logistic measure (imperial)"), (350...357, "area"), (360...369, "volume (imperial)"),
        ]
        for (family, label) in measures {
            for prefix in family { for d in 0...5 { list.append(.init("\(prefix)\(d)", label, .numeric, fixed: 6)) } }
        }
        for d in 0...9 {
            list.append(.init("390\(d)", "amount payable", .numeric, max: 15))
            list.append(.init("391\(d)", "amount payable with currency", .numeric, max: 18))
            list.append(.init("392\(d)", "amount payable (single item)", .numeric, max: 15))
            list.append(.init("393\(d)", "amount payable with currency (single item)", .numeric, max: 18))
        }
        for d in 0...3 { list.append(.init("394\(d)", "coupon percentage off", .numeric, fixed: 4)) }
        for d in 0...5 { list.append(.init("395\(d)", "price per unit of measure", .numeric, fixed: 6)) }
        return Dictionary(uniqueKeysWithValues: list.map { ($0.ai, $0) })
    }()

    /// Why `value` does not fit this AI, or nil if it does.
    func problem(with value: Substring) -> String? {
        let count = value.utf8.count
        if let fixed = fixedLength, count != fixed {
            let unit = content == .alphanumeric ? "characters" : "digits"
            return "AI (\(ai)) \(label) needs \(fixed) \(unit), not \(count)"
        }
        if count == 0 { return "AI (\(ai)) \(label) is empty" }
        if count > maxLength { return "AI (\(ai)) \(label) holds at most \(maxLength) characters, not \(count)" }
        switch content {
        case .numeric, .date:
            // Checked on UTF-8 bytes: every allowed character is ASCII.
            if !value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
               let bad = value.first(where: { !$0.isASCII || !$0.isNumber }) {
                return "AI (\(ai)) \(label) has only digits; \u{201C}\(bad)\u{201D} is not one"
            }
            if content == .date, GS1Date(value) == nil { return "AI (\(ai)) \(label) \(value) is not a date (YYMMDD)" }
        case .alphanumeric:
            if !value.utf8.allSatisfy({ $0 < 0x80 && Self.isCharacterSet82(Unicode.Scalar($0)) }),
               let bad = value.unicodeScalars.first(where: { !Self.isCharacterSet82($0) }) {
                return "AI (\(ai)) \(label) has \u{201C}\(bad)\u{201D}, which GS1 codes cannot carry"
            }
        }
        return nil
    }

    /// GS1 AI encodable character set 82 (General Specifications, figure 7.11-1).
    static func isCharacterSet82(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "0"..."9", "A"..."Z", "a"..."z", "!", "\"", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
             ":", ";", "<", "=", ">", "?", "_": true
        default: false
        }
    }
}

/// A YYMMDD date of a GS1 element string, with the century chosen as the General Specifications say (7.12):
/// within 49 years ahead of or 50 years behind the current year.
public struct GS1Date: Sendable, Hashable {
    public let year: Int, month: Int, day: Int

    init?(_ text: Substring, currentYear: Int = GS1Date.currentYear) {
        let digits = text.utf8.map { Int($0) - 48 }
        guard digits.count == 6, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let yy = digits[0] * 10 + digits[1]
        month = digits[2] * 10 + digits[3]
        day = digits[4] * 10 + digits[5]
        let century = currentYear / 100 * 100
        switch yy - currentYear % 100 {
        case 51...: year = century - 100 + yy
        case ...(-50): year = century + 100 + yy
        default: year = century + yy
        }
        guard (1...12).contains(month), day <= Self.days(inMonth: month, year: year) else { return nil }
    }

    /// "2027-12-31", or "2027-12" when the day is 00 (only the month is given).
    public var iso: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        if day == 0 { return "\(year)-\(m)" }
        return "\(year)-\(m)-\(day < 10 ? "0\(day)" : "\(day)")"
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static let currentYear = Calendar(identifier: .gregorian).component(.year, from: Date())
}
