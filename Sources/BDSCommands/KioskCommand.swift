import ArgumentParser
import AsyncHTTPClient
import BDSCheckRun
import BDSCore
import BDSServer
import BDSStore
import Foundation

/// `bdscheck kiosk --server URL`: a terminal kiosk for a barcode scanner.
struct KioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Read scans from standard input, one per line, and print a large answer for each from a bdscheck server.",
        discussion: """
            A USB barcode scanner types digits then Enter, so each line is one scan; a typed brand \
            name works too. When the server does not answer, each scan says "server unreachable" \
            and the next scan tries again; with --fallback-store the answer comes from that local \
            store instead, marked as such. Ends at end of input.
            """
    )

    @Option(help: ArgumentHelp("The bdscheck server, e.g. http://127.0.0.1:8080.", valueName: "url"))
    var server: String

    @Option(help: ArgumentHelp("A local store to answer from when the server cannot.", valueName: "path"))
    var fallbackStore: String?

    @Option(help: ArgumentHelp("Seconds to wait for the server per try.", valueName: "seconds"))
    var timeout: Double = 3

    func validate() throws {
        guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--server must be an http URL such as http://127.0.0.1:8080, not \(server)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
    }

    func run() async throws {
        var fallback: Store?
        if let fallbackStore {
            do {
                fallback = try Store(path: fallbackStore)
            } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.internalError)
            }
        }
        let http = KioskClient.makeHTTPClient()
        let client = KioskClient(server: URL(string: server)!, fallbackStore: fallback, timeout: timeout, http: http)
        let style = VerdictText.Style.forTerminal()
        write(KioskText.prompt)
        while let line = readLine(strippingNewline: true) {
            let scan = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !scan.isEmpty else { continue }
            write(KioskText.render(await client.answer(scan), scan: scan, style: style) + "\n\n" + KioskText.prompt)
        }
        write("\n")
        try? await http.shutdown()
    }

    func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// The terminal kiosk's screen: the answer in words inside a wide frame, then the detail.
enum KioskText {
    static let prompt = "Scan a product (or type a name) and press Enter: "
    static let width = 64

    static func render(_ answer: KioskClient.Answer, scan: String, style: VerdictText.Style) -> String {
        switch answer {
        case .verdict(let v):
            return verdict(v, style: style)
        case .fallback(let v, let reason):
            return verdict(v, style: style) + "\n(answered from the local store: \(reason))"
        case .refused(let message):
            return banner("!", "NOT CHECKED", colour: "1;33", style: style) + "\n\(scan): \(message)"
        case .unreachable(let reason):
            return banner("×", "SERVER UNREACHABLE: scan again", colour: "1;37;41", style: style)
                + "\n\(reason)\nThe next scan tries the server again."
        }
    }

    static func verdict(_ v: Verdict, style: VerdictText.Style) -> String {
        let (mark, colour): (String, String) =
            switch v.verdict {
            case .listedConsumerBoycott: ("✖", "1;37;41")
            case .listedOther: ("▲", "1;30;43")
            case .ownsListed: ("◆", "1;30;43")
            case .hintOnly: ("i", "1;37;45")
            case .noListingFound: ("✓", "1;37;42")
            case .unknown: ("?", "1;7")
            case .invalid: ("!", "1;7")
            }
        let detail = VerdictText.render(v, style: VerdictText.Style(colour: false)).split(
            separator: "\n", omittingEmptySubsequences: false
        ).dropFirst()
        return banner(mark, VerdictText.headline(for: v), colour: colour, style: style) + "\n" + detail.joined(separator: "\n")
    }

    /// Three lines: in colour a solid block with the words in it, without colour the words between two rules.
    static func banner(_ mark: String, _ words: String, colour: String, style: VerdictText.Style) -> String {
        let text = "  \(mark)  \(words.uppercased())"
        let padded = text + String(repeating: " ", count: max(0, width - text.count))
        guard style.colour else {
            let rule = String(repeating: "█", count: width)
            return "\(rule)\n\(padded)\n\(rule)"
        }
        let blank = String(repeating: " ", count: max(width, text.count))
        return [blank, padded, blank].map { "\u{1B}[\(colour)m\($0)\u{1B}[0m" }.joined(separator: "\n")
    }
}
