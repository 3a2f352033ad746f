import ArgumentParser
import BDSCheckRun
import BDSStore
import Foundation

/// `bdscheck snapshot keygen|create`: the maintainers' side of signed snapshots (docs/DEPLOY.md).
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Make signing keys and signed snapshots of the store for kiosks and replicas to pull.",
        subcommands: [Keygen.self, Create.self]
    )

    /// `snapshot keygen`: a minisign-format Ed25519 key pair (the secret key unencrypted, mode 0600).
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Write a new signing key pair in minisign's format.",
            discussion: """
                The public key goes to every kiosk and replica (`pull --trust`); `minisign -V -p` reads
                it too. The secret key is written unencrypted with mode 0600: keep it on the signing
                machine only.
                """
        )

        @Option(help: ArgumentHelp("Where to write the public key.", valueName: "path"))
        var publicKey = "bdscheck.pub"

        @Option(help: ArgumentHelp("Where to write the secret key.", valueName: "path"))
        var secretKey = "bdscheck.key"

        @Flag(help: "Overwrite existing key files.")
        var force = false

        func run() throws {
            for path in [publicKey, secretKey] where !force && FileManager.default.fileExists(atPath: path) {
                throw ValidationError(
                    "\(path) exists; give --force to replace it (pullers trusting the old key will refuse new snapshots)")
            }
            let key = MinisignSecretKey.generate()
            guard
                FileManager.default.createFile(
                    atPath: secretKey, contents: Data(key.fileText.utf8), attributes: [.posixPermissions: 0o600])
            else {
                printError("cannot write \(secretKey)")
                throw ExitCode(ExitStatus.internalError)
            }
            chmod(secretKey, 0o600)  // also when the file existed
            try key.publicKey.fileText.write(toFile: publicKey, atomically: true, encoding: .utf8)
            print("Key \(key.publicKey.keyIDText): public key \(publicKey), secret key \(secretKey) (keep it secret).")
        }
    }

    /// `snapshot create`: the store stamped with a new data version, its manifest and signature.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract:
                "Write a signed snapshot of the store into a folder to publish (store file, manifest.json, manifest.json.minisig).",
            discussion: """
                The data version is one above the version already published in --out unless given;
                it must grow, since pullers refuse anything not above what they serve. Publish the
                folder as it is (any static HTTP server).
                """
        )

        @Option(help: ArgumentHelp("The secret key (from `bdscheck snapshot keygen`).", valueName: "path"))
        var key: String

        @Option(help: ArgumentHelp("The publishing folder.", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("The data version (default: one above the one published in --out).", valueName: "n"))
        var dataVersion: Int64?

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let secret: MinisignSecretKey
            do {
                secret = try MinisignSecretKey(text: String(contentsOfFile: key, encoding: .utf8))
            } catch {
                throw ValidationError("cannot use the secret key \(key): \(error)")
            }
            let store = try openStore(storeOptions)
            do {
                let manifest = try SnapshotPublisher.create(
                    store: store.path, outDirectory: out, key: secret, dataVersion: dataVersion)
                print(
                    "Snapshot data version \(manifest.dataVersion) in \(out): \(manifest.store.file) (\(manifest.store.bytes) bytes, "
                        + "SHA-256 \(manifest.store.sha256)), signed by key \(secret.publicKey.keyIDText)."
                )
            } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.internalError)
            }
        }
    }
}
