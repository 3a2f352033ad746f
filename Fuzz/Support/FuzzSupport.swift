// Shared by the fuzz targets: an in-memory byte source and the invariant check.
// Compiled into each target together with the project sources it drives (see scripts/fuzz.sh).

/// The fuzz input as a `ByteSource`, handing out at most `maxRead` bytes per call: the readers must
/// give the same answer whether a file arrives in one read or in many short ones (pipes, decompressors).
final class FuzzByteSource: ByteSource {
    let bytes: [UInt8]
    let maxRead: Int
    var offset = 0

    init(_ bytes: [UInt8], maxRead: Int = .max) {
        self.bytes = bytes
        self.maxRead = max(1, maxRead)
    }

    var bytesConsumed: Int64 { Int64(offset) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset, maxRead)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// Splits `<spec line>\n<document>`: the first line configures the reader (record path, fields).
func splitSpec(_ bytes: [UInt8]) -> (spec: [String], body: [UInt8])? {
    guard let nl = bytes.firstIndex(of: 0x0A), nl <= 256 else { return nil }
    let line = String(decoding: bytes[..<nl], as: UTF8.self)
    let spec = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    return (spec, Array(bytes[(nl + 1)...]))
}
