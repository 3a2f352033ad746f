import BDSCore
import Foundation

/// Something that yields bytes in chunks: a file, a decompressor.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes consumed from the underlying file so far (for progress), if known.
    var bytesConsumed: Int64 { get }
}

/// Reads a file with plain `read(2)` calls into the caller's buffer: no copies, constant memory.
public final class FileByteSource: ByteSource {
    let fd: Int32
    public let path: String
    public let size: Int64
    public private(set) var bytesConsumed: Int64 = 0

    public init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ImportError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        fstat(fd, &st)
        self.fd = fd
        self.path = path
        size = Int64(st.st_size)
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                bytesConsumed += Int64(n)
                return n
            }
            if errno == EINTR { continue }
            throw ImportError(file: path, message: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}
