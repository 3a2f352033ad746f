import BDSCore
import BDSImport
import BDSTestSupport
import Foundation
import Testing

/// Every complete definition shown in docs/IMPORTERS.md parses as a definition, so the reference
/// cannot drift from what the importer accepts.
@Suite("docs/IMPORTERS.md: the documented definitions parse")
struct DocumentedDefinitionTests {
    /// The ```toml blocks of the document that hold a whole definition (a [source] table).
    static func blocks() throws -> [(line: Int, text: String)] {
        let doc = try String(contentsOfFile: ShippedStore.repository + "/docs/IMPORTERS.md", encoding: .utf8)
        var out: [(Int, String)] = []
        var current: [Substring]?
        var start = 0
        for (i, line) in doc.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```toml" {
                current = []
                start = i + 2
            } else if current != nil, line == "```" {
                let text = current!.joined(separator: "\n")
                if text.contains("[source]"), text.contains("\nid = ") { out.append((start, text)) }
                current = nil
            } else {
                current?.append(line)
            }
        }
        return out
    }

    @Test("each complete example is a valid definition")
    func examplesParse() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count >= 8)
        for block in blocks {
            // Examples elide long maps with "…"; those are the only placeholders allowed.
            let text = block.text.replacingOccurrences(of: "\"…\"", with: "\"x\"")
            do {
                let d = try ImportDefinition(toml: text, path: "docs/IMPORTERS.md:\(block.line)")
                #expect(!d.emits.isEmpty)
            } catch {
                Issue.record("docs/IMPORTERS.md, the example starting on line \(block.line): \(error)")
            }
        }
    }
}
