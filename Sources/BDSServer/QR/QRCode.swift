/// A QR code (ISO/IEC 18004) for a short text such as an answer's permalink: byte mode, error
/// correction level M, versions 1 to 10 (up to 213 bytes), the mask with the lowest penalty.
///
/// Written for the project because no QR library is among the packages this server builds with,
/// and the kiosk must draw codes without a network. Tests decode what it draws with `zbarimg`.
public struct QRCode: Sendable {
    /// Modules per side (21 for version 1, 4 more per version).
    public let size: Int
    public let version: Int
    public let mask: Int
    /// Row-major: `modules[y * size + x]` is true for a dark module.
    let modules: [Bool]

    public enum EncodeError: Error, Equatable {
        /// The text needs more than version 10 holds at level M.
        case tooLong(bytes: Int)
    }

    /// Bytes a version holds at level M in byte mode, by version (index 0 unused).
    static let capacity = [0, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213]
    /// Error correction blocks and codewords per block at level M, by version.
    static let blocks = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5]
    static let eccPerBlock = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26]

    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard let version = (1...10).first(where: { Self.capacity[$0] >= bytes.count }) else {
            throw EncodeError.tooLong(bytes: bytes.count)
        }
        self.version = version
        size = version * 4 + 17
        let codewords = Self.interleaved(Self.dataCodewords(bytes, version: version), version: version)
        var best: (penalty: Int, mask: Int, modules: [Bool])?
        for mask in 0..<8 {
            var grid = Grid(version: version)
            grid.placeFunctionPatterns()
            grid.place(codewords)
            grid.apply(mask: mask)
            grid.placeFormat(mask: mask)
            let penalty = grid.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, mask, grid.dark) }
        }
        mask = best!.mask
        modules = best!.modules
    }

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The code as SVG, one path of unit squares, with a quiet zone of `border` modules.
    public func svg(border: Int = 4) -> String {
        var path = ""
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) { path += "M\(x + border),\(y + border)h1v1h-1z" }
        }
        let side = size + 2 * border
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// The code as a binary greyscale PGM image, `scale` pixels per module, with a quiet zone.
    public func pgm(scale: Int = 4, border: Int = 4) -> [UInt8] {
        let side = (size + 2 * border) * scale
        var out = Array("P5 \(side) \(side) 255\n".utf8)
        out.reserveCapacity(out.count + side * side)
        for py in 0..<side {
            for px in 0..<side {
                let x = px / scale - border, y = py / scale - border
                let dark = x >= 0 && y >= 0 && x < size && y < size && isDark(x: x, y: y)
                out.append(dark ? 0 : 255)
            }
        }
        return out
    }

    // MARK: - Data

    /// Mode, count, bytes, terminator and padding: the data codewords of `version` at level M.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)  // byte mode
        append(bytes.count, version <= 9 ? 8 : 16)
        for b in bytes { append(Int(b), 8) }
        let capacityBits = dataCapacity(version: version) * 8
        append(0, min(4, capacityBits - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var out: [UInt8] = []
        for i in stride(from: 0, to: bits.count, by: 8) {
            out.append(bits[i..<i + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) })
        }
        var pad: UInt8 = 0xEC
        while out.count < dataCapacity(version: version) {
            out.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return out
    }

    /// Codewords of data and error correction the symbol holds in all.
    static func totalCodewords(version v: Int) -> Int {
        var modules = (16 * v + 128) * v + 64
        if v >= 2 {
            let align = v / 7 + 2
            modules -= (25 * align - 10) * align - 55
            if v >= 7 { modules -= 36 }
        }
        return modules / 8
    }

    static func dataCapacity(version v: Int) -> Int { totalCodewords(version: v) - blocks[v] * eccPerBlock[v] }

    /// Splits the data into blocks, adds each block's Reed–Solomon codewords, and interleaves them.
    static func interleaved(_ data: [UInt8], version v: Int) -> [UInt8] {
        let count = blocks[v], ecc = eccPerBlock[v]
        let total = totalCodewords(version: v)
        let shortBlocks = count - total % count
        let shortData = total / count - ecc
        var dataBlocks: [[UInt8]] = []
        var start = 0
        for i in 0..<count {
            let length = shortData + (i < shortBlocks ? 0 : 1)
            dataBlocks.append(Array(data[start..<start + length]))
            start += length
        }
        let divisor = ReedSolomon.divisor(degree: ecc)
        let eccBlocks = dataBlocks.map { ReedSolomon.remainder($0, divisor: divisor) }
        var out: [UInt8] = []
        for i in 0..<(shortData + 1) {
            for block in dataBlocks where i < block.count { out.append(block[i]) }
        }
        for i in 0..<ecc {
            for block in eccBlocks { out.append(block[i]) }
        }
        return out
    }

    static func alignmentCentres(version v: Int) -> [Int] {
        guard v > 1 else { return [] }
        let count = v / 7 + 2
        let size = v * 4 + 17
        let step = (v * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<(count - 1)).map { size - 7 - $0 * step }.reversed()
    }
}

/// Arithmetic in GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1, and Reed–Solomon codewords.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z)
    }

    /// The generator polynomial of `degree` (coefficients from the highest power down, the leading 1 left out).
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

/// The module grid while a symbol is drawn: which modules are dark, and which belong to function
/// patterns (finders, timing, alignment, format and version information) that data skips.
struct Grid {
    let version: Int
    let size: Int
    var dark: [Bool]
    var function: [Bool]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        dark = Array(repeating: false, count: size * size)
        function = Array(repeating: false, count: size * size)
    }

    mutating func set(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        function[y * size + x] = true
    }

    func at(_ x: Int, _ y: Int) -> Bool { dark[y * size + x] }

    mutating func placeFunctionPatterns() {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard x >= 0, y >= 0, x < size, y < size else { continue }
                    let d = max(abs(dx), abs(dy))
                    set(x, y, d != 2 && d != 4)
                }
            }
        }
        let centres = QRCode.alignmentCentres(version: version)
        for (i, cy) in centres.enumerated() {
            for (j, cx) in centres.enumerated() {
                // The three corners that hold finder patterns get none.
                if (i == 0 && j == 0) || (i == 0 && j == centres.count - 1) || (i == centres.count - 1 && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Reserve the format areas now (drawn per mask later) and the dark module.
        placeFormat(mask: 0)
        if version >= 7 {
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = version << 12 | rem
            for i in 0..<18 {
                let bit = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3, b = i / 3
                set(a, b, bit)
                set(b, a, bit)
            }
        }
    }

    /// Format information: level M (00) and the mask, BCH-coded, in both copies, and the dark module.
    mutating func placeFormat(mask: Int) {
        let data = 0b00 << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        let bits = (data << 10 | rem) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0..<6 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// The codewords in the zigzag order of the standard: two columns at a time from the right,
    /// upwards then downwards, skipping the vertical timing pattern.
    mutating func place(_ codewords: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !function[y * size + x], i < codewords.count * 8 else { continue }
                    dark[y * size + x] = (codewords[i >> 3] >> (7 - UInt8(i & 7))) & 1 == 1
                    i += 1
                }
            }
            right -= 2
        }
    }

    mutating func apply(mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !function[y * size + x] {
                let flip: Bool
                switch mask {
                case 0: flip = (x + y) % 2 == 0
                case 1: flip = y % 2 == 0
                case 2: flip = x % 3 == 0
                case 3: flip = (x + y) % 3 == 0
                case 4: flip = (x / 3 + y / 2) % 2 == 0
                case 5: flip = x * y % 2 + x * y % 3 == 0
                case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flip { dark[y * size + x].toggle() }
            }
        }
    }

    /// The standard's penalty score: long runs, 2×2 blocks, finder-like patterns, and imbalance.
    func penalty() -> Int {
        var score = 0
        let finderLike: [[Bool]] = [
            [true, false, true, true, true, false, true, false, false, false, false],
            [false, false, false, false, true, false, true, true, true, false, true],
        ]
        for line in 0..<size {
            for horizontal in [true, false] {
                let cells = (0..<size).map { horizontal ? at($0, line) : at(line, $0) }
                var run = 1
                for k in 1..<size {
                    if cells[k] == cells[k - 1] {
                        run += 1
                    } else {
                        if run >= 5 { score += run - 2 }
                        run = 1
                    }
                }
                if run >= 5 { score += run - 2 }
                for k in 0...(size - 11) where finderLike.contains(where: { Array(cells[k..<k + 11]) == $0 }) { score += 40 }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = at(x, y)
                if c == at(x + 1, y) && c == at(x, y + 1) && c == at(x + 1, y + 1) { score += 3 }
            }
        }
        let darkCount = dark.filter { $0 }.count, total = size * size
        score += (abs(darkCount * 20 - total * 10) + total - 1) / total * 10 - 10
        return score
    }
}
