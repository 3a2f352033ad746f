import BDSCore
import Foundation

/// CSV/TSV records with a header row: columns are found by header name, never by position.
public final class TabularReader: RecordReader {
    let reader: DelimitedReader
    let header: [String: Int]
    let columnCount: Int
    let byteSource: any ByteSource
    let size: Int64

    public init(source: any ByteSource, size: Int64, file: String, delimiter: UInt8, quoting: DelimitedReader.Quoting) throws {
        byteSource = source
        self.size = size
        reader = DelimitedReader(source: source, file: file, delimiter: delimiter, quoting: quoting)
        guard try reader.next() else {
            throw ImportError(file: file, message: "the file is empty: a header row is expected first")
        }
        var header: [String: Int] = [:]
        for i in 0..<reader.fieldCount {
            let name = try reader.string(i).trimmingCharacters(in: .whitespaces)
            if let first = header[name] {
                throw ImportError(
                    file: file, line: reader.recordLine, field: name,
                    message: "the header names this column twice (columns \(first + 1) and \(i + 1))"
                )
            }
            header[name] = i
        }
        self.header = header
        columnCount = reader.fieldCount
        reader.columnNames = (0..<reader.fieldCount).map { i in header.first { $0.value == i }?.key ?? "column \(i + 1)" }
    }

    public var file: String { reader.file }
    public var recordLine: Int { reader.recordLine }
    public var progress: (read: Int64, total: Int64) { (byteSource.bytesConsumed, size) }

    public func column(named name: String) throws -> Int {
        guard let index = header[name] else {
            let names = header.keys.sorted()
            throw ImportError(
                file: file, line: 1, value: name,
                message:
                    "column not in the header (\(names.count) columns: \(names.prefix(12).joined(separator: ", "))\(names.count > 12 ? ", …" : ""))"
            )
        }
        return index
    }

    public func next() throws -> Bool {
        guard try reader.next() else { return false }
        guard reader.fieldCount == columnCount else {
            throw ImportError(
                file: file, line: reader.recordLine,
                message: "this record has \(reader.fieldCount) fields; the header has \(columnCount)"
                    + (reader.recordLineCount > 1
                        ? " (it runs over lines \(reader.recordLine)–\(reader.recordLine + reader.recordLineCount - 1): a quoted field may have an unbalanced \")"
                        : "")
            )
        }
        return true
    }

    @inline(__always)
    public func isEmpty(_ column: Int) -> Bool { reader.isEmpty(column) }

    public func string(_ column: Int, fieldName: String?) throws -> String {
        try reader.string(column, fieldName: fieldName)
    }

    /// The raw bytes of a field, valid until the next call to `next()`.
    @inline(__always)
    public func bytes(_ column: Int) -> UnsafeRawBufferPointer { reader.bytes(column) }
}
