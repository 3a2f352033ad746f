// Fuzz target: the importer-definition parser (TOMLKit/toml++ under ImportDefinition(toml:path:)).
//
// Input: the text of an importers/*.toml file. Any input must either give a definition or fail with an
// ImportError naming the file; never crash or hang. A definition that parses must be self-consistent:
// a record path its reader accepts, a csv/tsv delimiter that is one byte other than a quote or newline,
// and at least one emit.

import BDSCore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDefinition(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let path = "/nonexistent/fuzz/importers/50-fuzz.toml"
    do {
        let d = try ImportDefinition(toml: text, path: path)
        require(!d.emits.isEmpty, "a definition without emits")
        require(d.format.delimiter != 0x22 && d.format.delimiter != 0x0A, "delimiter \(d.format.delimiter)")
        switch d.format.kind {
        case .xml:
            require(
                (try? XMLRecordPath(d.format.record ?? "")) != nil,
                "xml record path \(String(describing: d.format.record)) refused later")
        case .json, .jsonl:
            require((try? JSONRecordPath(d.format.record ?? "")) != nil, "json record path refused later")
        case .csv, .tsv:
            require(d.format.record == nil, "csv with a record path")
        }
        for e in d.emits {
            for f in e.fields.values {
                require((f.column == nil) != (f.value == nil), "field with both or neither of column/value")
            }
        }
    } catch let error as ImportError {
        require(error.file == path, "error names \(error.file)")
        _ = error.description
    } catch {
        fatalError("fuzz invariant violated: not an ImportError: \(error)")
    }
    return 0
}
