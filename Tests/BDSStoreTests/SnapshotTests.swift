import BDSCore
import BDSStore
import BDSTestSupport
import Foundation
import Logging
import Testing

@Suite("BLAKE2b and the minisign file formats")
struct MinisignFormatTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("BLAKE2b against RFC 7693's vector and hashlib's, across block boundaries")
    func blake2b() {
        #expect(
            Self.hex(BLAKE2b.hash(Array("abc".utf8))).hasPrefix(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"))
        #expect(
            Self.hex(BLAKE2b.hash([UInt8](), digestLength: 32))
                == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        #expect(
            Self.hex(BLAKE2b.hash(Array(0..<128))).hasPrefix("2319e3789c47e2daa5fe807f61bec2a1a6537fa03f19ff32e87eecbfd64b7e0e"))
        let long = (0..<1000).map { UInt8($0 % 256) }
        #expect(
            Self.hex(BLAKE2b.hash(long, digestLength: 32)) == "c636324d47d89f2b2434dc2c994100663fbbaea880ff020fc5de89dd0f77a1ec")
    }

    @Test("Key files and signatures read back; an altered message or trusted comment fails", arguments: [true, false])
    func roundTrip(prehashed: Bool) throws {
        let secret = MinisignSecretKey.generate()
        let reread = try MinisignSecretKey(text: secret.fileText)
        #expect(reread.publicKey == secret.publicKey)
        let publicKey = try MinisignPublicKey(text: secret.publicKey.fileText)
        #expect(publicKey == secret.publicKey)

        let message = Array("the manifest".utf8)
        let signature = try MinisignSignature.sign(message, with: secret, trustedComment: "data version 3", prehashed: prehashed)
        let parsed = try MinisignSignature(text: signature.fileText)
        try parsed.verify(message, trusting: [publicKey])
        #expect(throws: MinisignError.self) { try parsed.verify(Array("the manifesT".utf8), trusting: [publicKey]) }
        var altered = parsed
        altered.trustedComment = "data version 9"
        #expect(throws: MinisignError.self) { try altered.verify(message, trusting: [publicKey]) }
        #expect(throws: MinisignError.self) { try parsed.verify(message, trusting: [MinisignSecretKey.generate().publicKey]) }
    }

    @Test("A damaged secret key file is refused")
    func damagedSecretKey() throws {
        var lines = MinisignSecretKey.generate().fileText.split(separator: "\n").map(String.init)
        var bytes = Array(Data(base64Encoded: lines[1])!)
        bytes[70] ^= 1
        lines[1] = Data(bytes).base64EncodedString()
        #expect(throws: MinisignError.self) { try MinisignSecretKey(text: lines.joined(separator: "\n")) }
    }
}

/// A live store, a publishing folder and a key; each attempt goes the way a pull does (verify → version → file → swap).
struct SnapshotSetting {
    let directory: String
    let live: String
    let published: String
    let key = MinisignSecretKey.generate()

    init() throws {
        directory = try FixtureStore.temporaryDirectory()
        live = directory + "/live/store.sqlite"
        published = directory + "/published"
        try FileManager.default.createDirectory(atPath: directory + "/live", withIntermediateDirectories: true)
        try FixtureStore.build(to: live)
    }

    func installer(trusting keys: [MinisignPublicKey]? = nil) -> SnapshotInstaller {
        SnapshotInstaller(storePath: live, trusted: keys ?? [key.publicKey], logger: Logger(label: "test"))
    }

    @discardableResult
    func publish(version: Int64? = nil, with key: MinisignSecretKey? = nil) throws -> SnapshotManifest {
        try SnapshotPublisher.create(
            store: FixtureStore.sharedStorePath, outDirectory: published, key: key ?? self.key, dataVersion: version)
    }

    func file(_ name: String) -> String { published + "/" + name }

    /// Verifies the published manifest and installs its store file; what a pull does after its downloads.
    func attemptInstall(trusting keys: [MinisignPublicKey]? = nil, storeFile: String? = nil) throws {
        let installer = installer(trusting: keys)
        let manifestBytes = try Data(contentsOf: URL(fileURLWithPath: file(SnapshotManifest.fileName)))
        let signature = try? String(contentsOfFile: file(SnapshotManifest.signatureFileName), encoding: .utf8)
        let manifest = try installer.verifiedManifest(manifestBytes, signature: signature, from: published)
        guard try installer.isNewer(manifest) else { return }
        let downloaded = installer.downloadPath
        try FileManager.default.copyItem(atPath: storeFile ?? file(manifest.store.file), toPath: downloaded)
        try installer.install(downloaded, manifest: manifest)
    }

    func liveHash() throws -> String { try SnapshotFile.digest(of: live).sha256 }
}

@Suite("Signed snapshots: publish, verify, install; every refusal keeps the store in use byte for byte")
struct SnapshotTests {
    @Test("A good snapshot is installed, answers carry its version, and the replaced store is kept for rollback")
    func good() throws {
        let s = try SnapshotSetting()
        let before = try s.liveHash()
        let manifest = try s.publish()
        #expect(manifest.dataVersion == 1)
        #expect(manifest.sources.isEmpty == false)
        try s.attemptInstall()
        #expect(try s.liveHash() == manifest.store.sha256)
        #expect(try SnapshotFile.digest(of: s.live + ".prev").sha256 == before)
        let store = try Store(path: s.live)
        #expect(store.dataStamp.version == 1)
        #expect(store.dataStamp.date == manifest.createdAt)
        #expect(try store.verdict(for: "7290011498382").data?.version == 1)

        // The same version again is no change; a newer one is installed over it.
        try s.attemptInstall()
        #expect(try s.liveHash() == manifest.store.sha256)
        let next = try s.publish()
        #expect(next.dataVersion == 2)
        try s.attemptInstall()
        #expect(try Store(path: s.live).dataStamp.version == 2)
        try StoreRollback.rollBack(storeAt: s.live)
        #expect(try Store(path: s.live).dataStamp.version == 1)
    }

    @Test("Unsigned: no signature file")
    func unsigned() throws {
        let s = try SnapshotSetting()
        let before = try s.liveHash()
        try s.publish()
        try FileManager.default.removeItem(atPath: s.file(SnapshotManifest.signatureFileName))
        let error = #expect(throws: SnapshotError.self) { try s.attemptInstall() }
        guard case .unsigned? = error else {
            Issue.record("unexpected: \(String(describing: error))")
            return
        }
        #expect(try s.liveHash() == before)
    }

    @Test("Wrong key: signed by a key the puller does not trust")
    func wrongKey() throws {
        let s = try SnapshotSetting()
        let before = try s.liveHash()
        try s.publish(with: MinisignSecretKey.generate())
        let error = #expect(throws: SnapshotError.self) { try s.attemptInstall() }
        guard case .signature(let reason)? = error else {
            Issue.record("unexpected: \(String(describing: error))")
            return
        }
        #expect(reason.contains("not trusted"))
        #expect(try s.liveHash() == before)
    }

    @Test("Damaged: a byte of the store file changed, or the manifest edited after signing")
    func damaged() throws {
        let s = try SnapshotSetting()
        let before = try s.liveHash()
        let manifest = try s.publish()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: s.file(manifest.store.file)))
        bytes[bytes.count / 2] ^= 0x20
        let damaged = s.directory + "/damaged.sqlite"
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let error = #expect(throws: SnapshotError.self) { try s.attemptInstall(storeFile: damaged) }
        guard case .damaged(_, let reason)? = error else {
            Issue.record("unexpected: \(String(describing: error))")
            return
        }
        #expect(reason.contains("SHA-256"))
        #expect(try s.liveHash() == before)

        let edited = try String(contentsOfFile: s.file(SnapshotManifest.fileName), encoding: .utf8)
            .replacingOccurrences(of: manifest.store.sha256, with: try SnapshotFile.digest(of: damaged).sha256)
        try edited.write(toFile: s.file(SnapshotManifest.fileName), atomically: true, encoding: .utf8)
        let editedError = #expect(throws: SnapshotError.self) { try s.attemptInstall(storeFile: damaged) }
        guard case .signature? = editedError else {
            Issue.record("unexpected: \(String(describing: editedError))")
            return
        }
        #expect(try s.liveHash() == before)
    }

    @Test("Downgrade: a validly signed older snapshot is refused")
    func downgrade() throws {
        let s = try SnapshotSetting()
        try s.publish(version: 5)
        try s.attemptInstall()
        let installed = try s.liveHash()
        try FileManager.default.removeItem(atPath: s.published)
        try s.publish(version: 4)
        let error = #expect(throws: SnapshotError.self) { try s.attemptInstall() }
        guard case .downgrade(4, 5)? = error else {
            Issue.record("unexpected: \(String(describing: error))")
            return
        }
        #expect(try s.liveHash() == installed)
        #expect(throws: SnapshotError.self) { try s.publish(version: 3) }  // the publisher refuses too
    }

    @Test("Interrupted download: a truncated store file is refused and removed")
    func interrupted() throws {
        let s = try SnapshotSetting()
        let before = try s.liveHash()
        let manifest = try s.publish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: s.file(manifest.store.file)))
        let partial = s.directory + "/partial.sqlite"
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: partial))
        let error = #expect(throws: SnapshotError.self) { try s.attemptInstall(storeFile: partial) }
        guard case .damaged(_, let reason)? = error else {
            Issue.record("unexpected: \(String(describing: error))")
            return
        }
        #expect(reason.contains("bytes"))
        #expect(try s.liveHash() == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: s.directory + "/live").filter {
            $0.contains(".download-")
        }
        #expect(leftovers.isEmpty)
    }
}
