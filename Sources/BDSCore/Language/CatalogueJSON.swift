/// A reader for the one JSON shape a catalogue file has: objects whose values are strings or
/// objects (nested to any depth), no arrays, numbers or literals other than strings. It reads
/// the file's bytes directly, so the English path of `bdscheck CODE` does not start Foundation's
/// JSON machinery for ten kilobytes of text.
enum CatalogueJSON {
    indirect enum Value: Equatable {
        case string(String)
        case object([(String, Value)])

        static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.string(let x), .string(let y)): x == y
            case (.object(let x), .object(let y)): x.elementsEqual(y) { $0.0 == $1.0 && $0.1 == $1.1 }
            default: false
            }
        }

        var object: [(String, Value)]? {
            if case .object(let o) = self { return o }
            return nil
        }

        var string: String? {
            if case .string(let s) = self { return s }
            return nil
        }
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var offset: Int
        var expected: String
        var description: String { "not catalogue JSON at byte \(offset): expected \(expected)" }
    }

    static func parse(_ bytes: [UInt8]) throws -> Value {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.object()
        reader.skipSpace()
        guard reader.index == bytes.count else { throw SyntaxError(offset: reader.index, expected: "the end of the file") }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw SyntaxError(offset: index, expected: what) }
            index += 1
        }

        mutating func object() throws -> Value {
            try expect(UInt8(ascii: "{"), "{")
            var members: [(String, Value)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                let key = try string()
                try expect(UInt8(ascii: ":"), ":")
                skipSpace()
                guard index < bytes.count else { throw SyntaxError(offset: index, expected: "a value") }
                members.append((key, bytes[index] == UInt8(ascii: "{") ? try object() : .string(try string())))
                skipSpace()
                guard index < bytes.count else { throw SyntaxError(offset: index, expected: ", or }") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), ", or }")
                return .object(members)
            }
        }

        mutating func string() throws -> String {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw SyntaxError(offset: index, expected: "a string in double quotes")
            }
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { break }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                                bytes[index + 1] == UInt8(ascii: "u")
                            else { throw SyntaxError(offset: index, expected: "the second half of a surrogate pair") }
                            index += 2
                            let low = try hex4()
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let s = Unicode.Scalar(scalar) else {
                            throw SyntaxError(offset: index, expected: "a Unicode scalar")
                        }
                        out.append(contentsOf: Array(String(Character(s)).utf8))
                    default:
                        throw SyntaxError(offset: index - 1, expected: "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                    }
                case 0x00..<0x20:
                    throw SyntaxError(offset: index - 1, expected: "no control character inside a string (write \\n)")
                default:
                    out.append(b)
                }
            }
            throw SyntaxError(offset: index, expected: "the string's closing quote")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw SyntaxError(offset: index, expected: "four hex digits") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let d: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw SyntaxError(offset: index, expected: "a hex digit")
                }
                v = v * 16 + d
                index += 1
            }
            return v
        }
    }
}
