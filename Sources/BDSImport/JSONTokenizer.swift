import BDSCore
import Foundation

/// A pull parser over a JSON byte stream (RFC 8259), one event at a time, in constant memory.
///
/// It checks the grammar as it goes (commas, colons, nesting) and reports problems with the line.
/// Several top-level values may follow one another (JSONL); the caller decides whether that is allowed.
final class JSONTokenizer {
    enum Event: Equatable {
        case beginObject, endObject, beginArray, endArray
        case key(String)
        case string(String)
        /// The number's text as written, so `7290000000000` or `33.3` keep their digits.
        case number(String)
        case bool(Bool)
        case null
    }

    let file: String
    let source: any ByteSource
    var buffer: UnsafeMutableRawBufferPointer
    var pos = 0
    var end = 0
    var eof = false
    /// Bytes dropped from the front of the buffer so far: `shifted + pos` is the offset in the stream.
    var shifted: Int64 = 0
    /// 1-based line of the next byte, and of the last event's first byte.
    var line = 1
    private(set) var eventLine = 1
    var scratch: [UInt8] = []

    struct Container {
        var isObject: Bool
        var count = 0
        var expectingValue = false
    }

    var containers: [Container] = []
    var pushedBack: Event?
    let maxDepth = 512

    init(source: any ByteSource, file: String, chunkSize: Int = 1 << 20) {
        self.source = source
        self.file = file
        buffer = .allocate(byteCount: chunkSize, alignment: 16)
        scratch.reserveCapacity(256)
    }

    deinit { buffer.deallocate() }

    var depth: Int { containers.count }
    var offset: Int64 { shifted + Int64(pos) }

    func pushBack(_ event: Event) { pushedBack = event }

    func fail(_ message: String) -> ImportError {
        ImportError(file: file, line: line, message: "not valid JSON: \(message)")
    }

    /// The next event; nil at the end of the input (only between top-level values).
    /// With `keepStrings` false, strings and keys come back empty (for skipping).
    func next(keepStrings: Bool = true) throws -> Event? {
        if let e = pushedBack {
            pushedBack = nil
            return e
        }
        guard var top = containers.last else {
            guard let c = try skipSpace() else { return nil }
            return try value(c, keepStrings: keepStrings)
        }
        guard let c = try skipSpace() else { throw fail("the input ends inside \(top.isObject ? "an object" : "an array")") }
        if top.isObject && top.expectingValue {
            containers[containers.count - 1].expectingValue = false
            return try value(c, keepStrings: keepStrings)
        }
        if c == (top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            pos += 1
            containers.removeLast()
            return top.isObject ? .endObject : .endArray
        }
        var first = c
        if top.count > 0 {
            guard c == UInt8(ascii: ",") else {
                throw fail("expected ',' or '\(top.isObject ? "}" : "]")' but found \(describe(c))")
            }
            pos += 1
            guard let after = try skipSpace() else { throw fail("the input ends after ','") }
            first = after
        }
        top.count += 1
        containers[containers.count - 1] = top
        guard top.isObject else { return try value(first, keepStrings: keepStrings) }
        guard first == UInt8(ascii: "\"") else { throw fail("expected a key in quotes but found \(describe(first))") }
        eventLine = line
        let key = try string(keep: keepStrings)
        guard try skipSpace() == UInt8(ascii: ":") else { throw fail("expected ':' after the key \"\(key)\"") }
        pos += 1
        containers[containers.count - 1].expectingValue = true
        return .key(key)
    }

    /// Consumes the rest of a value whose first event was `first`.
    func skip(after first: Event) throws {
        guard first == .beginObject || first == .beginArray else { return }
        let target = depth - 1
        while depth > target {
            _ = try next(keepStrings: false)
        }
    }

    func value(_ c: UInt8, keepStrings: Bool) throws -> Event {
        eventLine = line
        switch c {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard containers.count < maxDepth else { throw fail("nested more than \(maxDepth) levels deep") }
            pos += 1
            containers.append(Container(isObject: c == UInt8(ascii: "{")))
            return c == UInt8(ascii: "{") ? .beginObject : .beginArray
        case UInt8(ascii: "\""):
            return .string(try string(keep: keepStrings))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            throw fail("expected a value but found \(describe(c))")
        }
    }

    func describe(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : String(format: "byte 0x%02X", c)
    }

    // MARK: - Bytes

    /// Skips white space (counting lines) and returns the next byte without consuming it; nil at the end.
    @inline(__always)
    func skipSpace() throws -> UInt8? {
        while true {
            while pos < end {
                let b = buffer[pos]
                switch b {
                case 0x0A:
                    line += 1
                    pos += 1
                case 0x20, 0x09, 0x0D: pos += 1
                default: return b
                }
            }
            guard try fill() else { return nil }
        }
    }

    /// Reads more input after the unconsumed bytes; false at the end.
    func fill() throws -> Bool {
        if eof { return false }
        if pos > 0 {
            let remaining = end - pos
            if remaining > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + pos, remaining) }
            shifted += Int64(pos)
            pos = 0
            end = remaining
        }
        var n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        if n == 0 {
            eof = true
            return false
        }
        // A source may hand out fewer bytes than asked (a pipe): at the start, read on until a
        // byte-order mark could be seen.
        while end == 0, shifted == 0, n < 3, !eof {
            let more = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[n...]))
            if more == 0 { eof = true }
            n += more
        }
        if end == 0, shifted == 0, n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            pos = 3  // UTF-8 byte-order mark
        }
        end += n
        return true
    }

    func literal(_ word: StaticString) throws {
        let bytes = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for b in bytes {
            if pos == end, try !fill() { throw fail("the input ends inside '\(word)'") }
            guard buffer[pos] == b else { throw fail("expected '\(word)'") }
            pos += 1
        }
    }

    func number() throws -> String {
        scratch.removeAll(keepingCapacity: true)
        while true {
            if pos == end, try !fill() { break }
            let b = buffer[pos]
            guard (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45 else { break }
            scratch.append(b)
            pos += 1
        }
        let text = String(decoding: scratch, as: UTF8.self)
        guard Self.isNumber(scratch) else { throw fail("'\(text)' is not a number") }
        return text
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    static func isNumber(_ b: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == 0x2D { i += 1 }
        let first = i
        let n = digits()
        guard n > 0, n == 1 || b[first] != 0x30 else { return false }
        if i < b.count, b[i] == 0x2E {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }

    /// A string's contents (the opening quote at `pos`), escapes decoded; invalid UTF-8 is an error.
    func string(keep: Bool) throws -> String {
        pos += 1
        scratch.removeAll(keepingCapacity: true)
        while true {
            var p = pos
            while p < end {
                let b = buffer[p]
                if b == 0x22 || b == 0x5C || b < 0x20 { break }
                p += 1
            }
            if keep { scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[pos..<p])) }
            pos = p
            if pos == end {
                guard try fill() else { throw fail("the input ends inside a string") }
                continue
            }
            let b = buffer[pos]
            pos += 1
            if b == 0x22 { break }
            if b < 0x20 { throw fail("a control character (\(describe(b))) inside a string must be escaped") }
            try escape(keep: keep)
        }
        guard keep else { return "" }
        guard let s = String(validating: scratch, as: UTF8.self) else {
            throw ImportError(file: file, line: line, value: String(decoding: scratch, as: UTF8.self), message: "invalid UTF-8")
        }
        return s
    }

    func escape(keep: Bool) throws {
        if pos == end, try !fill() { throw fail("the input ends inside an escape") }
        let e = buffer[pos]
        pos += 1
        let simple: UInt8? =
            switch e {
            case 0x22, 0x5C, 0x2F: e
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            if keep { scratch.append(simple) }
            return
        }
        guard e == UInt8(ascii: "u") else { throw fail("'\\\(Character(Unicode.Scalar(e)))' is not a JSON escape") }
        var unit = try hex4()
        if (0xD800..<0xDC00).contains(unit) {
            guard try byte() == 0x5C, try byte() == UInt8(ascii: "u") else {
                throw fail("a lone UTF-16 surrogate in a \\u escape")
            }
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone UTF-16 surrogate in a \\u escape") }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(unit) {
            throw fail("a lone UTF-16 surrogate in a \\u escape")
        }
        if keep { scratch.append(contentsOf: String(Character(Unicode.Scalar(unit)!)).utf8) }
    }

    func byte() throws -> UInt8 {
        if pos == end, try !fill() { throw fail("the input ends inside an escape") }
        pos += 1
        return buffer[pos - 1]
    }

    func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = try byte()
            guard let d = hexDigit(b) else { throw fail("'\\u' needs four hex digits") }
            v = v << 4 | d
        }
        return v
    }

    func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        default: nil
        }
    }
}
