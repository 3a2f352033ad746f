import BDSCore
import Foundation

/// A streaming reader of delimited text (CSV with RFC 4180 quoting, or TSV with no quoting at all).
///
/// Hand-written rather than a CSV library: the import's hot path runs here for every byte of
/// multi-gigabyte exports, and a byte-level splitter over large read chunks measured about 10×
/// faster than the streaming CSV libraries available (see MEASURED notes in docs/). Fields are
/// byte ranges in one reused buffer; a `String` is made only for the fields a definition maps.
/// Memory stays constant: one chunk plus the longest record.
public final class DelimitedReader {
    public enum Quoting: String, Sendable {
        /// RFC 4180: a field that starts with `"` is quoted; `""` inside it is one quote; it may hold newlines.
        case rfc4180
        /// No quoting: `"` is an ordinary character; a field can never hold the delimiter or a newline.
        case none
    }

    public let file: String
    let source: any ByteSource
    let delimiter: UInt8
    let quoting: Quoting
    let maxRecordBytes: Int

    var buffer: UnsafeMutableRawBufferPointer
    var start = 0  // first byte of the unparsed input
    var end = 0  // one past the last valid byte
    var eof = false
    var atFileStart = true

    /// 1-based line on which the current record starts.
    public private(set) var recordLine = 0
    var nextLine = 1
    var fieldStarts: [Int] = []
    var fieldEnds: [Int] = []
    /// Records returned so far (the header included).
    public private(set) var recordCount = 0
    /// Header names by position, when known: they name the field of an unclosed quote.
    public var columnNames: [String] = []
    /// Lines the current record spans (more than 1 when a quoted field holds newlines).
    public var recordLineCount: Int { nextLine - recordLine }

    public init(
        source: any ByteSource, file: String, delimiter: UInt8, quoting: Quoting,
        chunkSize: Int = 1 << 20, maxRecordBytes: Int = 64 << 20
    ) {
        self.source = source
        self.file = file
        self.delimiter = delimiter
        self.quoting = quoting
        self.maxRecordBytes = maxRecordBytes
        buffer = .allocate(byteCount: chunkSize, alignment: 16)
        fieldStarts.reserveCapacity(256)
        fieldEnds.reserveCapacity(256)
    }

    deinit { buffer.deallocate() }

    public var fieldCount: Int { fieldStarts.count }

    /// The raw bytes of field `i` of the current record (quotes removed, `""` unescaped).
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[fieldStarts[i]..<fieldEnds[i]])
    }

    @inline(__always)
    public func isEmpty(_ i: Int) -> Bool { fieldStarts[i] == fieldEnds[i] }

    /// Field `i` as a `String`; invalid UTF-8 is an error naming the line and `fieldName`.
    public func string(_ i: Int, fieldName: String? = nil) throws -> String {
        let raw = bytes(i)
        if let s = String(validating: raw, as: UTF8.self) { return s }
        throw ImportError(
            file: file, line: recordLine, field: fieldName, value: String(decoding: raw, as: UTF8.self),
            message: "invalid UTF-8"
        )
    }

    /// Advances to the next non-blank record. Returns false at the end of the input.
    public func next() throws -> Bool {
        while true {
            guard let found = try findRecordEnd() else { return false }
            recordLine = nextLine
            nextLine += found.lines
            try split(from: start, to: found.contentEnd)
            start = found.nextStart
            recordCount += 1
            if fieldStarts.count == 1 && fieldStarts[0] == fieldEnds[0] { continue }  // blank line
            return true
        }
    }

    // MARK: - Finding a record

    /// Scanner states for RFC 4180 records.
    enum ScanState { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Locates the end of the next record, refilling the buffer as needed: where its content ends
    /// (a trailing CR excluded), where the next record starts, and how many lines it spans.
    /// Nil when no bytes are left.
    func findRecordEnd() throws -> (contentEnd: Int, nextStart: Int, lines: Int)? {
        var scanned = 0  // bytes after `start` already scanned, so a refill does not rescan them
        var state = ScanState.fieldStart
        var newlines = 0
        while true {
            if atFileStart {
                try fill()
                // A source may hand out fewer bytes than asked (a pipe): read on until the mark could be seen.
                while !eof && end - start < 3 { try fill() }
                atFileStart = false
                if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
                    start += 3  // UTF-8 byte-order mark
                }
            }
            var p = start + scanned
            let buffer = self.buffer  // a local copy: no exclusivity check per byte
            if quoting == .none {
                if p < end, let nl = memchr(buffer.baseAddress! + p, 0x0A, end - p) {
                    let at = buffer.baseAddress!.distance(to: nl)
                    return (trimCR(at), at + 1, 1)
                }
                p = end
            } else {
                while p < end {
                    let b = buffer[p]
                    switch state {
                    case .quoted:
                        if b == 0x22 { state = .quoteInQuoted } else if b == 0x0A { newlines += 1 }
                    case .fieldStart, .unquoted, .quoteInQuoted:
                        if b == 0x0A { return (trimCR(p), p + 1, newlines + 1) }
                        if b == delimiter {
                            state = .fieldStart
                        } else if b == 0x22 && state != .unquoted {
                            state = .quoted  // opens a quoted field, or "" inside one
                        } else {
                            state = .unquoted
                        }
                    }
                    p += 1
                }
            }
            scanned = p - start
            if eof {
                if start == end { return nil }
                if state == .quoted { throw unclosedQuote() }
                return (trimCR(end), end, newlines + 1)
            }
            try fill()
        }
    }

    /// The error for a record whose quoted field never closes: rescans the record (it is all in the
    /// buffer) for the field the last opening quote belongs to, and shows where that field starts.
    func unclosedQuote() -> ImportError {
        var state = ScanState.fieldStart
        var field = 0, opened = start, p = start
        while p < end {
            let b = buffer[p]
            switch state {
            case .quoted:
                if b == 0x22 { state = .quoteInQuoted }
            case .fieldStart, .unquoted, .quoteInQuoted:
                if b == 0x0A {
                    field = 0
                    state = .fieldStart  // cannot happen before the last record's end; kept for safety
                } else if b == delimiter {
                    field += 1
                    state = .fieldStart
                } else if b == 0x22 && state == .fieldStart {
                    opened = p
                    state = .quoted
                } else if b == 0x22 && state == .quoteInQuoted {
                    state = .quoted
                } else {
                    state = .unquoted
                }
            }
            p += 1
        }
        var shown = opened
        while shown < end && shown - opened < 60 && buffer[shown] != 0x0A && buffer[shown] != 0x0D { shown += 1 }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[opened..<shown]), as: UTF8.self)
        return ImportError(
            file: file, line: nextLine, field: field < columnNames.count ? columnNames[field] : "column \(field + 1)",
            value: shown < end ? value + "…" : value,
            message: "a quoted field opened in the record starting on this line is never closed (unbalanced \")"
        )
    }

    @inline(__always)
    func trimCR(_ at: Int) -> Int {
        at > start && buffer[at - 1] == 0x0D ? at - 1 : at
    }

    /// Moves the unparsed bytes to the front, grows the buffer if one record fills it, and reads more.
    func fill() throws {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 {
                memmove(buffer.baseAddress!, buffer.baseAddress! + start, remaining)
            }
            start = 0
            end = remaining
        }
        if end == buffer.count {
            guard buffer.count < maxRecordBytes else {
                throw ImportError(file: file, line: nextLine, message: "a record is longer than \(maxRecordBytes >> 20) MB")
            }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = bigger
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        if n == 0 { eof = true }
        end += n
    }

    // MARK: - Splitting a record into fields

    func split(from: Int, to: Int) throws {
        // Appending to the class's arrays directly costs a dynamic exclusivity check per field
        // (about a quarter of import time in the profile): work on local arrays and swap back.
        var fieldStarts: [Int] = []
        var fieldEnds: [Int] = []
        swap(&fieldStarts, &self.fieldStarts)
        swap(&fieldEnds, &self.fieldEnds)
        defer {
            swap(&fieldStarts, &self.fieldStarts)
            swap(&fieldEnds, &self.fieldEnds)
        }
        fieldStarts.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        let buffer = self.buffer
        let delimiter = self.delimiter
        var p = from
        let base = buffer.baseAddress!
        if quoting == .none {
            while true {
                let fieldStart = p
                if p < to, let hit = memchr(base + p, Int32(delimiter), to - p) {
                    p = base.distance(to: hit)
                    fieldStarts.append(fieldStart)
                    fieldEnds.append(p)
                    p += 1
                } else {
                    fieldStarts.append(fieldStart)
                    fieldEnds.append(to)
                    return
                }
            }
        }
        while true {
            let fieldStart = p
            if p < to, buffer[p] == 0x22 {
                // Quoted: unescape in place ("" → "); text after the closing quote is kept as is.
                var w = p
                var r = p + 1
                var closed = false
                while r < to {
                    let b = buffer[r]
                    if b == 0x22 {
                        if closed {
                            buffer[w] = b
                            w += 1
                            r += 1
                            continue
                        }
                        if r + 1 < to, buffer[r + 1] == 0x22 {
                            buffer[w] = 0x22
                            w += 1
                            r += 2
                        } else {
                            closed = true
                            r += 1
                        }
                    } else if closed && b == delimiter {
                        break
                    } else {
                        buffer[w] = b
                        w += 1
                        r += 1
                    }
                }
                fieldStarts.append(fieldStart)
                fieldEnds.append(w)
                if r >= to { return }
                p = r + 1
            } else {
                while p < to && buffer[p] != delimiter { p += 1 }
                fieldStarts.append(fieldStart)
                fieldEnds.append(p)
                if p >= to { return }
                p += 1
            }
        }
    }
}
