import Foundation

/// One row of GS1's prefix table: a range of GS1 prefixes and what they are used for.
public struct GS1PrefixRange: Sendable, Hashable, Codable {
    /// First prefix of the range, e.g. `"729"`, `"0000001"`, `"9620"`.
    public let start: String
    /// Last prefix of the range, with as many digits as `start`.
    public let end: String
    /// GS1's usage text, e.g. `"GS1 Israel"`.
    public let usage: String

    public init(start: String, end: String, usage: String) {
        self.start = start
        self.end = end
        self.usage = usage
    }
}

/// What a GTIN's GS1 prefix says about who issued the number and whether it names a product at all.
public enum GS1Allocation: Sendable, Hashable {
    /// A GS1 Member Organisation such as "GS1 Israel" issued the company its number.
    /// This is where the brand owner registered, not where the product was made.
    case memberOrganisation(String)
    /// An in-store or variable-weight number, meaningful only inside one company or region; carries the usage text.
    case restrictedCirculation(String)
    case issn, isbnOrIsmn
    case refundReceipt
    case coupon(String)
    /// Global Office, demonstration, reserved or unused ranges; carries the usage text.
    case globalOffice(String)
    /// No row of the table covers the prefix.
    case unassigned

    /// Classifies GS1's usage text for a prefix range by its keywords.
    ///
    /// "reserved for future use" (GS1 US 050–059) counts as `.globalOffice`, with the unused ranges;
    /// a member organisation's name loses a trailing " - GTIN-8".
    public init(usage: String) {
        // The keywords are found in the text's bytes: `String.contains` with Foundation imported is
        // NSString's `range(of:)`, and classifying GS1's table that way, once per opened store, was
        // a sixth of a cold `bdscheck CODE` on the shipped data (0.6 of 4.2 ms). The standard
        // library's `Collection.contains(_:)` on the UTF-8 views, tried in place of `bytes`, is
        // generic and unspecialised here: the same check took 8.0 ms instead of 3.8 ms.
        let text = Array(usage.lowercased().utf8)
        let has = { (keyword: String) in Self.bytes(text, contain: keyword) }
        if has("restricted") {
            self = .restrictedCirculation(usage)
        } else if has("issn") || has("serial") {
            self = .issn
        } else if has("isbn") || has("ismn") || has("bookland") {
            self = .isbnOrIsmn
        } else if has("refund") {
            self = .refundReceipt
        } else if has("coupon") {
            self = .coupon(usage)
        } else if ["global office", "unused", "demonstration", "future mo", "reserved"].contains(where: has) {
            self = .globalOffice(usage)
        } else if usage.allSatisfy(\.isWhitespace) {
            self = .unassigned
        } else {
            let suffix = " - GTIN-8"
            self = .memberOrganisation(usage.hasSuffix(suffix) ? String(usage.dropLast(suffix.count)) : usage)
        }
    }

    static func bytes(_ text: [UInt8], contain keyword: String) -> Bool {
        let needle = Array(keyword.utf8)
        guard !needle.isEmpty else { return true }
        guard text.count >= needle.count else { return false }
        for start in 0...(text.count - needle.count) where text[start] == needle[0] {
            if text[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Whether a product database lookup makes sense: false for restricted, ISSN, ISBN, refund and coupon numbers.
    public var isProductLookupAllowed: Bool {
        switch self {
        case .memberOrganisation, .globalOffice, .unassigned: true
        case .restrictedCirculation, .issn, .isbnOrIsmn, .refundReceipt, .coupon: false
        }
    }

    /// False for the ISSN, ISBN, refund and coupon ranges, which GS1 defines only for 13-digit codes.
    fileprivate var appliesToGTIN8: Bool {
        switch self {
        case .issn, .isbnOrIsmn, .refundReceipt, .coupon: false
        default: true
        }
    }

    /// A short text for a shopper.
    public var label: String {
        switch self {
        case let .memberOrganisation(name):
            "barcode issued by \(name)"
        case .restrictedCirculation:
            "restricted-circulation code (in-store or variable-weight): identifies nothing outside one shop or region"
        case .issn:
            "magazine or newspaper (ISSN)"
        case .isbnOrIsmn:
            "book (ISBN/ISMN)"
        case .refundReceipt:
            "refund receipt, not a product"
        case .coupon:
            "coupon, not a product"
        case let .globalOffice(usage):
            "special GS1 range: \(usage)"
        case .unassigned:
            "prefix not assigned by GS1: possibly a mistyped or unofficial code"
        }
    }
}

/// Why GS1 prefix CSV text could not be read.
public enum GS1PrefixTableError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingColumn(String)
    case invalidRow(line: Int, reason: String)
    case unterminatedQuote(line: Int)

    public var description: String {
        switch self {
        case let .missingColumn(name): "GS1 prefix CSV: the header has no \(name) column"
        case let .invalidRow(line, reason): "GS1 prefix CSV, line \(line): \(reason)"
        case let .unterminatedQuote(line): "GS1 prefix CSV, line \(line): a quoted field is never closed"
        }
    }
}

/// GS1's prefix table, answering which organisation or special range a GTIN belongs to.
public struct GS1PrefixTable: Sendable {
    public let ranges: [GS1PrefixRange]
    private let allocations: [GS1Allocation]
    /// Usable rows grouped by prefix length, longest first.
    private let groups: [Group]

    private struct Group: Sendable {
        let length: Int
        var bounds: [Bound]
    }

    private struct Bound: Sendable {
        let start: UInt64, end: UInt64, row: Int
    }

    /// Usage text for GTIN-8s starting with 0 or 2, which no row describes.
    public static let restrictedGTIN8Usage = "Restricted Circulation Number (EAN-8 starting with 0 or 2)"

    /// Builds a table; rows whose start and end are not digit strings of equal length (1–12) with start ≤ end are ignored.
    public init(ranges: [GS1PrefixRange]) {
        self.ranges = ranges
        allocations = ranges.map { GS1Allocation(usage: $0.usage) }
        var byLength: [Int: [Bound]] = [:]
        for (row, range) in ranges.enumerated() {
            guard Self.isPrefixPair(range.start, range.end),
                let start = UInt64(range.start), let end = UInt64(range.end)
            else { continue }
            byLength[range.start.utf8.count, default: []].append(Bound(start: start, end: end, row: row))
        }
        groups = byLength.sorted { $0.key > $1.key }.map { Group(length: $0.key, bounds: $0.value) }
    }

    /// Reads a table from CSV text; see `parseCSV(_:)`.
    public init(csv: String) throws {
        self.init(ranges: try Self.parseCSV(csv))
    }

    /// The ranges in CSV text with a header naming `prefix_start`, `prefix_end` and `usage` columns.
    ///
    /// Fields may be RFC 4180 quoted; other columns and blank lines are ignored; lines end in LF or CRLF.
    public static func parseCSV(_ text: String) throws -> [GS1PrefixRange] {
        let records = try csvRecords(text)
        guard let header = records.first else { throw GS1PrefixTableError.missingColumn("prefix_start") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) throws -> Int {
            guard let index = names.firstIndex(of: name) else { throw GS1PrefixTableError.missingColumn(name) }
            return index
        }
        let startColumn = try column("prefix_start"), endColumn = try column("prefix_end")
        let usageColumn = try column("usage")
        let needed = max(startColumn, endColumn, usageColumn) + 1

        var ranges: [GS1PrefixRange] = []
        for record in records.dropFirst() {
            let fields = record.fields
            if fields.count == 1, fields[0].allSatisfy(\.isWhitespace) { continue }
            guard fields.count >= needed else {
                throw GS1PrefixTableError.invalidRow(
                    line: record.line, reason: "expected at least \(needed) fields, found \(fields.count)")
            }
            let start = fields[startColumn].trimmingCharacters(in: .whitespaces)
            let end = fields[endColumn].trimmingCharacters(in: .whitespaces)
            guard isPrefixPair(start, end) else {
                throw GS1PrefixTableError.invalidRow(
                    line: record.line,
                    reason: "\"\(start)\" to \"\(end)\" is not a range of prefixes of 1 to 12 digits of equal length")
            }
            let usage = fields[usageColumn].trimmingCharacters(in: .whitespacesAndNewlines)
            ranges.append(GS1PrefixRange(start: start, end: end, usage: usage))
        }
        return ranges
    }

    /// What the GTIN's prefix says; see `range(for:)` for how the row is found.
    public func allocation(for gtin: GTIN) -> GS1Allocation {
        lookup(gtin).allocation
    }

    /// The row for the GTIN's prefix, if any.
    ///
    /// The GTIN-13 form is used (a GTIN-14's indicator digit is dropped), and the longest matching prefix wins.
    /// A GTIN-8 is matched on its own 8 digits; one starting with 0 or 2 is restricted circulation and has no row,
    /// and the ISSN, ISBN, refund and coupon rows (977–999) exist only for 13 digits, so a GTIN-8 there is unassigned.
    public func range(for gtin: GTIN) -> GS1PrefixRange? {
        lookup(gtin).row.map { ranges[$0] }
    }

    private func lookup(_ gtin: GTIN) -> (row: Int?, allocation: GS1Allocation) {
        let key = gtin.value % 10_000_000_000_000
        let width: Int
        if key < 100_000_000 {
            let first = key / 10_000_000
            if first == 0 || first == 2 { return (nil, .restrictedCirculation(Self.restrictedGTIN8Usage)) }
            width = 8
        } else {
            width = 13
        }
        guard let row = matchingRow(key, width: width) else { return (nil, .unassigned) }
        let allocation = allocations[row]
        if width == 8, !allocation.appliesToGTIN8 { return (nil, .unassigned) }
        return (row, allocation)
    }

    /// The row whose range holds the longest prefix of `key`, a code of `width` digits.
    private func matchingRow(_ key: UInt64, width: Int) -> Int? {
        for group in groups where group.length <= width {
            var divisor: UInt64 = 1
            for _ in 0..<(width - group.length) { divisor *= 10 }
            let prefix = key / divisor
            if let bound = group.bounds.first(where: { $0.start <= prefix && prefix <= $0.end }) {
                return bound.row
            }
        }
        return nil
    }

    private static func isPrefixPair(_ start: String, _ end: String) -> Bool {
        let length = start.utf8.count
        let isDigits = { (text: String) in text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
        return (1...12).contains(length) && end.utf8.count == length
            && isDigits(start) && isDigits(end) && start <= end
    }

    /// RFC 4180 records with the line each starts on; quoted fields may hold commas, doubled quotes and newlines.
    private static func csvRecords(_ text: String) throws -> [(line: Int, fields: [String])] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }

        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, fieldWasQuoted = false
        var line = 1, recordLine = 1

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            records.append((recordLine, fields))
            fields.removeAll(keepingCapacity: true)
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == quote {
                    if index < bytes.count, bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            case comma:
                endField()
            case lf, cr:
                if byte == cr, index < bytes.count, bytes[index] == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
        }
        if inQuotes { throw GS1PrefixTableError.unterminatedQuote(line: recordLine) }
        if !fields.isEmpty || !field.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}
