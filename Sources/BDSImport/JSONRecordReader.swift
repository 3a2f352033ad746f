import BDSCore
import Foundation

/// JSON and JSONL records, streamed: only one record (or, for fields with `../`, the enclosing
/// object that holds it) is held in memory at a time, whatever the file's size.
///
/// The record path (`brands.*.owners.*`) is walked on the token stream; values off the path are
/// skipped without being built. At the shallowest level a field reads from, the value is built in
/// memory (at most `maxRecordBytes`) and the rest of the path is walked there.
public final class JSONRecordReader: RecordReader {
    public let file: String
    public private(set) var recordLine = 0
    let size: Int64
    let tokenizer: JSONTokenizer
    let steps: [String?]
    let lines: Bool
    let maxRecordBytes: Int64

    var fieldPaths: [JSONFieldPath] = []
    var fieldNames: [String] = []
    /// The level at which values are built: the record's, or an enclosing object's a field reads.
    var buildLevel: Int?

    /// Open containers on the record path, above `buildLevel`.
    var frames: [(level: Int, isObject: Bool, index: Int)] = []
    var pending: [Record] = []
    var pendingIndex = 0
    var current: Record?
    var documents = 0
    var topKeys: [String] = []
    var generation = 0
    var cache: [(generation: Int, values: [String], throughArray: Bool, present: Bool)] = []

    /// A record and the values it was found in, from `buildLevel` down to the record.
    struct Record {
        var chain: [(value: JSONValue, key: String?)]
        var line: Int
    }

    public init(
        source: any ByteSource, size: Int64, file: String, record: String?, lines: Bool, maxRecordBytes: Int64 = 64 << 20
    ) throws {
        self.file = file
        self.size = size
        self.lines = lines
        self.maxRecordBytes = maxRecordBytes
        do {
            steps = try JSONRecordPath(record ?? "").steps
        } catch let error as RecordPathError {
            throw ImportError(file: file, field: "format.record", value: record, message: error.message)
        }
        tokenizer = JSONTokenizer(source: source, file: file)
    }

    public var progress: (read: Int64, total: Int64) { (tokenizer.source.bytesConsumed, size) }

    public func column(named name: String) throws -> Int {
        if let existing = fieldNames.firstIndex(of: name) { return existing }
        let path: JSONFieldPath
        do {
            path = try JSONFieldPath(name)
        } catch let error as RecordPathError {
            throw ImportError(file: file, value: name, message: error.message)
        }
        if path.up > 0 {
            let enclosing = JSONRecordPath.enclosingLevels(of: steps)
            guard path.up <= enclosing.count else {
                throw ImportError(
                    file: file, value: name,
                    message:
                        "the record (at \(describeRecordPath)) has \(enclosing.count) enclosing object(s); '../' cannot go higher"
                )
            }
        }
        fieldPaths.append(path)
        fieldNames.append(name)
        cache.append((-1, [], false, false))
        return fieldPaths.count - 1
    }

    var describeRecordPath: String {
        steps.isEmpty ? "the top" : steps.map { $0 ?? "*" }.joined(separator: ".")
    }

    /// The level a field with `up` steps of `../` reads from.
    func level(up: Int) -> Int {
        up == 0 ? steps.count : JSONRecordPath.enclosingLevels(of: steps).reversed()[up - 1]
    }

    public func next() throws -> Bool {
        let build = buildLevel ?? fieldPaths.map { level(up: $0.up) }.min() ?? steps.count
        buildLevel = build
        generation += 1
        while true {
            if pendingIndex < pending.count {
                current = pending[pendingIndex]
                pendingIndex += 1
                recordLine = current!.line
                return true
            }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard let frame = frames.last else {
                guard let first = try tokenizer.next() else {
                    try checkFinished()
                    return false
                }
                documents += 1
                if documents > 1 && !lines {
                    throw ImportError(
                        file: file, line: tokenizer.eventLine,
                        message: "more JSON after the end of the document (for one value per line, use type = \"jsonl\")")
                }
                try enter(level: 0, key: nil, first: first, build: build)
                continue
            }
            guard let event = try tokenizer.next() else { throw tokenizer.fail("the input ends early") }
            if event == .endObject || event == .endArray {
                frames.removeLast()
                continue
            }
            let step = steps[frame.level]
            if frame.isObject {
                guard case .key(let key) = event else { throw tokenizer.fail("expected a key") }
                if frame.level == 0 && topKeys.count < 20 && !topKeys.contains(key) { topKeys.append(key) }
                if step == nil || step == key {
                    try enter(level: frame.level + 1, key: key, first: nil, build: build)
                } else {
                    try tokenizer.skip(after: try tokenizer.next(keepStrings: false)!)
                }
            } else {
                let index = frame.index
                frames[frames.count - 1].index += 1
                if step == nil {
                    try enter(level: frame.level + 1, key: String(index), first: event, build: build)
                } else {
                    try tokenizer.skip(after: event)
                }
            }
        }
    }

    /// Continues down the record path at `level` with the value whose first event is `first`
    /// (read now when nil).
    func enter(level: Int, key: String?, first: JSONTokenizer.Event?, build: Int) throws {
        guard let event = try first ?? tokenizer.next() else { throw tokenizer.fail("the input ends early") }
        if level == build {
            let line = tokenizer.eventLine
            let start = tokenizer.offset
            let value = try JSONValue.build(from: event, tokenizer: tokenizer) { [maxRecordBytes, file] in
                if tokenizer.offset - start > maxRecordBytes {
                    throw ImportError(file: file, line: line, message: "a record is larger than \(maxRecordBytes >> 20) MB")
                }
            }
            collect(value, key: key, line: line, level: level, chain: [])
            return
        }
        switch event {
        case .beginObject: frames.append((level, true, 0))
        case .beginArray: frames.append((level, false, 0))
        default: break
        }
    }

    /// Walks the rest of the record path inside a built value, queueing each record found.
    func collect(_ value: JSONValue, key: String?, line: Int, level: Int, chain: [(value: JSONValue, key: String?)]) {
        let chain = chain + [(value, key)]
        let line = value.line ?? line
        guard level < steps.count else {
            pending.append(Record(chain: chain, line: line))
            return
        }
        let step = steps[level]
        switch value {
        case .object(let pairs, _):
            for (k, v) in pairs where step == nil || step == k {
                collect(v, key: k, line: line, level: level + 1, chain: chain)
            }
        case .array(let items, _) where step == nil:
            for (i, v) in items.enumerated() {
                collect(v, key: String(i), line: line, level: level + 1, chain: chain)
            }
        default:
            break
        }
    }

    func checkFinished() throws {
        if documents == 0 && !lines {
            throw ImportError(file: file, message: "the file is empty: one JSON document is expected")
        }
        if let first = steps.first ?? nil, !topKeys.isEmpty, !topKeys.contains(first) {
            throw ImportError(
                file: file, field: "format.record", value: describeRecordPath,
                message:
                    "no record found: the top-level object has no key \"\(first)\" (it has: \(topKeys.joined(separator: ", ")))"
            )
        }
    }

    // MARK: - Fields

    /// The field's values in the current record, and whether an array was walked to reach them.
    func lookup(_ column: Int) throws -> (values: [String], throughArray: Bool, present: Bool) {
        if cache[column].generation == generation {
            return (cache[column].values, cache[column].throughArray, cache[column].present)
        }
        guard let record = current else { return ([], false, false) }
        let path = fieldPaths[column]
        let entry = record.chain[level(up: path.up) - buildLevel!]
        var out: [String] = []
        var throughArray = false
        var present = false
        if path.isKey {
            if let k = entry.key { out.append(k) }
            present = entry.key != nil
        } else {
            var found: [JSONValue] = []
            entry.value.walk(path.keys[...], into: &found, throughArray: &throughArray)
            present = !found.isEmpty || throughArray
            for v in found {
                switch v {
                case .string(let s), .number(let s): out.append(s)
                case .bool(let b): out.append(b ? "true" : "false")
                case .null: break
                case .object:
                    throw ImportError(
                        file: file, line: recordLine, field: fieldNames[column],
                        message: "this is a JSON object; name a key inside it (like \(fieldNames[column]).id)"
                    )
                case .array: break
                }
            }
        }
        cache[column] = (generation, out, throughArray, present)
        return (out, throughArray, present)
    }

    public func isPresent(_ column: Int) -> Bool {
        guard let found = try? lookup(column) else { return true }  // an object: there, but not a value
        return found.present
    }

    public func shape(around column: Int) -> String? {
        guard let record = current, let buildLevel else { return nil }
        let path = fieldPaths[column]
        let value = record.chain[level(up: path.up) - buildLevel].value
        let whose = path.up == 0 ? "" : " (\(String(repeating: "../", count: path.up)): the enclosing object)"
        switch value {
        case .object(let pairs, _):
            let keys = pairs.map(\.0)
            return "the keys " + keys.prefix(30).joined(separator: ", ") + (keys.count > 30 ? ", …" : "") + whose
        case .array: return "an array" + whose
        case .string, .number, .bool, .null: return "a single value, not an object" + whose
        }
    }

    public func isEmpty(_ column: Int) -> Bool {
        guard let found = try? lookup(column) else { return false }
        return found.values.allSatisfy(\.isEmpty)
    }

    public func string(_ column: Int, fieldName: String?) throws -> String {
        let found = try lookup(column)
        if found.throughArray {
            throw ImportError(
                file: file, line: recordLine, field: fieldName ?? fieldNames[column],
                value: found.values.joined(separator: " | "),
                message:
                    "this is a JSON array (\(found.values.count) values); only list fields (\(ListFields.names)) take several values"
            )
        }
        return found.values.first ?? ""
    }

    public func values(_ column: Int, fieldName: String?) throws -> [String] {
        try lookup(column).values.filter { !$0.isEmpty }
    }
}

extension JSONRecordPath {
    /// Levels whose value is an object a `../` step can land on: those a named key leaves, not the
    /// collections `*` walks. Level 0 is the top value, level `steps.count` the record.
    static func enclosingLevels(of steps: [String?]) -> [Int] {
        steps.indices.filter { steps[$0] != nil }
    }
}
