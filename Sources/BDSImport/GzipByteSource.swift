import BDSCore
import CZlib
import Foundation

/// Inflates a gzip (or zlib) stream as it is read, in constant memory. Concatenated gzip members
/// are read one after another; input that ends inside a member is an error, never a silent cut.
public final class GzipByteSource: ByteSource {
    let inner: any ByteSource
    let file: String
    var stream = z_stream()
    let input: UnsafeMutableRawBufferPointer
    var inputEnded = false
    var memberOpen = false
    var finished = false

    public init(_ inner: any ByteSource, file: String, chunkSize: Int = 1 << 18) throws {
        self.inner = inner
        self.file = file
        input = .allocate(byteCount: chunkSize, alignment: 16)
        // 15 + 32: the largest window, with gzip or zlib headers detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw ImportError(file: file, message: "cannot start decompressing")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public var bytesConsumed: Int64 { inner.bytesConsumed }

    /// True when the first bytes of a file are gzip's magic number.
    public static func looksCompressed(path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let magic = (try? h.read(upToCount: 2)) ?? Data()
        return magic.count == 2 && magic[magic.startIndex] == 0x1F && magic[magic.startIndex + 1] == 0x8B
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputEnded {
                let n = try inner.read(into: input)
                if n == 0 {
                    inputEnded = true
                } else {
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = uInt(n)
                }
            }
            if stream.avail_in == 0 && inputEnded {
                if memberOpen {
                    throw ImportError(file: file, message: "the compressed file is truncated (it ends inside a gzip member)")
                }
                finished = true
                break
            }
            memberOpen = true
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END:
                memberOpen = false
                inflateReset(&stream)
            case Z_OK, Z_BUF_ERROR:
                continue
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ImportError(file: file, message: "the compressed data is damaged: \(reason)")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }
}
