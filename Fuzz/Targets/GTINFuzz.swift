// Fuzz target: the GTIN parser and classifier (BDSCore's GTIN, GS1 prefix table, name keys).
//
// Input: any bytes, read as text. Checks, besides no crash or hang:
// - a code accepted as valid has a GTIN-14 value with a correct check digit, and its 14-digit,
//   printed and storage-key forms all parse back to the same GTIN;
// - a UPC-E keeps its 8 digits and parses back as UPC-E;
// - a wrong check digit error names a corrected code that does parse;
// - the classifier answers for every valid code, and a matched prefix row really holds the code;
// - the same text as GS1 prefix CSV either parses or fails with a GS1PrefixTableError.

import Foundation

private let shippedPrefixes: GS1PrefixTable = {
    // The shipped table, found from this file's place in the repository.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = root.appendingPathComponent("datasets/gs1-prefixes.csv").path
    guard let text = try? String(contentsOfFile: path, encoding: .utf8), let table = try? GS1PrefixTable(csv: text) else {
        fatalError("cannot read \(path)")
    }
    return table
}()

private func checkClassification(_ gtin: GTIN, _ table: GS1PrefixTable) {
    let allocation = table.allocation(for: gtin)
    _ = allocation.label
    _ = allocation.isProductLookupAllowed
    if let row = table.range(for: gtin) {
        let width = row.start.utf8.count
        let thirteen = GTIN.digits(gtin.value % 10_000_000_000_000, width: gtin.value % 10_000_000_000_000 < 100_000_000 ? 8 : 13)
        let prefix = String(thirteen.prefix(width))
        require(row.start <= prefix && prefix <= row.end, "\(gtin.gtin14) matched row \(row.start)–\(row.end) by prefix \(prefix)")
    }
}

private func checkValid(_ g: GTIN, input: String) {
    require(g.value < 100_000_000_000_000, "\(input): value \(g.value) has more than 14 digits")
    let fourteen = g.gtin14
    require(fourteen.utf8.count == 14, "gtin14 \(fourteen)")
    let digits = fourteen.utf8.map { $0 - UInt8(ascii: "0") }
    require(GTIN.checkDigit(for: digits.dropLast()) == digits.last!, "\(input): \(fourteen) has a wrong check digit")
    require(GTIN.hasValidCheckDigit(g.value), "\(input): hasValidCheckDigit false for \(g.value)")
    for form in [fourteen, g.canonical] {
        switch Result(catching: { () throws(GTINError) -> GTIN in try GTIN(parsing: form) }) {
        case .success(let again):
            require(again == g && again.value == g.value, "\(input) → \(form) → \(again.gtin14), not \(fourteen)")
        case .failure(let error):
            fatalError("fuzz invariant violated: \(input) → \(form) does not parse again: \(error)")
        }
    }
    guard let restored = GTIN(storageKey: g.value) else {
        fatalError("fuzz invariant violated: storage key \(g.value) of \(input) is refused")
    }
    require(restored == g, "storage key \(g.value) restores \(restored.gtin14)")
    if let thirteen = g.gtin13 { require(thirteen.utf8.count == 13 && g.indicator == 0, "gtin13 \(thirteen)") }
    if g.format == .upcE {
        guard let upcE = g.upcE, let again = try? GTIN(parsingUPCE: upcE) else {
            fatalError("fuzz invariant violated: UPC-E \(input) does not parse again as UPC-E")
        }
        require(again.value == g.value && again.format == .upcE, "UPC-E \(upcE) → \(again.gtin14)")
    } else {
        require(g.upcE == nil, "upcE set for \(g.format)")
    }
    checkClassification(g, shippedPrefixes)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGTIN(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let g = try GTIN(parsing: input)
        checkValid(g, input: input)
    } catch {
        _ = error.description
        switch error {
        case let .wrongCheckDigit(expected, found, corrected):
            require(expected != found && expected < 10 && found < 10, "check digits \(expected)/\(found)")
            guard let fixed = try? GTIN(parsing: corrected) else {
                fatalError("fuzz invariant violated: the suggested correction \(corrected) of \(input) does not parse")
            }
            checkValid(fixed, input: corrected)
        case let .invalidCharacter(_, position):
            require(position >= 1 && position <= input.count, "position \(position) of \(input.count) characters")
        case let .wrongLength(count):
            require(count < 8 || (9...11).contains(count) || count > 14, "wrong length \(count)")
        case .empty, .invalidUPCE:
            break
        }
    }
    if let g = try? GTIN(parsingUPCE: input) {
        require(g.format == .upcE, "parsingUPCE gave \(g.format)")
        checkValid(g, input: input)
    }
    _ = NameKey(input).compact
    if let table = try? GS1PrefixTable(csv: input) {
        for code in ["7290011498382", "0040822011143", "96385074", "20123451", "9780306406157"] {
            checkClassification(try! GTIN(parsing: code), table)
        }
    }
    return 0
}
