// Fuzz target: the CSV/TSV reader (DelimitedReader, and TabularReader as an import drives it).
//
// Input: one configuration byte, then the file. The configuration picks the delimiter, the quoting
// rule and how many bytes the source hands out per read. Checks:
// - no crash, no hang, no unbounded memory;
// - the records are the same whether the file arrives in one read into a 64 KB buffer (inputs are at
//   most 16 KB) or in short reads
//   into a 16-byte buffer that has to grow (buffer refills and record boundaries must not matter);
// - a field never holds a newline or the delimiter unless RFC 4180 quoting put it there.

import Foundation

private let delimiters: [UInt8] = [0x2C, 0x09, 0x3B, 0x7C]  // , TAB ; |
private let readSizes = [1, 2, 3, 7, 64, 4096, Int.max, Int.max]

private struct Outcome: Equatable {
    var records: [[[UInt8]]] = []
    var lines: [Int] = []
    var error: String?
}

private func readAll(_ body: [UInt8], delimiter: UInt8, quoting: DelimitedReader.Quoting, chunkSize: Int, maxRead: Int) -> Outcome
{
    let reader = DelimitedReader(
        source: FuzzByteSource(body, maxRead: maxRead), file: "fuzz.csv", delimiter: delimiter, quoting: quoting,
        chunkSize: chunkSize
    )
    var outcome = Outcome()
    do {
        while try reader.next() {
            var fields: [[UInt8]] = []
            for i in 0..<reader.fieldCount {
                let field = Array(reader.bytes(i))
                require(reader.isEmpty(i) == field.isEmpty, "isEmpty disagrees with the field's bytes")
                if quoting == .none {
                    require(
                        !field.contains(0x0A) && !field.contains(delimiter), "unquoted field holds a newline or the delimiter")
                }
                fields.append(field)
            }
            require(!(fields.count == 1 && fields[0].isEmpty), "a blank line came back as a record")
            require(reader.recordLine >= 1, "record line \(reader.recordLine)")
            outcome.records.append(fields)
            outcome.lines.append(reader.recordLine)
        }
        let again = try reader.next()
        require(!again, "next() after the end returned a record")
    } catch {
        outcome.error = "\(error)"
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let config = data[0]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let delimiter = delimiters[Int(config & 3)]
    let quoting: DelimitedReader.Quoting = config & 4 == 0 ? .rfc4180 : .none
    let maxRead = readSizes[Int(config >> 3) & 7]

    let reference = readAll(body, delimiter: delimiter, quoting: quoting, chunkSize: 1 << 16, maxRead: .max)
    let chunked = readAll(body, delimiter: delimiter, quoting: quoting, chunkSize: 16, maxRead: maxRead)
    require(
        reference == chunked,
        "one read into 64 KB and reads of \(maxRead) into 16 bytes differ:\n\(reference)\n\(chunked)"
    )

    // As an import reads it: a header row, then every field of every record by column.
    do {
        let table = try TabularReader(
            source: FuzzByteSource(body, maxRead: maxRead), size: Int64(body.count), file: "fuzz.csv",
            delimiter: delimiter, quoting: quoting
        )
        for name in table.header.keys {
            _ = try table.column(named: name)
        }
        _ = try? table.column(named: "no such column \u{1}")
        while try table.next() {
            for c in 0..<table.columnCount {
                _ = table.isEmpty(c)
                _ = try? table.string(c, fieldName: "f")
                _ = try? table.values(c, fieldName: "f")
            }
            let progress = table.progress
            require(progress.read <= progress.total, "progress \(progress)")
        }
    } catch {}
    return 0
}
