import Foundation

/// Lines from a file descriptor (standard input for `--batch`), read 64 KB at a time.
///
/// Why not the standard library's `readLine`: a batch answers every line, and `readLine` and one
/// `write` per answer were an eighth of a batch's time (100,000 known codes: 2.49 s with them,
/// 2.17 s with these blocks; docs/PERFORMANCE.md, "The batch"). Lines end at "\n", or "\r\n", or the end of the input, and
/// are decoded as UTF-8 with invalid bytes replaced, as `readLine(strippingNewline: true)` does.
struct InputLines {
    let descriptor: Int32
    var buffer: [UInt8] = []
    var start = 0
    var atEnd = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// Whether a whole line is already read, so `next()` will not wait for input.
    var hasBufferedLine: Bool {
        buffer[start...].contains(UInt8(ascii: "\n")) || (atEnd && start < buffer.count)
    }

    /// The next line without its line end, or nil at the end of the input.
    mutating func next() -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
            fill()
        }
    }

    /// Reads more input, keeping the unfinished line.
    private mutating func fill() {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let old = buffer.count
        let chunk = 1 << 16
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var n = 0
        repeat {
            n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + old, chunk) }
        } while n < 0 && errno == EINTR
        buffer.removeLast(chunk - max(n, 0))
        if n <= 0 { atEnd = true }
    }
}

/// Answers written to a file descriptor (standard output for `--batch`), in blocks.
///
/// Written whenever the block is full and whenever the reader would wait for more input, so an
/// answer reaches a reader on a pipe as soon as its line has been answered, however slowly the
/// lines come.
struct OutputBlock {
    let descriptor: Int32
    var bytes: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
        bytes.reserveCapacity(1 << 16)
    }

    mutating func append(_ line: [UInt8]) throws {
        bytes.append(contentsOf: line)
        if bytes.count >= 1 << 16 { try flush() }
    }

    /// Writes what is held; a failed write (a full disk, a closed pipe) is an error, not a loss.
    mutating func flush() throws {
        defer { bytes.removeAll(keepingCapacity: true) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw WriteFailure(reason: n < 0 ? String(cString: strerror(errno)) : "nothing written") }
            offset += n
        }
    }

    struct WriteFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "cannot write the answers to standard output: \(reason)" }
    }
}
