public import BDSCore

/// A compact JSON writer for the answer types, byte-for-byte the same as `JSONOutput.encoder(pretty: false)`
/// (keys sorted by their UTF-8 bytes, nil optionals left out, `/` not escaped, integral doubles without
/// `.0`).
///
/// Why it exists: under HTTP load, Foundation's `JSONEncoder` was about two thirds of a barcode
/// request's handler time (docs/PERFORMANCE.md). It builds a tree of boxed values, sorts every
/// object's keys at run time and checks every key path; this writer appends bytes to one buffer in
/// an order fixed at compile time. `JSONWriterTests` checks it against `JSONEncoder` on every
/// answer shape, so the two cannot drift apart.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// The JSON text of `value`.
    public static func encode(_ value: some JSONWritable) -> [UInt8] {
        var w = JSONWriter()
        value.write(to: &w)
        return w.bytes
    }

    // MARK: Primitives

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    public mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                start = i + 1
                switch b {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                default:
                    raw("\\u00")
                    bytes.append(Self.hex[Int(b >> 4)])
                    bytes.append(Self.hex[Int(b & 0x0F)])
                }
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public mutating func int(_ v: some BinaryInteger) {
        if v == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = UInt64(v.magnitude)
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    /// Swift's shortest round-trip form, as `JSONEncoder` writes it: "100" for 100.0, "1e-07" for 1e-7.
    public mutating func double(_ v: Double) {
        var text = v.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func bool(_ v: Bool) {
        if v { raw("true") } else { raw("false") }
    }

    // MARK: Objects

    /// Writes `{`, then `body`, then `}`; `body` adds members with `field` (in sorted key order).
    @inline(__always) public mutating func object(_ body: (inout JSONObjectWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        // The buffer moves into the member writer and back, so it is never copied.
        var o = JSONObjectWriter(writer: JSONWriter(capacity: 0))
        swap(&o.writer, &self)
        body(&o)
        swap(&o.writer, &self)
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func array<T: JSONWritable>(_ values: [T]) {
        bytes.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            v.write(to: &self)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func stringArray(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(v)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}

/// The members of one JSON object. Callers add them in the byte order of their keys, the order
/// `JSONEncoder`'s `.sortedKeys` produces.
public struct JSONObjectWriter {
    var writer: JSONWriter
    var first = true

    @inline(__always) mutating func key(_ k: StaticString) {
        if first { first = false } else { writer.byte(UInt8(ascii: ",")) }
        writer.byte(UInt8(ascii: "\""))
        writer.raw(k)
        writer.raw("\":")
    }

    public mutating func field(_ k: StaticString, _ v: String) {
        key(k)
        writer.string(v)
    }
    public mutating func field(_ k: StaticString, _ v: String?) { if let v { field(k, v) } }
    public mutating func field(_ k: StaticString, _ v: Int64) {
        key(k)
        writer.int(v)
    }
    public mutating func field(_ k: StaticString, _ v: Int?) {
        if let v {
            key(k)
            writer.int(v)
        }
    }
    public mutating func field(_ k: StaticString, _ v: Double) {
        key(k)
        writer.double(v)
    }
    public mutating func field(_ k: StaticString, _ v: Double?) { if let v { field(k, v) } }
    public mutating func field(_ k: StaticString, _ v: Bool) {
        key(k)
        writer.bool(v)
    }
    public mutating func field(_ k: StaticString, _ v: [String]) {
        key(k)
        writer.stringArray(v)
    }
    public mutating func field<T: JSONWritable>(_ k: StaticString, _ v: T) {
        key(k)
        v.write(to: &writer)
    }
    public mutating func field<T: JSONWritable>(_ k: StaticString, _ v: T?) { if let v { field(k, v) } }
    public mutating func field<T: JSONWritable>(_ k: StaticString, _ v: [T]) {
        key(k)
        writer.array(v)
    }
}

/// A value `JSONWriter` can write without `JSONEncoder`.
public protocol JSONWritable {
    func write(to w: inout JSONWriter)
}

// MARK: - The answer types. Keys in each `object` are in UTF-8 byte order.

extension Verdict: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("alternatives", alternatives)
            o.field("barcode", barcode)
            o.field("candidates", candidates)
            o.field("data", data)
            o.field("formerOwners", formerOwners)
            o.field("hints", hints)
            o.field("history", history)
            o.field("kind", kind.rawValue)
            o.field("listings", listings)
            o.field("localized", localized)
            o.field("matched", matched)
            o.field("nameMatch", nameMatch)
            o.field("owners", owners)
            o.field("ownershipContradictions", ownershipContradictions)
            o.field("owns", owns)
            o.field("problem", problem)
            o.field("product", product)
            o.field("query", query)
            o.field("reading", reading)
            o.field("summary", summary)
            o.field("verdict", verdict.rawValue)
        }
    }
}

extension LocalizedAnswer: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("allocationLabel", allocationLabel)
            o.field("dir", dir)
            o.field("headline", headline)
            o.field("hints", hints)
            o.field("lang", lang)
            o.field("problem", problem)
            o.field("summary", summary)
        }
    }
}

extension DataStamp: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("date", date)
            if let version { o.field("version", version) }
        }
    }
}

extension BarcodeInfo: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("allocation", allocation)
            o.field("allocationLabel", allocationLabel)
            o.field("canonical", canonical)
            o.field("companyPrefix", companyPrefix)
            o.field("format", format.rawValue)
            o.field("gtin14", gtin14)
            o.field("identifiesProduct", identifiesProduct)
            o.field("input", input)
            o.field("prefix", prefix)
        }
    }
}

extension ProductInfo: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("brand", brand)
            o.field("fetchedLive", fetchedLive)
            o.field("gtin", gtin)
            o.field("name", name)
            o.field("retrieved", retrieved)
            o.field("sourceUrl", sourceURL)
        }
    }
}

extension EntityRef: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("country", country)
            o.field("id", id)
            o.field("kind", kind.rawValue)
            o.field("name", name)
            o.field("note", note)
        }
    }
}

extension OwnershipLink: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("endDate", endDate)
            o.field("note", note)
            o.field("owned", owned)
            o.field("owner", owner)
            o.field("percent", percent)
            o.field("retrieved", retrieved)
            o.field("source", source)
            o.field("sourceUrl", sourceURL)
            o.field("startDate", startDate)
        }
    }
}

extension OwnershipContradiction: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("against", against)
            o.field("againstSource", againstSource)
            o.field("againstSourceUrl", againstSourceURL)
            o.field("claim", claim)
            o.field("kind", kind.rawValue)
            o.field("owned", owned)
            o.field("retrieved", retrieved)
            o.field("source", source)
            o.field("sourceUrl", sourceURL)
        }
    }
}

extension LinkPath: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("links", links)
            o.field("start", start)
            o.field("text", text)
        }
    }
}

extension ListingTarget: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            switch self {
            case .entity(let e):
                o.field("entity", e)
                o.field("type", "entity")
            case .product(let gtin):
                o.field("gtin", gtin)
                o.field("type", "product")
            case .companyPrefix(let p):
                o.field("prefix", p)
                o.field("type", "company-prefix")
            }
        }
    }
}

extension Listing: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("active", isActive)
            o.field("campaign", campaign)
            o.field("category", category.rawValue)
            o.field("endDate", endDate)
            o.field("endReason", endReason)
            o.field("id", id)
            if !otherSources.isEmpty { o.field("otherSources", otherSources) }
            o.field("reasons", reasons)
            o.field("retrieved", retrieved)
            o.field("sourceUrl", sourceURL)
            o.field("startDate", startDate)
            o.field("target", target)
        }
    }
}

extension Alternative: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("category", category)
            o.field("entity", entity)
            o.field("for", forEntity)
            o.field("region", region)
            o.field("retrieved", retrieved)
            o.field("sourceUrl", sourceURL)
            o.field("suggestedBy", suggestedBy)
            o.field("text", text)
        }
    }
}

extension ListingSource: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("id", id)
            o.field("retrieved", retrieved)
            o.field("sourceUrl", sourceURL)
        }
    }
}

extension ListingMatch: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("listing", listing)
            o.field("path", path)
        }
    }
}

extension Hint: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("kind", kind)
            o.field("text", text)
        }
    }
}

extension Candidate: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("derivedFrom", derivedFrom)
            o.field("entity", entity)
            o.field("matchedName", matchedName)
            o.field("score", score)
            o.field("verdict", verdict?.rawValue)
        }
    }
}

extension NameMatch: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("alias", alias)
            o.field("derivedFrom", derivedFrom)
        }
    }
}

extension InputProblem: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("correctedCode", correctedCode)
            o.field("expectedCheckDigit", expectedCheckDigit)
            o.field("message", message)
        }
    }
}

extension CodeReading: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("elements", elements)
            o.field("form", form.rawValue)
            o.field("gtin", gtin)
            o.field("note", note)
            o.field("problem", problem)
            o.field("symbology", symbology)
            o.field("text", text)
        }
    }
}

extension GS1Element: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("ai", ai)
            o.field("date", date)
            o.field("title", title)
            o.field("value", value)
        }
    }
}
