import BDSCore
import Foundation
import Testing

@testable import BDSImport

/// Inputs the fuzz targets in Fuzz/ found (see docs/FUZZING.md), each kept as a test of the fix.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// Hands out at most `maxRead` bytes per read, as a pipe may.
    final class ShortReads: ByteSource {
        let bytes: [UInt8]
        let maxRead: Int
        var offset = 0
        init(_ bytes: [UInt8], maxRead: Int) {
            self.bytes = bytes
            self.maxRead = maxRead
        }
        var bytesConsumed: Int64 { Int64(offset) }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let n = min(buffer.count, bytes.count - offset, maxRead)
            guard n > 0 else { return 0 }
            for i in 0..<n { buffer[i] = bytes[offset + i] }
            offset += n
            return n
        }
    }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    // fuzz csv: crash-1eeff1cf21ff426dae686dc9e559a9c1602a50f4 (a BOM-led CSV read 2 bytes at a time).
    @Test("CSV: a byte-order mark is dropped however few bytes the first reads hand out", arguments: [1, 2, 3, 1 << 20])
    func csvByteOrderMarkOverShortReads(maxRead: Int) throws {
        let text = Self.bom + Array("name,country\r\nAhava,IL\r\n\"Sabra, Inc.\",US\r\n".utf8)
        let reader = try TabularReader(
            source: ShortReads(text, maxRead: maxRead), size: Int64(text.count), file: "bom.csv",
            delimiter: UInt8(ascii: ","), quoting: .rfc4180
        )
        let name = try reader.column(named: "name")
        let country = try reader.column(named: "country")
        var rows: [[String]] = []
        while try reader.next() {
            rows.append([try reader.string(name, fieldName: "name"), try reader.string(country, fieldName: "country")])
        }
        #expect(rows == [["Ahava", "IL"], ["Sabra, Inc.", "US"]])
    }

    // fuzz json: crash-c4910dfd2e947ad7c6039e6e44572c8bfa4f4a60 (a BOM-led JSONL read 1 byte at a time
    // failed with "expected a value but found byte 0xEF").
    @Test("JSON: a byte-order mark is dropped however few bytes the first reads hand out", arguments: [1, 2, 3, 1 << 20])
    func jsonByteOrderMarkOverShortReads(maxRead: Int) throws {
        let text = Self.bom + Array("{\"x\":\"1\"}\n{\"x\":2}\n\n".utf8)
        let reader = try JSONRecordReader(
            source: ShortReads(text, maxRead: maxRead), size: Int64(text.count), file: "bom.jsonl", record: nil, lines: true
        )
        let x = try reader.column(named: "x")
        var values: [String] = []
        while try reader.next() { values.append(try reader.string(x, fieldName: "x")) }
        #expect(values == ["1", "2"])
    }

    @Test("a file holding only part of a byte-order mark is read as it is")
    func partialByteOrderMark() throws {
        let csv = DelimitedReader(
            source: ShortReads([0xEF, 0xBB], maxRead: 1), file: "short.csv", delimiter: UInt8(ascii: ","), quoting: .rfc4180)
        #expect(try csv.next())
        #expect(Array(csv.bytes(0)) == [0xEF, 0xBB])
        #expect(!(try csv.next()))
        let json = try JSONRecordReader(
            source: ShortReads([0xEF, 0xBB], maxRead: 1), size: 2, file: "short.json", record: nil, lines: true)
        #expect(throws: ImportError.self) { try json.next() }
    }

    // fuzz definition: each of these ended the process inside toml++ (an `assert` in TOMLKit's copy,
    // SIGABRT) instead of failing with a parse error.
    static let tomlAborts: [(String, String)] = [
        ("crash-ac681f0f: a control character where a table header's key starts", "[\u{0E}\u{0}\u{0}sourc\"x\"\n"),
        ("crash-91ad57b5: a table header starting with ^", "[source]\nid = \"x\"\n[^ortma]\ntype = \"csv\"\n"),
        ("marzer/tomlplusplus#301: three brackets", "[[[a]]]\n"),
        ("a second [ after spaces inside [[", "[[ [a]]\n"),
        ("crash-63a3c0f6: a non-ASCII character after the T of a date-time", "[source]\nname = 1979-05-27T\u{E9}07:32:00Z\n"),
        ("crash-c4a35d8f: letters after the T of a date-time", "[source]\nname = 1979-06-27Tfile2:00Z\n"),
        ("crash-040d3a83: a } where an array expects a value", "a = [[[}[[]]]]]\n"),
        ("a } closing an array inside an inline table", "a = { b = [ } ] }\n"),
        ("a } after an array's comma", "a = [1,}]\n"),
    ]

    @Test("definition: malformed TOML that toml++ aborted on is an error naming the line", arguments: tomlAborts.indices)
    func tomlAbort(_ index: Int) {
        let (name, text) = Self.tomlAborts[index]
        do {
            _ = try ImportDefinition(toml: text, path: "importers/50-x.toml")
            Issue.record("\(name): parsed")
        } catch let error as ImportError {
            #expect(error.file == "importers/50-x.toml", "\(name)")
            #expect(error.message.hasPrefix("not valid TOML: "), "\(name): \(error)")
            #expect(error.line != nil, "\(name)")
        } catch {
            Issue.record("\(name): \(error)")
        }
    }

    @Test("the TOML check passes every valid construct of TOML 1.0 and every definition in the project")
    func tomlPrecheckPassesValidDocuments() throws {
        #expect(TOMLPrecheck.problem(in: Self.validTOML) == nil)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var checked = 0
        for dir in ["importers", "Tests/BDSImportTests/Fixtures", "Tests/BDSTestSupport/Fixtures"] {
            let base = root.appendingPathComponent(dir)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let file as String in files where file.hasSuffix(".toml") {
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                let problem = TOMLPrecheck.problem(in: text)
                #expect(problem == nil, "\(dir)/\(file): \(String(describing: problem))")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    static let validTOML = #"""
        # This is a TOML document
        title = "TOML Example" # comment
        [owner]
        name = "Tom Preston-Werner"
        dob = 1979-05-27T07:32:00-08:00
        [database]
        enabled = true
        ports = [ 8000, 8001, 8002 ]
        data = [ ["delta", "phi"], [3.14] ]
        temp_targets = { cpu = 79.5, case = 72.0 }
        [servers.alpha]
        ip = "10.0.0.1"
        [ j . "ʞ" . 'l' ]
        [[ products ]]
        name = "Hammer"
        [[products]]
        points = [ { x = 1, y = 2, z = 3 },
                   { x = 7, y = 8, z = 9 },
                   { x = 2, y = 4, z = 8 } ]
        nested = [
          [ 1, 2 ],
          [ "a", 'b' ], # comment [ x
          { a = [ { b = 1 } ] },
        ]
        1234 = "value"
        "quoted key" = 1
        site."google.com" = true
        fruit . color = "yellow"
        str1 = """
        Roses are red
        Violets are blue"""
        str4 = """Here are two quotation marks: "". Simple enough."""
        str5 = """Here are three quotation marks: ""\"."""
        str6 = """Here are fifteen quotation marks: ""\"""\"""\"""\"""\"."""
        str7 = """"This," she said, "is just a pointless statement.""""
        quot15 = '''Here are fifteen quotation marks: """""""""""""""'''
        apos15 = "Here are fifteen apostrophes: '''''''''''''''"
        str = ''''That,' she said, 'is still pointless.''''
        regex = '<\i\c*\s*>'
        lines  = '''
        The first newline is
        [trimmed] in raw strings.
           All other whitespace
           is preserved.
        '''
        esc = "tab\t \"quoted\" \\ \u00E9 \U0001F600"
        int1 = +99
        int2 = -17
        int3 = 0
        int4 = 1_000
        hex1 = 0xDEADBEEF
        hex3 = 0xdead_beef
        oct1 = 0o755
        bin1 = 0b11010110
        flt1 = +1.0
        flt3 = -0.01
        flt4 = 5e+22
        flt5 = 1e06
        flt6 = -2E-2
        flt7 = 6.626e-34
        flt8 = 224_617.445_991_228
        sf1 = inf
        sf2 = +inf
        sf3 = -inf
        sf4 = nan
        sf5 = +nan
        sf6 = -nan
        odt1 = 1979-05-27T07:32:00Z
        odt2 = 1979-05-27T00:32:00-07:00
        odt3 = 1979-05-27T00:32:00.999999-07:00
        odt4 = 1979-05-27 07:32:00Z
        ldt1 = 1979-05-27T07:32:00
        ldt2 = 1979-05-27T00:32:00.999999
        ld1 = 1979-05-27
        lt1 = 07:32:00
        lt2 = 00:32:00.999999
        empty = {}
        emptyarr = []
        mixed = [ 1, 2.0, "x", 1979-05-27 07:32:00, [], {} ]
        dt_in_array = [1979-05-27 07:32:00Z,1979-05-27]
        """#
}
