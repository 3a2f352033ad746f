// Fuzz target: the streaming JSON record walker (JSONTokenizer, JSONValue, JSONRecordReader).
//
// Input: a spec line `<json|jsonl> <record path or -> <field> <field> …` (as a definition's [format]
// type and record and its field columns), a newline, then the document. Checks, besides no crash,
// hang or unbounded memory:
// - the records, every field's values and the error (if any) are the same whether the document
//   arrives in one read or in short reads;
// - isEmpty agrees with values; string() either fails or gives the first value.

import Foundation

private func readAll(_ body: [UInt8], lines: Bool, record: String?, fields: [String], maxRead: Int) -> [String] {
    var out: [String] = []
    do {
        let reader = try JSONRecordReader(
            source: FuzzByteSource(body, maxRead: maxRead), size: Int64(body.count), file: "fuzz.json",
            record: record, lines: lines, maxRecordBytes: 1 << 20
        )
        var columns: [Int] = []
        for f in fields {
            do { columns.append(try reader.column(named: f)) } catch { out.append("column \(f): \(error)") }
        }
        var count = 0
        while try reader.next() {
            count += 1
            require(count <= body.count + 1, "more records than bytes")
            var line = "@\(reader.recordLine)"
            for c in columns {
                let empty = reader.isEmpty(c)
                do {
                    let values = try reader.values(c, fieldName: nil)
                    require(!empty || values.isEmpty, "isEmpty but values \(values)")
                    if let one = try? reader.string(c, fieldName: nil), !one.isEmpty {
                        require(values.first == one, "string \(one) vs values \(values)")
                    }
                    line += " \(c)=\(values)"
                } catch {
                    line += " \(c)!\(error)"
                }
            }
            out.append(line)
        }
        let again = try reader.next()
        require(!again, "next() after the end returned a record")
    } catch {
        out.append("error: \(error)")
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let (spec, body) = splitSpec(Array(UnsafeBufferPointer(start: data, count: size))), spec.count >= 2 else { return 0 }
    let lines = spec[0] == "jsonl"
    let record = spec[1] == "-" ? nil : spec[1]
    let fields = Array(spec.dropFirst(2).prefix(16))
    let whole = readAll(body, lines: lines, record: record, fields: fields, maxRead: .max)
    let maxRead = [1, 2, 5, 64][size % 4]
    let short = readAll(body, lines: lines, record: record, fields: fields, maxRead: maxRead)
    require(whole == short, "one read and reads of \(maxRead) differ:\n\(whole)\n\(short)")
    return 0
}
