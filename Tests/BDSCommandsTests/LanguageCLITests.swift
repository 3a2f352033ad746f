import BDSTestSupport
import Foundation
import Testing

@Suite("The answer in the shopper's language on the command line", .serialized, .tags(.endToEnd))
struct LanguageCLITests {
    static let fsi = "\u{2068}", pdi = "\u{2069}"
    let project: String
    let store: String

    init() throws {
        project = try FixtureStore.copyProject()
        store = (project as NSString).deletingLastPathComponent + "/store.sqlite"
        let r = try CLI.run(["refresh", "--data", project, "--store", store])
        #expect(r.status == 0, "refresh failed: \(r.stderr)")
    }

    func run(_ args: [String], environment: [String: String] = [:]) throws -> CLI.Result {
        // Every locale variable set explicitly, so the machine's own locale cannot decide.
        let locale = ["LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"].merging(environment) { _, given in given }
        return try CLI.run(args + ["--data", project, "--store", store], environment: locale)
    }

    @Test("--lang ar: the whole answer in Arabic, with the barcode, names and URLs isolated in their own order")
    func arabic() throws {
        let r = try run(["--lang", "ar", "0040822011143"])
        #expect(r.status == 10, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "هدف لحملة مقاطعة استهلاكية")
        #expect(r.stdout.contains("الباركود"))
        #expect(r.stdout.contains("\(Self.fsi)0040822011143\(Self.pdi)"))
        #expect(r.stdout.contains("\(Self.fsi)Sabra\(Self.pdi)"))
        #expect(r.stdout.contains("\(Self.fsi)https://example.org/fixture/list\(Self.pdi)"))
        // The GS1 caveat and the English labels are gone; reasons stay as the source wrote them.
        #expect(!r.stdout.contains("Barcode "))
        #expect(!r.stdout.contains("linked by"))
        #expect(!r.stdout.contains("owned by"))
        // Every isolate is closed.
        #expect(r.stdout.filter { $0 == "\u{2068}" }.count == r.stdout.filter { $0 == "\u{2069}" }.count)
    }

    @Test("English text has no isolates around Latin names: the answer is exactly as before")
    func englishUnchanged() throws {
        let r = try run(["0040822011143"])
        #expect(r.stdout.hasPrefix("Consumer boycott target\n"))
        #expect(!r.stdout.contains(Self.fsi))
        #expect(r.stdout.contains("linked by: Sabra → 50 % owned by Strauss Group"))
    }

    @Test(
        "LANG, LC_MESSAGES and LC_ALL choose the language; --lang wins over them",
        arguments: [
            (["LANG": "tr_TR.UTF-8"], [String](), "Tüketici boykotu hedefi"),
            (["LANG": "tr_TR.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"], [], "Cible d’un boycott de consommation"),
            (["LANG": "tr_TR.UTF-8", "LC_ALL": "ms_MY.UTF-8"], [], "Sasaran boikot pengguna"),
            (["LANG": "id_ID.UTF-8"], ["--lang", "ur"], "صارفین کے بائیکاٹ کا ہدف"),
            (["LANG": "de_DE.UTF-8"], [], "Consumer boycott target"),
        ])
    func environment(env: [String: String], args: [String], headline: String) throws {
        let r = try run(args + ["sabra"], environment: env)
        #expect(r.stdout.split(separator: "\n").first.map(String.init) == headline, "\(r.stdout)")
    }

    @Test("An unknown --lang is a usage error that lists the languages there are")
    func unknownLanguage() throws {
        let r = try run(["--lang", "xx", "sabra"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("ar") && r.stderr.contains("ur") && r.stderr.contains("xx"))
    }

    @Test("--json keeps its English fields and adds the chosen language's headline and summary")
    func json() throws {
        let english = try run(["--json", "0040822011143"])
        let arabic = try run(["--json", "--lang", "ar", "0040822011143"])
        struct Answer: Decodable {
            struct Localized: Decodable {
                var lang: String
                var dir: String
                var headline: String
                var summary: String
                var allocationLabel: String?
            }
            var summary: String
            var verdict: String
            var localized: Localized
        }
        let en = try JSONDecoder().decode(Answer.self, from: Data(english.stdout.utf8))
        let ar = try JSONDecoder().decode(Answer.self, from: Data(arabic.stdout.utf8))
        #expect(ar.summary == en.summary)
        #expect(ar.verdict == en.verdict)
        #expect(en.localized.lang == "en" && en.localized.summary == en.summary && en.localized.dir == "ltr")
        #expect(ar.localized.lang == "ar" && ar.localized.dir == "rtl")
        #expect(ar.localized.headline == "هدف لحملة مقاطعة استهلاكية")
        #expect(ar.localized.summary.contains("مدرج لدى"))
        #expect(ar.localized.allocationLabel?.contains("باركود صادر عن") == true)
    }
}
