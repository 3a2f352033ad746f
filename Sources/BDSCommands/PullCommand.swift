import ArgumentParser
import BDSCheckRun
import BDSStore
import Foundation
import Logging

/// `bdscheck pull URL --trust KEY`: install the newer signed snapshot published at URL, if any.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download, verify and install the signed snapshot published at a URL (see docs/DEPLOY.md).",
        discussion: """
            URL is the publishing folder (it holds manifest.json). The manifest must be signed by a
            trusted key, the store file must match its SHA-256, and its data version must be above
            the one in use: anything else is refused and the store in use is kept. The replaced
            store stays as the previous one for `bdscheck rollback`. A running `bdscheck serve` on
            the same store answers from the new one after SIGHUP or POST /v1/admin/reload; `serve
            --pull` does all of this itself. Exit status: 0 installed or already current, 1 refused
            or failed.
            """
    )

    @Argument(help: ArgumentHelp("The base URL of the published snapshot.", valueName: "url"))
    var url: String

    @OptionGroup var trust: TrustOptions
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if trust.keys.isEmpty { throw ValidationError("give the publisher's public key with --trust PUBKEY") }
    }

    func run() async throws {
        let installer = try trust.installer(storePath: StoreLocator(store: storeOptions.store, data: storeOptions.data).storePath)
        do {
            let outcome = try await SnapshotPuller(url: url, installer: installer, logger: Logger(label: "bdscheck.pull")).pull()
            print(outcome.sentence(storePath: installer.storePath))
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.internalError)
        }
    }
}

/// The public keys a puller trusts (`--trust`, repeatable: during a key rotation, the old and the new).
struct TrustOptions: ParsableArguments {
    @Option(name: .customLong("trust"), help: ArgumentHelp("A trusted public key file (repeatable).", valueName: "pubkey"))
    var keys: [String] = []

    func installer(storePath: String) throws -> SnapshotInstaller {
        guard !keys.isEmpty else { throw ValidationError("give the publisher's public key with --trust PUBKEY") }
        let trusted = try keys.map { path in
            do {
                return try MinisignPublicKey(text: String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw ValidationError("cannot use the public key \(path): \(error)")
            }
        }
        return SnapshotInstaller(storePath: storePath, trusted: trusted, logger: Logger(label: "bdscheck.pull"))
    }
}

extension SnapshotPuller.Outcome {
    func sentence(storePath: String) -> String {
        switch self {
        case .notModified: "Not modified since the last pull; \(storePath) unchanged."
        case .current(let v): "Data version \(v) is already in use at \(storePath)."
        case .installed(let from, let to):
            "Installed data version \(to) at \(storePath) (was \(from.map { $0 == 0 ? "a locally built store" : "version \($0)" } ?? "no store")); "
                + "`bdscheck rollback` puts the previous one back."
        }
    }
}
