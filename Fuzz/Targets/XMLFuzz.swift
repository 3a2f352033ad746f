// Fuzz target: the XML record reader (libxml2's xmlTextReader under XMLRecordReader).
//
// Input: a spec line `<record path> <field> <field> …` (as a definition's [format] record and field
// columns), a newline, then the document. Checks, besides no crash, hang or unbounded memory:
// - when the document reads without error both in one read and in short reads, the records and
//   every field's values are the same;
// - a field that is not empty has a value; string() either fails (several values) or gives the only one.

import Foundation

private func readAll(_ body: [UInt8], record: String, fields: [String], maxRead: Int) -> (records: [String], error: String?) {
    var out: [String] = []
    do {
        let reader = try XMLRecordReader(
            source: FuzzByteSource(body, maxRead: maxRead), size: Int64(body.count), file: "fuzz.xml", record: record
        )
        var columns: [Int] = []
        for f in fields {
            if let c = try? reader.column(named: f) { columns.append(c) }
        }
        var count = 0
        while try reader.next() {
            count += 1
            require(count <= body.count + 1, "more records than bytes")
            var line = "@\(reader.recordLine)"
            for c in columns {
                let values = try reader.values(c, fieldName: nil)
                let empty = reader.isEmpty(c)
                require(empty == values.isEmpty, "isEmpty \(empty) but values \(values)")
                if let one = try? reader.string(c, fieldName: nil) {
                    require(
                        values.count <= 1 && (values.first ?? "") == one || one.isEmpty && values.isEmpty,
                        "string \(one) vs values \(values)")
                }
                line += " \(c)=\(values)"
            }
            out.append(line)
        }
        let again = try reader.next()
        require(!again, "next() after the end returned a record")
        let progress = reader.progress
        require(progress.read <= progress.total, "progress \(progress)")
    } catch {
        return (out, "\(error)")
    }
    return (out, nil)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let (spec, body) = splitSpec(Array(UnsafeBufferPointer(start: data, count: size))), let record = spec.first else {
        return 0
    }
    let fields = Array(spec.dropFirst().prefix(16))
    let whole = readAll(body, record: record, fields: fields, maxRead: .max)
    let maxRead = [1, 5, 64, 1000][size % 4]
    let short = readAll(body, record: record, fields: fields, maxRead: maxRead)
    if whole.error == nil && short.error == nil {
        require(whole.records == short.records, "one read and reads of \(maxRead) differ:\n\(whole.records)\n\(short.records)")
    }
    return 0
}
