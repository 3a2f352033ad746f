import BDSCore
import BDSImport
import Foundation
import Testing

/// XML that tries to read local files, expand without bound, or reach the network.
@Suite("Hostile XML is refused")
struct HostileXMLTests {
    static let definition = ImportHarness.definition(
        file: "h.xml", format: "type = \"xml\"\nrecord = \"list/entry\"",
        emits: "[[emit]]\ninto = \"company\"\n[emit.fields]\nname = \"name\""
    )

    func failure(_ xml: String) -> ImportError? {
        ImportHarness.failure(files: ["data/h.xml": xml, "importers/h.toml": Self.definition])
    }

    @Test("an external entity (XXE) never reads the local file")
    func externalEntity() throws {
        let secretDir = try ImportHarness.temporaryDirectory()
        let secret = secretDir + "/secret.txt"
        try "TOP-SECRET-7f3a".write(toFile: secret, atomically: true, encoding: .utf8)
        for target in ["file://\(secret)", secret, "file:///etc/passwd"] {
            let error = failure(
                """
                <?xml version="1.0"?>
                <!DOCTYPE list [ <!ENTITY x SYSTEM "\(target)"> ]>
                <list><entry><name>&x;</name></entry></list>
                """)
            #expect(error?.message.contains("DTD") == true)
            #expect(error?.description.contains("TOP-SECRET") == false)
            #expect(error?.description.contains("root:") == false)
        }
    }

    @Test("billion laughs stops with an error")
    func billionLaughs() {
        var entities = "<!ENTITY lol0 \"lol\">"
        for i in 1...9 {
            entities += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">"
        }
        let error = failure(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE list [\(entities)]>\n<list><entry><name>&lol9;</name></entry></list>")
        // libxml2 may stop the expansion itself before the DTD is refused; either way the import fails.
        let message = error?.message ?? ""
        #expect(message.contains("DTD") || message.contains("entity"), "\(message)")
        #expect(!message.contains("lollol"))
    }

    @Test("an external DTD is neither fetched nor read")
    func externalDTD() {
        for url in ["http://127.0.0.1:9/evil.dtd", "file:///etc/passwd"] {
            let error = failure(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE list SYSTEM \"\(url)\">\n<list><entry><name>A</name></entry></list>")
            #expect(error?.message.contains("DTD") == true)
        }
    }

    @Test("an undeclared entity is a well-formedness error, not an empty value")
    func undeclaredEntity() {
        let error = failure("<list><entry><name>&x;</name></entry></list>")
        #expect(error?.message.contains("not well-formed XML") == true)
    }
}
