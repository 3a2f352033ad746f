public import Foundation

/// One language's messages, read from `Messages/<code>.json` in this target's resources: every
/// sentence a person reads, by key, with placeholders by name (`{subject}`) and, where a count
/// decides the wording, one variant per plural category (`{"one": …, "other": …}`).
///
/// docs/TRANSLATING.md describes the file; `MessageCatalogueTests` checks every language against
/// English (the same keys, the same placeholders). A catalogue is parsed only when its language
/// is asked for.
public struct MessageCatalogue: Sendable {
    /// A message: one text, or one text per plural category of the count it is worded for.
    public enum Entry: Sendable, Hashable {
        case text(String)
        case plural([PluralCategory: String])

        /// Every text the entry holds (one, or one per plural category).
        public var texts: [String] {
            switch self {
            case .text(let t): [t]
            case .plural(let forms): PluralCategory.allCases.compactMap { forms[$0] }
            }
        }
    }

    /// The code of the language, as the file is named: `en`, `ar`, `ur`.
    public let code: String
    /// The language's name in itself ("العربية"), for the kiosk's language button.
    public let name: String
    /// The language's name in English, for docs and logs.
    public let englishName: String
    public let direction: TextDirection
    public let plurals: PluralRule
    /// The digits counts and percentages are written in; codes and dates always keep ASCII digits.
    public let digits: Digits
    /// Who reviewed the wording ("machine-drafted, needs review" when nobody has).
    public let reviewed: String
    public let entries: [String: Entry]

    /// Parses a catalogue file's bytes.
    public init(code: String, data: Data) throws { try self.init(code: code, bytes: Array(data)) }

    init(code: String, bytes: [UInt8]) throws {
        let root: CatalogueJSON.Value
        do {
            root = try CatalogueJSON.parse(bytes)
        } catch {
            throw MessageCatalogueError(code: code, problem: "\(error)")
        }
        // Members are looked up in place: a few keys, and no dictionary types to set up on a cold start.
        func member(_ name: String, of object: [(String, CatalogueJSON.Value)]) -> CatalogueJSON.Value? {
            object.first(where: { $0.0 == name })?.1
        }
        let top = root.object ?? []
        guard let language = member("language", of: top)?.object, let messages = member("messages", of: top)?.object else {
            throw MessageCatalogueError(code: code, problem: "expected an object with \"language\" and \"messages\"")
        }
        func field(_ name: String) throws -> String {
            guard let value = member(name, of: language)?.string, !value.isEmpty else {
                throw MessageCatalogueError(code: code, problem: "language.\(name) is missing")
            }
            return value
        }
        self.code = code
        name = try field("name")
        englishName = try field("englishName")
        reviewed = try field("reviewed")
        guard let direction = TextDirection(rawValue: try field("dir")) else {
            throw MessageCatalogueError(code: code, problem: "language.dir is \"ltr\" or \"rtl\"")
        }
        self.direction = direction
        guard let plurals = PluralRule(rawValue: try field("plural")) else {
            let known = PluralRule.allCases.map(\.rawValue).joined(separator: ", ")
            throw MessageCatalogueError(code: code, problem: "language.plural is one of \(known)")
        }
        self.plurals = plurals
        guard let digits = Digits(rawValue: member("digits", of: language)?.string ?? "latn") else {
            throw MessageCatalogueError(code: code, problem: "language.digits is latn, arab or arabext")
        }
        self.digits = digits
        var entries: [String: Entry] = [:]
        for (key, value) in messages {
            guard entries[key] == nil else { throw MessageCatalogueError(code: code, problem: "\(key) is given twice") }
            switch value {
            case .string(let text):
                entries[key] = .text(text)
            case .object(let forms):
                var plural: [PluralCategory: String] = [:]
                for (category, text) in forms {
                    guard let c = PluralCategory(rawValue: category), let text = text.string else {
                        throw MessageCatalogueError(
                            code: code, problem: "\(key): plural forms are zero, one, two, few, many and other, each a text")
                    }
                    plural[c] = text
                }
                guard plural[.other] != nil else {
                    throw MessageCatalogueError(code: code, problem: "\(key): a plural message needs its \"other\" form")
                }
                entries[key] = .plural(plural)
            }
        }
        self.entries = entries
    }

    /// The catalogue shipped for `code`, or nil when there is none.
    public static func bundled(_ code: String) throws -> MessageCatalogue? {
        guard Language.isPlausibleCode(code), let bytes = read(folderPath + "/" + code + ".json") else { return nil }
        return try MessageCatalogue(code: code, bytes: bytes)
    }

    /// The codes of every shipped catalogue, English first, from the file names alone (nothing is parsed).
    public static func bundledCodes() -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folderPath) else { return ["en"] }
        let codes = names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.filter(Language.isPlausibleCode)
        return ["en"] + codes.filter { $0 != "en" }.sorted()
    }

    /// The file a translator edits for `code`.
    public static func fileURL(_ code: String) -> URL { URL(fileURLWithPath: folderPath + "/" + code + ".json") }

    /// `Messages/` in this target's resource bundle: beside the executable, where SwiftPM puts it
    /// (found with plain system calls: `Bundle`, `URL` and `FileManager` cost a cold
    /// `bdscheck CODE` more than the lookup itself), else wherever `Bundle.module` finds it.
    static let folderPath: String = {
        #if os(Linux)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { readlink("/proc/self/exe", $0, b.count - 1) }
        }
        if n > 0, let slash = buffer[..<n].lastIndex(of: UInt8(ascii: "/")) {
            let folder = String(decoding: buffer[..<slash], as: UTF8.self) + "/bdscheck_BDSCore.resources/Messages"
            if access(folder + "/en.json", R_OK) == 0 { return folder }
        }
        #endif
        #if SWIFT_PACKAGE
        return Bundle.module.bundleURL.appendingPathComponent("Messages").path
        #else
        // Built without SwiftPM (the fuzz targets, scripts/fuzz.sh): the files in the source tree.
        return FileManager.default.currentDirectoryPath + "/Sources/BDSCore/Language/Messages"
        #endif
    }()

    /// A whole file's bytes, or nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { return out }
            out += chunk[..<n]
        }
    }

    /// The placeholder names in a text: `{subject}` gives `subject`.
    public static func placeholders(in text: String) -> Set<String> {
        var names = Set<String>()
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "}") else { break }
            names.insert(String(rest[after..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

/// Why a catalogue file could not be read: which language, and what is wrong in it.
public struct MessageCatalogueError: Error, CustomStringConvertible {
    public var code: String
    public var problem: String

    public var description: String { "messages \(code).json: \(problem)" }
}

public enum TextDirection: String, Sendable {
    case ltr, rtl
}

/// The digits a language writes numbers in (CLDR numbering systems).
public enum Digits: String, Sendable {
    /// 0123456789
    case latn
    /// Arabic-Indic: ٠١٢٣٤٥٦٧٨٩
    case arab
    /// Extended Arabic-Indic (Persian, some Urdu): ۰۱۲۳۴۵۶۷۸۹
    case arabext

    /// `text` with its ASCII digits written in these digits.
    public func write(_ text: String) -> String {
        let zero: UInt32
        switch self {
        case .latn: return text
        case .arab: zero = 0x0660
        case .arabext: zero = 0x06F0
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if ("0"..."9").contains(s), let d = Unicode.Scalar(zero + s.value - 0x30) { out.append(d) } else { out.append(s) }
        }
        return String(out)
    }
}

/// CLDR's plural categories.
public enum PluralCategory: String, Sendable, CaseIterable {
    case zero, one, two, few, many, other
}

/// How a language picks a plural category for a whole number (CLDR's rules for integers), named
/// after a language that uses it; a new language names the rule it shares.
public enum PluralRule: String, Sendable, CaseIterable {
    /// one: 1; other: everything else (English, Urdu, Turkish, …).
    case en
    /// one: 0 and 1; many: 1,000,000 and its multiples; other (French).
    case fr
    /// zero: 0; one: 1; two: 2; few: 3–10 (mod 100); many: 11–99 (mod 100); other (Arabic).
    case ar
    /// other only: the noun does not change with the count (Malay, Indonesian).
    case none

    public func category(_ n: Int) -> PluralCategory {
        let n = n.magnitude
        switch self {
        case .en: return n == 1 ? .one : .other
        case .fr:
            if n <= 1 { return .one }
            return n % 1_000_000 == 0 ? .many : .other
        case .ar:
            switch n {
            case 0: return .zero
            case 1: return .one
            case 2: return .two
            default:
                switch n % 100 {
                case 3...10: return .few
                case 11...99: return .many
                default: return .other
                }
            }
        case .none: return .other
        }
    }

    /// The categories a language with this rule distinguishes.
    public var categories: Set<PluralCategory> {
        switch self {
        case .en: [.one, .other]
        case .fr: [.one, .many, .other]
        case .ar: [.zero, .one, .two, .few, .many, .other]
        case .none: [.other]
        }
    }
}
