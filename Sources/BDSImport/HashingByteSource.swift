import Crypto
import Foundation

/// Passes bytes through while computing their SHA-256 and size, so a source is read once.
public final class HashingByteSource: ByteSource {
    let inner: any ByteSource
    var hasher = SHA256()
    public private(set) var byteCount: Int64 = 0

    public init(_ inner: any ByteSource) {
        self.inner = inner
    }

    public var bytesConsumed: Int64 { inner.bytesConsumed }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        if n > 0 {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            byteCount += Int64(n)
        }
        return n
    }

    /// The hex digest; call once, after the last read.
    public func finish() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
