import BDSServer
import BDSTestSupport
import Foundation
import Testing

/// The QR codes the kiosk shows decode back to their text with an independent reader, zbarimg
/// (Debian's zbar-tools), at every version the encoder makes.
@Suite("QR codes decode back with zbarimg")
struct QRCodeTests {
    static func decode(_ code: QRCode) throws -> String {
        let path = try TemporaryDirectories.make() + "/code.pgm"
        try Data(code.pgm(scale: 4)).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "zbarimg (Debian's zbar-tools) could not read the code")
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    @Test(
        "texts of every length up to version 10 decode to themselves",
        arguments: [
            "7290011498382",
            "http://127.0.0.1:8080/?q=7290011498382",
            "https://kiosk.example.org/?q=Coca%20Cola",
            "https://kiosk.example.org/report?q=7290011498382&level=hint-only&data=2026-12-01T10%3A30%3A00Z",
            String(repeating: "https://example.org/a-long-path/", count: 4),
            String(repeating: "0123456789", count: 21),
            "كوكا كولا · סודה סטרים · Ülker",
        ])
    func roundTrip(text: String) throws {
        let code = try QRCode(text)
        #expect(code.size == code.version * 4 + 17)
        #expect(try Self.decode(code) == text)
    }

    @Test("every version from 1 to 10 and every mask the encoder picks decode")
    func versions() throws {
        var versions = Set<Int>(), masks = Set<Int>()
        for length in [1, 14, 15, 26, 27, 42, 43, 62, 63, 84, 85, 106, 107, 122, 123, 152, 153, 180, 181, 213] {
            let text = String((0..<length).map { i in Character(UnicodeScalar(UInt8(65 + (i * 7 + length) % 26))) })
            let code = try QRCode(text)
            versions.insert(code.version)
            masks.insert(code.mask)
            #expect(try Self.decode(code) == text, "length \(length), version \(code.version), mask \(code.mask)")
        }
        #expect(versions == Set(1...10))
        #expect(masks.count > 1)
    }

    @Test("text longer than version 10 holds is refused, not truncated")
    func tooLong() {
        #expect(throws: QRCode.EncodeError.tooLong(bytes: 214)) { try QRCode(String(repeating: "a", count: 214)) }
    }

    @Test("the SVG draws every dark module and a quiet zone")
    func svg() throws {
        let code = try QRCode("7290011498382")
        let svg = code.svg()
        let dark = (0..<code.size).flatMap { y in (0..<code.size).filter { code.isDark(x: $0, y: y) } }.count
        #expect(svg.components(separatedBy: "h1v1h-1z").count - 1 == dark)
        #expect(svg.contains("viewBox=\"0 0 \(code.size + 8) \(code.size + 8)\""))
    }
}
