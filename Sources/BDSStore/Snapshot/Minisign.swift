import Crypto
public import Foundation

/// Why a minisign key or signature file was refused.
public struct MinisignError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }
}

/// A minisign public key: the line after the comment is base64 of "Ed", an 8-byte key id and the 32-byte Ed25519 key.
public struct MinisignPublicKey: Sendable, Equatable {
    public var keyID: [UInt8]
    /// The 32 bytes of the Ed25519 key (kept as bytes: swift-crypto's key type is not `Sendable`).
    public let rawKey: [UInt8]

    // Checked when the bytes were read.
    var key: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: rawKey) }

    /// Reads a public key file, or the bare base64 line (`minisign -P`).
    public init(text: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let line = lines.first(where: { !$0.hasPrefix("untrusted comment:") && !$0.isEmpty }),
            let bytes = Data(base64Encoded: line).map(Array.init), bytes.count == 42
        else { throw MinisignError("not a minisign public key (expected a comment line and 42 bytes of base64)") }
        guard bytes[0] == UInt8(ascii: "E"), bytes[1] == UInt8(ascii: "d") else {
            throw MinisignError("unsupported public key algorithm (only Ed25519, \"Ed\")")
        }
        keyID = Array(bytes[2..<10])
        _ = try Curve25519.Signing.PublicKey(rawRepresentation: bytes[10..<42])
        rawKey = Array(bytes[10..<42])
    }

    init(keyID: [UInt8], key: Curve25519.Signing.PublicKey) {
        self.keyID = keyID
        rawKey = Array(key.rawRepresentation)
    }

    /// The key id as minisign prints it: the 8 bytes read as a little-endian number, in hex.
    public var keyIDText: String { keyID.reversed().map { String(format: "%02X", $0) }.joined() }

    public var fileText: String {
        let bytes = Array("Ed".utf8) + keyID + rawKey
        return "untrusted comment: minisign public key \(keyIDText)\n\(Data(bytes).base64EncodedString())\n"
    }
}

/// A minisign secret key, stored unencrypted (kdf "\0\0", as `minisign -G -W` writes it) with its BLAKE2b-256 checksum.
///
/// Layout of the base64 line: "Ed", kdf (2), "B2", salt (32), opslimit (8), memlimit (8), key id (8),
/// secret key (64: seed then public key), checksum (32) = BLAKE2b-256 of "Ed" ‖ key id ‖ secret key.
/// Encrypted (scrypt) keys are refused with a hint: signing machines keep the key file offline instead.
public struct MinisignSecretKey: Sendable {
    public var keyID: [UInt8]
    /// The 32-byte Ed25519 seed (kept as bytes: swift-crypto's key type is not `Sendable`).
    let seed: [UInt8]

    // Checked when the bytes were read or made.
    var key: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: seed) }

    public static func generate() -> MinisignSecretKey {
        var id = [UInt8](repeating: 0, count: 8)
        var rng = SystemRandomNumberGenerator()
        for i in id.indices { id[i] = UInt8.random(in: 0...255, using: &rng) }
        return MinisignSecretKey(keyID: id, seed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    init(keyID: [UInt8], seed: [UInt8]) {
        self.keyID = keyID
        self.seed = seed
    }

    public init(text: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let line = lines.first(where: { !$0.hasPrefix("untrusted comment:") && !$0.isEmpty }),
            let bytes = Data(base64Encoded: line).map(Array.init), bytes.count == 158
        else { throw MinisignError("not a minisign secret key (expected a comment line and 158 bytes of base64)") }
        guard bytes[0...1] == [UInt8(ascii: "E"), UInt8(ascii: "d")], bytes[4...5] == [UInt8(ascii: "B"), UInt8(ascii: "2")]
        else {
            throw MinisignError("unsupported secret key algorithm (only Ed25519 with a BLAKE2b checksum)")
        }
        guard bytes[2...3] == [0, 0] else {
            throw MinisignError(
                "the secret key is password-protected; remove the password with `minisign -C -W` on the signing machine")
        }
        let id = Array(bytes[54..<62]), secret = Array(bytes[62..<126]), checksum = Array(bytes[126..<158])
        guard BLAKE2b.hash(Array("Ed".utf8) + id + secret, digestLength: 32) == checksum else {
            throw MinisignError("the secret key file is damaged (its checksum does not match)")
        }
        keyID = id
        seed = Array(secret[0..<32])
        guard
            Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).publicKey.rawRepresentation)
                == Array(secret[32..<64])
        else {
            throw MinisignError("the secret key file is damaged (its public half does not match)")
        }
    }

    public var publicKey: MinisignPublicKey { MinisignPublicKey(keyID: keyID, key: key.publicKey) }

    public var fileText: String {
        let secret = Array(key.rawRepresentation) + Array(key.publicKey.rawRepresentation)
        let checksum = BLAKE2b.hash(Array("Ed".utf8) + keyID + secret, digestLength: 32)
        let bytes = Array("Ed".utf8) + [0, 0] + Array("B2".utf8) + [UInt8](repeating: 0, count: 48) + keyID + secret + checksum
        return
            "untrusted comment: minisign secret key (unencrypted) \(publicKey.keyIDText)\n\(Data(bytes).base64EncodedString())\n"
    }
}

/// A minisign signature file: the signature of the file (or of its BLAKE2b-512, "ED"), a trusted
/// comment, and a global signature over signature ‖ trusted comment that binds the comment to it.
public struct MinisignSignature: Sendable {
    public var prehashed: Bool
    public var keyID: [UInt8]
    public var signature: [UInt8]
    public var trustedComment: String
    public var globalSignature: [UInt8]
    public var untrustedComment: String

    /// Signs `message` prehashed ("ED"), as minisign 0.10 and later do by default.
    public static func sign(
        _ message: some DataProtocol, with secret: MinisignSecretKey, trustedComment: String, prehashed: Bool = true
    )
        throws -> MinisignSignature
    {
        precondition(!trustedComment.contains(where: \.isNewline), "a trusted comment is one line")
        let signed = prehashed ? BLAKE2b.hash(message) : Array(message)
        let signature = Array(try secret.key.signature(for: signed))
        let global = Array(try secret.key.signature(for: signature + Array(trustedComment.utf8)))
        return MinisignSignature(
            prehashed: prehashed, keyID: secret.keyID, signature: signature, trustedComment: trustedComment,
            globalSignature: global, untrustedComment: "signature from bdscheck secret key \(secret.publicKey.keyIDText)"
        )
    }

    init(
        prehashed: Bool, keyID: [UInt8], signature: [UInt8], trustedComment: String, globalSignature: [UInt8],
        untrustedComment: String
    ) {
        self.prehashed = prehashed
        self.keyID = keyID
        self.signature = signature
        self.trustedComment = trustedComment
        self.globalSignature = globalSignature
        self.untrustedComment = untrustedComment
    }

    public init(text: String) throws {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard lines.count >= 4, lines[0].hasPrefix("untrusted comment:"), lines[2].hasPrefix("trusted comment: ") else {
            throw MinisignError(
                "not a minisign signature file (expected 4 lines: comment, signature, trusted comment, global signature)")
        }
        guard let sig = Data(base64Encoded: lines[1].trimmingCharacters(in: .whitespaces)).map(Array.init), sig.count == 74,
            let global = Data(base64Encoded: lines[3].trimmingCharacters(in: .whitespaces)).map(Array.init), global.count == 64
        else { throw MinisignError("the signature file is damaged (wrong base64 or length)") }
        switch (sig[0], sig[1]) {
        case (UInt8(ascii: "E"), UInt8(ascii: "d")): prehashed = false
        case (UInt8(ascii: "E"), UInt8(ascii: "D")): prehashed = true
        default: throw MinisignError("unsupported signature algorithm (only \"Ed\" and \"ED\")")
        }
        keyID = Array(sig[2..<10])
        signature = Array(sig[10..<74])
        trustedComment = String(lines[2].dropFirst("trusted comment: ".count))
        globalSignature = global
        untrustedComment = String(lines[0].dropFirst("untrusted comment:".count)).trimmingCharacters(in: .whitespaces)
    }

    public var fileText: String {
        let sig = Array((prehashed ? "ED" : "Ed").utf8) + keyID + signature
        return """
            untrusted comment: \(untrustedComment)
            \(Data(sig).base64EncodedString())
            trusted comment: \(trustedComment)
            \(Data(globalSignature).base64EncodedString())

            """
    }

    /// Checks the signature of `message` and of the trusted comment against one of `keys` (the one with the same key id).
    public func verify(_ message: some DataProtocol, trusting keys: [MinisignPublicKey]) throws {
        guard let key = keys.first(where: { $0.keyID == keyID }) else {
            let idText = MinisignPublicKey.idText(keyID)
            throw MinisignError(
                "signed by key \(idText), which is not trusted here (trusted: \(keys.map(\.keyIDText).joined(separator: ", ")))"
            )
        }
        let signed = prehashed ? BLAKE2b.hash(message) : Array(message)
        guard key.key.isValidSignature(signature, for: signed) else {
            throw MinisignError("the signature does not match the file (damaged or altered)")
        }
        guard key.key.isValidSignature(globalSignature, for: signature + Array(trustedComment.utf8)) else {
            throw MinisignError("the trusted comment was altered (its signature does not match)")
        }
    }
}

extension MinisignPublicKey {
    static func idText(_ id: [UInt8]) -> String { id.reversed().map { String(format: "%02X", $0) }.joined() }
}
