import Foundation

/// A value put into a message's placeholder.
public enum MessageArgument: Sendable, Hashable {
    /// Words already in the message's language: inserted as they are.
    case text(String)
    /// A name, code, URL, date or text from a source: kept in its own order inside text of the
    /// other direction (see `Bidi.isolate`), never translated, digits left as they are.
    case name(String)
    /// A count or a percentage: written in the language's digits.
    case number(String)

    public static func number(_ n: Int) -> MessageArgument { .number(String(n)) }
}

/// The messages of one language, with English for any key that language lacks.
///
/// `Messages.english` is what the machine-readable fields are worded with; other languages are
/// read from their file the first time they are asked for, and only then.
public struct Messages: Sendable {
    public let catalogue: MessageCatalogue
    /// English, for keys `catalogue` lacks; nil when `catalogue` is English.
    let fallback: MessageCatalogue?
    /// Whether names are wrapped in Unicode isolates where the direction calls for it. Off only
    /// for the machine-readable English fields, which keep the exact text they always had.
    public var isolating: Bool

    public var code: String { catalogue.code }
    public var direction: TextDirection { catalogue.direction }
    public var isRightToLeft: Bool { catalogue.direction == .rtl }

    public init(catalogue: MessageCatalogue, fallback: MessageCatalogue?, isolating: Bool = true) {
        self.catalogue = catalogue
        self.fallback = catalogue.code == "en" ? nil : fallback
        self.isolating = isolating
    }

    /// English, as the shipped `en.json` words it. Read once, on first use.
    public static var english: Messages { Library.english }

    /// English for the machine-readable fields (`summary`, `hints[].text`): no isolates added.
    public static var machine: Messages { Library.machine }

    /// The messages for `code` (`"ar"`, `"ar-EG"`, `"ur_PK.UTF-8"`), or nil when no catalogue
    /// is shipped for its language. Each language's file is parsed once per process.
    public static func forLanguage(_ code: String) -> Messages? {
        guard let primary = Language.primarySubtag(code) else { return nil }
        if primary == "en" { return english }
        return Library.shared.messages(primary)
    }

    /// The text of `key` with its placeholders filled in. A plural message is worded for the
    /// `count` argument. A key missing from this language comes from English; one missing from
    /// English too (a bug the catalogue tests catch) is shown as the key itself.
    public func text(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String {
        guard let entry = catalogue.entries[key] ?? fallback?.entries[key] else { return key }
        let template: String
        switch entry {
        case .text(let t): template = t
        case .plural(let forms):
            var category = PluralCategory.other
            if case .number(let n)? = arguments["count"], let count = Int(n) { category = catalogue.plurals.category(count) }
            template = forms[category] ?? forms[.other] ?? key
        }
        return fill(template, arguments)
    }

    /// A list in this language's separators: "a, b, c".
    public func list(_ items: [String]) -> String {
        items.joined(separator: text("list.separator"))
    }

    /// `value` wrapped in Unicode isolates when this language is right-to-left or `value` holds
    /// right-to-left letters (see `Bidi`).
    public func isolate(_ value: String) -> String {
        isolating ? Bidi.isolate(value, inRightToLeftText: isRightToLeft) : value
    }

    /// A number in this language's digits.
    public func number(_ n: some BinaryInteger) -> String { catalogue.digits.write(String(n)) }

    /// `template` with each `{name}` replaced by its argument.
    ///
    /// Walks the UTF-8 bytes rather than the characters (grapheme breaking): every answer is
    /// worded through here several times, and this function was a tenth of a batch profile's
    /// samples. The braces are ASCII, so every index found is a character boundary.
    func fill(_ template: String, _ arguments: [String: MessageArgument]) -> String {
        let bytes = template.utf8
        guard var open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return template }
        var out = ""
        var rest = template.startIndex
        while true {
            out += template[rest..<open]
            let after = bytes.index(after: open)
            guard let close = bytes[after...].firstIndex(of: UInt8(ascii: "}")) else {
                rest = open
                break
            }
            let name = String(template[after..<close])
            switch arguments[name] {
            case .text(let t)?: out += t
            case .name(let n)?: out += isolate(n)
            case .number(let n)?: out += catalogue.digits.write(n)
            case nil: out += "{\(name)}"
            }
            rest = bytes.index(after: close)
            guard let next = bytes[rest...].firstIndex(of: UInt8(ascii: "{")) else { break }
            open = next
        }
        out += template[rest...]
        return out
    }

    /// The parsed catalogues of this process, each language read once, on first use.
    final class Library: @unchecked Sendable {
        static let shared = Library()
        static let english: Messages = {
            do {
                guard let en = try MessageCatalogue.bundled("en") else {
                    fatalError("the English messages (Messages/en.json) are not in the bdscheck_BDSCore resources")
                }
                return Messages(catalogue: en, fallback: nil)
            } catch {
                fatalError("\(error)")
            }
        }()
        static let machine: Messages = {
            var m = english
            m.isolating = false
            return m
        }()

        private let lock = NSLock()
        private var loaded: [String: Messages?] = [:]

        func messages(_ code: String) -> Messages? {
            lock.lock()
            defer { lock.unlock() }
            if let known = loaded[code] { return known }
            // A broken translation falls back to English rather than failing the answer; the
            // catalogue tests keep shipped files from being broken.
            let catalogue = try? MessageCatalogue.bundled(code)
            let messages = catalogue.map { Messages(catalogue: $0, fallback: Self.english.catalogue) }
            loaded[code] = messages
            return messages
        }
    }
}
