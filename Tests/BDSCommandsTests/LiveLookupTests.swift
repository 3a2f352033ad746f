import BDSStore
import BDSTestSupport
import Foundation
import Hummingbird
import Testing

/// `--online`: a barcode the data holds no product for is asked about once in a fake Open Food
/// Facts API on 127.0.0.1, answering in the real API's shapes (status 1 with a product; status 0
/// with HTTP 404 and "product not found" or "product found with a different product type").
@Suite("Live lookup against a fake Open Food Facts API", .serialized, .tags(.endToEnd))
struct LiveLookupTests {
    let store: String
    let api: LoopbackHTTPServer

    /// Codes the shipped data does not hold, each answered in one of the API's shapes.
    static let found = ean13("400000000210"), namesake = ean13("400000000211"), missing = ean13("400000000212")
    static let otherType = ean13("400000000213"), slow = ean13("400000000214"), beauty = ean13("400000000215")

    init() throws {
        // A copy of the shipped store in a folder of its own, so each test's live cache starts empty.
        let dir = try FixtureStore.temporaryDirectory()
        store = dir + "/store.sqlite"
        try FileManager.default.copyItem(atPath: ShippedStore.shared.path, toPath: store)
        api = try LoopbackHTTPServer { request, record in
            let code = request.uri.path.split(separator: "/").last.map(String.init) ?? ""
            record("\(request.uri.path)?\(request.uri.query ?? "") UA=\(request.headers[.userAgent] ?? "")")
            func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
                Response(
                    status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body))
                )
            }
            if request.uri.path.hasPrefix("/obf/") {
                return json(
                    .ok,
                    #"{"code":"\#(code)","product":{"brands":"Ahava","product_name":"Mineral Hand Cream","product_type":"beauty"},"status":1,"status_verbose":"product found"}"#
                )
            }
            switch code {
            case Self.beauty:
                // product_type=all: the API redirects a code of a sister database there.
                return Response(status: .found, headers: [.location: "/obf/api/v2/product/\(code)?\(request.uri.query ?? "")"])
            case Self.found:
                return json(
                    .ok,
                    #"{"code":"\#(code)","product":{"brand_owner":"PepsiCo","brands":"Sabra, Sabra Dipping","product_name":"Classic Hummus"},"status":1,"status_verbose":"product found"}"#
                )
            case Self.namesake:
                return json(
                    .ok,
                    #"{"code":"\#(code)","product":{"brand_owner":"Healthy Food Brands LLC","brands":"Sabra","product_name":"Sabra Fine Chocolate"},"status":1,"status_verbose":"product found"}"#
                )
            case Self.otherType:
                return json(
                    .notFound,
                    #"{"code":"\#(code)","status":0,"status_verbose":"product found with a different product type: beauty"}"#)
            case Self.slow:
                try await Task.sleep(for: .seconds(4))
                return json(.notFound, #"{"code":"\#(code)","status":0,"status_verbose":"product not found"}"#)
            default:
                return json(.notFound, #"{"code":"\#(code)","status":0,"status_verbose":"product not found"}"#)
            }
        }
    }

    static func ean13(_ body: String) -> String {
        let sum = body.enumerated().reduce(0) { $0 + Int(String($1.element))! * ($1.offset % 2 == 0 ? 1 : 3) }
        return body + String((10 - sum % 10) % 10)
    }

    func check(_ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--store", store, "--online-api", api.url("").dropLast() + ""])
    }

    @Test("A product the data does not hold is asked about once; its brand joins the listed brand when the owner agrees")
    func foundAndListed() throws {
        let r = try check(["--online", Self.found])
        #expect(r.status == 10, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("Product   Classic Hummus · brand Sabra"))
        #expect(r.stdout.contains("product data: Open Food Facts, fetched live on 20"))
        #expect(r.stdout.contains("/product/\(Self.found)"))
        #expect(api.requests.count == 1)
        let request = try #require(api.requests.first)
        #expect(
            request.hasPrefix(
                "/api/v2/product/\(Self.found)?product_type=all&fields=code,product_name,brands,brand_owner,product_type"))
        #expect(request.contains("UA=bdscheck/"))
        // Kept in the live cache beside the store: the second scan asks nobody.
        let again = try check(["--online", "--json", Self.found])
        #expect(again.status == 10)
        #expect(api.requests.count == 1)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let product = try #require(answer["product"] as? [String: Any])
        #expect(product["fetchedLive"] as? String == "Open Food Facts")
        #expect(FileManager.default.fileExists(atPath: (store as NSString).deletingLastPathComponent + "/live-cache.sqlite"))
    }

    @Test("A live brand that names another owner is a namesake: no listing, and a note saying which brand it is not")
    func namesake() throws {
        let r = try check(["--online", Self.namesake])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.hasPrefix("No listing found"))
        #expect(
            r.stdout.contains(
                "Not the same as “Sabra”, owned by PepsiCo: Open Food Facts names another owner, Healthy Food Brands LLC"))
    }

    @Test("'Not found' and 'a different product type' stay unknown, say what the API said, and are kept too")
    func notFound() throws {
        let r = try check(["--online", Self.missing])
        #expect(r.status == 13)
        #expect(r.stdout.contains("Hint: Open Food Facts, asked live on 20"))
        #expect(r.stdout.contains(": product not found"))
        let other = try check(["--online", Self.otherType])
        #expect(other.status == 13)
        #expect(other.stdout.contains("product found with a different product type: beauty"))
        _ = try check(["--online", Self.missing])
        #expect(api.requests.count == 2, "the second 'not found' came from the cache")
    }

    @Test("No answer within 2 s gives the offline answer, labelled, and nothing is kept")
    func slowAPI() throws {
        let r = try check(["--online", Self.slow])
        #expect(r.status == 13)
        #expect(r.stdout.contains("Open Food Facts could not be asked (no answer within 2 s); this is the offline answer"))
    }

    @Test("A code of a sister database is followed there (one scan, one redirect) and named by that database")
    func sisterDatabase() throws {
        let r = try check(["--online", "--online-contact", "ops@example.org", Self.beauty])
        #expect(r.status == 11, "Ahava is listed (not as a consumer boycott today): \(r.stdout)")
        #expect(r.stdout.contains("brand Ahava"))
        #expect(r.stdout.contains("product data: Open Beauty Facts, fetched live on 20"))
        #expect(api.requests.count == 2)
        #expect(api.requests.allSatisfy { $0.contains("UA=bdscheck/0.1.0 (ops@example.org)") })
    }

    @Test("At most 15 reads a minute, as the API's usage policy asks: the rest get the offline answer, labelled")
    func perMinuteLimit() throws {
        let distinct = (0..<16).map { Self.ean13(String(format: "4000000003%02d", $0)) }
        let r = try CLI.run(
            ["--batch", "--online", "--store", store, "--online-api", api.url("").dropLast() + ""],
            stdin: distinct.joined(separator: "\n") + "\n")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 16)
        #expect(api.requests.count == 15)
        #expect(lines.last?.contains("its limit of 15 product reads a minute was reached") == true)
        #expect(lines.first?.contains("product not found") == true)
    }

    @Test("Without --online nothing is sent; a product the data holds is never asked about")
    func offByDefault() throws {
        let r = try check([Self.found])
        #expect(r.status == 13)
        #expect(api.requests.isEmpty)
        let known = try check(["--online", "0040822011143"])
        #expect(known.status == 10)
        #expect(api.requests.isEmpty)
    }

    @Test(
        "The settings file's [online] table turns the lookup on for every check, the lean executable's too; --offline turns it off"
    )
    func settingsFileTurnsLookupOn() throws {
        let settings = try FixtureStore.temporaryDirectory() + "/config.toml"
        try """
        # bdscheck settings
        [online]
        enabled = true
        api = "\(api.url("").dropLast())"
        contact = "shop@example.org"

        """.write(toFile: settings, atomically: true, encoding: .utf8)
        let env = ["BDSCHECK_CONFIG": settings]

        let full = try CLI.run([Self.found, "--store", store], environment: env)
        #expect(full.status == 10, "\(full.stdout)\(full.stderr)")
        #expect(full.stdout.contains("fetched live on 20"))
        #expect(api.requests.count == 1)
        #expect(api.requests.last?.hasSuffix("UA=bdscheck/0.1.0 (shop@example.org)") == true, "\(api.requests)")

        let lean = try CLI.run(
            ["--json", Self.namesake, "--store", store], environment: env,
            executable: CLI.buildFolder.appendingPathComponent("bdscheck-lean"))
        #expect(lean.status == 0, "\(lean.stdout)\(lean.stderr)")
        #expect(lean.stdout.contains("Open Food Facts"), "the lean executable hands a run with a settings file to the full one")
        #expect(api.requests.count == 2)

        let offline = try CLI.run([Self.missing, "--store", store, "--offline"], environment: env)
        #expect(offline.status == 13, "\(offline.stdout)")
        #expect(!offline.stdout.contains("Open Food Facts"))
        #expect(api.requests.count == 2, "--offline sends nothing")

        let both = try CLI.run([Self.missing, "--store", store, "--offline", "--online"], environment: env)
        #expect(both.status == 64)
        #expect(both.stderr.contains("--online and --offline"))
        #expect(try CLI.run([Self.missing, "--store", store]).status == 13, "no settings file: no lookup")
        #expect(api.requests.count == 2)
    }

    @Test(
        "A settings file with an unknown key, a wrong type or broken TOML is a usage error naming the file and key",
        arguments: [
            ("[online]\nenable = true\n", "online.enable"),
            ("[online]\nenabled = \"yes\"\n", "online.enabled"),
            ("[offline]\n", "offline"),
            ("[online\nenabled = true\n", "not valid TOML"),
            // BDSCHECK_CONFIG naming a file that is not there (the test removes it).
            ("", "names a settings file that does not exist"),
        ])
    func badSettingsFile(text: String, named: String) throws {
        let settings = try FixtureStore.temporaryDirectory() + "/config.toml"
        if !text.isEmpty { try text.write(toFile: settings, atomically: true, encoding: .utf8) }
        let r = try CLI.run([Self.missing, "--store", store], environment: ["BDSCHECK_CONFIG": settings])
        #expect(r.status == 64, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains(settings), "\(r.stderr)")
        #expect(r.stderr.contains(named), "\(r.stderr)")
        #expect(api.requests.isEmpty)
    }
}
