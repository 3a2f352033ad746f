import Foundation

/// Reads the part of YAML that openapi.yaml uses: block mappings and sequences, flow mappings and
/// sequences, quoted and plain scalars, `|` and `>` block scalars, full-line comments. Anything
/// else is an error, so the document stays within what this test can check.
struct YAMLSubset {
    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "openapi.yaml:\(line): \(message)" }
    }

    struct Line {
        var number: Int
        var indent: Int
        var text: String
    }

    var lines: [Line]
    var position = 0

    static func parse(_ text: String) throws -> Any {
        var parser = YAMLSubset(text: text)
        return try parser.block(indent: 0)
    }

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, raw in
            let text = String(raw)
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            return Line(number: i + 1, indent: text.prefix { $0 == " " }.count, text: trimmed)
        }
    }

    mutating func block(indent: Int) throws -> Any {
        guard position < lines.count else { return NSNull() }
        return lines[position].text.hasPrefix("- ")
            ? try sequence(indent: lines[position].indent)
            : try mapping(indent: lines[position].indent)
    }

    mutating func sequence(indent: Int) throws -> [Any] {
        var items: [Any] = []
        while position < lines.count, lines[position].indent == indent, lines[position].text.hasPrefix("- ") {
            let rest = String(lines[position].text.dropFirst(2))
            if rest.contains(": ") || rest.hasSuffix(":") {
                lines[position] = Line(number: lines[position].number, indent: indent + 2, text: rest)
                items.append(try mapping(indent: indent + 2))
            } else {
                position += 1
                items.append(try scalarOrFlow(rest, line: lines[position - 1].number))
            }
        }
        return items
    }

    mutating func mapping(indent: Int) throws -> [String: Any] {
        var result: [String: Any] = [:]
        while position < lines.count, lines[position].indent == indent {
            let line = lines[position]
            guard !line.text.hasPrefix("- ") else {
                throw Failure(line: line.number, message: "a sequence item where a key was expected")
            }
            let (key, rest) = try splitKey(line)
            position += 1
            if rest.isEmpty {
                if position < lines.count, lines[position].indent > indent {
                    result[key] = try block(indent: lines[position].indent)
                } else {
                    result[key] = NSNull()
                }
            } else if rest == "|" || rest == ">" {
                var parts: [String] = []
                while position < lines.count, lines[position].indent > indent {
                    parts.append(lines[position].text)
                    position += 1
                }
                result[key] = parts.joined(separator: rest == "|" ? "\n" : " ")
            } else {
                result[key] = try scalarOrFlow(rest, line: line.number)
            }
        }
        if position < lines.count, lines[position].indent > indent {
            throw Failure(line: lines[position].number, message: "unexpected indentation")
        }
        return result
    }

    func splitKey(_ line: Line) throws -> (String, String) {
        var text = Substring(line.text)
        let key: String
        if text.first == "\"" {
            guard let end = text.dropFirst().firstIndex(of: "\"") else {
                throw Failure(line: line.number, message: "unterminated key")
            }
            key = String(text[text.index(after: text.startIndex)..<end])
            text = text[text.index(after: end)...]
            guard text.first == ":" else { throw Failure(line: line.number, message: "expected ':' after the key") }
            text = text.dropFirst()
        } else {
            guard
                let colon = text.range(of: ": ")
                    ?? (text.hasSuffix(":") ? text.index(before: text.endIndex)..<text.endIndex : nil)
            else {
                throw Failure(line: line.number, message: "expected `key: value`")
            }
            key = String(text[..<colon.lowerBound])
            text = text[colon.upperBound...]
        }
        return (key, text.trimmingCharacters(in: .whitespaces))
    }

    func scalarOrFlow(_ text: String, line: Int) throws -> Any {
        guard let first = text.first, "{[\"".contains(first) else {
            var plain = FlowParser(chars: Array(text), line: line)
            return try plain.plainOrQuoted(stops: [])
        }
        var flow = FlowParser(chars: Array(text), line: line)
        let value = try flow.value()
        flow.skipSpaces()
        guard flow.index == flow.chars.count else { throw Failure(line: line, message: "unexpected text after a value: \(text)") }
        return value
    }

    struct FlowParser {
        var chars: [Character]
        var line: Int
        var index = 0

        mutating func skipSpaces() {
            while index < chars.count, chars[index] == " " { index += 1 }
        }

        mutating func value() throws -> Any {
            skipSpaces()
            guard index < chars.count else { return NSNull() }
            switch chars[index] {
            case "{":
                index += 1
                var result: [String: Any] = [:]
                while true {
                    skipSpaces()
                    if index < chars.count, chars[index] == "}" {
                        index += 1
                        return result
                    }
                    let key = try plainOrQuoted(stops: [":"])
                    guard index < chars.count, chars[index] == ":" else {
                        throw Failure(line: line, message: "expected ':' in a flow mapping")
                    }
                    index += 1
                    result["\(key)"] = try value()
                    skipSpaces()
                    if index < chars.count, chars[index] == "," { index += 1 }
                }
            case "[":
                index += 1
                var result: [Any] = []
                while true {
                    skipSpaces()
                    if index < chars.count, chars[index] == "]" {
                        index += 1
                        return result
                    }
                    result.append(try value())
                    skipSpaces()
                    if index < chars.count, chars[index] == "," { index += 1 }
                }
            default:
                return try plainOrQuoted(stops: [",", "}", "]"])
            }
        }

        mutating func plainOrQuoted(stops: Set<Character>) throws -> Any {
            skipSpaces()
            if index < chars.count, chars[index] == "\"" {
                index += 1
                var s = ""
                while index < chars.count, chars[index] != "\"" {
                    if chars[index] == "\\", index + 1 < chars.count { index += 1 }
                    s.append(chars[index])
                    index += 1
                }
                guard index < chars.count else { throw Failure(line: line, message: "unterminated string") }
                index += 1
                return s
            }
            let start = index
            while index < chars.count, !stops.contains(chars[index]) { index += 1 }
            let plain = String(chars[start..<index]).trimmingCharacters(in: .whitespaces)
            switch plain {
            case "true": return true
            case "false": return false
            case "null", "~": return NSNull()
            default:
                if let i = Int(plain) { return i }
                if let d = Double(plain), plain.contains(".") { return d }
                return plain
            }
        }
    }
}
