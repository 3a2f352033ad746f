import BDSCore
import BDSImport
import Foundation
import Testing

@Suite("Definition keys for record formats and conditions")
struct DefinitionFormatTests {
    func parse(
        format: String, emit: String = "[[emit]]\ninto = \"company\"\n[emit.fields]\nname = \"name\""
    ) -> Result<ImportDefinition, ImportError> {
        let toml = "[source]\nid = \"t\"\nname = \"T\"\nfile = \"x\"\n\n[format]\n\(format)\n\n\(emit)\n"
        do {
            return .success(try ImportDefinition(toml: toml, path: "t.toml"))
        } catch {
            return .failure(error as! ImportError)
        }
    }

    func error(_ format: String, emit: String? = nil) -> ImportError? {
        let r = emit.map { parse(format: format, emit: $0) } ?? parse(format: format)
        if case .failure(let e) = r { return e }
        return nil
    }

    @Test("record paths are parsed and kept")
    func recordKept() throws {
        let d = try parse(format: "type = \"xml\"\nrecord = \"GCPPrefixFormatList/entry\"").get()
        #expect(d.format.kind == .xml)
        #expect(d.format.record == "GCPPrefixFormatList/entry")
        #expect(try parse(format: "type = \"jsonl\"").get().format.record == nil)
    }

    @Test(
        "misplaced or malformed format keys are errors naming the key",
        arguments: [
            ("type = \"csv\"\nrecord = \"a\"", "format.record"),
            ("type = \"xml\"", "format.record"),
            ("type = \"json\"", "format.record"),
            ("type = \"xml\"\nrecord = \"a//b\"", "format.record"),
            ("type = \"xml\"\nrecord = \"a/@b\"", "format.record"),
            ("type = \"json\"\nrecord = \"brands..x\"", "format.record"),
            ("type = \"json\"\nrecord = \"a\"\ndelimiter = \",\"", "format.delimiter"),
            ("type = \"yaml\"", "format.type"),
        ])
    func formatErrors(format: String, field: String) {
        #expect(error(format)?.field == field)
    }

    @Test("when needs a column and exactly one of equals or in")
    func whenErrors() {
        let base = "[[emit]]\ninto = \"company\"\n[emit.fields]\nname = \"name\"\n"
        #expect(
            error(
                "type = \"csv\"",
                emit: base.replacingOccurrences(of: "[emit.fields]", with: "when = { column = \"s\" }\n[emit.fields]"))?.field
                == "emit[1].when")
        #expect(
            error(
                "type = \"csv\"",
                emit: base.replacingOccurrences(of: "[emit.fields]", with: "when = { equals = \"a\" }\n[emit.fields]"))?.field
                == "emit[1].when.column")
        #expect(
            error(
                "type = \"csv\"",
                emit: base.replacingOccurrences(
                    of: "[emit.fields]", with: "when = { column = \"s\", equals = \"a\", in = [\"b\"] }\n[emit.fields]"))?.field
                == "emit[1].when")
        let ok = parse(
            format: "type = \"csv\"",
            emit: base.replacingOccurrences(
                of: "[emit.fields]", with: "when = { column = \"s\", in = [\"a\", \"b\"] }\n[emit.fields]"))
        guard case .equals(let column, let values)? = (try? ok.get())?.emits[0].when else {
            Issue.record("`in` should parse as an equals condition")
            return
        }
        #expect(column == "s" && values == ["a", "b"])
    }
}
