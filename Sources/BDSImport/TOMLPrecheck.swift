import BDSCore
import Foundation
import TOMLKit

/// A guard in front of TOMLKit for defects of the toml++ parser inside it.
///
/// toml++ 3.4 (the copy in TOMLKit 0.6, which SwiftPM builds without NDEBUG) checks some of its
/// parser's expectations with `assert`, so some malformed documents end the whole process (SIGABRT)
/// instead of failing with a parse error: a table header whose key starts with a character no key
/// starts with (`[^x]`, `[[[a]]]`; marzer/tomlplusplus#301), a `}` where an array expects a value
/// (`a = [}]`), a bare value it takes for a date-time but is not one (`1979-06-27Tx2:00Z`).
/// The definition fuzz target (Fuzz/, docs/FUZZING.md) found these. This check reads the document's
/// lexical structure first and refuses what TOML 1.0 does not allow there, so no valid document is
/// refused: keys are bare words or quoted; brackets and braces nest; every unquoted value is a
/// boolean, number, date or time; outside strings and comments there are no characters beyond ASCII
/// and no control characters but tab and line ends.
enum TOMLPrecheck {
    /// The 1-based line and the reason of the first problem found, or nil.
    static func problem(in text: String) -> (line: Int, message: String)? {
        let b = Array(text.utf8)
        var i = 0, line = 1
        var open: [UInt8] = []  // brackets and braces of the values being read
        var expectKey = true  // a bare word here is a key (a line's start, after `{` or `,` in an inline table)
        var inHeader = false
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        func isKeyByte(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        func ends(_ c: UInt8) -> Bool {
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                UInt8(ascii: "}"),
                UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "="):
                true
            default: false
            }
        }
        while i < b.count {
            let c = b[i]
            switch c {
            case 0x0A:
                line += 1
                i += 1
                if open.isEmpty {
                    expectKey = true
                    inHeader = false
                }
            case 0x20, 0x09, 0x0D:
                i += 1
            case UInt8(ascii: "#"):
                while i < b.count && b[i] != 0x0A { i += 1 }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let escapes = c == UInt8(ascii: "\"")
                if i + 2 < b.count && b[i + 1] == c && b[i + 2] == c {
                    i += 3
                    while i < b.count && !(i + 2 < b.count && b[i] == c && b[i + 1] == c && b[i + 2] == c) {
                        if b[i] == 0x0A { line += 1 }
                        i += escapes && b[i] == UInt8(ascii: "\\") && i + 1 < b.count && b[i + 1] != 0x0A ? 2 : 1
                    }
                    i += 3
                    while i < b.count && b[i] == c { i += 1 }  // up to two quotes may end the content
                } else {
                    i += 1
                    while i < b.count && b[i] != c && b[i] != 0x0A {
                        i += escapes && b[i] == UInt8(ascii: "\\") && i + 1 < b.count && b[i + 1] != 0x0A ? 2 : 1
                    }
                    if i < b.count && b[i] == c { i += 1 }
                }
            case UInt8(ascii: "[") where open.isEmpty && expectKey && !inHeader:
                // A table header: `[`, spaces, a second `[` only right after the first, spaces, a key.
                var j = i + 1
                let spaced = j < b.count && isSpace(b[j])
                while j < b.count && isSpace(b[j]) { j += 1 }
                if j < b.count && b[j] == UInt8(ascii: "[") && !spaced {
                    j += 1
                    while j < b.count && isSpace(b[j]) { j += 1 }
                }
                if j < b.count && !isKeyByte(b[j]) && b[j] != UInt8(ascii: "\"") && b[j] != UInt8(ascii: "'")
                    && b[j] != UInt8(ascii: "]")
                {
                    return (line, "a table header must start with a key (a name or a quoted string)")
                }
                inHeader = true
                i += b[i + 1 < b.count ? i + 1 : i] == UInt8(ascii: "[") ? 2 : 1
            case UInt8(ascii: "]") where inHeader && open.isEmpty:
                i += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                open.append(c)
                expectKey = c == UInt8(ascii: "{")
                i += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let last = open.popLast(), last != (c == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")) {
                    return (
                        line,
                        "'\(Character(Unicode.Scalar(c)))' does not close the '\(Character(Unicode.Scalar(last)))' opened before it"
                    )
                }
                expectKey = false
                i += 1
            case UInt8(ascii: ","):
                expectKey = open.last == UInt8(ascii: "{")
                i += 1
            case UInt8(ascii: "="):
                expectKey = false
                i += 1
            default:
                // A bare word: a key (segments joined by `.`) or an unquoted value.
                var j = i
                while j < b.count && !ends(b[j]) {
                    switch b[j] {
                    case 0x80...:
                        return (
                            line, "a character outside ASCII outside a string or comment (quote names and values that have one)"
                        )
                    case 0x00...0x1F, 0x7F:
                        let hex = String(b[j], radix: 16, uppercase: true)
                        return (
                            line, "control character U+\(String(repeating: "0", count: 4 - hex.count) + hex) outside a string"
                        )
                    default:
                        j += 1
                    }
                }
                if expectKey || inHeader {
                    if let bad = b[i..<j].first(where: { !isKeyByte($0) && $0 != UInt8(ascii: ".") }) {
                        return (line, "'\(Character(Unicode.Scalar(bad)))' cannot be in a bare key (quote the key)")
                    }
                } else {
                    var word = String(decoding: b[i..<j], as: UTF8.self)
                    // A date and a time may be separated by one space instead of T.
                    if isDate.firstMatch(in: word, range: NSRange(location: 0, length: word.utf16.count)) != nil,
                        j + 1 < b.count, b[j] == 0x20, (0x30...0x39).contains(b[j + 1])
                    {
                        var k = j + 1
                        while k < b.count && !ends(b[k]) && b[k] < 0x80 && b[k] > 0x1F { k += 1 }
                        word += "T" + String(decoding: b[(j + 1)..<k], as: UTF8.self)
                        j = k
                    }
                    if isValue.firstMatch(in: word, range: NSRange(location: 0, length: word.utf16.count)) == nil {
                        return (line, "'\(word.prefix(40))' is not a TOML value (quote text: \"\(word.prefix(40))\")")
                    }
                }
                i = max(j, i + 1)
            }
        }
        return nil
    }

    static let isDate = try! NSRegularExpression(pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    /// Booleans, integers, floats, dates and times as TOML 1.0 writes them (and times without seconds).
    static let isValue = try! NSRegularExpression(
        pattern: """
            ^(?:true|false|[+-]?(?:inf|nan)\
            |[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?\
            |0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*\
            |[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]+)?)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?)?\
            |[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]+)?)?)$
            """)
}

extension TOMLPrecheck {
    /// `text` read as TOML, every problem an `ImportError` naming `path` and the line: the
    /// documents that would end the process inside toml++ are caught by `problem(in:)` first.
    static func table(parsing text: String, path: String) throws -> TOMLTable {
        if let problem = problem(in: text) {
            throw ImportError(file: path, line: problem.line, message: "not valid TOML: \(problem.message)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ImportError(file: path, line: error.source.begin.line, message: "not valid TOML: \(error.description)")
        }
    }

    /// The text of the file at `path`, or an `ImportError` saying it cannot read `what`.
    static func text(ofFile path: String, what: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ImportError(file: path, message: "cannot read \(what): \(error.localizedDescription)")
        }
    }
}
